// Draws the Apache ECharts charts of a page (static/vendor/echarts-*.min.js). A chart is
// <div class="echart" data-chart="ID"></div> plus its option as <script type="application/json"
// id="ID"> (Django's json_script): no inline script, so the Content-Security-Policy holds.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  var drawn = [];
  document.querySelectorAll(".echart[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return; }
    var chart = echarts.init(el);
    chart.setOption(JSON.parse(source.textContent));
    el.dataset.ready = "1";
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
});
