/* Check-in and check-out on the phone: the scan (its time, and the GPS position if the phone
 * gives one within a few seconds) goes into the grid-worker app's outbox (fieldwork/outbox.js)
 * with its own key, and is sent to the activity's scan address; without network it waits there
 * and is sent once when the network is back. */
(function () {
  "use strict";

  var box = document.getElementById("scan");
  if (!box || !window.civgridOutbox) return;
  var outbox = window.civgridOutbox;
  var queued = box.querySelector("[data-scan-queued]");
  var refused = box.querySelector("[data-scan-refused]");

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      var done = false;
      var timer = setTimeout(function () { if (!done) { done = true; resolve(null); } }, 5000);
      navigator.geolocation.getCurrentPosition(
        function (p) { if (!done) { done = true; clearTimeout(timer); resolve(p.coords); } },
        function () { if (!done) { done = true; clearTimeout(timer); resolve(null); } },
        { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 }
      );
    });
  }

  box.querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      var at = new Date().toISOString();  // the moment of the scan, whenever it is sent
      position().then(function (coords) {
        return outbox.enqueue({
          kind: button.dataset.step.replace("_", "-"),
          url: outbox.urls.scan,
          idempotent: true,
          label: document.title,
          fields: {
            step: button.dataset.step,
            at: at,
            longitude: coords ? String(coords.longitude) : "",
            latitude: coords ? String(coords.latitude) : "",
          },
        });
      }).then(function (item) {
        button.hidden = true;
        if (!navigator.onLine) queued.hidden = false;
        box.dataset.key = item.key;
      });
    });
  });

  window.addEventListener("outbox:sent", function (event) {
    if (event.detail.item.url === outbox.urls.scan) window.location.reload();
  });
  window.addEventListener("outbox:changed", function (event) {
    (event.detail.items || []).forEach(function (item) {
      if (item.url === outbox.urls.scan && item.status === "rejected") {
        refused.textContent = item.error || "";
        refused.hidden = false;
      }
    });
  });
})();
