/*
 * Analytics dashboard: draws the charts from the page's JSON (#analytics-data) with the
 * vendored Chart.js. No inline script (the console's CSP allows scripts from this origin
 * only); the tables under each chart hold the same numbers for reading and CSV export.
 */
(function () {
  "use strict";

  var source = document.getElementById("analytics-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var PALETTE = ["#1f5fbf", "#1e7b34", "#a34a00", "#7a3fb0", "#b3261e", "#2a8a8a", "#5b6475"];
  // How each chart is drawn: all bars; conversations stacked by channel, intents sideways.
  var KINDS = {
    conversations: { stacked: true },
    funnel: { perBar: true },
    intents: { horizontal: true },
    campaigns: {},
    clv: { perBar: true, money: true }
  };

  function datasets(spec, kind) {
    return spec.datasets.map(function (set, index) {
      var colour = kind.perBar
        ? set.data.map(function (_, bar) { return PALETTE[bar % PALETTE.length]; })
        : PALETTE[index % PALETTE.length];
      return { label: set.label, data: set.data, backgroundColor: colour, borderWidth: 0 };
    });
  }

  function draw(canvas) {
    var key = canvas.dataset.chart;
    var spec = data[key];
    var kind = KINDS[key];
    if (!spec || !kind) return;
    var sets = datasets(spec, kind);
    var stacked = Boolean(kind.stacked);
    var scales = {
      x: { stacked: stacked, beginAtZero: true },
      y: { stacked: stacked, beginAtZero: true }
    };
    // Counts get whole-number ticks (no "0.5 conversations"); money keeps its cents.
    scales[kind.horizontal ? "x" : "y"].ticks = { precision: kind.money ? 2 : 0 };
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: sets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: kind.horizontal ? "y" : "x",
        scales: scales,
        plugins: { legend: { display: sets.length > 1 } }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
})();
