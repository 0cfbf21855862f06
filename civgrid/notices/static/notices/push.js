/* Turning on Web Push for the installed grid-worker app (civgrid.notices preferences page):
 * subscribes through the app's service worker (scope /m/) with the site's VAPID public key
 * and sends the subscription to the server. No build step. */
(function () {
  "use strict";
  var button = document.getElementById("push-on");
  if (!button) return;
  var status = document.getElementById("push-status");
  function say(text) { if (status) status.textContent = text; }
  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    button.disabled = true; say(button.dataset.unsupported); return;
  }
  button.addEventListener("click", function () {
    navigator.serviceWorker.getRegistration(button.dataset.scope).then(function (reg) {
      if (!reg) { say(button.dataset.noApp); return null; }
      return reg.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key)
      });
    }).then(function (sub) {
      if (!sub) return null;
      return fetch(button.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": button.dataset.csrf },
        body: JSON.stringify(sub.toJSON())
      });
    }).then(function (response) {
      if (response) say(response.ok ? button.dataset.done : button.dataset.failed);
    }).catch(function () { say(button.dataset.failed); });
  });
})();
