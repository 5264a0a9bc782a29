// The "send me a login link" form and its "check your mail" state, used on the login and confirm pages.

import { h, icon } from '../dom.js';
import { t, errorMessage } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, onSubmit, button, showFieldProblems, clearFormErrors } from '../forms.js';

const NEXT_KEY = 'mf.next';

/** Remember where to go after login; the link comes back through the mail, possibly hours later. */
export function rememberNext(next) {
  try {
    if (next && next !== '/') localStorage.setItem(NEXT_KEY, JSON.stringify({ next, at: Date.now() }));
    else localStorage.removeItem(NEXT_KEY);
  } catch { /* storage may be unavailable in private modes */ }
}

export function takeNext() {
  try {
    const raw = localStorage.getItem(NEXT_KEY);
    localStorage.removeItem(NEXT_KEY);
    const stored = raw ? JSON.parse(raw) : null;
    if (stored && Date.now() - stored.at < 24 * 3600 * 1000) return stored.next;
  } catch { /* ignore */ }
  return null;
}

/** A card that asks for an email address and sends a login link. */
export function loginForm({ next = null, email = '', eventId = null, heading = null } = {}) {
  const card = h('div', { class: 'card login-card', 'data-testid': 'login-card' });

  function showForm(prefill) {
    const emailField = field({
      name: 'email', type: 'email', label: t('login.email_label'), value: prefill, required: true,
      autocomplete: 'email', testid: 'login-email', attrs: { inputmode: 'email', spellcheck: 'false', autocapitalize: 'off' },
    });
    const form = h('form', { class: 'stack', 'data-testid': 'login-form' },
      emailField,
      button(t('login.send_link'), { type: 'submit', iconName: 'mail', testid: 'login-submit' }));
    onSubmit(form, async ({ email: address }) => {
      try {
        const body = { email: address };
        if (eventId) body.event_id = eventId;
        // The link itself brings the person back here, even when opened on another device.
        else if (next && next !== '/' && /^\/[A-Za-z0-9/_.-]*$/.test(next) && !next.startsWith('//')) body.next = next;
        await api.post('/auth/login-link', body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'rate_limited') {
          clearFormErrors(form);
          showFieldProblems(form, [], { summaryText: t('login.rate_limited') });
          return;
        }
        throw err;
      }
      rememberNext(next);
      showSent(address);
    });
    card.replaceChildren(
      h('h2', { class: 'card-title' }, heading || t('login.card_title')),
      h('p', { class: 'muted' }, t('login.card_text')),
      form);
  }

  function showSent(address) {
    const again = button(t('login.send_again'), { kind: 'secondary', testid: 'login-send-again' });
    const status = h('p', { class: 'small muted', role: 'status' });
    again.addEventListener('click', async () => {
      again.disabled = true;
      try {
        await api.post('/auth/login-link', { email: address });
        status.textContent = t('login.sent_again');
      } catch (err) {
        status.textContent = err instanceof ApiError && err.code === 'rate_limited' ? t('login.rate_limited') : errorMessage(err);
      } finally {
        setTimeout(() => { again.disabled = false; }, 3000);
      }
    });
    card.replaceChildren(
      h('div', { class: 'sent-state', 'data-testid': 'login-sent' },
        h('div', { class: 'sent-icon' }, icon('mail')),
        h('h2', { class: 'card-title', tabindex: '-1' }, t('login.check_mail_title')),
        h('p', {}, t('login.check_mail_text_before'), ' ', h('strong', {}, address), t('login.check_mail_text_after')),
        h('ul', { class: 'tips' },
          h('li', {}, t('login.tip_once')),
          h('li', {}, t('login.tip_spam')),
          h('li', {}, t('login.tip_tab'))),
        h('div', { class: 'actions' },
          again,
          button(t('login.use_other'), { kind: 'ghost', onClick: () => showForm(address) })),
        status));
    card.querySelector('h2').focus();
  }

  showForm(email);
  return card;
}
