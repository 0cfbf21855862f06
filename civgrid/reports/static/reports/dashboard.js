/* The reports dashboard: ECharts charts and the Leaflet map of grids, from the page's JSON.
 *
 * Every bar, point, slice and grid carries the URL of the list of cases behind it; a click
 * opens it. No inline handlers: everything is wired here. The map needs no base map: the grid
 * polygons are drawn on a plain background unless a tile URL is configured.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var RED = "#8f1d1d", BLUE = "#1f4e8c", GREEN = "#2e7d32", GREY = "#9aa5b1";
  var charts = [];

  function chart(name, option, urlOf) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el || !window.echarts) return;
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    c.setOption(option);
    c.on("click", function (params) {
      var url = urlOf(params);
      if (url) window.location.assign(url);
    });
    el.setAttribute("data-chart-ready", "");
    charts.push(c);
  }

  function trend(data) {
    chart(
      "trend",
      {
        color: [BLUE, GREEN],
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s, i) {
          return { name: s.name, type: i === 0 ? "bar" : "line", data: s.data, smooth: false };
        }),
      },
      function (p) {
        var key = data.series[p.seriesIndex].key;
        return data.urls[key][p.dataIndex];
      }
    );
  }

  function units(data) {
    chart(
      "units",
      {
        color: [RED],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100 },
        yAxis: { type: "category", data: data.labels, inverse: true },
        series: [{ name: data.name, type: "bar", data: data.data, label: { show: true, position: "right", formatter: "{c}%" } }],
      },
      function (p) { return data.urls[p.dataIndex]; }
    );
  }

  function sources(data) {
    chart(
      "sources",
      {
        tooltip: { trigger: "item" },
        series: [{ name: data.name, type: "pie", radius: ["35%", "65%"], data: data.data, label: { formatter: "{b}: {c}" } }],
      },
      function (p) { return p.data && p.data.url; }
    );
  }

  function categories(data) {
    chart(
      "categories",
      {
        color: [BLUE],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.labels, inverse: true },
        series: [{ name: data.name, type: "bar", data: data.data, label: { show: true, position: "right" } }],
      },
      function (p) { return data.urls[p.dataIndex]; }
    );
  }

  function gridStyle(feature) {
    var p = feature.properties;
    var fill = p.overdue ? "#c62828" : p.open ? "#f9a825" : GREY;
    var opacity = p.overdue ? 0.55 : p.open ? 0.4 : 0.15;
    return { color: RED, weight: 1.5, fillColor: fill, fillOpacity: opacity };
  }

  function gridMap(collection, labels) {
    var el = document.querySelector("[data-report-map]");
    if (!el || !window.L || !collection) return;
    var tiles = el.dataset.tileUrl || "";
    var map = L.map(el, { attributionControl: !!tiles, zoomSnap: 0.5 });
    if (tiles) {
      L.tileLayer(tiles, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("map-plain");
    }
    var layer = L.geoJSON(collection, {
      style: gridStyle,
      onEachFeature: function (feature, l) {
        var p = feature.properties;
        l.bindTooltip(p.name + (p.area ? " (" + p.area + ")" : "") + ": " + p.open + " " + labels.open + ", " + p.overdue + " " + labels.overdue, { sticky: true });
        l.on("click", function () { window.location.assign(p.url); });
        l.on("add", function () {
          var path = l.getElement && l.getElement();
          if (path) {
            path.setAttribute("data-grid", p.id);
            path.setAttribute("data-open", p.open);
            path.setAttribute("data-overdue", p.overdue);
          }
        });
      },
    }).addTo(map);
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    else map.setView([34.75, 113.65], 11);
    el.setAttribute("data-map-ready", "");
  }

  function periodPicker() {
    var kind = document.querySelector("[data-period-kind]");
    if (!kind) return;
    // Show only the picker of the chosen kind (a month picker for a month, …); the others are
    // disabled so the query string carries the one that counts.
    function sync() {
      document.querySelectorAll("[data-period-field]").forEach(function (n) {
        var mine = n.getAttribute("data-period-field") === kind.value;
        n.hidden = !mine;
        n.querySelectorAll("input, select").forEach(function (i) { i.disabled = !mine; });
      });
    }
    kind.addEventListener("change", sync);
    sync();
  }

  function start() {
    periodPicker();
    var data = readJSON("report-charts");
    if (data) {
      trend(data.trend);
      units(data.units);
      sources(data.sources);
      categories(data.categories);
      gridMap(readJSON("report-map"), data.labels);
    }
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
