// /events/{id}/agenda: the caller's own day in time order: the sessions they signed up for
// or lead, with room and status (a seat, or their place on the waitlist) and the meeting
// slots those keep free, and their scheduled one-to-one meetings (table number first, the
// partner and their factsheet). It updates live and prints on one clean page. On a phone it
// is the first screen on the event's day (pages/home.js).

import { h, icon, emptyState, notice, announce, toast } from '../dom.js';
import { t, tn, errorMessage, getLang } from '../i18n.js';
import { api } from '../api.js';
import { formatDate, timeZoneLabel, groupByDate, todayIn, zonedParts, toMinutes } from '../format.js';
import { liveFor, close as closeLive } from '../live.js';
import { backToEvent, pageHead } from '../components/page.js';
import { kindBadge, sessionTitle, timeRange, mySignupBadge, sessionFacts, changeText, byTime } from '../components/sessions.js';
import { questionBox, takesMyQuestion } from '../components/questions.js';

const RELOAD_DELAY_MS = 250;

/** Which session is on now and which comes next, on the event's day in its time zone. */
function nowAndNext(sessions, timeZone) {
  const now = zonedParts(new Date(), timeZone);
  if (!now) return { current: new Set(), next: null };
  const minutes = toMinutes(now.time);
  const today = sessions.filter((s) => s.date === now.date);
  const current = new Set(today.filter((s) => toMinutes(s.start) <= minutes && minutes < toMinutes(s.end)).map((s) => s.id));
  const upcoming = today.filter((s) => toMinutes(s.start) > minutes).sort(byTime)[0];
  return { current, next: upcoming ? upcoming.id : null };
}

export default async function agendaPage({ view, params, setTitle, isCurrent, user }) {
  const eventId = encodeURIComponent(params.id);
  const connection = liveFor(params.id);
  let event, agenda;
  try {
    [event, agenda] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/agenda/me`)]);
  } catch (err) {
    closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  // Buyers and suppliers: the accepted requests the published schedule has no meeting for,
  // and why, in their own words.
  const meets = ['buyer', 'supplier'].includes(event.my_role);
  const whyNotList = () => api.get(`/events/${eventId}/meetings/why-not`, { query: { lang: getLang() } });
  let whyNot = meets ? await whyNotList().catch(() => null) : null;
  if (!isCurrent()) return;
  const whyNotBox = h('div', { 'data-testid': 'agenda-why-not-box' });
  setTitle(`${t('agenda.title')} · ${event.name}`);
  const timeZone = agenda.timezone || event.timezone;
  const list = h('div', { class: 'agenda-days', 'data-testid': 'agenda' });
  const liveNotice = h('div', { class: 'programme-live-notice no-print', role: 'status', 'data-testid': 'agenda-live-notice' });
  const count = h('p', { class: 'muted' });

  // The question boxes by session, kept across redraws (every minute, and on live changes)
  // so that what is being typed in one stays.
  const boxes = new Map();
  function questionFor(s) {
    if (!takesMyQuestion(s)) {
      boxes.delete(s.id);
      return null;
    }
    let box = boxes.get(s.id);
    if (box) box.update(s);
    else {
      box = questionBox({
        eventId, session: s, timeZone,
        onSaved: (question) => { agenda.sessions = (agenda.sessions || []).map((x) => (x.id === s.id ? { ...x, my_question: question } : x)); },
      });
      boxes.set(s.id, box);
    }
    return box.el;
  }

  function item(s, blocked, marks) {
    const title = sessionTitle(s);
    const mine = s.i_facilitate ? 'facilitator' : (s.my_signup?.status || 'none');
    const slots = blocked.filter((b) => b.session_id === s.id);
    return h('li', { class: ['agenda-item', `agenda-item-${mine}`, marks.current.has(s.id) && 'agenda-item-now'], 'data-testid': 'agenda-item', 'data-id': s.id, 'data-status': mine },
      h('div', { class: 'agenda-when' }, timeRange(s),
        marks.current.has(s.id) ? h('span', { class: 'badge badge-now' }, t('agenda.now')) : null,
        marks.next === s.id ? h('span', { class: 'badge badge-next' }, t('agenda.next')) : null),
      h('div', { class: 'agenda-body' },
        h('div', { class: 'badges' }, kindBadge(s.kind), mySignupBadge(s)),
        h('h3', { class: 'agenda-title', lang: title.lang },
          h('a', { href: `/events/${eventId}/programme#session-${s.id}`, 'data-testid': 'agenda-item-title' }, title.text)),
        s.room ? h('p', { class: 'agenda-room', 'data-testid': 'agenda-room' }, icon('pin'), h('span', {}, t('agenda.room', { room: s.room.name }))) : null,
        sessionFacts(s, { withRoom: false }),
        s.my_signup?.status === 'waitlisted' ? h('p', { class: 'small muted' }, t('agenda.waitlist_hint')) : null,
        slots.length ? h('p', { class: 'small muted agenda-blocked' }, icon('handshake'),
          h('span', {}, tn('agenda.blocked', slots.length, { slots: slots.map((b) => `${b.start}–${b.end}`).join(', ') }))) : null,
        s.i_facilitate ? h('p', { class: 'no-print' }, h('a', { class: 'btn btn-ghost btn-sm', href: `/events/${eventId}/sessions/${encodeURIComponent(s.id)}/briefing`, 'data-testid': 'agenda-briefing-link' },
          icon('message'), h('span', {}, t('briefing.link')))) : null,
        questionFor(s)));
  }

  /** A scheduled one-to-one meeting: the table first, then whom one meets. */
  function meetingItem(entry) {
    const m = entry.meeting;
    const p = m.partner || {};
    const where = m.table
      ? h('p', { class: 'agenda-table', 'data-testid': 'agenda-table' }, icon('pin'),
        h('span', {}, t('agenda.table', { n: m.table.number })),
        m.table.label ? h('span', { class: 'muted small' }, m.table.label) : null)
      : h('p', { class: 'agenda-table', 'data-testid': 'agenda-table' }, icon('pin'),
        h('span', {}, t(p.role === 'supplier' ? 'agenda.at_stand' : 'agenda.at_own_stand')));
    return h('li', { class: 'agenda-item agenda-item-meeting', 'data-testid': 'agenda-meeting', 'data-id': m.id },
      h('div', { class: 'agenda-when' }, timeRange(entry)),
      h('div', { class: 'agenda-body' },
        h('div', { class: 'badges' }, h('span', { class: 'badge badge-meeting' }, icon('handshake'), t('agenda.meeting'))),
        where,
        h('h3', { class: 'agenda-title', 'data-testid': 'agenda-partner' }, t('agenda.meeting_with', { name: p.name || '' })),
        h('p', { class: 'small muted' }, [p.organisation, p.role ? t(`role.${p.role}`) : null].filter(Boolean).join(' · ')),
        p.factsheet ? h('p', { class: 'no-print' }, h('a', { class: 'btn btn-ghost btn-sm', href: p.factsheet.url, 'data-testid': 'agenda-factsheet' },
          icon('arrowRight'), h('span', {}, t('agenda.factsheet')))) : null));
  }

  /** The accepted requests without a meeting, each with the other side and the reason. */
  function drawWhyNot() {
    const items = whyNot?.published ? whyNot.items || [] : [];
    if (!items.length) {
      whyNotBox.replaceChildren();
      return;
    }
    whyNotBox.replaceChildren(h('section', { class: 'card agenda-why-not', 'aria-labelledby': 'agenda-why-not-h', 'data-testid': 'agenda-why-not' },
      h('h2', { id: 'agenda-why-not-h', class: 'card-title' }, icon('info'), h('span', {}, tn('agenda.why_not_title', items.length))),
      h('p', { class: 'muted small' }, t('agenda.why_not_lead')),
      h('ul', { class: 'plain-list left-out-list', role: 'list' }, items.map((x) => {
        const o = x.other || {};
        return h('li', { 'data-testid': 'agenda-why-not-item' },
          h('strong', {}, [o.name, o.organisation].filter(Boolean).join(' · ')),
          h('p', { class: 'small', lang: whyNot.lang, 'data-testid': 'why-not' }, x.text));
      }))));
  }

  function draw() {
    drawWhyNot();
    // A question being typed keeps its focus and selection when the list is drawn again.
    const active = document.activeElement;
    const typing = active && active.tagName === 'TEXTAREA' && list.contains(active)
      ? { el: active, start: active.selectionStart, end: active.selectionEnd } : null;
    drawList();
    if (typing && typing.el.isConnected && document.activeElement !== typing.el) {
      typing.el.focus({ preventScroll: true });
      typing.el.setSelectionRange(typing.start, typing.end);
    }
  }

  function drawList() {
    const sessions = [...(agenda.sessions || [])].sort(byTime);
    const meetings = (agenda.meetings || []).map((m) => ({ meeting: m, id: m.id, date: m.slot.date, start: m.slot.start, end: m.slot.end }));
    const blocked = agenda.blocked_slots || [];
    const marks = nowAndNext(sessions, timeZone);
    const counts = [sessions.length ? tn('agenda.count', sessions.length) : null, meetings.length ? tn('agenda.meetings_count', meetings.length) : null].filter(Boolean);
    count.textContent = counts.length ? counts.join(' · ') : t('agenda.subtitle');
    if (!sessions.length && !meetings.length) {
      list.replaceChildren(h('div', { class: 'card' }, emptyState({
        iconName: 'calendar', title: t('agenda.empty_title'), text: t('agenda.empty_text'), testid: 'agenda-empty',
        action: h('a', { class: 'btn btn-primary', href: `/events/${eventId}/programme` }, icon('arrowRight'), h('span', {}, t('agenda.to_programme'))),
      })));
      return;
    }
    const today = todayIn(timeZone);
    list.replaceChildren(...[...groupByDate([...sessions, ...meetings]).entries()].map(([date, items]) => h('section', { class: 'card agenda-day', 'aria-labelledby': `agenda-h-${date}` },
      h('h2', { id: `agenda-h-${date}`, class: 'programme-date' }, icon('calendar'), h('span', {}, formatDate(date)),
        date === today ? h('span', { class: 'badge badge-now' }, t('agenda.today')) : null),
      h('ol', { class: 'agenda-list', role: 'list' }, items.map((x) => (x.meeting ? meetingItem(x) : item(x, blocked, marks)))))));
  }

  let timer = null;
  const told = [];
  function reloadSoon() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const [fresh, freshWhy] = await Promise.all([api.get(`/events/${eventId}/agenda/me`), meets ? whyNotList().catch(() => whyNot) : null]);
        if (!isCurrent()) return;
        agenda = fresh;
        whyNot = freshWhy;
        draw();
        const text = told.splice(0).pop();
        if (text) {
          liveNotice.replaceChildren(notice('success', h('p', { 'data-testid': 'agenda-change' }, text)));
          announce(text);
          toast(text);
        }
      } catch (err) {
        if (isCurrent()) toast(errorMessage(err), 'error');
      }
    }, RELOAD_DELAY_MS);
  }
  const mineIds = () => new Set((agenda.sessions || []).map((s) => s.id));
  connection.subscribe('my_signup', (message) => {
    const change = message.payload || {};
    const s = (agenda.sessions || []).find((x) => x.id === change.session_id);
    const text = s ? changeText(s, change) : null;
    if (text) told.push(text);
    else if (change.status === 'confirmed' && change.reason === 'added') told.push(t('agenda.added'));
    reloadSoon();
  });
  // An organiser placed, moved or cancelled one of my meetings.
  connection.subscribe('my_meeting', (message) => {
    const change = message.payload || {};
    const name = change.meeting?.partner?.name || '';
    if (['added', 'moved', 'cancelled'].includes(change.change)) told.push(t(`agenda.meeting_${change.change}`, { name }));
    reloadSoon();
  });
  // The organisers published a schedule that changes my meetings.
  connection.subscribe('meetings_changed', () => {
    told.push(t('agenda.meetings_published'));
    reloadSoon();
  });
  for (const type of ['session_changed', 'session_seats']) {
    connection.subscribe(type, (message) => {
      const id = message.payload?.id || message.payload?.session_id;
      if (!mineIds().has(id)) return;
      // Seat counts matter here only to those waiting: their place may have moved up.
      if (type === 'session_seats' && !(agenda.sessions || []).some((s) => s.id === id && s.my_signup?.status === 'waitlisted')) return;
      reloadSoon();
    });
  }
  connection.subscribe('session_deleted', (message) => { if (mineIds().has(message.payload?.session_id)) reloadSoon(); });
  connection.subscribe('gap', reloadSoon);
  // "Now" and "next" move on by themselves during the day.
  const clock = setInterval(() => { if (isCurrent()) draw(); else clearInterval(clock); }, 60_000);

  const tz = timeZoneLabel(timeZone, event.start_date);
  view.replaceChildren(h('section', { class: 'agenda-page', 'data-testid': 'agenda-page' },
    backToEvent(eventId, connection, { print: false }),
    pageHead({
      eventName: event.name,
      title: t('agenda.title'),
      lines: [
        user?.name ? h('p', { class: 'print-only' }, t('agenda.printed', { name: user.name })) : null,
        count,
        h('p', { class: 'muted small' }, t('event.times_in', { tz })),
      ],
      actions: h('div', { class: 'actions no-print' },
        h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/programme`, 'data-testid': 'programme-link' }, icon('calendar'), h('span', {}, t('sessions.title'))),
        h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print(), 'data-testid': 'agenda-print' }, icon('print'), h('span', {}, t('agenda.print')))),
    }),
    liveNotice,
    list,
    whyNotBox));
  draw();
}
