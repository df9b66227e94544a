// Charts drawn from a data table.
//
//   <div class="chart" data-chart="bar|line|hbar|bubble" data-table="TABLE_ID"
//        [data-stacked] [data-target-col="N"] [data-title="…"]
//        aria-hidden="true"></div>
//
// First column: category labels. Every other column whose th has
// data-metric: one series, values from td[data-value] (empty = missing).
// data-target-col: 0-based column index (the label column is 0) drawn as a
// dashed target line; a target that is the same on every row is drawn as a
// single dashed reference line instead.

import * as echarts from 'echarts/core';
import { readTable } from './table.js';
import { register, isRegistered } from './registry.js';
import { FONT, TEXT, MUTED, RULE, SERIES, TARGET, TOOLTIP } from './theme.js';
import { swatch, tooltipBox, tooltipRow, compactFormat } from './dom.js';
import { bubbleOption } from './bubble.js';

function columnValues(rows, col) {
  return rows.map(function (r) {
    const c = r.cells[col];
    return c && c.value != null ? c.value : null;
  });
}

// niceCeil rounds up to 1, 2, 2.5 or 5 times a power of ten.
function niceCeil(x) {
  if (!(x > 0)) return x;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= x) return m * p;
  }
  return 10 * p;
}

function chartOption(el, data) {
  const kind = ['bar', 'hbar', 'line'].indexOf(el.dataset.chart) >= 0 ? el.dataset.chart : 'bar';
  const horizontal = kind === 'hbar';
  const seriesType = kind === 'line' ? 'line' : 'bar';
  const stacked = el.hasAttribute('data-stacked') && seriesType === 'bar';
  const rows = data.rows;
  const categories = rows.map(function (r) { return r.label; });

  const tc = el.dataset.targetCol;
  const targetCol = tc != null && tc !== '' && /^\d+$/.test(tc) ? parseInt(tc, 10) : -1;

  let refLine = null; // a constant target, drawn as a mark line
  const columns = [];
  const series = [];
  data.metrics.forEach(function (m) {
    if (m.col === targetCol || m.col === 0) return;
    const color = SERIES[series.length % SERIES.length];
    columns.push({ col: m.col, label: m.label, color: color, dashed: false });
    const s = {
      type: seriesType,
      name: m.label,
      data: columnValues(rows, m.col),
      itemStyle: { color: color },
    };
    if (seriesType === 'bar') {
      s.barMaxWidth = 48;
      if (stacked) s.stack = 'total';
    } else {
      s.connectNulls = false;
      s.symbol = 'circle';
      s.symbolSize = 6;
      s.lineStyle = { width: 2.5, color: color };
    }
    series.push(s);
  });

  if (targetCol > 0 && targetCol < data.columns.length) {
    const label = data.columns[targetCol] || 'Target';
    const values = columnValues(rows, targetCol);
    const distinct = values.filter(function (v, i, a) { return v != null && a.indexOf(v) === i; });
    columns.push({ col: targetCol, label: label, color: TARGET, dashed: true });
    const lineStyle = { type: 'dashed', width: 2, color: TARGET };
    if (distinct.length === 1 && rows.length > 1 && series.length) {
      const first = rows.find(function (r) { return r.cells[targetCol] && r.cells[targetCol].value != null; });
      const text = first.cells[targetCol].text;
      refLine = distinct[0];
      series[0].markLine = {
        silent: true,
        symbol: 'none',
        lineStyle: lineStyle,
        label: { formatter: label + ': ' + text, position: 'insideEndTop', color: TARGET, fontFamily: FONT },
        data: [horizontal ? { xAxis: distinct[0] } : { yAxis: distinct[0] }],
      };
    } else {
      series.push({
        type: 'line',
        name: label,
        data: values,
        connectNulls: false,
        symbol: 'emptyCircle',
        symbolSize: 6,
        lineStyle: lineStyle,
        itemStyle: { color: TARGET },
        z: 5,
      });
    }
  }

  const compact = compactFormat();
  const legend = series.length > 1;
  const title = el.dataset.title;
  const top = (title ? 28 : 0) + (legend ? 32 : 0) + 12;

  const categoryAxis = {
    type: 'category',
    data: categories,
    axisTick: { alignWithLabel: true, lineStyle: { color: RULE } },
    axisLine: { lineStyle: { color: '#9aa5b1' } },
    axisLabel: horizontal
      ? { color: TEXT, width: 140, overflow: 'truncate', interval: 0 }
      : { color: TEXT, hideOverlap: true, width: 110, overflow: 'truncate' },
    inverse: horizontal,
  };
  const valueAxis = {
    type: 'value',
    axisLabel: { color: MUTED, formatter: function (v) { return compact.format(v); } },
    splitLine: { lineStyle: { color: '#e4e7eb' } },
  };
  if (refLine != null && refLine > 0) {
    // Keep a mark line and its label inside the plot: the axis does not
    // count mark lines when it picks its range.
    valueAxis.max = function (ext) {
      return ext.max >= refLine * 1.08 ? null : niceCeil(refLine * 1.08);
    };
  }

  function tooltip(params) {
    const list = Array.isArray(params) ? params : [params];
    if (!list.length) return '';
    const row = rows[list[0].dataIndex];
    if (!row) return '';
    const box = tooltipBox(row.label);
    for (const c of columns) {
      const cell = row.cells[c.col];
      tooltipRow(box, c.label, cell && cell.text ? cell.text : '–', swatch(c.color, c.dashed));
    }
    return box;
  }

  const option = {
    animationDuration: 400,
    color: SERIES,
    textStyle: { fontFamily: FONT, color: TEXT },
    tooltip: Object.assign({
      trigger: 'axis',
      confine: true,
      axisPointer: { type: seriesType === 'bar' ? 'shadow' : 'line' },
      formatter: tooltip,
    }, TOOLTIP),
    grid: { left: horizontal ? 16 : 8, right: 24, top: top, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: series,
  };
  if (legend) {
    option.legend = {
      top: title ? 28 : 0,
      left: 0,
      icon: 'roundRect',
      itemWidth: 14,
      itemHeight: 10,
      textStyle: { color: TEXT, fontFamily: FONT },
    };
  }
  if (title) {
    option.title = { text: title, left: 0, top: 0, textStyle: { color: TEXT, fontFamily: FONT, fontSize: 14, fontWeight: 600 } };
  }
  return option;
}

function setupChart(el) {
  const tableId = el.dataset.table;
  const table = tableId && document.getElementById(tableId);
  if (!table) return;
  const chart = echarts.init(el, null, { renderer: 'svg' });
  function draw(t) {
    if (el.dataset.chart === 'bubble') {
      const option = bubbleOption(el, t);
      el.classList.toggle('is-empty', !option);
      if (option) chart.setOption(option, true);
      else chart.clear();
      chart.resize();
      return;
    }
    const data = readTable(t);
    if (!data.rows.length) {
      chart.clear();
      el.classList.add('is-empty');
      return;
    }
    el.classList.remove('is-empty');
    if (el.dataset.chart === 'hbar') {
      // One band per row: grow the box so long lists stay readable.
      const legendRows = data.metrics.length > 1 ? 1 : 0;
      const need = data.rows.length * 26 + 60 + legendRows * 32;
      el.style.height = need > 320 ? need + 'px' : '';
    }
    chart.setOption(chartOption(el, data), true);
    chart.resize();
  }
  draw(table);
  register(el, chart, { tableId: tableId, table: table, refresh: draw });
}

export function initCharts(root) {
  for (const el of root.querySelectorAll('.chart[data-table]')) {
    if (isRegistered(el)) continue;
    setupChart(el);
  }
}
