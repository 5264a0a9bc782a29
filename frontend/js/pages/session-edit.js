// /events/{id}/sessions/new and /events/{id}/sessions/{sid}/edit: the organisers' form for
// one session: kind, titles and descriptions in Dutch and English, product group, themes,
// room, day and times, seats in all and per role, facilitators, when sign-up opens and
// closes, and for a pitch session its line-up with order and minutes.

import { h, icon, toast, uid, notice } from '../dom.js';
import { t, tn, termName, errorMessage, localText } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { field, checkboxGroup, button, onSubmit, confirmDialog, withBusy, showFieldProblems, showFormError } from '../forms.js';
import { formatDate, addDays, timeZoneLabel, toMinutes, fromMinutes, toZonedInput, fromZonedInput } from '../format.js';
import { KINDS } from '../components/sessions.js';

const MAX_LINEUP = 50;

function eventDays(event) {
  const days = [];
  for (let d = event.start_date; d <= (event.end_date || event.start_date) && days.length < 60; d = addDays(d, 1)) days.push(d);
  return days;
}

/** A session's time conflict with other sessions of its people, in the reader's words. */
function overlapText(err) {
  const other = err.details?.session;
  if (!other) return errorMessage(err);
  return tn('session_form.time_conflict', err.details.people || 1, { title: localText(other, 'title'), date: formatDate(other.date, 'short'), time: `${other.start}–${other.end}` });
}

/** The pitch line-up: rows of organisation and minutes, in order, with the times they give. */
function lineupEditor({ organisations, turns, sessionStart }) {
  const rows = h('ol', { class: 'lineup-rows plain-list', role: 'list', 'data-testid': 'lineup-rows' });
  const summary = h('p', { class: 'field-hint', 'aria-live': 'polite', 'data-testid': 'lineup-summary' });
  const errorId = uid('lineup-error');
  let sessionMinutes = null;
  let startMinute = toMinutes(sessionStart);

  function options(selected) {
    return [h('option', { value: '' }, t('session_form.choose_organisation')),
      ...organisations.map((o) => h('option', { value: o.id, selected: o.id === selected }, o.name))];
  }

  function renumber() {
    const all = [...rows.children];
    let at = startMinute;
    let total = 0;
    all.forEach((li, i) => {
      li.querySelector('.lineup-position').textContent = String(i + 1);
      const org = li.querySelector('select');
      const minutes = li.querySelector('input');
      org.dataset.field = `lineup[${i}].organisation_id`;
      minutes.dataset.field = `lineup[${i}].minutes`;
      org.setAttribute('aria-label', t('session_form.pitch_organisation_n', { n: i + 1 }));
      minutes.setAttribute('aria-label', t('session_form.pitch_minutes_n', { n: i + 1 }));
      li.querySelector('[data-move="up"]').disabled = i === 0;
      li.querySelector('[data-move="down"]').disabled = i === all.length - 1;
      const m = Number(minutes.value) || 0;
      li.querySelector('.lineup-at').textContent = at !== null && m ? `${fromMinutes(at)}–${fromMinutes(at + m)}` : '';
      if (at !== null) at += m;
      total += m;
    });
    summary.textContent = all.length
      ? (sessionMinutes ? t('session_form.lineup_total', { total, length: sessionMinutes }) : tn('sessions.minutes', total))
      : t('session_form.lineup_empty');
    summary.classList.toggle('field-error', Boolean(sessionMinutes && total > sessionMinutes));
  }

  function addRow(turn = { organisation_id: '', minutes: 5 }, { focus = false } = {}) {
    if (rows.children.length >= MAX_LINEUP) return;
    const org = h('select', { 'data-testid': 'pitch-organisation', class: 'lineup-org-select' }, options(turn.organisation_id));
    const minutes = h('input', { type: 'number', min: 1, max: 240, value: turn.minutes, inputmode: 'numeric', 'data-testid': 'pitch-minutes', class: 'lineup-minutes' });
    const move = (dir) => h('button', {
      type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'data-move': dir,
      'aria-label': t(dir === 'up' ? 'session_form.move_up' : 'session_form.move_down'),
    }, icon(dir === 'up' ? 'arrowUp' : 'arrowDown'));
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-icon btn-danger-ghost', 'aria-label': t('session_form.remove_pitch'), 'data-testid': 'pitch-remove' }, icon('trash'));
    const li = h('li', { class: 'lineup-row', 'data-testid': 'lineup-row' },
      h('span', { class: 'lineup-position', 'aria-hidden': 'true' }),
      h('div', { class: 'field' }, org, h('p', { class: 'field-error', hidden: true })),
      h('div', { class: 'field lineup-minutes-field' }, h('span', { class: 'lineup-minutes-wrap' }, minutes, h('span', { class: 'muted small', 'aria-hidden': 'true' }, t('session_form.min'))), h('p', { class: 'field-error', hidden: true })),
      h('span', { class: 'lineup-at muted small' }),
      h('span', { class: 'row-actions' }, move('up'), move('down'), remove));
    li.addEventListener('click', (event) => {
      const target = event.target.closest('[data-move]');
      if (!target) return;
      const sibling = target.dataset.move === 'up' ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) return;
      if (target.dataset.move === 'up') rows.insertBefore(li, sibling);
      else rows.insertBefore(sibling, li);
      renumber();
      // Keep the focus on the button that moved the row, or its twin when that one is now disabled.
      (target.disabled ? li.querySelector(`[data-move="${target.dataset.move === 'up' ? 'down' : 'up'}"]`) : target).focus();
    });
    remove.addEventListener('click', () => {
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber();
      (next ? next.querySelector('select') : addButton).focus();
    });
    minutes.addEventListener('input', renumber);
    rows.append(li);
    renumber();
    if (focus) org.focus();
  }

  const addButton = button(t('session_form.add_pitch'), { kind: 'secondary', small: true, iconName: 'plus', testid: 'add-pitch', onClick: () => addRow(undefined, { focus: true }) });
  for (const turn of turns) addRow(turn);
  const el = h('fieldset', { class: 'field fieldset lineup-editor span-2', 'data-field': 'lineup', 'data-testid': 'lineup-editor', 'aria-describedby': errorId },
    h('legend', { class: 'field-label' }, t('session_form.lineup')),
    h('p', { class: 'field-hint' }, t('session_form.lineup_hint')),
    organisations.length ? null : notice('warn', h('p', {}, t('session_form.no_organisations'))),
    rows, summary,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
    h('div', {}, addButton));
  renumber();
  return {
    el,
    value: () => [...rows.children].map((li) => ({ organisation_id: li.querySelector('select').value, minutes: Number(li.querySelector('input').value) })),
    problems() {
      const out = [];
      [...rows.children].forEach((li, i) => {
        if (!li.querySelector('select').value) out.push({ field: `lineup[${i}].organisation_id`, code: 'required' });
        const m = Number(li.querySelector('input').value);
        if (!Number.isInteger(m) || m < 1 || m > 240) out.push({ field: `lineup[${i}].minutes`, code: 'out_of_range' });
      });
      return out;
    },
    setTimes(start, end) {
      startMinute = toMinutes(start);
      const a = toMinutes(start);
      const b = toMinutes(end);
      sessionMinutes = a !== null && b !== null && b > a ? b - a : null;
      renumber();
    },
  };
}

export default async function sessionEditPage({ view, params, setTitle, user, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const editing = Boolean(params.sid);
  const sessionPath = editing ? `/events/${eventId}/sessions/${encodeURIComponent(params.sid)}` : null;
  const [event, roomsBody, taxonomyBody, participantsBody, organisationsBody, session] = await Promise.all([
    api.get(`/events/${eventId}`),
    api.get(`/events/${eventId}/rooms`).catch(() => ({ rooms: [] })),
    api.get(`/events/${eventId}/taxonomy`).catch(() => ({ terms: [] })),
    api.get(`/events/${eventId}/participants`).catch(() => ({ participants: [] })),
    api.get(`/events/${eventId}/organisations`).catch(() => ({ organisations: [] })),
    editing ? api.get(sessionPath) : Promise.resolve(null),
  ]);
  if (!isCurrent()) return;
  if (event.my_role !== 'organiser' && !user.is_admin) throw new ApiError(403, 'forbidden', 'organisers only');
  const timeZone = event.timezone;
  const s = session || {
    kind: 'market_dialogue', title_nl: '', title_en: '', description_nl: '', description_en: '', product_group: null, themes: [], room: null,
    date: event.start_date, start: '', end: '', capacity: '', role_capacity: {}, facilitators: [], lineup: [], signup_opens_at: null, signup_closes_at: null,
  };
  setTitle(`${editing ? t('session_form.title_edit') : t('session_form.title_new')} · ${event.name}`);

  const terms = taxonomyBody.terms || [];
  const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0);
  const productGroups = terms.filter((x) => x.kind === 'product_group').sort(byPosition);
  const themes = terms.filter((x) => x.kind === 'dialogue_theme').sort(byPosition);
  const rooms = (roomsBody.rooms || []).sort((a, b) => a.name.localeCompare(b.name));
  // Leaders are the event's facilitators and organisers who take part; a leader of this
  // session who no longer does stays listed, so saving does not drop them unseen.
  const leaders = (participantsBody.participants || [])
    .filter((p) => ['facilitator', 'organiser'].includes(p.role) && ['invited', 'approved'].includes(p.status))
    .sort((a, b) => a.name.localeCompare(b.name));
  const chosenLeaders = (s.facilitators || []).map((f) => f.person_id).filter(Boolean);
  const organisations = (organisationsBody.organisations || []).sort((a, b) => a.name.localeCompare(b.name));
  for (const turn of s.lineup || []) {
    if (!organisations.some((o) => o.id === turn.organisation_id)) organisations.push({ id: turn.organisation_id, name: turn.organisation });
  }
  const days = eventDays(event);
  const back = `/events/${eventId}/setup/programme`;

  const lineup = lineupEditor({ organisations, turns: (s.lineup || []).map((x) => ({ organisation_id: x.organisation_id, minutes: x.minutes })), sessionStart: s.start });
  const kindField = field({
    name: 'kind', type: 'select', label: t('session_form.kind'), value: s.kind, required: true, testid: 'session-kind',
    options: KINDS.map((k) => ({ value: k, label: t(`sessions.kind.${k}`) })),
  });
  const startField = field({ name: 'start', type: 'time', label: t('session_form.start'), value: s.start, required: true, testid: 'session-start' });
  const endField = field({ name: 'end', type: 'time', label: t('session_form.end'), value: s.end, required: true, testid: 'session-end' });
  const capacityField = field({ name: 'capacity', type: 'number', label: t('session_form.capacity'), value: s.capacity, required: true, testid: 'session-capacity', hint: t('session_form.capacity_hint'), attrs: { min: 0, max: 100000, inputmode: 'numeric' } });
  const roleCapacity = (role) => field({
    name: `capacity_${role}`, field: `role_capacity.${role}`, type: 'number', optional: true, testid: `session-capacity-${role}`,
    label: t(`session_form.capacity_${role}`), value: s.role_capacity?.[role] ?? '', attrs: { min: 0, max: 100000, inputmode: 'numeric' },
  });
  const roomField = field({
    name: 'room_id', type: 'select', label: t('session_form.room'), value: s.room?.id || '', testid: 'session-room', optional: true,
    hint: rooms.length ? null : t('session_form.no_rooms'),
    options: [{ value: '', label: t('session_form.no_room') }, ...rooms.map((r) => ({ value: r.id, label: r.capacity ? t('session_form.room_option', { name: r.name, n: r.capacity }) : r.name }))],
  });
  const roomHint = h('p', { class: 'field-hint', 'aria-live': 'polite' });
  roomField.append(roomHint);

  const form = h('form', { class: 'form-grid session-form', 'data-testid': 'session-form' },
    h('h2', { class: 'span-2 subsection-title' }, t('session_form.section_what')),
    kindField,
    field({
      name: 'product_group', type: 'select', label: t('session_form.product_group'), value: s.product_group?.code || '', optional: true, testid: 'session-product-group',
      options: [{ value: '', label: t('session_form.no_product_group') }, ...productGroups.map((g) => ({ value: g.code, label: termName(g) }))],
    }),
    field({ name: 'title_nl', label: t('session_form.title_nl'), value: s.title_nl, required: true, testid: 'session-title-nl', attrs: { maxlength: 200, lang: 'nl' } }),
    field({ name: 'title_en', label: t('session_form.title_en'), value: s.title_en, required: true, testid: 'session-title-en', attrs: { maxlength: 200, lang: 'en' } }),
    field({ name: 'description_nl', type: 'textarea', label: t('session_form.description_nl'), value: s.description_nl, optional: true, testid: 'session-description-nl', attrs: { maxlength: 5000, lang: 'nl' } }),
    field({ name: 'description_en', type: 'textarea', label: t('session_form.description_en'), value: s.description_en, optional: true, testid: 'session-description-en', attrs: { maxlength: 5000, lang: 'en' } }),
    themes.length ? h('div', { class: 'span-2' }, checkboxGroup({
      name: 'themes', legend: t('session_form.themes'), testid: 'session-themes', hint: t('session_form.themes_hint'),
      options: themes.map((x) => ({ value: x.code, label: termName(x) })), values: (s.themes || []).map((x) => x.code),
    })) : null,

    h('h2', { class: 'span-2 subsection-title' }, t('session_form.section_when')),
    days.length > 1
      ? field({ name: 'date', type: 'select', label: t('session_form.date'), value: s.date, required: true, testid: 'session-date', options: days.map((d) => ({ value: d, label: formatDate(d) })) })
      : h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('session_form.date')), h('p', { class: 'readonly-value' }, formatDate(days[0])), h('input', { type: 'hidden', name: 'date', value: days[0] })),
    roomField,
    h('div', { class: 'field-pair span-2' }, startField, endField),
    h('p', { class: 'span-2 field-hint' }, t('session_form.times_hint', { tz: timeZoneLabel(timeZone, s.date) })),

    h('h2', { class: 'span-2 subsection-title' }, t('session_form.section_seats')),
    capacityField,
    h('div', { class: 'field-pair' }, roleCapacity('buyer'), roleCapacity('supplier')),
    field({
      name: 'signup_opens_at', type: 'datetime-local', label: t('session_form.opens'), optional: true, testid: 'session-opens',
      value: toZonedInput(s.signup_opens_at, timeZone), hint: t('session_form.opens_hint', { tz: timeZone }),
    }),
    field({
      name: 'signup_closes_at', type: 'datetime-local', label: t('session_form.closes'), optional: true, testid: 'session-closes',
      value: toZonedInput(s.signup_closes_at, timeZone), hint: t('session_form.closes_hint', { tz: timeZone }),
    }),

    h('h2', { class: 'span-2 subsection-title' }, t('session_form.section_people')),
    h('div', { class: 'span-2' }, leaders.length || chosenLeaders.length
      ? checkboxGroup({
        name: 'facilitators', legend: t('session_form.facilitators'), testid: 'session-facilitators', hint: t('session_form.facilitators_hint'),
        values: chosenLeaders,
        options: [
          ...leaders.map((p) => ({ value: p.person_id, label: [p.name, p.organisation].filter(Boolean).join(' · ') })),
          ...(s.facilitators || []).filter((f) => f.person_id && !leaders.some((p) => p.person_id === f.person_id)).map((f) => ({ value: f.person_id, label: f.name })),
        ],
      })
      : h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('session_form.facilitators')), h('p', { class: 'field-hint' }, t('session_form.no_facilitators')))),
    lineup.el,
    h('div', { class: 'span-2 form-actions' },
      button(editing ? t('common.save_changes') : t('session_form.create'), { type: 'submit', iconName: 'check', testid: 'session-submit' }),
      h('a', { class: 'btn btn-ghost', href: back }, t('common.cancel'))));

  const kindControl = kindField.control;
  const syncKind = () => { lineup.el.hidden = kindControl.value !== 'pitch'; };
  kindControl.addEventListener('change', syncKind);
  syncKind();
  const syncTimes = () => lineup.setTimes(startField.control.value, endField.control.value);
  startField.control.addEventListener('input', syncTimes);
  endField.control.addEventListener('input', syncTimes);
  syncTimes();
  // A room holds so many people: say so when the session would hold more.
  const syncRoom = () => {
    const room = rooms.find((r) => r.id === roomField.control.value);
    const capacity = Number(capacityField.control.value);
    roomHint.textContent = room && room.capacity && capacity > room.capacity ? t('session_form.room_too_small', { n: room.capacity }) : '';
  };
  roomField.control.addEventListener('change', syncRoom);
  capacityField.control.addEventListener('input', syncRoom);
  syncRoom();

  onSubmit(form, async (data) => {
    const body = {
      kind: data.kind,
      title_nl: data.title_nl,
      title_en: data.title_en,
      description_nl: data.description_nl,
      description_en: data.description_en,
      product_group: data.product_group || '',
      themes: data.themes || [],
      room_id: data.room_id || '',
      date: data.date,
      start: data.start,
      end: data.end,
      capacity: data.capacity,
      role_capacity: Object.fromEntries(['buyer', 'supplier'].filter((r) => data[`capacity_${r}`] !== null).map((r) => [r, data[`capacity_${r}`]])),
      facilitators: data.facilitators || [],
      signup_opens_at: data.signup_opens_at ? fromZonedInput(data.signup_opens_at, timeZone) : '',
      signup_closes_at: data.signup_closes_at ? fromZonedInput(data.signup_closes_at, timeZone) : '',
      lineup: lineupBody(),
    };
    try {
      const saved = editing ? await api.patch(sessionPath, body) : await api.post(`/events/${eventId}/sessions`, body);
      toast(t(editing ? 'session_form.saved' : 'session_form.created', { title: localText(saved, 'title') }));
      navigate(back);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'session_overlap') {
        showFieldProblems(form, [{ field: 'start', message: overlapText(err) }]);
        return;
      }
      throw err;
    }
  }, {
    validate: (data) => {
      const problems = [...lineup.problems()];
      if (data.kind === 'pitch') {
        const length = (toMinutes(data.end) ?? 0) - (toMinutes(data.start) ?? 0);
        const planned = lineup.value().reduce((sum, turn) => sum + (Number(turn.minutes) || 0), 0);
        if (length > 0 && planned > length) problems.push({ field: 'lineup', code: 'lineup_too_long' });
      }
      const a = toMinutes(data.start);
      const b = toMinutes(data.end);
      if (a !== null && b !== null && b <= a) problems.push({ field: 'end', code: 'end_before_start' });
      for (const role of ['buyer', 'supplier']) {
        const n = data[`capacity_${role}`];
        if (n !== null && data.capacity !== null && n > data.capacity) problems.push({ field: `role_capacity.${role}`, code: 'role_over_capacity' });
      }
      if (data.signup_opens_at && data.signup_closes_at && data.signup_closes_at <= data.signup_opens_at) problems.push({ field: 'signup_closes_at', code: 'closes_before_opens' });
      return problems;
    },
  });
  // The line-up is sent only for pitch sessions, or emptied when the kind changed away from it.
  function lineupBody() {
    return kindControl.value === 'pitch' ? lineup.value() : [];
  }

  let dangerZone = null;
  if (editing) {
    const remove = button(t('sessions.delete'), { kind: 'danger', iconName: 'trash', testid: 'session-delete' });
    remove.addEventListener('click', async () => {
      const people = (session.confirmed_count || 0) + (session.waitlist_count || 0);
      if (!await confirmDialog({
        title: t('sessions.delete_title', { title: localText(session, 'title') }),
        text: people ? tn('sessions.delete_text_people', people) : t('sessions.delete_text'),
        confirmLabel: t('common.delete'),
      })) return;
      try {
        await withBusy(remove, () => api.del(sessionPath));
        toast(t('sessions.deleted', { title: localText(session, 'title') }));
        navigate(back);
      } catch (err) {
        showFormError(form, err);
      }
    });
    dangerZone = h('section', { class: 'card card-quiet', 'aria-labelledby': 'danger-h' },
      h('h2', { id: 'danger-h', class: 'card-title' }, t('session_form.delete_title')),
      h('p', { class: 'muted' }, t('session_form.delete_lead')),
      remove);
  }

  view.replaceChildren(h('section', { class: 'page-medium session-edit-page', 'data-testid': 'session-edit-page' },
    h('a', { class: 'back-link', href: back }, icon('arrowLeft'), h('span', {}, t('session_form.back'))),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, event.name),
        h('h1', {}, editing ? localText(session, 'title') : t('session_form.title_new')),
        editing ? h('p', { class: 'muted' }, h('a', { href: `${sessionPath}/signups` }, tn('session_form.signed_up', session.confirmed_count + session.waitlist_count))) : null)),
    h('div', { class: 'card' }, form),
    dangerZone));
}
