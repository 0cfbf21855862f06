/* Maps of the phone app: my grids (from GeoJSON alone, tiles only if configured) and a
 * patrol's track. */
(function () {
  "use strict";

  var MINE = { color: "#8f1d1d", weight: 3, fillColor: "#d9485f", fillOpacity: 0.2 };
  var OTHER = { color: "#8f1d1d", weight: 1, fillOpacity: 0.03 };

  function baseMap(el) {
    var tiles = el.dataset.tileUrl || "";
    var map = L.map(el, { attributionControl: !!tiles, zoomSnap: 0.5 });
    if (tiles) L.tileLayer(tiles, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    else el.classList.add("map-plain");
    map.setView([34.75, 113.65], 11);
    return map;
  }

  function gridsMap(el, after) {
    var map = baseMap(el);
    fetch(el.dataset.gridsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (collection) {
        var mine = [];
        var layer = L.geoJSON(collection, {
          style: function (f) { return f.properties.mine ? MINE : OTHER; },
          onEachFeature: function (f, l) {
            if (f.properties.mine) mine.push(l);
            l.bindTooltip(f.properties.name);
          },
        }).addTo(map);
        if (after) after(map);
        else if (mine.length) map.fitBounds(L.featureGroup(mine).getBounds(), { padding: [16, 16] });
        else if (layer.getLayers().length) map.fitBounds(layer.getBounds());
      })
      .catch(function () { el.classList.add("map-failed"); if (after) after(map); });
  }

  function trackMap(el) {
    var track = JSON.parse(document.getElementById(el.dataset.track).textContent);
    gridsMap(el, function (map) {
      var latlngs = track.coordinates.map(function (c) { return [c[1], c[0]]; });
      if (!latlngs.length) return;
      var line = L.polyline(latlngs, { color: "#1d4ed8", weight: 4 }).addTo(map);
      L.circleMarker(latlngs[0], { radius: 6, color: "#15803d" }).addTo(map);
      L.circleMarker(latlngs[latlngs.length - 1], { radius: 6, color: "#b91c1c" }).addTo(map);
      map.fitBounds(line.getBounds(), { padding: [24, 24], maxZoom: 18 });
    });
  }

  function init() {
    if (!window.L) return;
    document.querySelectorAll("[data-m-map]").forEach(function (el) {
      if (el.dataset.mMap === "grids") gridsMap(el);
      if (el.dataset.mMap === "track") trackMap(el);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
