// Small DOM helpers. Tooltips are built as elements (not HTML strings) so
// that no inline style attribute is ever parsed: colours are set through
// element.style, which a strict style-src policy allows.

export function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text != null) el.textContent = text;
  return el;
}

export function swatch(color, dashed) {
  const s = h('span', dashed ? 'tt-swatch tt-dashed' : 'tt-swatch');
  if (dashed) s.style.borderColor = color;
  else s.style.backgroundColor = color;
  return s;
}

// tooltipBox returns the container of a tooltip: a heading, then rows of
// label/value pairs.
export function tooltipBox(title) {
  const box = h('div', 'tt');
  box.appendChild(h('div', 'tt-title', title));
  return box;
}

export function tooltipRow(box, label, value, marker, current) {
  const row = h('div', current ? 'tt-row tt-current' : 'tt-row');
  if (marker) row.appendChild(marker);
  row.appendChild(h('span', 'tt-label', label));
  row.appendChild(h('span', 'tt-value', value));
  box.appendChild(row);
  return row;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return prefix + '-' + uid;
}

export function numberFormat(maxFractionDigits) {
  const lang = document.documentElement.lang || undefined;
  try {
    return new Intl.NumberFormat(lang, { maximumFractionDigits: maxFractionDigits });
  } catch (e) {
    return new Intl.NumberFormat(undefined, { maximumFractionDigits: maxFractionDigits });
  }
}

// compactFormat shortens axis numbers (12 500 -> 12.5K) where supported.
export function compactFormat() {
  const lang = document.documentElement.lang || undefined;
  try {
    return new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 });
  } catch (e) {
    return numberFormat(1);
  }
}
