// The event details form, shared by "new event" (POST) and the set-up details tab (PATCH).

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, checkbox, checkboxGroup, button, onSubmit } from '../forms.js';
import { isValidTimeZone, timeZoneLabel, todayYmd, addDays } from '../format.js';

export const COMMON_TIME_ZONES = [
  'Europe/Brussels', 'Europe/Amsterdam', 'Europe/Luxembourg', 'Europe/Paris', 'Europe/Berlin', 'Europe/London',
  'Europe/Dublin', 'Europe/Lisbon', 'Europe/Madrid', 'Europe/Rome', 'Europe/Zurich', 'Europe/Vienna',
  'Europe/Copenhagen', 'Europe/Stockholm', 'Europe/Oslo', 'Europe/Helsinki', 'Europe/Warsaw', 'Europe/Prague',
  'Europe/Athens', 'UTC', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles',
  'America/Toronto', 'America/Sao_Paulo', 'Africa/Johannesburg', 'Africa/Nairobi', 'Asia/Dubai', 'Asia/Kolkata',
  'Asia/Singapore', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland',
];

const OTHER = '__other__';

function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A select of common zones with an "other" choice that reveals a free-text field. */
function timeZoneControl(value, dateForOffset) {
  // Most events are in Flanders; a browser in another listed zone (but not a server-ish UTC) suggests that zone.
  const browser = browserTimeZone();
  const initial = value || (COMMON_TIME_ZONES.includes(browser) && browser !== 'UTC' ? browser : 'Europe/Brussels');
  const known = COMMON_TIME_ZONES.includes(initial);
  const select = field({
    name: 'timezone_choice', field: 'timezone', type: 'select', label: t('event.timezone'), required: true,
    hint: t('event.timezone_hint'), testid: 'event-timezone',
    value: known ? initial : OTHER,
    options: [
      ...COMMON_TIME_ZONES.map((zone) => ({ value: zone, label: timeZoneLabel(zone, dateForOffset) })),
      { value: OTHER, label: t('event.timezone_other_option') },
    ],
  });
  const other = field({
    name: 'timezone_other', field: 'timezone_other', label: t('event.timezone_other'), value: known ? '' : initial,
    placeholder: 'Europe/Brussels', testid: 'event-timezone-other', attrs: { spellcheck: 'false', autocapitalize: 'off' },
  });
  const sync = () => {
    const isOther = select.control.value === OTHER;
    other.hidden = !isOther;
    other.control.disabled = !isOther;
    other.control.required = isOther;
  };
  select.control.addEventListener('change', () => {
    sync();
    if (select.control.value === OTHER) other.control.focus();
  });
  sync();
  return h('div', { class: 'field-pair' }, select, other);
}

/** Turn the form's raw values into the API's event body. */
export function eventBody(data) {
  const timezone = data.timezone_choice === OTHER ? data.timezone_other : data.timezone_choice;
  const body = {
    name: data.name,
    slug: data.slug,
    start_date: data.start_date,
    // The server reads null as "unchanged"; a one-day event ends on its start date.
    end_date: data.end_date || data.start_date,
    timezone,
    venue: data.venue,
    description_nl: data.description_nl,
    description_en: data.description_en,
    languages: data.languages,
    registration_open: data.registration_open,
    supplier_approval_required: data.supplier_approval_required,
    catalogue_public: data.catalogue_public,
    factsheet_review_changes: data.factsheet_review_changes,
    colour: data.colour,
  };
  return body;
}

function validate(data) {
  const problems = [];
  const timezone = data.timezone_choice === OTHER ? data.timezone_other : data.timezone_choice;
  if (data.timezone_choice === OTHER && timezone && !isValidTimeZone(timezone)) problems.push({ field: 'timezone_other', code: 'invalid_timezone' });
  if (data.end_date && data.start_date && data.end_date < data.start_date) problems.push({ field: 'end_date', code: 'end_before_start' });
  return problems;
}

/**
 * Build the form. `event` prefills it (edit); `onSave(body)` is called with the API body.
 * Server errors on `timezone` land on the select, or on the free-text field when it is in use.
 */
export function eventForm({ event = null, submitLabel, onSave, testid = 'event-form' }) {
  const start = event ? event.start_date : addDays(todayYmd(), 30);
  const form = h('form', { class: 'form-grid', 'data-testid': testid },
    field({ name: 'name', label: t('event.name'), value: event?.name, required: true, testid: 'event-name', class: 'span-2', attrs: { maxlength: 200 } }),
    field({
      name: 'slug', label: t('event.slug'), value: event?.slug, optional: true, hint: t('event.slug_hint'), testid: 'event-slug', class: 'span-2',
      attrs: { pattern: '[a-z0-9-]*', spellcheck: 'false', autocapitalize: 'off', maxlength: 80 },
    }),
    field({ name: 'start_date', type: 'date', label: t('event.start_date'), value: start, required: true, hint: t('event.start_date_hint'), testid: 'event-start-date' }),
    field({ name: 'end_date', type: 'date', label: t('event.end_date'), value: event?.end_date && event.end_date !== event.start_date ? event.end_date : '', optional: true, hint: t('event.end_date_hint'), testid: 'event-end-date' }),
    h('div', { class: 'span-2' }, timeZoneControl(event?.timezone, start)),
    field({ name: 'venue', label: t('event.venue'), value: event?.venue, optional: true, hint: t('event.venue_hint'), testid: 'event-venue', class: 'span-2' }),
    field({ name: 'colour', type: 'color', label: t('event.colour'), value: event?.colour || '#1f7a4d', hint: t('event.colour_hint'), testid: 'event-colour' }),
    h('p', { class: 'span-2 field-hint' }, t('event.description_hint')),
    ...['nl', 'en'].map((lang) => field({
      name: `description_${lang}`, type: 'textarea', label: t(`event.description_${lang}`), value: event?.[`description_${lang}`],
      optional: true, rows: 4, testid: `event-description-${lang}`, attrs: { lang, maxlength: 5000 },
    })),
    h('div', { class: 'span-2' }, checkboxGroup({
      name: 'languages', legend: t('event.languages'), hint: t('event.languages_hint'), min: 1, testid: 'event-languages',
      values: event?.languages || ['nl', 'en'],
      options: [{ value: 'nl', label: t('lang.nl') }, { value: 'en', label: t('lang.en') }],
    })),
    h('div', { class: 'span-2 stack-sm' },
      checkbox({ name: 'registration_open', label: t('event.registration_open'), hint: t('event.registration_open_hint'), checked: event ? event.registration_open : false, testid: 'event-registration-open' }),
      checkbox({ name: 'supplier_approval_required', label: t('event.supplier_approval'), hint: t('event.supplier_approval_hint'), checked: event ? event.supplier_approval_required : true, testid: 'event-supplier-approval' }),
      checkbox({ name: 'catalogue_public', label: t('event.catalogue_public'), hint: t('event.catalogue_public_hint'), checked: event ? event.catalogue_public : false, testid: 'event-catalogue-public' }),
      checkbox({ name: 'factsheet_review_changes', label: t('event.review_changes'), hint: t('event.review_changes_hint'), checked: event ? event.factsheet_review_changes : true, testid: 'event-review-changes' })),
    h('div', { class: 'span-2 form-actions' }, button(submitLabel, { type: 'submit', testid: 'event-submit', iconName: 'check' })));
  onSubmit(form, (data) => onSave(eventBody(data)), { validate, conflict: { field: 'slug', code: 'slug_taken' } });
  return form;
}
