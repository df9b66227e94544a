// Reading the server-rendered data tables that charts and the map draw from.

function cellsByColumn(row) {
  const out = [];
  let col = 0;
  for (const cell of row.cells) {
    out[col] = cell;
    col += cell.colSpan || 1;
  }
  return out;
}

function headerRow(table) {
  if (table.tHead && table.tHead.rows.length) {
    return table.tHead.rows[table.tHead.rows.length - 1];
  }
  return table.rows[0] || null;
}

export function text(el) {
  return el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
}

// parseValue reads data-value; absent, empty or non-numeric means missing.
export function parseValue(cell) {
  if (!cell) return null;
  const raw = cell.getAttribute('data-value');
  if (raw == null || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

// readTable returns the metric columns (th[data-metric]) and the body rows.
// Each row has label (text of its first cell), tr, and per column index
// cells[col] = { value: number|null, text: string }.
export function readTable(table) {
  const head = headerRow(table);
  const headCells = head ? cellsByColumn(head) : [];
  const metrics = [];
  headCells.forEach(function (th, col) {
    if (th && th.hasAttribute('data-metric')) {
      metrics.push({ col: col, label: text(th), isDefault: th.hasAttribute('data-default') });
    }
  });
  const rows = [];
  for (const body of table.tBodies) {
    for (const tr of body.rows) {
      const cells = cellsByColumn(tr);
      if (!cells.length) continue;
      const values = [];
      cells.forEach(function (cell, col) {
        values[col] = { value: parseValue(cell), text: text(cell) };
      });
      // A row may name itself (data-label) when its first cell alone does not.
      rows.push({ tr: tr, label: tr.getAttribute('data-label') || text(cells[0]), cells: values, columns: cells });
    }
  }
  return { metrics: metrics, columns: headCells.map(text), rows: rows };
}

export function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
