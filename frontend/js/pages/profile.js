// /me: my details (shared with organisers of my events), my organisation, my preferred
// language, and logging out.

import { h, icon, toast } from '../dom.js';
import { t, setLang, getLang } from '../i18n.js';
import { api } from '../api.js';
import { setUser, logout } from '../session.js';
import { field, button, onSubmit, withBusy } from '../forms.js';
import { navigate } from '../router.js';
import { roleBadge, statusBadge } from '../components/badges.js';
import { formatDate } from '../format.js';
import { organisationCard } from '../components/organisation.js';

export default function profilePage({ view, setTitle, user }) {
  setTitle(t('profile.title'));
  const form = h('form', { class: 'form-grid', 'data-testid': 'profile-form' },
    h('div', { class: 'field span-2' },
      h('span', { class: 'field-label' }, t('profile.email')),
      h('p', { class: 'readonly-value', 'data-testid': 'profile-email' }, user.email),
      h('p', { class: 'field-hint' }, t('profile.email_hint'))),
    field({ name: 'name', label: t('profile.name'), value: user.name, required: true, autocomplete: 'name', testid: 'profile-name', class: 'span-2', attrs: { maxlength: 200 } }),
    field({ name: 'job_title', label: t('profile.job_title'), value: user.job_title, optional: true, autocomplete: 'organization-title', testid: 'profile-job-title', attrs: { maxlength: 200 } }),
    field({ name: 'phone', type: 'tel', label: t('profile.phone'), value: user.phone, optional: true, autocomplete: 'tel', testid: 'profile-phone', attrs: { maxlength: 50 } }),
    field({
      name: 'language', type: 'select', label: t('profile.language'), value: user.language || getLang(), hint: t('profile.language_hint'), testid: 'profile-language',
      options: [{ value: 'nl', label: t('lang.nl') }, { value: 'en', label: t('lang.en') }],
    }),
    h('div', { class: 'span-2 form-actions' }, button(t('common.save_changes'), { type: 'submit', iconName: 'check', testid: 'profile-save' })));

  onSubmit(form, async (data) => {
    const updated = await api.patch('/me', data);
    setUser({ ...user, ...(updated || data) });
    toast(t('profile.saved'));
    if (data.language !== getLang()) setLang(data.language);
  });

  const logoutButton = button(t('nav.logout'), { kind: 'secondary', iconName: 'logout', testid: 'profile-logout' });
  logoutButton.addEventListener('click', async () => {
    await withBusy(logoutButton, () => logout());
    toast(t('auth.logged_out'));
    navigate('/');
  });

  const participations = user.participations || [];
  view.replaceChildren(h('section', { class: 'page-medium', 'data-testid': 'profile-page' },
    h('h1', {}, t('profile.title')),
    h('p', { class: 'lead' }, t('profile.lead')),
    h('div', { class: 'card' }, form),
    organisationCard(user),
    participations.length ? h('section', { class: 'card', 'aria-labelledby': 'parts-h' },
      h('h2', { id: 'parts-h', class: 'card-title' }, t('profile.participations')),
      h('ul', { class: 'plain-list', role: 'list' }, participations.map((p) => h('li', { class: 'participation' },
        h('a', { href: `/events/${encodeURIComponent(p.event_id)}` }, p.event_name),
        p.start_date ? h('span', { class: 'muted small' }, formatDate(p.start_date, 'short')) : null,
        h('span', { class: 'badges' }, roleBadge(p.role), statusBadge(p.status, { role: p.role })))))) : null,
    h('section', { class: 'card card-quiet' },
      h('h2', { class: 'card-title' }, icon('logout'), h('span', {}, t('profile.logout_title'))),
      h('p', { class: 'muted' }, t('profile.logout_text')),
      logoutButton)));
}
