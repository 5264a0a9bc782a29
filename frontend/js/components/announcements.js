// Announcements on the event page: the connection indicator, the list, the banner for a
// newly arrived one, and the organisers' compose form with its people picker.

import { h, icon, uid, emptyState, notice, toast } from '../dom.js';
import { t, tn, getLang, errorMessage } from '../i18n.js';
import { api } from '../api.js';
import { field, button, onSubmit, checkbox, checkboxGroup } from '../forms.js';
import { formatInstant } from '../format.js';

export const ROLES = ['buyer', 'supplier', 'facilitator', 'organiser'];
const AUDIENCES = ['everyone', 'roles', 'people'];
const MAX_LENGTH = 2000;

/** The text in the interface language, else the other one; with the language it is in. */
export function announcementText(item) {
  const nl = (item.body_nl || '').trim();
  const en = (item.body_en || '').trim();
  if (getLang() === 'nl') return nl ? { text: nl, lang: 'nl' } : { text: en, lang: 'en' };
  return en ? { text: en, lang: 'en' } : { text: nl, lang: 'nl' };
}

/** A small pill that says whether the page is live; its text is a polite live region. */
export function liveIndicator(connection) {
  const text = h('span', { class: 'live-text' });
  const el = h('p', { class: 'live-indicator', role: 'status', 'aria-live': 'polite', 'data-testid': 'live-status' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }), text);
  connection.onState((state) => {
    el.dataset.state = state;
    text.textContent = t(`live.state.${state}`);
    el.title = t(`live.state_hint.${state}`);
  });
  return el;
}

function audienceText(item, isOrganiser) {
  if (item.audience === 'roles' && item.roles?.length) {
    return t('announcements.to_roles', { roles: item.roles.map((r) => t(`role_plural.${r}`)).join(', ') });
  }
  if (item.audience === 'people') {
    return isOrganiser && item.people?.length ? tn('announcements.to_people', item.people.length) : t('announcements.to_you');
  }
  return isOrganiser ? t('announcements.to_everyone') : null;
}

function announcementItem(item, { timeZone, isOrganiser, fresh = false }) {
  const { text, lang } = announcementText(item);
  const audience = audienceText(item, isOrganiser);
  return h('li', { class: ['announcement', fresh && 'announcement-fresh'], 'data-testid': 'announcement', 'data-id': item.id },
    h('p', { class: 'announcement-text prose', lang }, text),
    h('p', { class: 'announcement-meta muted small' },
      item.author ? h('span', {}, item.author) : null,
      h('time', { datetime: item.created_at }, formatInstant(item.created_at, timeZone)),
      audience ? h('span', { class: 'badge badge-muted' }, audience) : null,
      isOrganiser && item.emails ? h('span', { class: 'badge badge-muted', 'data-testid': 'announcement-emails' },
        t('announcements.emails', item.emails)) : null));
}

/**
 * The announcements card. Returns { card, add(item, {fresh}), has(id), reload() }.
 * `items` is the list from the API (newest first).
 */
export function announcementsCard({ eventId, items, timeZone, isOrganiser, compose = null }) {
  const list = h('ul', { class: 'announcement-list plain-list', 'data-testid': 'announcement-list', 'aria-labelledby': 'announcements-h' });
  const empty = emptyState({ iconName: 'megaphone', title: t('announcements.empty_title'), text: t('announcements.empty_text'), testid: 'announcements-empty' });
  const known = new Set();
  const error = h('div', {});

  function draw(all) {
    known.clear();
    list.replaceChildren(...all.map((item) => {
      known.add(item.id);
      return announcementItem(item, { timeZone, isOrganiser });
    }));
    empty.hidden = all.length > 0;
  }

  function add(item, { fresh = false } = {}) {
    if (!item || known.has(item.id)) return false;
    known.add(item.id);
    const el = announcementItem(item, { timeZone, isOrganiser, fresh });
    // Newest first; a replayed older one still goes where its time says.
    const at = Date.parse(item.created_at);
    const later = [...list.children].find((li) => Date.parse(li.querySelector('time')?.getAttribute('datetime')) < at);
    list.insertBefore(el, later || null);
    empty.hidden = true;
    return true;
  }

  async function reload() {
    try {
      const body = await api.get(`/events/${eventId}/announcements`);
      draw(body.announcements || []);
      error.replaceChildren();
    } catch (err) {
      error.replaceChildren(notice('error', h('p', {}, errorMessage(err))));
    }
  }

  draw(items);
  const card = h('section', { class: 'card no-print', 'aria-labelledby': 'announcements-h', 'data-testid': 'announcements' },
    h('h2', { id: 'announcements-h', class: 'card-title', tabindex: '-1' }, icon('megaphone'), h('span', {}, t('announcements.title'))),
    compose,
    error,
    empty,
    list);
  return { card, add, has: (id) => known.has(id), reload };
}

/** The banner at the top of the page; show(item) replaces what it shows. */
export function announcementBanner() {
  const region = h('div', { class: 'announcement-banner-region no-print', role: 'status', 'data-testid': 'announcement-banner-region' });
  function dismiss() {
    const hadFocus = region.contains(document.activeElement);
    region.replaceChildren();
    if (hadFocus) document.getElementById('announcements-h')?.focus?.();
  }
  function show(item) {
    const { text, lang } = announcementText(item);
    region.replaceChildren(h('div', { class: 'announcement-banner', 'data-testid': 'announcement-banner' },
      icon('megaphone', 'announcement-banner-icon'),
      h('div', { class: 'announcement-banner-body' },
        h('p', { class: 'announcement-banner-title' }, t('announcements.new')),
        h('p', { class: 'announcement-banner-text', lang }, text),
        item.author ? h('p', { class: 'small announcement-banner-meta' }, item.author) : null),
      h('button', {
        type: 'button', class: 'btn btn-ghost btn-sm btn-icon announcement-banner-close', 'aria-label': t('announcements.dismiss'),
        'data-testid': 'announcement-dismiss', onClick: dismiss,
      }, icon('x'))));
  }
  return { region, show, dismiss };
}

/** A searchable list of checkboxes for choosing people; its inputs are named `people`. */
function peoplePicker(eventId) {
  const legendId = uid('people');
  const errorId = uid('people-error');
  const search = h('input', { type: 'search', 'data-testid': 'announce-people-search', placeholder: t('announcements.people_search_placeholder'), 'aria-label': t('announcements.people_search'), autocomplete: 'off' });
  const options = h('ul', { class: 'picker-options plain-list', 'data-testid': 'announce-people-options' });
  const chosen = h('p', { class: 'picker-chosen small muted', 'aria-live': 'polite' });
  const status = h('p', { class: 'small muted', role: 'status' });
  let loaded = false;

  function updateChosen() {
    const names = [...options.querySelectorAll('input:checked')].map((el) => el.dataset.name);
    chosen.textContent = names.length ? `${tn('announcements.people_chosen', names.length)}: ${names.join(', ')}` : t('announcements.people_none');
  }

  function filter() {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const li of options.children) {
      const match = !q || li.dataset.search.includes(q) || li.querySelector('input').checked;
      li.hidden = !match;
      if (match) shown += 1;
    }
    status.textContent = loaded && q ? tn('announcements.people_matches', shown) : '';
  }

  async function load() {
    if (loaded) return;
    loaded = true;
    status.textContent = t('common.loading');
    try {
      const { participants = [] } = await api.get(`/events/${eventId}/participants`);
      const active = participants.filter((p) => ['invited', 'registered', 'approved'].includes(p.status))
        .sort((a, b) => a.name.localeCompare(b.name));
      options.replaceChildren(...active.map((p) => {
        const id = uid('person');
        return h('li', { class: 'check', dataset: { search: `${p.name} ${p.email} ${p.organisation || ''}`.toLowerCase() } },
          h('input', { type: 'checkbox', id, name: 'people', value: p.person_id, dataset: { array: '1', name: p.name }, onChange: updateChosen, 'data-testid': 'announce-person' }),
          h('label', { for: id },
            h('span', { class: 'check-label' }, p.name),
            h('span', { class: 'field-hint' }, [p.organisation, t(`role.${p.role}`)].filter(Boolean).join(' · '))));
      }));
      status.textContent = active.length ? '' : t('announcements.people_empty');
      filter();
    } catch (err) {
      loaded = false;
      status.textContent = errorMessage(err);
    }
  }

  search.addEventListener('input', filter);
  updateChosen();
  const el = h('fieldset', { class: 'field fieldset picker', 'data-field': 'people', 'aria-describedby': errorId, 'aria-labelledby': legendId, 'data-testid': 'announce-people' },
    h('legend', { class: 'field-label', id: legendId }, t('announcements.people')),
    search, status, options, chosen,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
  return { el, load, reset: () => { search.value = ''; filter(); updateChosen(); } };
}

/**
 * The organisers' form. `onSent(item)` gets the announcement the server kept; `track(request)`
 * sees the request while it is under way.
 */
export function composeForm({ eventId, onSent, track = null }) {
  const audienceErrorId = uid('audience-error');
  const roles = checkboxGroup({
    name: 'roles', legend: t('announcements.roles'), testid: 'announce-roles',
    options: ROLES.map((r) => ({ value: r, label: t(`role_plural.${r}`) })),
  });
  const people = peoplePicker(eventId);
  const audience = h('fieldset', { class: 'field fieldset', 'data-field': 'audience', 'aria-describedby': audienceErrorId },
    h('legend', { class: 'field-label' }, t('announcements.audience')),
    h('div', { class: 'check-row' }, AUDIENCES.map((value) => {
      const id = uid('aud');
      return h('div', { class: 'check' },
        h('input', { type: 'radio', id, name: 'audience', value, checked: value === 'everyone', 'data-testid': `announce-audience-${value}`, onChange: sync }),
        h('label', { for: id }, h('span', { class: 'check-label' }, t(`announcements.audience_option.${value}`))));
    })),
    h('p', { class: 'field-error', id: audienceErrorId, hidden: true }));

  function chosenAudience() {
    return form.querySelector(`input[name="audience"]:checked`)?.value || 'everyone';
  }

  function sync() {
    const value = chosenAudience();
    roles.hidden = value !== 'roles';
    people.el.hidden = value !== 'people';
    if (value === 'people') people.load();
  }

  const form = h('form', { class: 'compose-form stack', 'data-testid': 'announce-form', 'aria-label': t('announcements.compose_title') },
    h('p', { class: 'field-hint' }, t('announcements.compose_hint')),
    h('div', { class: 'field-pair' },
      field({ name: 'body_nl', type: 'textarea', label: t('announcements.body_nl'), rows: 3, testid: 'announce-body-nl', attrs: { lang: 'nl', maxlength: MAX_LENGTH } }),
      field({ name: 'body_en', type: 'textarea', label: t('announcements.body_en'), rows: 3, testid: 'announce-body-en', attrs: { lang: 'en', maxlength: MAX_LENGTH } })),
    audience,
    roles,
    people.el,
    checkbox({ name: 'email', label: t('announcements.email'), hint: t('announcements.email_hint'), testid: 'announce-email' }),
    h('div', { class: 'form-actions' }, button(t('announcements.send'), { type: 'submit', iconName: 'megaphone', testid: 'announce-submit' })));
  sync();

  onSubmit(form, async (data) => {
    const body = { body_nl: data.body_nl, body_en: data.body_en, audience: data.audience || 'everyone', email: Boolean(data.email) };
    if (body.audience === 'roles') body.roles = data.roles || [];
    if (body.audience === 'people') body.people = data.people || [];
    const request = api.post(`/events/${eventId}/announcements`, body);
    if (track) track(request);
    const item = await request;
    form.reset();
    people.reset();
    sync();
    toast(t('announcements.sent'));
    onSent(item);
  }, {
    validate: (data) => {
      const problems = [];
      if (!data.body_nl && !data.body_en) problems.push({ field: 'body_en', code: 'announcement_empty' });
      if (data.audience === 'roles' && !(data.roles || []).length) problems.push({ field: 'roles', code: 'choose_role' });
      if (data.audience === 'people' && !(data.people || []).length) problems.push({ field: 'people', code: 'choose_person' });
      return problems;
    },
  });

  const details = h('details', { class: 'add-details compose-details', 'data-testid': 'announce-compose' },
    h('summary', {}, icon('plus'), h('span', {}, t('announcements.compose_title'))),
    form);
  return details;
}
