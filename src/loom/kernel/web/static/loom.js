// Loom shell behaviour: CSRF header for HTMX, confirmations, and ECharts mounting.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (evt) {
    if (meta) { evt.detail.headers["X-CSRF-Token"] = meta.content; }
  });
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { evt.preventDefault(); }
  }, true);
  function mountCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      if (el.dataset.mounted) { return; }
      el.dataset.mounted = "1";
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(el.dataset.option));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", mountCharts);
  document.body.addEventListener("htmx:afterSwap", mountCharts);
})();
