// /e/{slug}/register: public registration for buyers and suppliers, then "check your email".

import { h, icon, notice } from '../dom.js';
import { t, getLang, localText, textLang } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, button, onSubmit, withoutEmpty } from '../forms.js';
import { formatDateRange, timeZoneLabel } from '../format.js';

function roleChoice() {
  const name = 'role';
  const option = (value, iconName) => h('label', { class: 'choice-card', 'data-testid': `register-role-${value}` },
    h('input', { type: 'radio', name, value, required: true, 'data-field': 'role' }),
    h('span', { class: 'choice-body' },
      h('span', { class: 'choice-title' }, icon(iconName), h('span', {}, t(`register.as.${value}`))),
      h('span', { class: 'choice-text' }, t(`register.as_text.${value}`))));
  return h('fieldset', { class: 'field fieldset choice-group', 'data-field': 'role' },
    h('legend', { class: 'field-label' }, t('register.role_legend')),
    h('div', { class: 'choice-row' }, option('buyer', 'search'), option('supplier', 'layers')),
    h('p', { class: 'field-error', hidden: true }));
}

export default async function registerPage({ view, params, setTitle }) {
  const slug = encodeURIComponent(params.slug);
  let event;
  try {
    event = await api.get(`/public/events/${slug}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      setTitle(t('register.closed_title'));
      view.replaceChildren(h('section', { class: 'page-narrow', 'data-testid': 'register-closed' },
        h('div', { class: 'card' },
          h('h1', { class: 'card-title' }, t('register.closed_title')),
          h('p', {}, t('register.not_found_text')))));
      return;
    }
    throw err;
  }
  setTitle(t('register.title', { name: event.name }));

  const facts = h('div', { class: 'register-intro' },
    h('p', { class: 'eyebrow' }, t('register.eyebrow')),
    h('h1', {}, event.name),
    h('ul', { class: 'fact-list' },
      h('li', {}, icon('calendar'), h('span', {}, formatDateRange(event.start_date, event.end_date))),
      event.venue ? h('li', {}, icon('pin'), h('span', {}, event.venue)) : null,
      event.timezone ? h('li', {}, icon('globe'), h('span', {}, t('event.times_in', { tz: timeZoneLabel(event.timezone, event.start_date) }))) : null),
    localText(event, 'description') ? h('p', { class: 'prose', lang: textLang(event, 'description'), 'data-testid': 'register-description' }, localText(event, 'description')) : null,
    h('p', { class: 'actions' },
      // The programme is public whenever the event shows itself: open registration or a public catalogue.
      event.registration_open || event.catalogue_public ? h('a', { class: 'btn btn-secondary', href: `/e/${slug}/programme`, 'data-testid': 'public-programme-link' }, icon('calendar'), h('span', {}, t('sessions.public_link'))) : null,
      event.catalogue_public ? h('a', { class: 'btn btn-secondary', href: `/e/${slug}/catalogue`, 'data-testid': 'public-catalogue-link' }, icon('search'), h('span', {}, t('catalogue.browse'))) : null));

  if (event.registration_open === false) {
    view.replaceChildren(h('section', { class: 'register-layout', 'data-testid': 'register-closed' },
      facts,
      h('div', { class: 'card' }, h('h2', { class: 'card-title' }, t('register.closed_title')), h('p', {}, t('register.closed_text')))));
    return;
  }

  const card = h('div', { class: 'card register-card' });
  const languages = Array.isArray(event.languages) && event.languages.length ? event.languages : ['nl', 'en'];
  const form = h('form', { class: 'form-grid', 'data-testid': 'register-form' },
    h('div', { class: 'span-2' }, roleChoice()),
    field({ name: 'name', label: t('profile.name'), required: true, autocomplete: 'name', testid: 'register-name', class: 'span-2', attrs: { maxlength: 200 } }),
    field({ name: 'email', type: 'email', label: t('profile.email'), required: true, autocomplete: 'email', testid: 'register-email', class: 'span-2', hint: t('register.email_hint'), attrs: { spellcheck: 'false', autocapitalize: 'off', inputmode: 'email' } }),
    field({ name: 'organisation', label: t('profile.organisation'), required: true, autocomplete: 'organization', testid: 'register-organisation', attrs: { maxlength: 200 } }),
    field({ name: 'job_title', label: t('profile.job_title'), optional: true, autocomplete: 'organization-title', testid: 'register-job-title', attrs: { maxlength: 200 } }),
    field({ name: 'phone', type: 'tel', label: t('profile.phone'), optional: true, autocomplete: 'tel', testid: 'register-phone', attrs: { maxlength: 50 } }),
    field({
      name: 'language', type: 'select', label: t('profile.language'), value: languages.includes(getLang()) ? getLang() : languages[0], testid: 'register-language',
      options: ['nl', 'en'].map((l) => ({ value: l, label: t(`lang.${l}`) })),
    }),
    h('p', { class: 'span-2 muted small' }, t('register.privacy')),
    h('div', { class: 'span-2 form-actions' }, button(t('register.submit'), { type: 'submit', iconName: 'arrowRight', testid: 'register-submit' })));

  onSubmit(form, async (data) => {
    await api.post(`/public/events/${slug}/registrations`, withoutEmpty(data));
    const approval = data.role === 'supplier' && event.supplier_approval_required;
    card.replaceChildren(h('div', { class: 'sent-state', 'data-testid': 'register-done' },
      h('div', { class: 'sent-icon' }, icon('mail')),
      h('h2', { class: 'card-title', tabindex: '-1' }, t('register.done_title')),
      h('p', {}, t('login.check_mail_text_before'), ' ', h('strong', {}, data.email), t('register.done_text_after')),
      approval ? notice('info', h('p', {}, t('register.done_approval'))) : null,
      h('p', { class: 'muted small' }, t('login.tip_spam'))));
    card.querySelector('h2').focus();
  });

  card.append(h('h2', { class: 'card-title' }, t('register.form_title')), form);
  view.replaceChildren(h('section', { class: 'register-layout' }, facts, card));
}
