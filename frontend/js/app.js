// Boots the app: language, who is logged in, the header and footer, and the route table.

import { h, icon, logoMark, loadingBlock, toast } from './dom.js';
import { t, initLang, getLang, setLang, hasStoredLang, onLangChange, LANGS, errorMessage } from './i18n.js';
import { api, ApiError } from './api.js';
import { currentUser, loadUser, setUser, onUserChange, logout } from './session.js';
import { route, start, navigate, rerender, safeNext } from './router.js';
import { button } from './forms.js';
import { beforeRoute } from './live.js';

const pages = {
  login: () => import('./pages/login.js'),
  confirm: () => import('./pages/confirm.js'),
  home: () => import('./pages/home.js'),
  eventNew: () => import('./pages/event-new.js'),
  event: () => import('./pages/event.js'),
  setup: () => import('./pages/setup.js'),
  register: () => import('./pages/register.js'),
  profile: () => import('./pages/profile.js'),
  factsheets: () => import('./pages/factsheets.js'),
  factsheetEdit: () => import('./pages/factsheet-edit.js'),
  review: () => import('./pages/review.js'),
  catalogue: () => import('./pages/catalogue.js'),
  catalogueItem: () => import('./pages/catalogue-item.js'),
  cataloguePrint: () => import('./pages/catalogue-print.js'),
  needs: () => import('./pages/needs.js'),
  programme: () => import('./pages/programme.js'),
  agenda: () => import('./pages/agenda.js'),
  sessionEdit: () => import('./pages/session-edit.js'),
  sessionSignups: () => import('./pages/session-signups.js'),
  sessionBriefing: () => import('./pages/session-briefing.js'),
  requests: () => import('./pages/requests.js'),
  recommendations: () => import('./pages/recommendations.js'),
  availability: () => import('./pages/availability.js'),
  requestsOverview: () => import('./pages/requests-overview.js'),
  schedule: () => import('./pages/schedule.js'),
  mail: () => import('./pages/mail.js'),
};

/** Wrap a page loader: `auth` pages show the login form when nobody is logged in. */
function page(load, { auth = false, admin = false } = {}) {
  return async (ctx) => {
    if (auth && !ctx.user) {
      const login = await pages.login();
      return login.default({ ...ctx, next: ctx.path + window.location.search });
    }
    if (admin && !ctx.user.is_admin) throw new ApiError(403, 'forbidden', 'platform admins only');
    const mod = await load();
    return mod.default(ctx);
  };
}

route('/', (ctx) => (ctx.user ? page(pages.home)(ctx) : page(pages.login)(ctx)));
route('/login', async (ctx) => {
  const next = ctx.query.get('next');
  if (ctx.user) return navigate(safeNext(next), { replace: true });
  return page(pages.login)({ ...ctx, next });
});
route('/login/confirm', page(pages.confirm));
route('/events/new', page(pages.eventNew, { auth: true, admin: true }));
route('/events/:id', page(pages.event, { auth: true }));
route('/events/:id/setup', (ctx) => navigate(`/events/${encodeURIComponent(ctx.params.id)}/setup/details`, { replace: true }));
route('/events/:id/setup/:tab', page(pages.setup, { auth: true }));
route('/events/:id/factsheets', page(pages.factsheets, { auth: true }));
route('/events/:id/factsheets/new', page(pages.factsheetEdit, { auth: true }));
route('/events/:id/factsheets/:fid', page(pages.factsheetEdit, { auth: true }));
route('/events/:id/review', page(pages.review, { auth: true }));
route('/events/:id/review/:fid', page(pages.review, { auth: true }));
route('/events/:id/catalogue', page(pages.catalogue, { auth: true }));
route('/events/:id/catalogue/print', page(pages.cataloguePrint, { auth: true }));
route('/events/:id/catalogue/:fid', page(pages.catalogueItem, { auth: true }));
route('/events/:id/needs', page(pages.needs, { auth: true }));
route('/events/:id/programme', page(pages.programme, { auth: true }));
route('/events/:id/agenda', page(pages.agenda, { auth: true }));
route('/events/:id/requests', page(pages.requests, { auth: true }));
route('/events/:id/requests/overview', page(pages.requestsOverview, { auth: true }));
route('/events/:id/schedule', page(pages.schedule, { auth: true }));
route('/events/:id/mail', page(pages.mail, { auth: true }));
route('/events/:id/recommendations', page(pages.recommendations, { auth: true }));
route('/events/:id/availability', page(pages.availability, { auth: true }));
route('/events/:id/sessions/new', page(pages.sessionEdit, { auth: true }));
route('/events/:id/sessions/:sid/edit', page(pages.sessionEdit, { auth: true }));
route('/events/:id/sessions/:sid/signups', page(pages.sessionSignups, { auth: true }));
route('/events/:id/sessions/:sid/briefing', page(pages.sessionBriefing, { auth: true }));
route('/e/:slug/catalogue', page(pages.catalogue));
route('/e/:slug/catalogue/:fid', page(pages.catalogueItem));
route('/e/:slug/programme', page(pages.programme));
route('/e/:slug', (ctx) => navigate(`/e/${encodeURIComponent(ctx.params.slug)}/register`, { replace: true }));
route('/e/:slug/register', page(pages.register));
route('/me', page(pages.profile, { auth: true }));

const mainEl = () => document.getElementById('main');

function setTitle(title) {
  document.title = title ? `${title} · matchfloor` : 'matchfloor';
}

function errorView(err, retry) {
  const code = err instanceof ApiError ? err.code : 'internal';
  const titleKey = { not_found: 'page.not_found_title', forbidden: 'page.forbidden_title', network: 'page.offline_title' }[code] || 'page.error_title';
  setTitle(t(titleKey));
  return h('section', { class: 'page-narrow error-page', 'data-testid': 'error-page' },
    icon(code === 'not_found' ? 'search' : 'alert', 'error-page-icon'),
    h('h1', {}, t(titleKey)),
    h('p', { class: 'lead' }, code === 'not_found' ? t('page.not_found_text') : errorMessage(err)),
    err instanceof ApiError && err.requestId ? h('p', { class: 'muted small' }, t('page.request_id', { id: err.requestId })) : null,
    h('div', { class: 'actions' },
      retry && code !== 'not_found' && code !== 'forbidden' ? button(t('common.retry'), { onClick: retry, iconName: 'arrowRight' }) : null,
      h('a', { class: 'btn btn-secondary', href: '/' }, t('nav.my_events'))));
}

async function renderPage({ path, query, hash, found, isCurrent, focus }) {
  beforeRoute(path);
  const main = mainEl();
  const container = main.querySelector('.container') || main.appendChild(h('div', { class: 'container' }));
  const view = h('div', { class: 'page' });
  const loadingTimer = setTimeout(() => {
    if (isCurrent()) container.replaceChildren(loadingBlock(t('common.loading')));
  }, 120);
  const ctx = { view, path, query, hash, params: found ? found.params : {}, user: currentUser(), setTitle, isCurrent };
  try {
    if (!found) throw new ApiError(404, 'not_found', 'no such page');
    await found.route.handler(ctx);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setUser(null);
      const login = await pages.login();
      view.replaceChildren();
      await login.default({ ...ctx, user: null, next: path });
    } else {
      if (!(err instanceof ApiError)) console.error(err);
      view.replaceChildren(errorView(err, () => rerender()));
    }
  } finally {
    clearTimeout(loadingTimer);
  }
  if (!isCurrent()) return;
  if (!view.isConnected) container.replaceChildren(view);
  markCurrentNav();
  if (focus) {
    const heading = view.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    } else {
      main.focus({ preventScroll: true });
    }
  }
}

function langSwitch() {
  const current = getLang();
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('nav.language') },
    LANGS.map((lang) => h('button', {
      type: 'button',
      class: 'lang-btn',
      lang,
      'aria-pressed': String(lang === current),
      'data-testid': `lang-${lang}`,
      onClick: () => setLang(lang),
    }, lang.toUpperCase(), h('span', { class: 'visually-hidden' }, ` ${t(`lang.${lang}`)}`))));
}

function renderHeader() {
  const user = currentUser();
  const header = document.getElementById('site-header');
  const nav = user
    ? h('nav', { class: 'main-nav', 'aria-label': t('nav.main') },
      h('a', { href: '/', 'data-nav': 'home' }, icon('calendar'), h('span', {}, t('nav.my_events'))),
      h('a', { href: '/me', 'data-nav': 'me', 'data-testid': 'nav-profile' }, icon('user'), h('span', {}, t('nav.profile'))))
    : null;
  const logoutButton = user
    ? h('button', {
      type: 'button', class: 'btn btn-ghost btn-sm header-logout', 'data-testid': 'logout',
      onClick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await logout();
          toast(t('auth.logged_out'));
          navigate('/');
        } catch (err) {
          toast(errorMessage(err), 'error');
          event.currentTarget.disabled = false;
        }
      },
    }, icon('logout'), h('span', { class: 'hide-narrow' }, t('nav.logout')))
    : null;
  header.replaceChildren(h('div', { class: 'container header-inner' },
    h('a', { class: 'brand', href: '/', 'aria-label': t('nav.home_label') }, logoMark(), h('span', { class: 'brand-name' }, 'matchfloor')),
    nav,
    h('div', { class: 'header-tools' }, langSwitch(), logoutButton)));
  markCurrentNav();
}

function markCurrentNav() {
  const path = window.location.pathname;
  for (const link of document.querySelectorAll('.main-nav a')) {
    const active = link.dataset.nav === 'me' ? path === '/me' : (path === '/' || path.startsWith('/events'));
    if (active) link.setAttribute('aria-current', path === link.getAttribute('href') ? 'page' : 'true');
    else link.removeAttribute('aria-current');
  }
}

function renderFooter() {
  document.getElementById('site-footer').replaceChildren(h('div', { class: 'container footer-inner' },
    h('p', {}, h('strong', {}, 'matchfloor'), ' · ', t('footer.tagline')),
    h('p', { class: 'muted' }, t('footer.license'))));
}

function applyStaticTexts() {
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('a11y.skip');
}

async function boot() {
  initLang();
  applyStaticTexts();
  let user = null;
  try {
    user = await loadUser();
  } catch (err) {
    // The server is unreachable: pages will show their own error with a retry.
    console.error(err);
  }
  if (user && !hasStoredLang() && LANGS.includes(user.language)) setLang(user.language, { remember: false, silent: true });
  renderHeader();
  renderFooter();
  onUserChange(() => {
    renderHeader();
    renderFooter();
  });
  onLangChange((lang) => {
    const onSwitch = document.activeElement && document.activeElement.classList.contains('lang-btn');
    applyStaticTexts();
    renderHeader();
    renderFooter();
    rerender();
    // The header was drawn again: keep a keyboard user on the switch they used.
    if (onSwitch) document.querySelector(`.lang-btn[lang="${lang}"]`)?.focus();
    const me = currentUser();
    if (me && me.language !== lang) {
      api.patch('/me', { language: lang }).then((updated) => { if (updated) setUser({ ...me, ...updated }); }).catch(() => {});
    }
  });
  // A login confirmed in another tab (the one the email link opened) logs this tab in too.
  window.addEventListener('storage', async (event) => {
    if (event.key === 'mf.login' && !currentUser()) {
      await loadUser().catch(() => null);
      if (currentUser()) rerender();
    }
  });
  await start(renderPage);
}

boot();
