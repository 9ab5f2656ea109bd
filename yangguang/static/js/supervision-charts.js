/* 监管总览 charts (supervision/dashboard.html). The figures come from the page's
   <script type="application/json" id="chart-data"> (json_script: data, not code); the script
   itself is a static file so that the page needs no inline script (core/csp.py).
   Charts are an extra: every figure is also in the table beside each chart. */
(function () {
  "use strict";
  var COLOR = "#1d4e89";
  function draw() {
    var source = document.getElementById("chart-data");
    var trendBox = document.getElementById("chart-trend");
    var orgsBox = document.getElementById("chart-orgs");
    if (!window.echarts || !source || !trendBox || !orgsBox) return;
    var data = JSON.parse(source.textContent);
    var trend = window.echarts.init(trendBox);
    trend.setOption({
      grid: { left: 40, right: 16, top: 20, bottom: 40 }, tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.months }, yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", data: data.totals, areaStyle: { opacity: 0.15 }, color: COLOR }],
      aria: { enabled: true }
    });
    var orgs = window.echarts.init(orgsBox);
    orgs.setOption({
      grid: { left: 100, right: 16, top: 10, bottom: 30 }, tooltip: {},
      xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: data.orgs.slice().reverse() },
      series: [{ type: "bar", data: data.org_totals.slice().reverse(), color: COLOR }],
      aria: { enabled: true }
    });
    window.addEventListener("resize", function () { trend.resize(); orgs.resize(); });
  }
  if (document.readyState === "complete") draw(); else window.addEventListener("load", draw);
})();
