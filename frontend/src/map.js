// Region map: a choropleth of the focus countries drawn from the companion
// table. The table stays the accessible version; the map is aria-hidden.
//
//   <div class="region-map" data-geojson="/geo/caribbean.geojson"
//        data-table="country-figures" aria-hidden="true"></div>
//
// Table rows carry data-iso3 (and data-href); metric columns are the
// th[data-metric] headers; td[data-value] holds the number. Other outlines
// (a dataset's districts) name their key property with data-key="code":
// features are matched on properties.code and rows on data-code.

import * as echarts from 'echarts/core';
import { readTable } from './table.js';
import { register, isRegistered } from './registry.js';
import { FONT, TEXT, MUTED, RAMP, TOOLTIP } from './theme.js';
import { h, tooltipBox, tooltipRow, nextId, numberFormat } from './dom.js';

const CONTEXT_FILL = '#dfe4ea';
const CONTEXT_BORDER = '#c3cbd4';
const NO_DATA_FILL = '#ffffff';
const FOCUS_BORDER = '#52606d';
const HOVER_FILL = '#f2b84b';
const POINT_NO_DATA = '#9aa5b1';

const ASPECT = 0.966; // cos(15°): horizontal scale for a map centred near 15°N
const PAD = 8;

const geoCache = new Map();

// Bounds collects the lon/lat extent of (nested) GeoJSON coordinate arrays.
class Bounds {
  constructor() {
    this.x0 = Infinity; this.y0 = Infinity; this.x1 = -Infinity; this.y1 = -Infinity;
  }

  add(c) {
    if (typeof c[0] === 'number') {
      if (c[0] < this.x0) this.x0 = c[0];
      if (c[0] > this.x1) this.x1 = c[0];
      if (c[1] < this.y0) this.y0 = c[1];
      if (c[1] > this.y1) this.y1 = c[1];
      return;
    }
    for (const part of c) this.add(part);
  }

  empty() {
    return !(this.x1 >= this.x0 && this.y1 >= this.y0);
  }
}

// viewBox frames the focus countries with a small margin, kept inside the
// extent of the whole file (context countries are clipped at its edges).
function viewBox(focus, all) {
  const b = focus.empty() ? all : focus;
  if (b.empty()) return null;
  const m = 1;
  return {
    x0: Math.max(all.x0, b.x0 - m),
    x1: Math.min(all.x1, b.x1 + m),
    y0: Math.max(all.y0, b.y0 - m),
    y1: Math.min(all.y1, b.y1 + m),
  };
}

// fitLayout centres the view box in the chart at the largest size that keeps
// the map's proportions (left/right/top/bottom would stretch it).
function fitLayout(view, width, height) {
  if (!view) return { left: PAD, right: PAD, top: PAD, bottom: PAD };
  const aspect = ((view.x1 - view.x0) / (view.y1 - view.y0)) * ASPECT;
  const w = Math.max(10, width - 2 * PAD);
  const h = Math.max(10, height - 2 * PAD);
  const mapW = Math.min(w, h * aspect);
  const mapH = mapW / aspect;
  return {
    boundingCoords: [[view.x0, view.y1], [view.x1, view.y0]],
    layoutCenter: ['50%', '50%'],
    layoutSize: aspect > 1 ? mapW : mapH,
  };
}

function loadGeo(url, key) {
  const cacheKey = key + ' ' + url;
  let p = geoCache.get(cacheKey);
  if (!p) {
    p = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
      .then(function (res) {
        if (!res.ok) throw new Error('map data: HTTP ' + res.status);
        return res.json();
      })
      .then(function (json) {
        const name = 'observatory:' + url;
        echarts.registerMap(name, json);
        const features = {};
        const focus = new Bounds();
        const all = new Bounds();
        for (const f of json.features || []) {
          const props = f.properties || {};
          if (props[key]) features[props[key]] = props;
          const coords = f.geometry && f.geometry.coordinates;
          if (coords) {
            all.add(coords);
            if (props.role === 'focus') focus.add(coords);
          }
        }
        return { name: name, key: key, features: features, view: viewBox(focus, all) };
      });
    p.catch(function () { geoCache.delete(cacheKey); });
    geoCache.set(cacheKey, p);
  }
  return p;
}

function rowHref(tr) {
  if (tr.dataset.href) return tr.dataset.href;
  const a = tr.querySelector('a[href]');
  return a ? a.getAttribute('href') : '';
}

function defaultMetric(metrics) {
  const i = metrics.findIndex(function (m) { return m.isDefault; });
  return i >= 0 ? i : 0;
}

function buildControls(el, state) {
  const wrap = h('div', 'map-controls');
  const id = nextId('map-metric');
  const label = h('label', null, el.dataset.metricLabel || 'Metric');
  label.htmlFor = id;
  const select = h('select');
  select.id = id;
  wrap.appendChild(label);
  wrap.appendChild(select);
  select.addEventListener('change', function () {
    state.metric = select.selectedIndex;
    state.draw();
  });
  el.parentNode.insertBefore(wrap, el);
  return { wrap: wrap, select: select };
}

function fillSelect(select, metrics, selected) {
  select.textContent = '';
  metrics.forEach(function (m, i) {
    const o = h('option', null, m.label);
    o.value = String(i);
    if (i === selected) o.selected = true;
    select.appendChild(o);
  });
}

function mapOption(geo, data, metrics, metricIndex, width, height) {
  const metric = metrics[metricIndex];
  const byIso = {};
  const areas = [];
  const points = [];
  let min = Infinity;
  let max = -Infinity;

  for (const r of data.rows) {
    const iso = r.tr.getAttribute('data-' + geo.key);
    const props = iso && geo.features[iso];
    if (!props) continue;
    const cell = metric ? r.cells[metric.col] : null;
    const v = cell ? cell.value : null;
    byIso[iso] = { name: r.label || props.name, href: rowHref(r.tr), cells: r.cells };
    if (v != null) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    areas.push({ name: iso, value: v == null ? NaN : v });
    const c = props.centroid;
    if (Array.isArray(c) && c.length === 2) {
      points.push({ name: iso, value: [c[0], c[1], v == null ? NaN : v] });
    }
  }
  if (!Number.isFinite(min)) { min = 0; max = 1; }
  min = Math.min(0, min);
  if (max <= min) max = min + 1;
  const range = max - min;
  const fmt = numberFormat(range < 10 ? 1 : 0);

  // Countries that are drawn but not part of the table: grey, inert. They
  // need a series item too, with its own colour: a region without a value
  // would otherwise get the series' palette colour.
  const regions = [];
  for (const iso of Object.keys(geo.features)) {
    if (byIso[iso]) continue;
    const isContext = geo.features[iso].role !== 'focus';
    areas.push({ name: iso, value: NaN, itemStyle: { color: isContext ? CONTEXT_FILL : NO_DATA_FILL } });
    regions.push({
      name: iso,
      silent: true,
      itemStyle: isContext
        ? { areaColor: CONTEXT_FILL, borderColor: CONTEXT_BORDER, borderWidth: 0.6 }
        : { areaColor: NO_DATA_FILL, borderColor: FOCUS_BORDER, borderWidth: 0.6 },
      emphasis: { disabled: true },
      tooltip: { show: false },
    });
  }

  function tooltip(params) {
    const r = byIso[params.name];
    if (!r) return '';
    const box = tooltipBox(r.name);
    metrics.forEach(function (m, i) {
      const cell = r.cells[m.col];
      tooltipRow(box, m.label, cell && cell.text ? cell.text : '–', null, i === metricIndex);
    });
    return box;
  }

  // Smaller points on small maps, so the Lesser Antilles stay apart.
  const k = Math.min(1, Math.max(0.6, width / 800));
  function pointSize(val) {
    const v = val[2];
    if (!Number.isFinite(v)) return 7 * k;
    return (8 + 16 * Math.sqrt(Math.max(0, v - min) / range)) * k;
  }

  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: FONT, color: TEXT },
    tooltip: Object.assign({ trigger: 'item', confine: true, formatter: tooltip }, TOOLTIP),
    visualMap: {
      type: 'continuous',
      min: min,
      max: max,
      seriesIndex: [0, 1],
      calculable: false,
      realtime: false,
      orient: 'vertical',
      right: 12,
      top: 12,
      itemWidth: 12,
      itemHeight: 110,
      text: [fmt.format(max), fmt.format(min)],
      textGap: 6,
      textStyle: { color: MUTED, fontFamily: FONT, fontSize: 12 },
      inRange: { color: RAMP },
      outOfRange: { color: POINT_NO_DATA },
    },
    geo: Object.assign({
      map: geo.name,
      nameProperty: geo.key,
      roam: false,
      aspectScale: ASPECT,
      selectedMode: false,
      label: { show: false },
      itemStyle: { areaColor: NO_DATA_FILL, borderColor: FOCUS_BORDER, borderWidth: 0.6 },
      emphasis: {
        label: { show: false },
        itemStyle: { areaColor: HOVER_FILL, borderColor: TEXT, borderWidth: 1 },
      },
      select: { disabled: true },
      regions: regions,
    }, fitLayout(geo.view, width, height)),
    series: [
      {
        type: 'map',
        geoIndex: 0,
        name: metric ? metric.label : '',
        data: areas,
        selectedMode: false,
        itemStyle: { color: NO_DATA_FILL }, // focus countries whose value is missing
      },
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        name: metric ? metric.label : '',
        data: points,
        symbol: 'circle',
        symbolSize: pointSize,
        cursor: 'pointer',
        itemStyle: { color: POINT_NO_DATA, borderColor: '#ffffff', borderWidth: 1.5, opacity: 0.95 },
        emphasis: { scale: 1.25, itemStyle: { color: HOVER_FILL, borderColor: TEXT, borderWidth: 1.5 } },
        zlevel: 0,
        z: 5,
      },
    ],
  };
}

function setupMap(el) {
  const tableId = el.dataset.table;
  const url = el.dataset.geojson;
  const key = el.dataset.key || 'iso3';
  const table = tableId && document.getElementById(tableId);
  if (!table || !url) return;
  el.classList.add('is-loading');

  loadGeo(url, key).then(function (geo) {
    if (!el.isConnected || isRegistered(el)) return;
    el.classList.remove('is-loading');
    const chart = echarts.init(el, null, { renderer: 'svg' });
    const state = { metric: 0, data: null, controls: null, draw: null, hrefs: {} };

    state.draw = function () {
      const metrics = state.data.metrics;
      if (!metrics.length) {
        chart.clear();
        return;
      }
      chart.setOption(mapOption(geo, state.data, metrics, state.metric, chart.getWidth(), chart.getHeight()), true);
    };

    function load(t) {
      const previous = state.data && state.data.metrics[state.metric];
      state.data = readTable(t);
      const metrics = state.data.metrics;
      state.hrefs = {};
      for (const r of state.data.rows) {
        const k = r.tr.getAttribute('data-' + key);
        if (k) state.hrefs[k] = rowHref(r.tr);
      }
      let idx = previous
        ? metrics.findIndex(function (m) { return m.label === previous.label; })
        : -1;
      if (idx < 0) idx = defaultMetric(metrics);
      state.metric = idx;
      if (metrics.length > 1) {
        if (!state.controls) state.controls = buildControls(el, state);
        fillSelect(state.controls.select, metrics, idx);
      } else if (state.controls) {
        state.controls.wrap.remove();
        state.controls = null;
      }
      state.draw();
    }

    chart.on('click', function (params) {
      const href = state.hrefs[params.name];
      if (href) window.location.assign(href);
    });

    load(table);
    register(el, chart, {
      tableId: tableId,
      table: table,
      refresh: load,
      onResize: function () {
        if (state.data) state.draw();
      },
      onDispose: function () {
        if (state.controls) state.controls.wrap.remove();
      },
    });
  }).catch(function (err) {
    el.classList.remove('is-loading');
    el.classList.add('is-failed');
    if (window.console) console.warn(err);
  });
}

export function initMaps(root) {
  for (const el of root.querySelectorAll('.region-map[data-geojson][data-table]')) {
    if (el.dataset.mapInit) continue;
    el.dataset.mapInit = '1';
    setupMap(el);
  }
}
