/* Inspections: GPS on the checklist, nearest-first site list, the map of an inspection's sites.
 * Everything here is an enhancement: without it the forms still post and the lists still read.
 */
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // --- the checklist: one GPS fix for the page, copied into every form (also after htmx swaps)
  var fix = null;

  function fillGps(root) {
    if (!fix) return;
    each('input[data-gps="lon"]', function (el) { el.value = fix.lon; }, root);
    each('input[data-gps="lat"]', function (el) { el.value = fix.lat; }, root);
    each('input[data-gps="acc"]', function (el) { el.value = fix.acc; }, root);
  }

  function locate() {
    var status = document.querySelector("[data-gps-status]");
    if (!status) return;
    if (!("geolocation" in navigator)) {
      status.textContent = status.dataset.msgFailed;
      return;
    }
    status.textContent = status.dataset.msgLocating;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        fix = {
          lon: pos.coords.longitude.toFixed(6),
          lat: pos.coords.latitude.toFixed(6),
          acc: Math.round(pos.coords.accuracy || 0),
        };
        status.textContent = status.dataset.msgOk.replace("%s", fix.acc);
        fillGps(document);
      },
      function () { status.textContent = status.dataset.msgFailed; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  // htmx:load fires on the new content (an outerHTML swap detaches the old target).
  document.addEventListener("htmx:load", function (event) {
    fillGps(event.target);
    var answered = document.querySelector("[data-answered]");
    if (answered) {
      answered.textContent = document.querySelectorAll(".insp-std [data-outcome]").length;
    }
  });

  // --- the site list: pending first, then nearest to where the phone is --------------------
  function distance(lon1, lat1, lon2, lat2) {
    var rad = Math.PI / 180, dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371000 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  function sortNearest(list) {
    if (!("geolocation" in navigator)) return;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var here = pos.coords, items = Array.prototype.slice.call(list.children);
      items.forEach(function (li) {
        var lon = parseFloat(li.dataset.lon), lat = parseFloat(li.dataset.lat);
        li._d = isNaN(lon) || isNaN(lat) ? Infinity : distance(here.longitude, here.latitude, lon, lat);
        var label = li.querySelector("[data-distance]");
        if (label && isFinite(li._d)) {
          label.textContent = li._d < 1000 ? Math.round(li._d) + " m" : (li._d / 1000).toFixed(1) + " km";
        }
      });
      items.sort(function (a, b) {
        return (b.dataset.pending - a.dataset.pending) || (a._d - b._d);
      });
      items.forEach(function (li) { list.appendChild(li); });
    }, function () {}, { timeout: 10000, maximumAge: 60000 });
  }

  // --- the inspection's map ------------------------------------------------------------------
  function siteMap(el) {
    if (typeof L === "undefined") return;
    var node = document.getElementById(el.dataset.inspMap);
    var points = node ? JSON.parse(node.textContent) : [];
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.5 });
    el.classList.add("map-plain");
    var bounds = [];
    points.forEach(function (p) {
      if (p.lon == null || p.lat == null) return;
      L.circleMarker([p.lat, p.lon], {
        radius: 7, weight: 2, color: p.done ? "#1b7f3b" : "#8f1d1d",
        fillOpacity: p.done ? 0.7 : 0.2,
      }).bindTooltip(p.name).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
    else map.setView([33.6, 114.6], 12);
  }

  function start() {
    locate();
    each("[data-sort-nearest]", sortNearest);
    each("[data-insp-map]", siteMap);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
