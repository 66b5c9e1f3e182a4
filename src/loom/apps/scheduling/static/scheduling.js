// Scheduling pages: the running-plan note and the Gantt chart (no inline scripts: see the CSP).
(function () {
  "use strict";
  // A plan takes up to its time limit: say so while the request runs, and stop double clicks.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.classList || !form.classList.contains("sc-run")) { return; }
    var note = form.querySelector(".sc-running");
    if (note) { note.classList.add("on"); }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });

  // The Gantt chart: an ECharts custom series of one bar per order, closed days shaded.
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("plan-gantt");
    if (!el || !window.echarts) { return; }
    var data = JSON.parse(el.dataset.gantt);
    var labels = JSON.parse(el.dataset.labels);
    // local midnight, so that a bar starts at the day's gridline whatever the browser's zone
    function day(iso) { return new Date(iso + "T00:00:00").getTime(); }
    var DAY = 86400000;
    var bars = data.bars.map(function (b) {
      return { value: [b.line, day(b.start), day(b.end), b.order, b.late, b.style, b.qty, b.due, b.rush ? 1 : 0] };
    });
    var closed = data.closed.map(function (c) { return { value: [c.line, day(c.day), day(c.day) + DAY] }; });
    function box(params, api, height) {
      var y = api.value(0);
      var from = api.coord([api.value(1), y]);
      var to = api.coord([api.value(2), y]);
      var h = api.size([0, 1])[1] * height;
      var cs = params.coordSys;
      return window.echarts.graphic.clipRectByRect(
        { x: from[0], y: from[1] - h / 2, width: Math.max(1, to[0] - from[0]), height: h },
        { x: cs.x, y: cs.y, width: cs.width, height: cs.height });
    }
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          if (p.seriesIndex === 0) { return ""; }
          var v = p.value;
          var text = v[3] + " · " + v[5] + " · " + v[6] + "<br>" + labels.due + ": " + v[7];
          return v[4] > 0 ? text + "<br>" + labels.late + ": " + v[4] : text;
        }
      },
      grid: { left: 80, right: 24, top: 16, bottom: 64 },
      dataZoom: [{ type: "slider", xAxisIndex: 0, bottom: 12 }, { type: "inside", xAxisIndex: 0 }],
      xAxis: { type: "time", min: day(data.start), max: day(data.end), splitLine: { show: true } },
      yAxis: { type: "category", data: data.lines, inverse: true },
      series: [
        {
          type: "custom", name: "closed", silent: true, z: 1, data: closed,
          encode: { x: [1, 2], y: 0 },
          renderItem: function (params, api) {
            var shape = box(params, api, 1);
            return shape && { type: "rect", shape: shape, style: { fill: "rgba(128,128,128,0.18)" } };
          }
        },
        {
          type: "custom", name: "orders", z: 2, data: bars,
          encode: { x: [1, 2], y: 0 },
          renderItem: function (params, api) {
            var shape = box(params, api, 0.6);
            if (!shape) { return null; }
            var late = api.value(4) > 0;
            var fill = late ? "#d9534f" : (api.value(8) ? "#f0ad4e" : "#3a7bd5");
            return {
              type: "rect", shape: shape, style: { fill: fill, stroke: "#fff" },
              textContent: { style: { text: api.value(3) + (late ? " +" + api.value(4) : ""), fill: "#fff", fontSize: 11 } },
              textConfig: { position: "inside" }
            };
          }
        }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
