// /login/confirm#token=...: one deliberate click uses the link up (mail scanners that open
// links do no harm), then on to where the person was going.

import { h, icon, toast } from '../dom.js';
import { t, errorMessage, hasStoredLang, setLang, LANGS } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { setUser } from '../session.js';
import { navigate, safeNext } from '../router.js';
import { button, showFieldProblems, clearFormErrors } from '../forms.js';
import { loginForm, takeNext } from '../components/login-form.js';

function linkParams(hash, query) {
  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    token: fragment.get('token') || query.get('token'),
    next: fragment.get('next') || query.get('next'),
  };
}

export default function confirmPage({ view, setTitle, hash, query }) {
  setTitle(t('confirm.title'));
  const { token, next } = linkParams(hash, query);
  const section = h('section', { class: 'page-narrow', 'data-testid': 'confirm-page' });
  view.replaceChildren(section);

  function showInvalid(reasonKey) {
    setTitle(t('confirm.invalid_title'));
    section.replaceChildren(
      h('div', { class: 'card confirm-card', 'data-testid': 'confirm-invalid' },
        h('div', { class: 'sent-icon sent-icon-warn' }, icon('alert')),
        h('h1', { class: 'card-title' }, t('confirm.invalid_title')),
        h('p', {}, t(reasonKey)),
        h('p', { class: 'muted' }, t('confirm.invalid_help'))),
      loginForm({ heading: t('confirm.new_link_title') }));
    const heading = section.querySelector('h1');
    heading.tabIndex = -1;
    heading.focus();
  }

  if (!token) {
    showInvalid('confirm.no_token');
    return;
  }

  const go = button(t('confirm.button'), { type: 'submit', iconName: 'arrowRight', testid: 'confirm-login' });
  const form = h('form', { class: 'stack' }, go);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    go.disabled = true;
    go.classList.add('is-busy');
    try {
      const me = await api.post('/auth/confirm', { token });
      // Someone who never picked a language here gets the one from their profile
      // (before setUser, which redraws the header).
      if (!hasStoredLang() && LANGS.includes(me.language)) setLang(me.language, { remember: false, silent: true });
      setUser(me);
      try { localStorage.setItem('mf.login', String(Date.now())); } catch { /* ignore */ }
      toast(t('confirm.welcome', { name: me.name || me.email }));
      const stored = takeNext();
      // replace: the token must not stay in the history.
      navigate(safeNext(next || stored || '/'), { replace: true });
    } catch (err) {
      go.disabled = false;
      go.classList.remove('is-busy');
      if (err instanceof ApiError && (err.code === 'login_link_invalid' || err.status === 400)) {
        window.history.replaceState({}, '', '/login/confirm');
        showInvalid('confirm.invalid_text');
      } else {
        showFieldProblems(form, [], { summaryText: errorMessage(err) });
      }
    }
  });

  section.append(h('div', { class: 'card confirm-card' },
    h('div', { class: 'sent-icon' }, icon('check')),
    h('h1', { class: 'card-title' }, t('confirm.heading')),
    h('p', {}, t('confirm.text')),
    h('p', { class: 'muted small' }, t('confirm.why')),
    form));
}
