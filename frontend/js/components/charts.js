// Small bar charts drawn as SVG by our own code: a column chart (e.g. how many people have
// 0, 1, 2 ... meetings) and a bar chart of used against available (e.g. tables per slot).
// Each chart is a <figure> whose SVG is an image named by the caption; the numbers follow
// in a table under a <details>, for screen readers, exact reading and print.

import { h, uid } from '../dom.js';
import { locale } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element; attribute values are set as they are, text as text (never markup). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const number = (n) => new Intl.NumberFormat(locale()).format(n);

/** A round upper end for an axis from 0 to at least `max`, and its step. */
export function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= raw) || 10 * magnitude;
  const whole = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

function dataTable(caption, heads, rows, testid) {
  return h('details', { class: 'chart-data' },
    h('summary', {}, caption.show),
    h('table', { class: 'data-table chart-table', 'data-testid': testid ? `${testid}-table` : null },
      h('caption', { class: 'visually-hidden' }, caption.title),
      h('thead', {}, h('tr', {}, heads.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, row.map((x, i) => (i ? h('td', { class: 'num' }, x) : h('th', { scope: 'row' }, x))))))));
}

/**
 * A column chart: `columns` [{label, value}] left to right, e.g. meetings 0, 1, 2 ... and
 * how many people have that many. `xTitle`, `yTitle` name the axes; `showTable` names the
 * details with the numbers; `highlight(column)` marks columns (e.g. people without any).
 */
export function columnChart({ title, description = null, columns, xTitle, yTitle, showTable, highlight = null, testid = null }) {
  const width = 520;
  const height = 240;
  const pad = { left: 44, right: 12, top: 16, bottom: 46 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const { top, step } = niceScale(Math.max(0, ...columns.map((c) => c.value)));
  const slot = plotW / Math.max(1, columns.length);
  const barW = Math.max(2, Math.min(56, slot * 0.7));
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const titleId = uid('chart');
  const descId = description ? uid('chart-desc') : null;
  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: v ? 'chart-grid' : 'chart-axis' }));
    grid.push(s('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, number(v)));
  }
  // Every label when they fit, else every n-th.
  const labelEvery = Math.max(1, Math.ceil(columns.length / 16));
  const bars = columns.map((c, i) => {
    const x = pad.left + slot * i + (slot - barW) / 2;
    const barTop = y(c.value);
    return s('g', { class: highlight && highlight(c) ? 'chart-col chart-col-marked' : 'chart-col', 'data-value': c.value, 'data-label': c.label },
      s('title', {}, `${c.label}: ${number(c.value)}`),
      s('rect', { x, y: barTop, width: barW, height: Math.max(0, pad.top + plotH - barTop), rx: 2 }),
      c.value > 0 ? s('text', { x: x + barW / 2, y: barTop - 4, 'text-anchor': 'middle', class: 'chart-value' }, number(c.value)) : null,
      i % labelEvery === 0 ? s('text', { x: x + barW / 2, y: pad.top + plotH + 16, 'text-anchor': 'middle', class: 'chart-tick' }, c.label) : null);
  });
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img', 'aria-labelledby': titleId, 'aria-describedby': descId, focusable: 'false',
  },
  ...grid, ...bars,
  s('text', { x: pad.left + plotW / 2, y: height - 6, 'text-anchor': 'middle', class: 'chart-axis-title' }, xTitle),
  s('text', { x: 12, y: pad.top + plotH / 2, 'text-anchor': 'middle', class: 'chart-axis-title', transform: `rotate(-90 12 ${pad.top + plotH / 2})` }, yTitle));
  return h('figure', { class: 'chart', 'data-testid': testid },
    h('figcaption', { id: titleId, class: 'chart-title' }, title),
    description ? h('p', { id: descId, class: 'muted small' }, description) : null,
    svg,
    dataTable({ show: showTable, title }, [xTitle, yTitle], columns.map((c) => [c.label, number(c.value)]), testid));
}

/**
 * Horizontal bars of used against available, one row per item (e.g. tables per slot):
 * `rows` [{label, used, available}]. A full row is marked unless `markFull` is false.
 * `usedTitle`, `availableTitle` head the table of numbers.
 */
export function capacityChart({ title, description = null, rows, labelTitle, usedTitle, availableTitle, showTable, markFull = true, testid = null }) {
  const width = 520;
  const rowH = 22;
  // Room for the longest label (about 7 units a character at this size).
  const longest = Math.max(4, ...rows.map((r) => String(r.label).length));
  const pad = { left: Math.min(240, 12 + longest * 7), right: 64, top: 6, bottom: 6 };
  const plotW = width - pad.left - pad.right;
  const height = pad.top + pad.bottom + rowH * Math.max(1, rows.length);
  const most = Math.max(1, ...rows.map((r) => Math.max(r.available, r.used)));
  const titleId = uid('chart');
  const descId = description ? uid('chart-desc') : null;
  const items = rows.map((r, i) => {
    const yTop = pad.top + rowH * i;
    const full = markFull && r.available > 0 && r.used >= r.available;
    return s('g', { class: full ? 'chart-row chart-row-full' : 'chart-row', 'data-used': r.used, 'data-available': r.available, 'data-label': r.label },
      s('title', {}, `${r.label}: ${number(r.used)} / ${number(r.available)}`),
      s('text', { x: pad.left - 8, y: yTop + rowH / 2 + 4, 'text-anchor': 'end', class: 'chart-tick' }, r.label),
      s('rect', { x: pad.left, y: yTop + 4, width: (r.available / most) * plotW, height: rowH - 8, rx: 3, class: 'chart-track' }),
      s('rect', { x: pad.left, y: yTop + 4, width: (Math.min(r.used, most) / most) * plotW, height: rowH - 8, rx: 3, class: 'chart-fill' }),
      s('text', { x: pad.left + plotW + 6, y: yTop + rowH / 2 + 4, class: 'chart-value' }, `${number(r.used)}/${number(r.available)}`));
  });
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img', 'aria-labelledby': titleId, 'aria-describedby': descId, focusable: 'false',
  }, ...items);
  return h('figure', { class: 'chart', 'data-testid': testid },
    h('figcaption', { id: titleId, class: 'chart-title' }, title),
    description ? h('p', { id: descId, class: 'muted small' }, description) : null,
    svg,
    dataTable({ show: showTable, title }, [labelTitle, usedTitle, availableTitle], rows.map((r) => [r.label, number(r.used), number(r.available)]), testid));
}

/** A progress bar (0..1) with its text; `value` null shows an indeterminate bar. */
export function progressBar({ value, label, testid = null }) {
  const known = typeof value === 'number' && Number.isFinite(value);
  const pct = known ? Math.round(Math.max(0, Math.min(1, value)) * 100) : null;
  const fill = h('span', { class: 'progress-fill' });
  // The page's policy allows no style attributes: the width goes through the CSSOM.
  if (known) fill.style.width = `${pct}%`;
  return h('div', {
    class: known ? 'progress' : 'progress progress-indeterminate',
    role: 'progressbar',
    'aria-label': label,
    'aria-valuemin': known ? 0 : null,
    'aria-valuemax': known ? 100 : null,
    'aria-valuenow': known ? pct : null,
    'data-testid': testid,
  }, fill);
}
