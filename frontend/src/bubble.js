// The portfolio bubble chart: one bubble per table row, placed by two
// columns and sized by a third, with dashed lines at the rule's thresholds.
//
//   <div class="chart" data-chart="bubble" data-table="TABLE_ID"
//        data-x-line="1.2" data-y-line="0" aria-hidden="true"></div>
//
// In the table, th[data-axis="x"], th[data-axis="y"] and th[data-axis="size"]
// name the columns; their cells carry numbers in data-value. Rows missing x
// or y are left out (the table still lists them).

import { readTable } from './table.js';
import { FONT, TEXT, MUTED, SERIES, TARGET, TOOLTIP } from './theme.js';
import { tooltipBox, tooltipRow, compactFormat } from './dom.js';

function axisColumns(table) {
  const head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
  const out = {};
  if (!head) return out;
  let col = 0;
  for (const th of head.cells) {
    const axis = th.getAttribute('data-axis');
    if (axis) out[axis] = { col: col, label: th.textContent.replace(/\s+/g, ' ').trim() };
    col += th.colSpan || 1;
  }
  return out;
}

function numberAttr(el, name) {
  const v = el.getAttribute(name);
  if (v == null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function bubbleOption(el, table) {
  const axes = axisColumns(table);
  if (!axes.x || !axes.y) return null;
  const data = readTable(table);
  const points = [];
  let maxSize = 0;
  for (const row of data.rows) {
    const x = row.cells[axes.x.col] && row.cells[axes.x.col].value;
    const y = row.cells[axes.y.col] && row.cells[axes.y.col].value;
    if (x == null || y == null) continue;
    const size = axes.size && row.cells[axes.size.col] ? row.cells[axes.size.col].value || 0 : 1;
    maxSize = Math.max(maxSize, size);
    points.push({ value: [x, y, size], row: row });
  }
  if (!points.length) return null;
  const compact = compactFormat();
  const marks = [];
  const xLine = numberAttr(el, 'data-x-line');
  const yLine = numberAttr(el, 'data-y-line');
  if (xLine != null) marks.push({ xAxis: xLine });
  if (yLine != null) marks.push({ yAxis: yLine });
  return {
    animationDuration: 400,
    textStyle: { fontFamily: FONT, color: TEXT },
    grid: { left: 8, right: 24, top: 24, bottom: 28, containLabel: true },
    tooltip: Object.assign({
      trigger: 'item',
      confine: true,
      formatter: function (p) {
        const row = p.data.row;
        const box = tooltipBox(row.label);
        for (const a of ['x', 'y', 'size']) {
          if (!axes[a]) continue;
          const cell = row.cells[axes[a].col];
          tooltipRow(box, axes[a].label, cell && cell.text ? cell.text : '–');
        }
        return box;
      },
    }, TOOLTIP),
    xAxis: {
      type: 'value', scale: true, name: axes.x.label, nameLocation: 'middle', nameGap: 26,
      nameTextStyle: { color: MUTED }, axisLabel: { color: MUTED, formatter: function (v) { return compact.format(v); } },
      splitLine: { lineStyle: { color: '#e4e7eb' } },
    },
    yAxis: {
      type: 'value', scale: true, name: axes.y.label, nameTextStyle: { color: MUTED },
      axisLabel: { color: MUTED, formatter: function (v) { return compact.format(v); } },
      splitLine: { lineStyle: { color: '#e4e7eb' } },
    },
    series: [{
      type: 'scatter',
      data: points,
      symbolSize: function (v) { return maxSize > 0 ? 8 + 40 * Math.sqrt(v[2] / maxSize) : 12; },
      itemStyle: { color: SERIES[0], opacity: 0.7, borderColor: '#fff', borderWidth: 1 },
      markLine: marks.length ? {
        silent: true, symbol: 'none',
        lineStyle: { type: 'dashed', width: 1.5, color: TARGET },
        label: { show: false },
        data: marks,
      } : undefined,
    }],
  };
}
