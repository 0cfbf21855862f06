/* Patrol: start, a GPS point about every 30 s, stop. Every step goes through the outbox, so a
 * patrol walked without network arrives whole: the start, the points in batches, the stop,
 * all named by the key chosen here at "start". */
(function () {
  "use strict";

  var box = document.querySelector("[data-patrol]");
  if (!box || !window.civgridOutbox) return;
  var outbox = window.civgridOutbox;
  var STATE = "civgrid-patrol"; // the running patrol survives a reload (localStorage)
  var POINT_EVERY_MS = 30 * 1000;
  var FLUSH_EVERY = 5; // points per queued batch
  var startBtn = box.querySelector("[data-patrol-start]");
  var stopBtn = box.querySelector("[data-patrol-stop]");
  var stateText = box.querySelector("[data-patrol-state]");
  var pointsText = box.querySelector("[data-patrol-points]");
  var watch = null;
  var buffer = [];
  var lastAt = 0;

  function load() {
    try { return JSON.parse(localStorage.getItem(STATE) || "null"); } catch (e) { return null; }
  }
  function save(state) {
    if (state) localStorage.setItem(STATE, JSON.stringify(state));
    else localStorage.removeItem(STATE);
  }

  function show() {
    var state = load();
    startBtn.hidden = !!state;
    stopBtn.hidden = !state;
    if (state) {
      stateText.textContent = box.dataset.msgRunning.replace("%s", new Date(state.started_at).toLocaleTimeString());
      pointsText.textContent = box.dataset.msgPoints.replace("%s", String(state.points + buffer.length));
    } else {
      stateText.textContent = stateText.dataset.idle || stateText.textContent;
      pointsText.textContent = "";
    }
  }

  function base(state) {
    return outbox.urls.patrols + "by-key/" + encodeURIComponent(state.key) + "/";
  }

  function flush(state) {
    if (!buffer.length) return Promise.resolve();
    var points = buffer;
    buffer = [];
    state.points += points.length;
    save(state);
    return outbox.enqueue({
      kind: "patrol-points",
      url: base(state) + "points/",
      label: points.length + " × GPS",
      json: { points: points },
    });
  }

  function onPosition(pos) {
    var state = load();
    if (!state) return;
    var now = Date.now();
    if (now - lastAt < POINT_EVERY_MS && lastAt) return;
    lastAt = now;
    buffer.push({
      recorded_at: new Date(pos.timestamp || now).toISOString(),
      longitude: pos.coords.longitude,
      latitude: pos.coords.latitude,
      accuracy: pos.coords.accuracy,
    });
    if (buffer.length >= FLUSH_EVERY) flush(state);
    show();
  }

  function track() {
    if (watch !== null || !navigator.geolocation) {
      if (!navigator.geolocation) pointsText.textContent = box.dataset.msgGpsFailed;
      return;
    }
    watch = navigator.geolocation.watchPosition(onPosition, function () {
      pointsText.textContent = box.dataset.msgGpsFailed;
    }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 60000 });
  }

  startBtn.addEventListener("click", function () {
    var state = { key: outbox.uuid(), started_at: new Date().toISOString(), points: 0 };
    save(state);
    outbox.enqueue({
      kind: "patrol-start",
      url: outbox.urls.patrols,
      json: { client_key: state.key, started_at: state.started_at },
    });
    track();
    show();
  });

  stopBtn.addEventListener("click", function () {
    var state = load();
    if (!state) return;
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    watch = null;
    flush(state).then(function () {
      return outbox.enqueue({
        kind: "patrol-end",
        url: base(state) + "end/",
        json: { ended_at: new Date().toISOString() },
      });
    }).then(function () {
      save(null);
      show();
    });
  });

  // Points still in memory are queued when the page goes away (closing, navigating).
  document.addEventListener("visibilitychange", function () {
    var state = load();
    if (document.visibilityState === "hidden" && state) flush(state);
  });

  stateText.dataset.idle = stateText.textContent;
  if (load()) track();
  show();
})();
