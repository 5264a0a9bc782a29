// /me: my details (shared with organisers of my events), my organisation, my preferred
// language, which emails I get (announcements; per event, emails about meeting requests at
// once or as a digest), my calendar feed, and logging out.

import { h, icon, toast } from '../dom.js';
import { t, setLang, getLang } from '../i18n.js';
import { api } from '../api.js';
import { setUser, logout } from '../session.js';
import { field, checkbox, button, onSubmit, withBusy } from '../forms.js';
import { navigate } from '../router.js';
import { roleBadge, statusBadge } from '../components/badges.js';
import { formatDate } from '../format.js';
import { organisationCard } from '../components/organisation.js';
import { calendarFeedCard } from '../components/calendar-feed.js';

/** Per event where I have meeting requests: emails about them at once or as a digest. */
function requestEmails(p) {
  const row = h('li', { class: 'participation', 'data-testid': `profile-request-emails-${p.event_id}` });
  const eventId = encodeURIComponent(p.event_id);
  (async () => {
    let choice;
    try {
      choice = await api.get(`/events/${eventId}/request-notifications/me`);
    } catch {
      row.hidden = true;
      return;
    }
    const timing = (value) => (value === 'digest' ? t('requests.email.digest', { n: choice.digest_hours }) : t('requests.email.immediate'));
    const form = h('form', { class: 'stack-sm' },
      field({
        name: 'email_timing', type: 'select', label: p.event_name, value: choice.chosen || '', testid: `profile-email-timing-${p.event_id}`,
        options: [
          { value: '', label: t('requests.email.default', { timing: timing(choice.default) }) },
          { value: 'immediate', label: timing('immediate') },
          { value: 'digest', label: timing('digest') },
        ],
      }),
      h('div', { class: 'form-actions' }, button(t('common.save'), { type: 'submit', kind: 'secondary', small: true, iconName: 'check' })));
    onSubmit(form, async (data) => {
      choice = await api.put(`/events/${eventId}/request-notifications/me`, { email_timing: data.email_timing || null });
      toast(t('requests.email.saved', { timing: timing(choice.email_timing) }));
    });
    row.replaceChildren(form);
  })();
  return row;
}

/** Which emails I get: organisers' announcements (on or off), and per event the timing of emails about meeting requests. */
function emailsCard(user) {
  const form = h('form', { class: 'stack-sm', 'data-testid': 'profile-emails-form' },
    checkbox({ name: 'announcement_emails', label: t('profile.announcement_emails'), hint: t('profile.announcement_emails_hint'), checked: user.announcement_emails !== false, testid: 'profile-announcement-emails' }),
    h('div', { class: 'form-actions' }, button(t('common.save'), { type: 'submit', kind: 'secondary', small: true, iconName: 'check', testid: 'profile-emails-save' })));
  onSubmit(form, async (data) => {
    const updated = await api.patch('/me', { announcement_emails: Boolean(data.announcement_emails) });
    setUser({ ...user, ...(updated || {}) });
    toast(t('profile.emails_saved'));
  });
  const withRequests = (user.participations || [])
    .filter((p) => (p.role === 'buyer' || p.role === 'supplier') && (p.status === 'approved' || p.status === 'invited'));
  return h('section', { class: 'card', 'aria-labelledby': 'emails-h', 'data-testid': 'profile-emails' },
    h('h2', { id: 'emails-h', class: 'card-title' }, icon('mail'), h('span', {}, t('profile.emails_title'))),
    h('p', { class: 'muted small' }, t('profile.emails_lead')),
    form,
    withRequests.length ? h('div', { class: 'stack-sm' },
      h('h3', {}, t('requests.email.title')),
      h('p', { class: 'muted small' }, t('requests.email.lead')),
      h('ul', { class: 'plain-list', role: 'list' }, withRequests.map(requestEmails))) : null);
}

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
    emailsCard(user),
    participations.length ? h('section', { class: 'card', 'aria-labelledby': 'parts-h' },
      h('h2', { id: 'parts-h', class: 'card-title' }, t('profile.participations')),
      h('ul', { class: 'plain-list', role: 'list' }, participations.map((p) => h('li', { class: 'participation' },
        h('a', { href: `/events/${encodeURIComponent(p.event_id)}` }, p.event_name),
        p.start_date ? h('span', { class: 'muted small' }, formatDate(p.start_date, 'short')) : null,
        h('span', { class: 'badges' }, roleBadge(p.role), statusBadge(p.status, { role: p.role })))))) : null,
    participations.length ? calendarFeedCard() : null,
    h('section', { class: 'card card-quiet' },
      h('h2', { class: 'card-title' }, icon('logout'), h('span', {}, t('profile.logout_title'))),
      h('p', { class: 'muted' }, t('profile.logout_text')),
      logoutButton)));
}
