// Loom shell behaviour: CSRF header for HTMX, confirmations, printing, ECharts mounting.
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
  // A polled fragment may carry new options for charts already on the page
  // (data-charts: {key: option}, data-chart-targets: {key: element id}); update them in place
  // rather than re-creating them on every refresh.
  function updateCharts(evt) {
    if (!window.echarts || !evt.detail || !evt.detail.target) { return; }
    evt.detail.target.querySelectorAll("[data-chart-targets]").forEach(function (box) {
      var options = JSON.parse(box.dataset.charts);
      var targets = JSON.parse(box.dataset.chartTargets);
      Object.keys(targets).forEach(function (key) {
        var el = document.getElementById(targets[key]);
        var chart = el && window.echarts.getInstanceByDom(el);
        if (chart && options[key]) { chart.setOption(options[key], true); }
      });
    });
  }
  // Inline handlers are refused by the CSP: buttons print with data-print, selects submit
  // their form with data-autosubmit.
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-print]");
    if (button) { window.print(); }
    var back = evt.target.closest && evt.target.closest("a[data-back]");
    if (back && window.history.length > 1) { evt.preventDefault(); window.history.back(); }
  });
  document.addEventListener("change", function (evt) {
    var field = evt.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("DOMContentLoaded", mountCharts);
  document.body.addEventListener("htmx:afterSwap", mountCharts);
  document.body.addEventListener("htmx:afterSwap", updateCharts);
})();
