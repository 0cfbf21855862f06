/* civgrid outbox: everything the grid worker does on the phone is stored here FIRST
 * (IndexedDB, photos as Blobs), then sent to the JSON API with its own idempotency key.
 *
 * Rules (docs/fieldwork.md):
 * - an item gets a client-generated UUID when it is created; that key goes with every attempt
 *   (Idempotency-Key header / client_key), so the server creates it once however often it is
 *   sent;
 * - an item leaves the queue only after a 2xx answer. A 400 (the server refused the input) is
 *   kept, marked "rejected" and shown for correction, never dropped. Anything else (no network,
 *   401/403, 404, 409, 5xx) keeps it queued for the next attempt;
 * - attempts happen on page load, on the `online` event, every minute while something waits,
 *   and from the "send now" button. Background Sync is not used: it is not reliable on phones.
 */
(function () {
  "use strict";

  var DB_NAME = "civgrid-fieldwork";
  var QUEUE = "outbox";
  var SENT = "sent";
  var KEEP_SENT = 20;
  var RETRY_MS = 60 * 1000;

  var urls = JSON.parse((document.getElementById("m-urls") || { textContent: "{}" }).textContent);
  var msgsNode = document.getElementById("m-msgs");
  var msgs = msgsNode ? msgsNode.dataset : {};

  // --- IndexedDB ---------------------------------------------------------------------------

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var d = open.result;
          if (!d.objectStoreNames.contains(QUEUE)) d.createObjectStore(QUEUE, { keyPath: "key" });
          if (!d.objectStoreNames.contains(SENT)) d.createObjectStore(SENT, { keyPath: "key" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function tx(store, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
        result = work(t.objectStore(store));
        if (result && "onsuccess" in result) {
          var req = result;
          req.onsuccess = function () { result = req.result; };
        }
      });
    });
  }

  function all(store) {
    return tx(store || QUEUE, "readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) {
        return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.seq - b.seq;
      });
    });
  }
  function get(key) { return tx(QUEUE, "readonly", function (s) { return s.get(key); }); }
  function put(item) { return tx(QUEUE, "readwrite", function (s) { s.put(item); }); }
  function remove(key) { return tx(QUEUE, "readwrite", function (s) { s["delete"](key); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var seq = 0;
  /* Store an item and try to send the queue. `item`: {kind, url, label, fields?, files?, json?,
   * key?}. fields: {name: string}; files: [{field, blob, name}]; json: an object sent as JSON. */
  function enqueue(item) {
    item.key = item.key || uuid();
    item.created_at = item.created_at || new Date().toISOString();
    item.seq = seq++;
    item.status = "queued";
    item.error = "";
    item.attempts = item.attempts || 0;
    return put(item).then(function () {
      refresh();
      replay();
      return item;
    });
  }

  // --- sending -------------------------------------------------------------------------------

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function request(item) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    if (item.idempotent) headers["Idempotency-Key"] = item.key;
    var body;
    if (item.json) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(item.json);
    } else {
      body = new FormData();
      Object.keys(item.fields || {}).forEach(function (name) {
        var value = item.fields[name];
        if (value !== null && value !== undefined && value !== "") body.append(name, value);
      });
      (item.files || []).forEach(function (f) { body.append(f.field, f.blob, f.name); });
    }
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: body,
      cache: "no-store",
    });
  }

  function rememberSent(item, data) {
    var entry = {
      key: item.key,
      kind: item.kind,
      label: item.label || "",
      sent_at: new Date().toISOString(),
      code: (data && data.tracking_code) || "",
      link: data && data.id && item.kind === "case" ? "/cases/" + data.id + "/" : "",
    };
    return tx(SENT, "readwrite", function (s) { s.put(entry); })
      .then(function () { return all(SENT); })
      .then(function (sent) {
        sent.sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
        var old = sent.slice(KEEP_SENT);
        if (!old.length) return;
        return tx(SENT, "readwrite", function (s) { old.forEach(function (o) { s["delete"](o.key); }); });
      });
  }

  /* One attempt for one item: resolves "sent", "rejected", "kept" or "offline". */
  function sendOne(item) {
    item.attempts += 1;
    return request(item).then(
      function (response) {
        return response
          .json()
          .catch(function () { return {}; })
          .then(function (data) {
            if (response.ok) {
              return remove(item.key)
                .then(function () { return rememberSent(item, data); })
                .then(function () {
                  window.dispatchEvent(new CustomEvent("outbox:sent", { detail: { item: item, data: data } }));
                  return "sent";
                });
            }
            if (response.status === 400) {
              item.status = "rejected";
              item.error = (data.message || msgs.rejected) + (data.field ? " (" + data.field + ")" : "");
              item.field = data.field || "";
              return put(item).then(function () { return "rejected"; });
            }
            item.status = "queued";
            item.error = response.status === 401 || response.status === 403
              ? msgs.relogin + (data.message ? " " + data.message : "")
              : msgs.retry + " (" + response.status + ")";
            return put(item).then(function () { return "kept"; });
          });
      },
      function () {
        item.status = "queued";
        item.error = msgs.retry;
        return put(item).then(function () { return "offline"; });
      }
    );
  }

  var running = null;
  /* Send every queued item in order; stops at the first network failure. One run at a time. */
  function replay() {
    if (running) return running;
    running = all()
      .then(function (items) {
        var chain = Promise.resolve();
        var offline = false;
        items.forEach(function (item) {
          if (item.status === "rejected") return;
          chain = chain.then(function () {
            if (offline) return;
            return sendOne(item).then(function (outcome) {
              if (outcome === "offline") offline = true;
            });
          });
        });
        return chain;
      })
      .catch(function (err) { console.warn("outbox:", err); })
      .then(function () {
        running = null;
        return refresh();
      });
    return running;
  }

  // --- showing the queue -------------------------------------------------------------------------

  function refresh() {
    return all().then(function (items) {
      document.querySelectorAll("[data-outbox-count]").forEach(function (badge) {
        badge.textContent = String(items.length);
        badge.hidden = items.length === 0;
      });
      var list = document.querySelector("[data-outbox-list]");
      if (list) drawList(list, items);
      var sentList = document.querySelector("[data-sent-list]");
      if (sentList) all(SENT).then(function (sent) { drawSent(sentList, sent); });
      window.dispatchEvent(new CustomEvent("outbox:changed", { detail: { items: items } }));
      return items;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function kindLabel(kind) {
    return msgs["kind" + kind.split("-").map(function (p) { return p[0].toUpperCase() + p.slice(1); }).join("")] || kind;
  }

  function drawList(list, items) {
    list.textContent = "";
    if (!items.length) {
      list.appendChild(el("li", { "class": "m-empty" }, msgs.empty));
      return;
    }
    items.forEach(function (item) {
      var li = el("li", { "class": "m-item m-" + item.status, "data-key": item.key, "data-status": item.status });
      var head = el("div", { "class": "m-item-head" });
      head.appendChild(el("strong", {}, kindLabel(item.kind)));
      head.appendChild(el("span", { "class": "muted" }, " " + new Date(item.created_at).toLocaleString()));
      li.appendChild(head);
      if (item.label) li.appendChild(el("p", { "class": "m-item-label" }, item.label));
      if (item.files && item.files.length) li.appendChild(el("p", { "class": "muted" }, "📷 × " + item.files.length));
      if (item.error) li.appendChild(el("p", { "class": item.status === "rejected" ? "error" : "hint" }, item.error));
      var actions = el("div", { "class": "m-item-actions" });
      if (item.status === "rejected" && item.kind === "case") {
        actions.appendChild(el("a", { "class": "btn", href: (urls.report || "../report/") + "?edit=" + item.key }, msgsNode.dataset.edit || "✎"));
      }
      var del = el("button", { type: "button", "class": "btn-link", "data-delete": item.key }, "✕");
      del.setAttribute("aria-label", "delete");
      actions.appendChild(del);
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  function drawSent(list, sent) {
    list.textContent = "";
    sent.sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
    sent.forEach(function (s) {
      var li = el("li", { "class": "m-sent" });
      li.appendChild(el("strong", {}, kindLabel(s.kind) + " "));
      if (s.link) li.appendChild(el("a", { href: s.link, "class": "code" }, s.code));
      else if (s.code) li.appendChild(el("span", { "class": "code" }, s.code));
      li.appendChild(el("span", { "class": "muted" }, " " + (s.label || "") + " · " + new Date(s.sent_at).toLocaleString()));
      list.appendChild(li);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var del = target.closest("[data-delete]");
    if (del && window.confirm(msgs.confirmDelete)) {
      remove(del.getAttribute("data-delete")).then(refresh);
    }
    if (target.closest("[data-send-now]")) {
      event.preventDefault();
      // "Send now" also retries items refused before (after a correction elsewhere, or a fix on
      // the server): they stay rejected if the server still refuses them.
      all().then(function (items) {
        return Promise.all(items.filter(function (i) { return i.status === "rejected" && i.kind !== "case"; })
          .map(function (i) { i.status = "queued"; return put(i); }));
      }).then(replay);
    }
  });

  function showNet() {
    document.querySelectorAll("[data-net-status]").forEach(function (n) { n.hidden = navigator.onLine; });
  }

  window.addEventListener("online", function () { showNet(); replay(); });
  window.addEventListener("offline", showNet);
  window.setInterval(function () { if (navigator.onLine) replay(); }, RETRY_MS);

  function start() {
    showNet();
    refresh().then(function (items) { if (items.length) replay(); });
    if ("serviceWorker" in navigator && urls.sw) {
      navigator.serviceWorker.register(urls.sw, { scope: urls.home || "/m/" }).catch(function (err) {
        console.warn("service worker not registered:", err);
      });
    }
  }

  window.civgridOutbox = {
    enqueue: enqueue, replay: replay, refresh: refresh, all: all, get: get, put: put,
    remove: remove, uuid: uuid, urls: urls, msgs: msgs,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
