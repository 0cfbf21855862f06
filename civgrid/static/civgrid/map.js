/* civgrid maps (Leaflet): the case map and the report form's location picker.
 *
 * Both work without a base map: the grid polygons are drawn from GeoJSON on a plain
 * background, and a tile layer is added only when the site configures one
 * (settings.CIVGRID_TILE_URL). Coordinates are GeoJSON order: [longitude, latitude].
 */
(function () {
  "use strict";

  var GRID_STYLE = { color: "#8f1d1d", weight: 2, fillColor: "#d9485f", fillOpacity: 0.08 };
  var GRID_HIGHLIGHT = { color: "#8f1d1d", weight: 3, fillColor: "#d9485f", fillOpacity: 0.25 };
  // The grids the user answers for: drawn stronger, and the map opens on them.
  var GRID_MINE = { color: "#8f1d1d", weight: 2.5, fillColor: "#d9485f", fillOpacity: 0.16 };
  function gridStyle(feature) {
    return feature && feature.properties && feature.properties.mine ? GRID_MINE : GRID_STYLE;
  }

  function baseMap(el) {
    var tiles = el.dataset.tileUrl || "";
    var map = L.map(el, { attributionControl: !!tiles, zoomSnap: 0.5 });
    if (tiles) {
      L.tileLayer(tiles, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("map-plain");
    }
    return map;
  }

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // --- point in polygon (ray casting), rings in [lon, lat] ------------------------------

  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inPolygon(x, y, rings) {
    if (!rings.length || !inRing(x, y, rings[0])) return false;
    for (var k = 1; k < rings.length; k++) if (inRing(x, y, rings[k])) return false;
    return true;
  }

  function contains(geometry, x, y) {
    if (!geometry) return false;
    if (geometry.type === "Polygon") return inPolygon(x, y, geometry.coordinates);
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.some(function (p) { return inPolygon(x, y, p); });
    }
    return false;
  }

  // --- the case page: the point and its grid ---------------------------------------------

  function caseMap(el) {
    var data = readJSON(el.dataset.config);
    if (!data) return;
    var map = baseMap(el);
    var bounds = null;
    if (data.grid) {
      var layer = L.geoJSON(data.grid, { style: GRID_STYLE, interactive: false }).addTo(map);
      if (layer.getLayers().length) bounds = layer.getBounds();
    }
    if (data.point) {
      var at = L.latLng(data.point[1], data.point[0]);
      L.marker(at, { keyboard: false }).addTo(map);
      bounds = bounds ? bounds.extend(at) : L.latLngBounds(at, at);
    }
    if (bounds) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
  }

  // --- the report form: GPS, tap on the map, or the grid select ----------------------------

  function pickMap(el) {
    var box = el.closest("[data-location]");
    var form = el.closest("form");
    var lon = form.querySelector("[name=longitude]");
    var lat = form.querySelector("[name=latitude]");
    var gridSelect = form.querySelector("select[name=grid]");
    var found = box.querySelector("[data-grid-found]");
    var gps = box.querySelector("[data-gps]");
    var msg = box.dataset;
    var map = baseMap(el);
    var features = [];
    var layers = {};
    var marker = null;
    var highlighted = null;

    map.setView([34.75, 113.65], 11); // until the grids are loaded: central Henan

    function say(text, isError) {
      found.textContent = text;
      found.classList.toggle("error", !!isError);
    }

    function gridAt(x, y) {
      for (var i = 0; i < features.length; i++) {
        if (contains(features[i].geometry, x, y)) return features[i];
      }
      return null;
    }

    function place(x, y, fromUser) {
      if (fromUser) {
        lon.value = x.toFixed(6);
        lat.value = y.toFixed(6);
      }
      var at = L.latLng(y, x);
      if (marker) marker.setLatLng(at);
      else marker = L.marker(at, { keyboard: false }).addTo(map);
      if (highlighted) highlighted.setStyle(gridStyle(highlighted.feature));
      highlighted = null;
      if (!features.length) return;
      var feature = gridAt(x, y);
      if (feature) {
        var p = feature.properties || {};
        say(msg.msgIn + " " + p.name + (p.area ? " (" + p.area + ")" : ""));
        highlighted = layers[p.id] || null;
        if (highlighted) highlighted.setStyle(GRID_HIGHLIGHT);
        if (gridSelect) gridSelect.value = String(p.id);
      } else {
        say(msg.msgOutside, true);
        if (gridSelect && fromUser) gridSelect.value = "";
      }
    }

    fetch(el.dataset.gridsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (collection) {
        features = collection.features || [];
        var mine = [];
        var layer = L.geoJSON(collection, {
          style: gridStyle,
          onEachFeature: function (feature, l) {
            layers[feature.properties.id] = l;
            if (feature.properties.mine) mine.push(l);
            l.bindTooltip(feature.properties.name, { sticky: true });
          },
        }).addTo(map);
        if (mine.length) map.fitBounds(L.featureGroup(mine).getBounds(), { padding: [24, 24] });
        else if (features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        if (lon.value && lat.value) place(parseFloat(lon.value), parseFloat(lat.value), false);
      })
      .catch(function () {
        say(msg.msgGridsFailed, true);
      });

    map.on("click", function (e) {
      place(e.latlng.lng, e.latlng.lat, true);
    });

    [lon, lat].forEach(function (input) {
      input.addEventListener("change", function () {
        var x = parseFloat(lon.value), y = parseFloat(lat.value);
        if (isFinite(x) && isFinite(y)) {
          place(x, y, false);
          map.panTo([y, x]);
        }
      });
    });

    if (!navigator.geolocation) {
      gps.disabled = true;
    }
    gps.addEventListener("click", function () {
      say(msg.msgLocating);
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          var x = pos.coords.longitude, y = pos.coords.latitude;
          place(x, y, true);
          map.setView([y, x], 17);
          var accuracy = msg.msgAccuracy.replace("%s", Math.round(pos.coords.accuracy));
          found.textContent += (found.textContent ? " · " : "") + accuracy;
        },
        function () {
          say(msg.msgGpsFailed, true);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 }
      );
    });
  }

  // --- start every map on the page, including those htmx swaps in --------------------------

  var KINDS = { "case": caseMap, pick: pickMap };

  function initMaps() {
    if (!window.L) return;
    document.querySelectorAll("[data-map]:not([data-map-ready])").forEach(function (el) {
      var start = KINDS[el.dataset.map];
      if (!start) return;
      el.setAttribute("data-map-ready", "");
      start(el);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initMaps);
  } else {
    initMaps();
  }
  document.addEventListener("htmx:after:swap", initMaps);
  document.addEventListener("htmx:after:settle", initMaps);
  if (window.htmx && window.htmx.onLoad) window.htmx.onLoad(initMaps);
})();
