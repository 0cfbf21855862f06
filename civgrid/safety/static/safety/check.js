/* The safety check without network: the answers (and each failed item's photo) go into the
 * phone's outbox (fieldwork/outbox.js) under the form's own client key, and are sent to
 * POST /api/v1/safety/checks/ when the network is back: recorded once, never lost or doubled.
 * With network the form posts as usual. */
(function () {
  "use strict";

  var form = document.getElementById("check-form");
  var notice = document.querySelector("[data-check-queued]");
  if (!form || !window.civgridOutbox) return;
  var outbox = window.civgridOutbox;

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;
    event.preventDefault();
    var answers = [];
    var files = [];
    Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-item]"), function (set) {
      var id = set.dataset.item;
      var picked = set.querySelector("input[type=radio]:checked");
      var note = set.querySelector("input[name=note_" + id + "]");
      answers.push({ item: Number(id), result: picked ? picked.value : "pass", note: note ? note.value.trim() : "" });
      var photo = set.querySelector("input[type=file]");
      Array.prototype.forEach.call((photo && photo.files) || [], function (f) {
        files.push({ field: "photos_" + id, blob: f.slice(0, f.size, f.type), name: f.name });
      });
    });
    var key = form.elements.namedItem("client_key");
    outbox.enqueue({
      kind: "safety-check",
      url: form.dataset.api,
      idempotent: true,
      key: (key && key.value) || undefined,
      label: document.title,
      fields: {
        assignment: form.dataset.assignment,
        checked_at: new Date().toISOString(),
        note: (form.elements.namedItem("note") || {}).value || "",
        answers: JSON.stringify(answers),
      },
      files: files,
    }).then(function () {
      form.hidden = true;
      notice.hidden = false;
    });
  });
})();
