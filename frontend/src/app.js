// Cluster Observatory front-end bundle.
//
// Progressive enhancement only: every page works without this file. The
// server renders tables, links and forms; this script adds htmx, charts drawn
// from those tables, the region map and a few small conveniences.
//
// Content-Security-Policy is strict (script-src 'self'; style-src 'self'), so
// nothing here injects <style> or inline script, and nothing evaluates strings.

import htmx from 'htmx.org';

import * as echarts from 'echarts/core';
import { MapChart, BarChart, LineChart, ScatterChart } from 'echarts/charts';
// Only the variants in use: the continuous visualMap (not piecewise) and the
// plain legend (not the scrolling one) keep the bundle within budget.
import {
  TooltipComponent,
  VisualMapContinuousComponent as VisualMapComponent,
  GridComponent,
  LegendPlainComponent as LegendComponent,
  MarkLineComponent,
  TitleComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

import { initMaps } from './map.js';
import { initCharts } from './chart.js';
import { sweepCharts, resizeAll } from './registry.js';
import { initBehaviours } from './behaviours.js';
import './picker.js';

echarts.use([
  MapChart,
  BarChart,
  LineChart,
  ScatterChart,
  TooltipComponent,
  VisualMapComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  SVGRenderer,
]);

// The layout also sets these through <meta name="htmx-config">; setting them
// here keeps the bundle safe on pages that lack the meta tag. htmx reads the
// meta tag on DOMContentLoaded, after this module has run.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;
window.htmx = htmx;

document.documentElement.classList.add('js');

function enhance(root) {
  sweepCharts();
  initMaps(root);
  initCharts(root);
}

function start() {
  initBehaviours();
  enhance(document);

  document.body.addEventListener('htmx:afterSwap', function (evt) {
    const target = evt.detail && evt.detail.target;
    // An outerHTML swap leaves the old target detached; scan the document.
    enhance(target && target.isConnected ? target : document);
  });

  if (!('ResizeObserver' in window)) {
    let timer = 0;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(resizeAll, 120);
    });
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
