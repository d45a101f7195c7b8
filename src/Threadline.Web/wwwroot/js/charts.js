// Draws the time charts of the functions and issues pages with Chart.js and its annotation plugin (both pinned in
// package-lock.json, copied into wwwroot/lib by the build). Buckets and labels come from the server's view model; a
// deployment marker is a vertical line whose verdict shows in a tooltip while the pointer is on it.
(function () {
  Chart.register(window['chartjs-plugin-annotation']);
  const charts = new WeakMap();
  const text = '#c8c8c8';
  const grid = 'rgba(255, 255, 255, 0.08)';

  function tip(box) {
    let element = box.querySelector('.chart-tip');
    if (!element) {
      element = document.createElement('div');
      element.className = 'chart-tip';
      element.setAttribute('role', 'tooltip');
      element.hidden = true;
      box.appendChild(element);
    }
    return element;
  }

  function markers(box, model) {
    const annotations = {};
    model.markers.forEach((m, i) => {
      annotations['marker' + i] = {
        type: 'line', scaleID: 'x', value: m.position, borderColor: '#f7b955', borderWidth: 2, borderDash: [4, 3],
        label: { display: true, content: m.label, position: 'start', backgroundColor: '#3a2f14', color: '#f7b955', font: { size: 10 } },
        enter(context, event) {
          const element = tip(box);
          element.textContent = m.label + ': ' + m.text;
          // Above the plot, so that Chart.js's own tooltip (which follows the data) does not cover it.
          element.style.left = Math.max(0, event.x + 8) + 'px';
          element.style.top = '0px';
          element.hidden = false;
        },
        leave() { tip(box).hidden = true; }
      };
    });
    return annotations;
  }

  window.threadlineCharts = {
    render(canvas, model) {
      const old = charts.get(canvas);
      if (old) old.destroy();
      const box = canvas.parentElement;
      const chart = new Chart(canvas, {
        type: model.kind,
        data: {
          labels: model.labels,
          datasets: model.series.map((s) => ({
            label: s.label, data: s.values, borderColor: s.color, backgroundColor: model.kind === 'bar' ? s.color : s.color + '33',
            fill: model.kind !== 'bar', spanGaps: true, tension: 0.2, pointRadius: 0, pointHitRadius: 6, borderWidth: 2
          }))
        },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: { ticks: { color: text, maxRotation: 0, autoSkipPadding: 16 }, grid: { color: grid } },
            y: { beginAtZero: true, ticks: { color: text, precision: model.integer ? 0 : undefined }, grid: { color: grid },
              title: { display: !!model.unit, text: model.unit, color: text } }
          },
          plugins: {
            legend: { display: model.series.length > 1, labels: { color: text } },
            annotation: { annotations: markers(box, model) }
          }
        }
      });
      charts.set(canvas, chart);
      canvas.dataset.rendered = String(model.labels.length);
    },
    dispose(canvas) {
      const chart = charts.get(canvas);
      if (chart) { chart.destroy(); charts.delete(canvas); }
    }
  };
})();
