// The front door for people who are not logged in: what matchfloor is, and a login-link form.

import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { loginForm } from '../components/login-form.js';

export default function loginPage({ view, setTitle, next = null }) {
  setTitle(t('login.title'));
  const needsLogin = next && next !== '/';
  view.replaceChildren(h('section', { class: 'login-layout', 'data-testid': 'login-page' },
    h('div', { class: 'login-intro' },
      h('p', { class: 'eyebrow' }, t('login.eyebrow')),
      h('h1', {}, needsLogin ? t('login.needs_login_title') : t('login.headline')),
      h('p', { class: 'lead' }, needsLogin ? t('login.needs_login_text') : t('login.lead')),
      h('ul', { class: 'feature-list' },
        h('li', {}, icon('handshake'), h('span', {}, t('login.feature_meetings'))),
        h('li', {}, icon('layers'), h('span', {}, t('login.feature_catalogue'))),
        h('li', {}, icon('calendar'), h('span', {}, t('login.feature_agenda'))))),
    loginForm({ next })));
}
