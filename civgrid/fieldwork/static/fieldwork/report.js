/* The phone report form: stored in the outbox (with its photos) before anything is sent. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-offline-report]");
  if (!form || !window.civgridOutbox) return;
  var outbox = window.civgridOutbox;
  var msg = form.dataset;
  var errorBox = form.querySelector("[data-form-error]");
  var result = document.querySelector("[data-report-result]");
  var gpsStatus = form.querySelector("[data-gps-status]");
  var keptPhotos = form.querySelector("[data-kept-photos]");
  var FIELDS = ["source", "category", "description", "urgency", "longitude", "latitude", "grid", "address", "fix_note"];
  var editing = null; // the rejected item being corrected

  function value(name) {
    var input = form.elements.namedItem(name);
    return input ? String(input.value || "").trim() : "";
  }

  function fail(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
    errorBox.scrollIntoView({ block: "center" });
  }

  function files(name) {
    var input = form.elements.namedItem(name);
    if (!input || !input.files) return [];
    return Array.prototype.map.call(input.files, function (f) {
      // A Blob copy: IndexedDB keeps it across reloads, whatever happens to the input.
      return { field: name, blob: f.slice(0, f.size, f.type), name: f.name };
    });
  }

  form.querySelector("[data-gps]").addEventListener("click", function () {
    if (!navigator.geolocation) {
      gpsStatus.textContent = msg.msgGpsFailed;
      return;
    }
    gpsStatus.textContent = msg.msgLocating;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.elements.namedItem("longitude").value = pos.coords.longitude.toFixed(6);
        form.elements.namedItem("latitude").value = pos.coords.latitude.toFixed(6);
        gpsStatus.textContent = msg.msgLocated.replace("%s", Math.round(pos.coords.accuracy));
        var grid = form.elements.namedItem("grid");
        if (grid.options.length > 2) grid.value = ""; // the server finds the grid from the point
      },
      function () { gpsStatus.textContent = msg.msgGpsFailed; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
    );
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    var fixed = form.elements.namedItem("fixed_on_spot");
    var isFixed = !!(fixed && fixed.checked);
    if (!value("category")) return fail(msg.msgNeedCategory);
    if (!value("description")) return fail(msg.msgNeedDescription);
    if (!value("grid") && !(value("longitude") && value("latitude"))) return fail(msg.msgNeedPlace);
    if (isFixed && !value("fix_note")) return fail(msg.msgNeedFix);
    var fields = {};
    FIELDS.forEach(function (name) { fields[name] = value(name); });
    fields.fixed_on_spot = isFixed ? "true" : "false";
    if (!isFixed) fields.fix_note = "";
    var photos = files("photos");
    var fixPhotos = isFixed ? files("fix_photos") : [];
    if (editing && !photos.length && !fixPhotos.length) {
      // Correcting: the photos kept with the item stay unless new ones were chosen.
      photos = (editing.files || []).filter(function (f) { return f.field === "photos"; });
      fixPhotos = isFixed ? (editing.files || []).filter(function (f) { return f.field === "fix_photos"; }) : [];
    }
    var categorySelect = form.elements.namedItem("category");
    var item = {
      kind: "case",
      url: outbox.urls.cases,
      idempotent: true,
      // A corrected item keeps its key: the server created nothing when it refused it.
      key: editing ? editing.key : undefined,
      created_at: editing ? editing.created_at : undefined,
      label: categorySelect.options[categorySelect.selectedIndex].text + " · " + fields.description.slice(0, 40),
      fields: fields,
      files: photos.concat(fixPhotos),
    };
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    outbox.enqueue(item).then(
      function (saved) {
        editing = null;
        form.reset();
        form.querySelectorAll("[data-toggled-by]").forEach(function (b) { b.hidden = true; });
        keptPhotos.hidden = true;
        result.hidden = false;
        result.dataset.key = saved.key;
        result.textContent = outbox.msgs.queued;
        button.disabled = false;
        if (window.history.replaceState) window.history.replaceState(null, "", window.location.pathname);
      },
      function (err) {
        button.disabled = false;
        fail(String(err));
      }
    );
  });

  // The answer for the report just saved: its tracking code, as soon as it is sent.
  window.addEventListener("outbox:sent", function (event) {
    var detail = event.detail;
    if (result.dataset.key === detail.item.key && detail.data && detail.data.tracking_code) {
      result.textContent = outbox.msgs.sent + " " + detail.data.tracking_code;
      result.dataset.code = detail.data.tracking_code;
    }
  });

  // ?edit=<key>: correct a report the server refused (kept in the outbox).
  var editKey = new URLSearchParams(window.location.search).get("edit");
  if (editKey) {
    outbox.get(editKey).then(function (item) {
      if (!item) return;
      editing = item;
      Object.keys(item.fields || {}).forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input && name !== "fixed_on_spot") input.value = item.fields[name];
      });
      var fixed = form.elements.namedItem("fixed_on_spot");
      if (fixed) {
        fixed.checked = item.fields.fixed_on_spot === "true";
        form.querySelectorAll("[data-toggled-by]").forEach(function (b) { b.hidden = !fixed.checked; });
      }
      if (item.files && item.files.length) {
        keptPhotos.textContent = "📷 × " + item.files.length;
        keptPhotos.hidden = false;
      }
      fail(msg.msgEditing + " " + (item.error || ""));
    });
  }
})();
