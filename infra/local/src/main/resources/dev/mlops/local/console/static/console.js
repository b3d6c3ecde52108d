// The console's charts: each <script type="application/json" data-chart="ID"> holds what to draw on the canvas of
// that id, and this turns it into a Chart.js chart. Kinds: "bar" and "line" over labels, "time" over epoch
// milliseconds with markers (retraining, promotions) drawn as labelled vertical lines.
(function () {
  "use strict";
  var PALETTE = ["#0969da", "#bf3989", "#1a7f37", "#9a6700", "#8250df", "#cf222e", "#1b7c83", "#6e7781"];
  var MARKER_COLOURS = {retraining: "#bf8700", promote: "#1a7f37", approve: "#1a7f37", rollback: "#cf222e",
    register: "#6e7781", reject: "#cf222e", run_failed: "#cf222e"};

  // A time on the axis: month, day and minute; with seconds when the whole axis spans less than two hours.
  function time(ms, seconds) {
    return new Date(ms).toISOString().substring(5, seconds ? 19 : 16).replace("T", " ");
  }

  // Vertical lines at the markers' times, each with its label near the top of the chart area.
  var markerLines = {
    id: "markerLines",
    afterDatasetsDraw: function (chart, args, options) {
      var markers = options.markers || [];
      var x = chart.scales.x;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      markers.forEach(function (m, i) {
        var px = x.getPixelForValue(m.t);
        if (px < area.left - 1 || px > area.right + 1) { return; }
        ctx.strokeStyle = MARKER_COLOURS[m.kind] || "#6e7781";
        ctx.fillStyle = ctx.strokeStyle;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.textAlign = px > area.right - 80 ? "right" : "left";
        ctx.fillText(m.label, px + (ctx.textAlign === "left" ? 3 : -3), area.top + 12 + (i % 4) * 13);
      });
      ctx.restore();
    }
  };

  // A horizontal reference line (e.g. 1 = the effect threshold).
  var referenceLine = {
    id: "referenceLine",
    afterDatasetsDraw: function (chart, args, options) {
      if (options.y === undefined || options.y === null) { return; }
      var py = chart.scales.y.getPixelForValue(options.y);
      var area = chart.chartArea;
      if (py < area.top || py > area.bottom) { return; }
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#cf222e";
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(area.left, py);
      ctx.lineTo(area.right, py);
      ctx.stroke();
      ctx.restore();
    }
  };

  function axis(title, min, max) {
    var a = {title: {display: !!title, text: title || ""}, grid: {color: "#eaeef2"}};
    if (min !== undefined) { a.min = min; }
    if (max !== undefined) { a.max = max; }
    return a;
  }

  function config(spec) {
    var series = spec.series || [];
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: {legend: {position: "bottom"}, markerLines: {markers: spec.markers || []},
        referenceLine: {y: spec.line}},
      scales: {x: axis(spec.x), y: axis(spec.y, spec.yMin, spec.yMax)}
    };
    if (spec.kind === "time") {
      var all = [];
      series.forEach(function (s) { s.points.forEach(function (p) { all.push(p[0]); }); });
      (spec.markers || []).forEach(function (m) { all.push(m.t); });
      var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
      var pad = Math.max(60000, (hi - lo) * 0.08);
      options.scales.x = {type: "linear", min: lo - pad, max: hi + pad, title: {display: true, text: "time (UTC)"},
        ticks: {callback: function (v) { return time(v, hi - lo < 7200000); }, maxTicksLimit: 8}, grid: {color: "#eaeef2"}};
      options.plugins.tooltip = {callbacks: {title: function (items) { return time(items[0].parsed.x, true); }}};
      return {type: "line", options: options, data: {datasets: series.map(function (s, i) {
        var colour = PALETTE[i % PALETTE.length];
        return {label: s.label, data: s.points.map(function (p) { return {x: p[0], y: p[1]}; }),
          borderColor: colour, backgroundColor: colour, borderDash: s.dashed ? [5, 4] : [],
          pointRadius: s.dashed ? 2 : 4, showLine: true, spanGaps: true};
      })}};
    }
    return {type: spec.kind === "line" ? "line" : "bar", options: options, data: {labels: spec.labels,
      datasets: series.map(function (s, i) {
        var colour = PALETTE[i % PALETTE.length];
        return {label: s.label, data: s.data, borderColor: colour, backgroundColor: colour};
      })}};
  }

  function draw() {
    if (typeof Chart === "undefined") { return; }
    Chart.register(markerLines, referenceLine);
    document.querySelectorAll("script[data-chart]").forEach(function (block) {
      var canvas = document.getElementById(block.getAttribute("data-chart"));
      if (!canvas) { return; }
      var spec = JSON.parse(block.textContent);
      canvas.chart = new Chart(canvas, config(spec));
      canvas.setAttribute("data-drawn", "true");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
