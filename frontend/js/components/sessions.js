// The programme's sessions as every page shows them: kind and time, seats, the caller's
// sign-up, refusals in plain words, the day view by room, and a store that live messages
// (docs/live.md: session_seats, session_changed, session_deleted, my_signup) keep current.

import { h, icon, uid } from '../dom.js';
import { t, tn, termName, localText, textLang } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { formatDate, formatInstant, toMinutes, todayIn } from '../format.js';

const AGENDA_FIRST_KEY = 'mf.agenda.first.';

/**
 * On a phone, on the day of an event one takes part in (as buyer, supplier or facilitator:
 * organisers run the day from elsewhere), the personal agenda is the first screen after
 * login: the first event page or "My events" shown in this browser tab on that day goes to
 * the agenda instead, once per event, so both can be reached afterwards.
 * Returns the event to show the agenda of (and remembers it), or null.
 */
export function agendaFirst(events) {
  if (!window.matchMedia('(max-width: 720px)').matches) return null;
  const today = events
    .filter((e) => ['buyer', 'supplier', 'facilitator'].includes(e.my_role) && ['invited', 'approved'].includes(e.my_status))
    .filter((e) => {
      const day = todayIn(e.timezone);
      return e.start_date <= day && day <= (e.end_date || e.start_date);
    })
    .sort((a, b) => a.start_date.localeCompare(b.start_date));
  try {
    const event = today.find((e) => !sessionStorage.getItem(AGENDA_FIRST_KEY + e.id));
    if (!event) return null;
    sessionStorage.setItem(AGENDA_FIRST_KEY + event.id, '1');
    return event;
  } catch {
    // No storage (private mode): never redirect, or "My events" could not be reached.
    return null;
  }
}

export const KINDS = ['market_dialogue', 'pitch', 'plenary', 'networking'];
const KIND_ICONS = { market_dialogue: 'users', pitch: 'megaphone', plenary: 'layers', networking: 'handshake' };
export const SIGNUP_ROLES = ['buyer', 'supplier'];

/** Sessions in time order (day, start, end, title), as the API sends them. */
export function byTime(a, b) {
  return String(a.date).localeCompare(String(b.date)) || (toMinutes(a.start) - toMinutes(b.start))
    || (toMinutes(a.end) - toMinutes(b.end)) || localText(a, 'title').localeCompare(localText(b, 'title'));
}

export function kindBadge(kind) {
  return h('span', { class: `badge badge-kind badge-kind-${kind}`, 'data-testid': 'session-kind' }, icon(KIND_ICONS[kind] || 'calendar'), t(`sessions.kind.${kind}`));
}

export function sessionTitle(s) {
  return { text: localText(s, 'title'), lang: textLang(s, 'title') };
}

/** "14:00–15:00" as two <time> elements. */
export function timeRange(s, className = 'session-time') {
  return h('span', { class: className },
    h('time', { datetime: `${s.date}T${s.start}` }, s.start), '–', h('time', { datetime: `${s.date}T${s.end}` }, s.end));
}

/** Whether a new sign-up of someone in `role` would land on the waitlist. */
export function fullFor(s, role) {
  if (s.seats_left <= 0) return true;
  const limit = s.role_capacity && s.role_capacity[role];
  if (limit === undefined || limit === null) return false;
  return (s.confirmed_by_role?.[role] ?? 0) >= limit;
}

/** The seat counts: "12 of 20 seats taken · 3 on the waitlist", per role when limited, and a bar. */
export function seatsBlock(s, { compact = false } = {}) {
  const full = s.seats_left <= 0;
  const text = compact
    ? t('sessions.seats_compact', { taken: s.confirmed_count, capacity: s.capacity })
    : tn('sessions.seats_taken', s.capacity, { taken: s.confirmed_count, capacity: s.capacity });
  const perRole = SIGNUP_ROLES.filter((role) => s.role_capacity && s.role_capacity[role] !== undefined && s.role_capacity[role] !== null)
    .map((role) => t('sessions.seats_role', { role: t(`role_plural.${role}`), taken: s.confirmed_by_role?.[role] ?? 0, capacity: s.role_capacity[role] }));
  const bar = h('span', { class: 'seat-bar', 'aria-hidden': 'true' }, h('span', { class: 'seat-bar-fill' }));
  const ratio = s.capacity > 0 ? Math.min(1, s.confirmed_count / s.capacity) : 1;
  bar.firstChild.style.width = `${Math.round(ratio * 100)}%`;
  return h('div', { class: ['seats', full && 'seats-full', compact && 'seats-compact'], 'data-testid': 'session-seats' },
    h('p', { class: 'seats-line' },
      h('span', { 'data-testid': 'seats-taken' }, text),
      full ? h('span', { class: 'badge badge-full' }, t('sessions.full')) : null,
      s.waitlist_count > 0 ? h('span', { class: 'seats-waitlist', 'data-testid': 'seats-waitlist' }, tn('sessions.waitlist_count', s.waitlist_count)) : null),
    compact ? null : bar,
    !compact && perRole.length ? h('p', { class: 'seats-roles small muted' }, perRole.join(' · ')) : null);
}

/** The caller's own sign-up as a badge; null without one. */
export function mySignupBadge(s) {
  const mine = s.my_signup;
  if (s.i_facilitate) return h('span', { class: 'badge badge-mine badge-mine-lead', 'data-testid': 'my-signup-status', 'data-status': 'facilitator' }, icon('user'), t('sessions.you_lead'));
  if (!mine) return null;
  if (mine.status === 'confirmed') {
    return h('span', { class: 'badge badge-mine badge-mine-confirmed', 'data-testid': 'my-signup-status', 'data-status': 'confirmed' }, icon('check'), t('sessions.status_confirmed'));
  }
  return h('span', { class: 'badge badge-mine badge-mine-waitlisted', 'data-testid': 'my-signup-status', 'data-status': 'waitlisted' },
    icon('clock'), mine.waitlist_position ? t('sessions.status_waitlisted_n', { n: mine.waitlist_position }) : t('sessions.status_waitlisted'));
}

/** Why a sign-up (or cancelling) was refused, in the reader's words; the overlap names the other session. */
export function refusalMessage(err, timeZone) {
  if (!(err instanceof ApiError)) return t('error.internal');
  const details = err.details || {};
  if (err.code === 'signup_not_open') return t('sessions.refused.not_open', { at: formatInstant(details.opens_at, timeZone) });
  if (err.code === 'signup_closed') return t('sessions.refused.closed', { at: formatInstant(details.closed_at, timeZone) });
  if (err.code === 'session_overlap' && details.session) {
    const other = details.session;
    return t('sessions.refused.overlap', { title: localText(other, 'title'), date: formatDate(other.date, 'short'), time: `${other.start}–${other.end}` });
  }
  if (err.code === 'not_found') return t('sessions.refused.gone');
  if (err.code === 'forbidden') return t('sessions.refused.not_participant');
  if (err.code === 'network') return t('error.network');
  return err.message || t('error.internal');
}

/** The line-up of a pitch session: order, time, organisation, minutes. */
export function lineupList(s) {
  if (!s.lineup || !s.lineup.length) return null;
  return h('ol', { class: 'lineup', 'data-testid': 'session-lineup', 'aria-label': t('sessions.lineup') },
    s.lineup.map((turn) => h('li', { class: 'lineup-turn' },
      h('span', { class: 'lineup-time' }, h('time', {}, turn.start), '–', h('time', {}, turn.end)),
      h('span', { class: 'lineup-org' }, turn.organisation),
      h('span', { class: 'muted small' }, tn('sessions.minutes', turn.minutes)))));
}

/** Room, product group, facilitators: the facts line under a title. */
export function sessionFacts(s, { withRoom = true } = {}) {
  const facts = [
    withRoom && s.room ? h('span', { class: 'session-fact', 'data-testid': 'session-room' }, icon('pin'), h('span', {}, s.room.name)) : null,
    s.product_group ? h('span', { class: 'session-fact' }, icon('layers'), h('span', {}, termName(s.product_group))) : null,
    s.facilitators && s.facilitators.length ? h('span', { class: 'session-fact' }, icon('user'),
      h('span', {}, t('sessions.led_by', { names: s.facilitators.map((f) => f.organisation ? `${f.name} (${f.organisation})` : f.name).join(', ') }))) : null,
  ].filter(Boolean);
  return facts.length ? h('p', { class: 'session-facts' }, facts) : null;
}

/** What the session is about: description, themes and line-up, folded away in a list. */
export function sessionAbout(s, { open = false } = {}) {
  const description = localText(s, 'description');
  const themes = s.themes && s.themes.length ? h('ul', { class: 'chips', role: 'list', 'aria-label': t('sessions.themes') }, s.themes.map((x) => h('li', { class: 'chip' }, termName(x)))) : null;
  const lineup = lineupList(s);
  if (!description && !themes && !lineup) return null;
  return h('details', { class: 'session-about', open },
    h('summary', {}, t(lineup ? 'sessions.about_lineup' : 'sessions.about')),
    description ? h('p', { class: 'prose', lang: textLang(s, 'description') }, description) : null,
    themes,
    lineup);
}

/**
 * The sessions of a page by id; `apply` merges a change (a live message, an answer) and
 * calls the listeners of that session, `replace` keeps the caller's own fields when the
 * new view is a public one (live messages carry no personal data).
 */
export function createStore(sessions) {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const listeners = new Map();
  const seatVersions = new Map();
  const notify = (id) => {
    for (const fn of listeners.get(id) || []) fn(byId.get(id) || null);
  };
  return {
    /** Everything afresh (after a gap, or when sign-up opened or closed). */
    load(fresh) {
      byId.clear();
      for (const s of fresh) byId.set(s.id, s);
    },
    get: (id) => byId.get(id) || null,
    all: () => [...byId.values()],
    has: (id) => byId.has(id),
    /** Seat counts from the live channel; newer than any answer that was under way. */
    seats(counts) {
      const s = byId.get(counts.session_id);
      if (!s) return;
      seatVersions.set(s.id, (seatVersions.get(s.id) || 0) + 1);
      const rest = { ...counts };
      delete rest.session_id;
      byId.set(s.id, { ...s, ...rest });
      notify(s.id);
    },
    seatVersion: (id) => seatVersions.get(id) || 0,
    apply(id, patch) {
      const s = byId.get(id);
      if (!s) return;
      byId.set(id, { ...s, ...patch });
      notify(id);
    },
    replace(next, { personal = true } = {}) {
      const before = byId.get(next.id);
      const merged = personal || !before ? next : { ...next, my_signup: before.my_signup, my_question: before.my_question, i_facilitate: before.i_facilitate };
      byId.set(next.id, merged);
      notify(next.id);
    },
    remove(id) {
      if (!byId.delete(id)) return;
      notify(id);
    },
    on(id, fn) {
      if (!listeners.has(id)) listeners.set(id, new Set());
      listeners.get(id).add(fn);
    },
    clearListeners() {
      listeners.clear();
    },
  };
}

/**
 * Keep `store` current from the event's live connection. `onStructure()` is called when a
 * session was added, changed by an organiser, or deleted (the page draws again);
 * `onGap()` when missed messages cannot be replayed (the page fetches everything again);
 * `onMine(session, message)` when the caller's own sign-up changed.
 */
export function wireLive(connection, store, { eventId, onStructure, onGap, onMine = null }) {
  const refreshing = new Map();
  // A seat freed ahead of me moves me up the waitlist; only my own view says where I stand now.
  const refreshMine = (id) => {
    clearTimeout(refreshing.get(id));
    refreshing.set(id, setTimeout(async () => {
      refreshing.delete(id);
      try {
        const fresh = await api.get(`/events/${eventId}/sessions/${encodeURIComponent(id)}`);
        if (store.has(id)) store.replace(fresh);
      } catch { /* the next message or a reload catches up */ }
    }, 300));
  };
  connection.subscribe('session_seats', (message) => {
    const counts = message.payload;
    if (!counts || !store.has(counts.session_id)) return;
    store.seats(counts);
    if (store.get(counts.session_id)?.my_signup?.status === 'waitlisted') refreshMine(counts.session_id);
  });
  connection.subscribe('session_changed', (message) => {
    const next = message.payload;
    if (!next || !next.id) return;
    // Title, time, room or kind may have changed: the page draws the session again.
    store.replace(next, { personal: false });
    onStructure();
  });
  connection.subscribe('session_deleted', (message) => {
    const id = message.payload?.session_id;
    if (!id || !store.has(id)) return;
    store.remove(id);
    onStructure();
  });
  connection.subscribe('my_signup', (message) => {
    const change = message.payload;
    if (!change || !store.has(change.session_id)) return;
    const mine = change.status ? { status: change.status, waitlist_position: change.waitlist_position ?? null } : null;
    // Taken off: the question ahead went with the sign-up.
    store.apply(change.session_id, mine ? { my_signup: mine } : { my_signup: null, my_question: null });
    if (onMine) onMine(store.get(change.session_id), change);
  });
  connection.subscribe('gap', () => onGap());
}

/** The sentence that tells someone their sign-up changed without them (live). */
export function changeText(s, change) {
  const title = localText(s, 'title');
  if (change.reason === 'promoted' || (change.reason === 'added' && change.status === 'confirmed')) return t('sessions.told.promoted', { title });
  if (change.reason === 'removed' || change.reason === 'session_deleted') return t('sessions.told.removed', { title });
  if (change.reason === 'moved' && change.waitlist_position) return t('sessions.told.moved', { title, n: change.waitlist_position });
  return null;
}

/**
 * The day view: rooms as columns and time downwards on a wide screen; on a phone the same
 * list reads in time order with the room in each entry. `cell(s)` draws one session.
 */
export function roomGrid(sessions, rooms, cell) {
  const STEP = 5;
  const used = new Set(sessions.map((s) => s.room?.id || ''));
  const columns = rooms.filter((r) => used.has(r.id)).map((r) => ({ id: r.id, name: r.name }));
  if (used.has('')) columns.push({ id: '', name: t('sessions.no_room') });
  const first = Math.floor(Math.min(...sessions.map((s) => toMinutes(s.start))) / 30) * 30;
  const last = Math.ceil(Math.max(...sessions.map((s) => toMinutes(s.end))) / 30) * 30;
  const rowOf = (minutes) => 2 + Math.round((minutes - first) / STEP);
  // Only the sessions are list items; room names and hour marks are drawn for the eye.
  const grid = h('div', { class: 'room-grid', role: 'list', 'data-testid': 'room-grid', 'aria-label': t('sessions.day_view') });
  grid.style.gridTemplateColumns = `4.5rem repeat(${columns.length}, minmax(11rem, 1fr))`;
  grid.style.gridTemplateRows = `auto repeat(${Math.max(1, (last - first) / STEP)}, minmax(0.5rem, auto))`;
  columns.forEach((column, i) => {
    const head = h('div', { class: 'room-grid-head', 'aria-hidden': 'true' }, icon('pin'), h('span', {}, column.name));
    head.style.gridColumn = String(i + 2);
    head.style.gridRow = '1';
    grid.append(head);
  });
  for (let m = first; m < last; m += 30) {
    const mark = h('div', { class: 'room-grid-hour', 'aria-hidden': 'true' }, `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
    mark.style.gridColumn = `1 / ${columns.length + 2}`;
    mark.style.gridRow = `${rowOf(m)} / span ${30 / STEP}`;
    grid.append(mark);
  }
  for (const s of [...sessions].sort(byTime)) {
    const column = columns.findIndex((c) => c.id === (s.room?.id || ''));
    const item = h('div', { class: 'room-grid-cell', role: 'listitem', 'data-testid': 'room-grid-session', 'data-room': column >= 0 ? columns[column].name : '' }, cell(s));
    item.style.gridColumn = String(column + 2);
    item.style.gridRow = `${rowOf(toMinutes(s.start))} / ${rowOf(toMinutes(s.end))}`;
    grid.append(item);
  }
  return h('div', { class: 'room-grid-wrap' }, grid);
}

/** A labelled group of links that acts as a switch (day, view); the current one has aria-current. */
export function switchLinks(label, options, className = 'segmented') {
  const id = uid('switch');
  return h('nav', { class: className, 'aria-labelledby': id },
    h('span', { id, class: 'visually-hidden' }, label),
    h('ul', { role: 'list' }, options.map((o) => h('li', {},
      h('a', { href: o.href, 'aria-current': o.current ? 'page' : null, 'data-testid': o.testid }, o.icon ? icon(o.icon) : null, h('span', {}, o.label))))));
}
