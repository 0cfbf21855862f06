/* The visit form without network: the visit (and the problem's photos) goes into the phone's
 * outbox (fieldwork/outbox.js) under the form's own client key, and is sent to
 * POST /api/v1/visits/ when the network is back. With network the form posts as usual. */
(function () {
  "use strict";

  var form = document.getElementById("visit-form");
  var notice = document.querySelector("[data-visit-queued]");
  if (!form || !window.civgridOutbox) return;
  var outbox = window.civgridOutbox;

  function value(name) {
    var input = form.elements.namedItem(name);
    if (!input) return "";
    if (input.type === "checkbox") return input.checked ? "true" : "false";
    return String(input.value || "").trim();
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;
    event.preventDefault();
    var raised = value("raise_problem") === "true";
    var when = value("visited_at");
    var fields = {
      household: form.dataset.household,
      // Without a time the server would take the moment it receives the visit.
      visited_at: when ? new Date(when).toISOString() : new Date().toISOString(),
      notes: value("notes"),
    };
    var files = [];
    if (raised) {
      fields.problem_category = value("category");
      fields.problem_description = value("description");
      fields.problem_urgency = value("urgency");
      fields.fixed_on_spot = value("fixed_on_spot");
      fields.fix_note = value("fix_note");
      var photos = form.elements.namedItem("photos");
      Array.prototype.forEach.call((photos && photos.files) || [], function (f) {
        files.push({ field: "problem_photos", blob: f.slice(0, f.size, f.type), name: f.name });
      });
    }
    outbox.enqueue({
      kind: "visit",
      url: outbox.urls.visits,
      idempotent: true,
      key: value("client_key") || undefined,
      label: document.title + (fields.notes ? " · " + fields.notes.slice(0, 30) : ""),
      fields: fields,
      files: files,
    }).then(function () {
      form.hidden = true;
      notice.hidden = false;
    });
  });
})();
