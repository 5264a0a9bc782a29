// Small DOM helpers: build elements without innerHTML, icons, announcements and toasts.

const BOOLEAN_PROPS = new Set(['disabled', 'checked', 'required', 'hidden', 'selected', 'multiple', 'readOnly', 'open', 'indeterminate']);

/**
 * Create an element. `props` keys: `class`, `text`, `on<Event>` listeners, boolean properties,
 * `value`, `dataset` (object), anything else becomes an attribute. Children may be strings,
 * nodes, arrays, or null/false (skipped). User data always ends up as text, never as markup.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, val] of Object.entries(props || {})) {
    if (val === undefined || val === null || val === false && !BOOLEAN_PROPS.has(key)) continue;
    if (key === 'class') el.className = Array.isArray(val) ? val.filter(Boolean).join(' ') : val;
    else if (key === 'text') el.textContent = val;
    else if (key === 'dataset') Object.assign(el.dataset, val);
    else if (key.startsWith('on') && typeof val === 'function') el.addEventListener(key.slice(2).toLowerCase(), val);
    else if (key === 'checked') { el.defaultChecked = Boolean(val); el.checked = Boolean(val); }
    else if (key === 'selected') { el.defaultSelected = Boolean(val); el.selected = Boolean(val); }
    else if (BOOLEAN_PROPS.has(key)) el[key] = Boolean(val);
    else if (key === 'value') {
      // Set the default too, so form.reset() goes back to it.
      if ('defaultValue' in el && el.type !== 'file') el.defaultValue = val;
      el.value = val;
    }
    else el.setAttribute(key, val === true ? '' : String(val));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's children; null and false children are left out, as in h(). */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let idCounter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'mf') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// Icon paths are constants written here, so building them from markup is safe.
const ICONS = {
  plus: '<path d="M12 5v14M5 12h14"/>',
  trash: '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"/>',
  edit: '<path d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4"/>',
  check: '<path d="M5 12l5 5L20 7"/>',
  x: '<path d="M6 6l12 12M18 6L6 18"/>',
  calendar: '<rect x="3.5" y="5" width="17" height="15" rx="2"/><path d="M3.5 10h17M8 3v4M16 3v4"/>',
  clock: '<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>',
  pin: '<path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z"/><circle cx="12" cy="10" r="2.3"/>',
  globe: '<circle cx="12" cy="12" r="8.5"/><path d="M3.5 12h17M12 3.5c2.5 2.6 3.5 5.4 3.5 8.5s-1 5.9-3.5 8.5c-2.5-2.6-3.5-5.4-3.5-8.5s1-5.9 3.5-8.5z"/>',
  users: '<circle cx="9" cy="8.5" r="3.2"/><path d="M3 19c.6-3.2 3-5 6-5s5.4 1.8 6 5"/><path d="M15.5 5.6a3 3 0 0 1 0 5.8M17.5 14.3c1.8.7 3 2.3 3.5 4.7"/>',
  grid: '<rect x="4" y="4" width="6.5" height="6.5" rx="1.2"/><rect x="13.5" y="4" width="6.5" height="6.5" rx="1.2"/><rect x="4" y="13.5" width="6.5" height="6.5" rx="1.2"/><rect x="13.5" y="13.5" width="6.5" height="6.5" rx="1.2"/>',
  mail: '<rect x="3.5" y="5.5" width="17" height="13" rx="2"/><path d="M4 7l8 6 8-6"/>',
  print: '<path d="M7 9V4h10v5M7 17H5a1.5 1.5 0 0 1-1.5-1.5v-5A1.5 1.5 0 0 1 5 9h14a1.5 1.5 0 0 1 1.5 1.5v5A1.5 1.5 0 0 1 19 17h-2"/><rect x="7" y="14" width="10" height="6" rx="1"/>',
  arrowLeft: '<path d="M19 12H5M11 6l-6 6 6 6"/>',
  arrowRight: '<path d="M5 12h14M13 6l6 6-6 6"/>',
  arrowUp: '<path d="M12 19V5M6 11l6-6 6 6"/>',
  arrowDown: '<path d="M12 5v14M6 13l6 6 6-6"/>',
  toTop: '<path d="M5 4h14M12 20V9M6 14l6-6 6 6"/>',
  logout: '<path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l-4-4 4-4M6 12h10"/>',
  settings: '<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z"/>',
  info: '<circle cx="12" cy="12" r="8.5"/><path d="M12 11v5M12 8h.01"/>',
  alert: '<path d="M12 4l9 16H3l9-16z"/><path d="M12 10v4M12 17h.01"/>',
  user: '<circle cx="12" cy="8.5" r="3.5"/><path d="M5 20c.8-3.8 3.6-6 7-6s6.2 2.2 7 6"/>',
  upload: '<path d="M12 16V4M7 9l5-5 5 5M4 16v3a1.5 1.5 0 0 0 1.5 1.5h13A1.5 1.5 0 0 0 20 19v-3"/>',
  download: '<path d="M12 4v12M7 11l5 5 5-5M4 16v3a1.5 1.5 0 0 0 1.5 1.5h13A1.5 1.5 0 0 0 20 19v-3"/>',
  copy: '<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V5.5A1.5 1.5 0 0 0 14.5 4h-9A1.5 1.5 0 0 0 4 5.5v9A1.5 1.5 0 0 0 5.5 16H8"/>',
  coffee: '<path d="M5 9h11v5a5 5 0 0 1-5 5h-1a5 5 0 0 1-5-5V9zM16 10h1.5a2.5 2.5 0 0 1 0 5H16M8 3.5v2.5M11 3.5v2.5"/>',
  handshake: '<path d="M3 12l4-4 3 1 2-2 3 1 3-1 3 4-3 3M7 8l-4 4 3 3M9 13l2.5 2.5a1.4 1.4 0 0 0 2-2M11 15.5l1.2 1.2a1.4 1.4 0 0 0 2-2M13.2 16.7l.6.6a1.4 1.4 0 0 0 2-2l-3.3-3.3"/>',
  refresh: '<path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v5h-5"/>',
  search: '<circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5"/>',
  message: '<path d="M4.5 5.5h15a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H10l-4.5 3.5v-3.5h-1a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1z"/><path d="M8 10h8M8 13h5"/>',
  megaphone: '<path d="M4 10v4a1 1 0 0 0 1 1h2l8 4.5V4.5L7 9H5a1 1 0 0 0-1 1z"/><path d="M7 15l1.2 4.5h2.3L9.6 15M18.5 9a4 4 0 0 1 0 6"/>',
  layers: '<path d="M12 4l8.5 4.5L12 13 3.5 8.5 12 4z"/><path d="M3.5 12.5L12 17l8.5-4.5M3.5 16.5L12 21l8.5-4.5"/>',
};

export function icon(name, extraClass = '') {
  const span = document.createElement('span');
  span.className = `icon ${extraClass}`.trim();
  span.setAttribute('aria-hidden', 'true');
  span.innerHTML = `<svg viewBox="0 0 24 24" focusable="false" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${ICONS[name] || ''}</svg>`;
  return span;
}

export function logoMark() {
  const span = document.createElement('span');
  span.className = 'brand-mark';
  span.setAttribute('aria-hidden', 'true');
  span.innerHTML = '<svg viewBox="0 0 32 32" focusable="false"><rect width="32" height="32" rx="8" fill="currentColor"/>'
    + '<g fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round">'
    + '<path d="M8.5 13.5a8 8 0 0 1 13.6-4.2"/><path d="M22.6 5.6v4.2h-4.2"/>'
    + '<path d="M23.5 18.5a8 8 0 0 1-13.6 4.2"/><path d="M9.4 26.4v-4.2h4.2"/></g>'
    + '<circle cx="16" cy="16" r="2.6" fill="#9fe0bd"/></svg>';
  return span;
}

/** Say something to screen-reader users without showing it. */
export function announce(message) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A fresh text node after a tick makes screen readers repeat identical messages too.
  setTimeout(() => { el.textContent = message; }, 50);
}

/** A short visible confirmation (the container is an aria-live region). */
export function toast(message, kind = 'success') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const item = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : null },
    icon(kind === 'error' ? 'alert' : 'check'), h('span', {}, message));
  box.append(item);
  setTimeout(() => item.classList.add('toast-leaving'), 4200);
  setTimeout(() => item.remove(), 4700);
}

/** A spinner with a visible text, used while a page or a section loads. */
export function loadingBlock(text) {
  return h('div', { class: 'loading-block', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, text));
}

/** An empty state: icon, title, text and an optional action. */
export function emptyState({ iconName = 'info', title, text, action = null, testid = null }) {
  return h('div', { class: 'empty-state', 'data-testid': testid },
    icon(iconName, 'empty-icon'),
    h('h3', { class: 'empty-title' }, title),
    text ? h('p', { class: 'empty-text' }, text) : null,
    action);
}

export function notice(kind, ...content) {
  const iconName = { info: 'info', warn: 'alert', error: 'alert', success: 'check' }[kind] || 'info';
  return h('div', { class: `notice notice-${kind}` }, icon(iconName), h('div', { class: 'notice-body' }, ...content));
}

/**
 * After a list was drawn again, put the focus back where the person was working: on the
 * first candidate element that exists, so keyboard and screen-reader users keep their place.
 */
export function focusFirst(...candidates) {
  const el = candidates.find(Boolean);
  if (el) el.focus();
}

/** The element at `index` among `selector` matches in `container`, or the last one. */
export function nearest(container, selector, index) {
  const all = container.querySelectorAll(selector);
  return all.length ? all[Math.min(index, all.length - 1)] : null;
}
