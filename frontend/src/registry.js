// Book-keeping for live ECharts instances: resizing, disposal of charts whose
// element left the document, and redraw when the source table was swapped.

const entries = [];

function resizeEntry(e) {
  e.chart.resize();
  if (e.onResize) e.onResize();
}

const observer = 'ResizeObserver' in window
  ? new ResizeObserver(function (list) {
    for (const rec of list) {
      const entry = entries.find(function (e) { return e.el === rec.target; });
      if (entry) resizeEntry(entry);
    }
  })
  : null;

// register tracks a chart drawn into el from the table with id opts.tableId.
//   opts.refresh(table)  redraws from a freshly read table
//   opts.onResize()      optional, after the chart has been resized
//   opts.onDispose()     optional, removes anything added outside el
export function register(el, chart, opts) {
  const entry = Object.assign({ el: el, chart: chart }, opts);
  entries.push(entry);
  if (observer) observer.observe(el);
  return entry;
}

export function isRegistered(el) {
  return entries.some(function (e) { return e.el === el; });
}

export function sweepCharts() {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (!e.el.isConnected) {
      if (observer) observer.unobserve(e.el);
      e.chart.dispose();
      if (e.onDispose) e.onDispose();
      entries.splice(i, 1);
      continue;
    }
    const current = document.getElementById(e.tableId);
    if (current && current !== e.table) {
      e.table = current;
      e.refresh(current);
    }
  }
}

export function resizeAll() {
  entries.forEach(resizeEntry);
}
