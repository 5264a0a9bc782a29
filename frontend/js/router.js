// History API routing with real paths: a route table, link interception and focus handling.

const routes = [];
let renderer = null;
let navigationId = 0;

/**
 * Register a route. `pattern` uses `:name` segments, e.g. '/events/:id/setup/:tab'.
 * `handler(match)` is called with { params, query, path, hash }.
 */
export function route(pattern, handler) {
  const names = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  routes.push({ pattern, regex: new RegExp(`^${source}/?$`), names, handler });
}

export function match(pathname) {
  for (const r of routes) {
    const m = r.regex.exec(pathname);
    if (m) {
      const params = {};
      r.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

function currentLocation() {
  return {
    path: window.location.pathname,
    query: new URLSearchParams(window.location.search),
    hash: window.location.hash,
  };
}

/** Render the current URL. Returns the navigation id so callers can tell stale work apart. */
async function renderCurrent({ focus = true } = {}) {
  navigationId += 1;
  const id = navigationId;
  const loc = currentLocation();
  const found = match(loc.path);
  await renderer({ ...loc, found, navigationId: id, isCurrent: () => id === navigationId, focus });
}

/** Go to a path inside the app. */
export function navigate(to, { replace = false, focus = true } = {}) {
  if (replace) window.history.replaceState({}, '', to);
  else window.history.pushState({}, '', to);
  window.scrollTo(0, 0);
  return renderCurrent({ focus });
}

/** Render the current page again, e.g. after the language changed. */
export function rerender() {
  return renderCurrent({ focus: false });
}

/** A path is safe to go to after login when it stays on this site. */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}

export function start(render) {
  renderer = render;
  window.addEventListener('popstate', () => renderCurrent());
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download') || link.dataset.external !== undefined) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return; // in-page anchor
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  return renderCurrent({ focus: false });
}
