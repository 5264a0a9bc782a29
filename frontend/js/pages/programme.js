// /events/{id}/programme and the public /e/{slug}/programme: the sessions by day and time,
// or one day by room; seat counts, the caller's sign-up and the buttons to change it stay
// current from the live channel. The view, the day and the kind live in the URL.

import { h, fill, icon, emptyState, notice, announce, toast } from '../dom.js';
import { t, tn, errorMessage } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { confirmDialog, withBusy } from '../forms.js';
import { formatDate, formatInstant, timeZoneLabel, groupByDate, todayIn } from '../format.js';
import { liveFor, close as closeLive } from '../live.js';
import { liveIndicator } from '../components/announcements.js';
import { questionBox, takesMyQuestion } from '../components/questions.js';
import {
  KINDS, byTime, kindBadge, sessionTitle, timeRange, fullFor, seatsBlock, mySignupBadge, refusalMessage,
  sessionFacts, sessionAbout, createStore, wireLive, changeText, roomGrid, switchLinks,
} from '../components/sessions.js';

const VIEWS = ['list', 'rooms'];
// Sign-up opens or closes within this time: the page fetches the programme again then.
const WINDOW_WATCH_MS = 6 * 3600 * 1000;
// How often the public programme (no live socket before login) asks for new seat counts.
const PUBLIC_POLL_MS = 60 * 1000;

/** Where the programme comes from: the event's own (logged in) or its public page. */
async function load(params) {
  if (params.slug) {
    const slug = encodeURIComponent(params.slug);
    const event = await api.get(`/public/events/${slug}`);
    let programme = null;
    try {
      programme = await api.get(`/public/events/${slug}/programme`);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
    }
    return { event, programme, isPublic: true, eventId: encodeURIComponent(event.id), slug };
  }
  const eventId = encodeURIComponent(params.id);
  const [event, programme] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/sessions`)]);
  return { event, programme, isPublic: false, eventId };
}

export default async function programmePage({ view, params, query, user, setTitle, isCurrent, path, hash }) {
  // Opened before the fetches, so no change falls between what they return and the socket.
  const connection = params.slug ? null : liveFor(params.id);
  let loaded;
  try {
    loaded = await load(params);
  } catch (err) {
    if (connection) closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  const { event, programme, isPublic, eventId } = loaded;
  setTitle(`${t('sessions.title')} · ${event.name}`);
  const timeZone = (programme && programme.timezone) || event.timezone;
  const myRole = isPublic ? null : event.my_role;
  const canSignUp = Boolean(myRole) && ['invited', 'approved'].includes(event.my_status);
  const isOrganiser = !isPublic && (event.my_role === 'organiser' || Boolean(user?.is_admin));
  const base = isPublic ? `/e/${loaded.slug}/programme` : `/events/${eventId}/programme`;

  if (isPublic && !programme) {
    view.replaceChildren(h('section', { class: 'page-narrow', 'data-testid': 'programme-not-public' },
      h('div', { class: 'card' },
        h('p', { class: 'eyebrow' }, event.name),
        h('h1', { class: 'card-title' }, t('sessions.not_public_title')),
        h('p', {}, t('sessions.not_public_text')),
        h('div', { class: 'actions' },
          h('a', { class: 'btn btn-primary', href: `/login?next=${encodeURIComponent(`/events/${eventId}/programme`)}` }, t('sessions.log_in')),
          h('a', { class: 'btn btn-secondary', href: `/e/${loaded.slug}/register` }, t('sessions.to_event_page'))))));
    return;
  }

  const store = createStore(programme.sessions || []);
  const rooms = programme.rooms || [];
  const viewName = VIEWS.includes(query.get('view')) ? query.get('view') : 'list';
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : '';
  const content = h('div', { class: 'programme-content' });
  const liveNotice = h('div', { class: 'programme-live-notice no-print', role: 'status', 'data-testid': 'programme-live-notice' });

  const urlWith = (change) => {
    const next = new URLSearchParams(query);
    change(next);
    const qs = next.toString();
    return `${base}${qs ? `?${qs}` : ''}`;
  };

  /** One session's live part: seats, my sign-up, the buttons, and what was refused. */
  function liveBlock(id, { compact = false } = {}) {
    const box = h('div', { class: 'session-live' });
    const message = h('div', { class: 'session-message', 'aria-live': 'polite', 'data-testid': 'session-message' });
    const say = (kindOfNotice, text) => message.replaceChildren(text ? notice(kindOfNotice, h('p', {}, text)) : '');

    /**
     * After one's own change: the live channel brings the new counts; without it (offline a
     * moment, reconnecting) ask for the session, and take its counts only when no newer live
     * ones came meanwhile.
     */
    async function refresh(before) {
      if (connection && connection.state === 'live') return;
      try {
        const fresh = await api.get(`/events/${eventId}/sessions/${encodeURIComponent(id)}`);
        if (store.seatVersion(id) === before) store.replace(fresh);
        else store.apply(id, { my_signup: fresh.my_signup });
      } catch { /* the live channel catches up */ }
    }

    async function signUp(button) {
      const s = store.get(id);
      say(null, null);
      const before = store.seatVersion(id);
      try {
        const answer = await withBusy(button, () => api.put(`/events/${eventId}/sessions/${encodeURIComponent(id)}/signup`));
        const mine = { status: answer.status, waitlist_position: answer.waitlist_position ?? null };
        if (store.seatVersion(id) === before) {
          store.apply(id, { my_signup: mine, confirmed_count: answer.confirmed_count, waitlist_count: answer.waitlist_count, seats_left: Math.max(0, s.capacity - answer.confirmed_count) });
        } else {
          store.apply(id, { my_signup: mine });
        }
        const text = answer.status === 'confirmed'
          ? t('sessions.signed_up', { title: sessionTitle(s).text })
          : t('sessions.waitlisted', { title: sessionTitle(s).text, n: answer.waitlist_position });
        toast(text);
        announce(text);
        refresh(store.seatVersion(id));
      } catch (err) {
        if (err instanceof ApiError && err.code === 'signup_not_open') store.apply(id, { signup_window: 'not_open' });
        if (err instanceof ApiError && err.code === 'signup_closed') store.apply(id, { signup_window: 'closed' });
        say('error', refusalMessage(err, timeZone));
        if (!(err instanceof ApiError)) console.error(err);
      }
    }

    async function cancel(button) {
      const s = store.get(id);
      const seat = s.my_signup?.status === 'confirmed';
      const ok = await confirmDialog({
        title: t(seat ? 'sessions.cancel_title' : 'sessions.leave_title', { title: sessionTitle(s).text }),
        text: [t(seat ? 'sessions.cancel_text' : 'sessions.leave_text'), s.my_question ? t('questions.goes_with_signup') : ''].filter(Boolean).join(' '),
        confirmLabel: t(seat ? 'sessions.cancel_confirm' : 'sessions.leave_confirm'),
      });
      if (!ok) return;
      say(null, null);
      const before = store.seatVersion(id);
      try {
        await withBusy(button, () => api.del(`/events/${eventId}/sessions/${encodeURIComponent(id)}/signup`));
        // The question ahead went with the sign-up.
        store.apply(id, { my_signup: null, my_question: null });
        const text = t(seat ? 'sessions.cancelled' : 'sessions.left_waitlist', { title: sessionTitle(s).text });
        toast(text);
        announce(text);
        refresh(before);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'signup_closed') store.apply(id, { signup_window: 'closed' });
        // Already gone (cancelled in another tab, or removed): show it as it is now.
        if (err instanceof ApiError && err.status === 404) refresh(before);
        say('error', refusalMessage(err, timeZone));
      }
    }

    function actions(s) {
      if (isPublic) return null;
      const items = [];
      const mine = s.my_signup;
      const open = s.signup_window === 'open';
      if (canSignUp && !s.i_facilitate) {
        if (mine && open) {
          items.push(h('button', {
            type: 'button', class: 'btn btn-secondary btn-sm', 'data-action': 'cancel', 'aria-describedby': `session-h-${id}`, 'data-testid': mine.status === 'confirmed' ? 'session-cancel' : 'session-leave-waitlist',
            onClick: (e) => cancel(e.currentTarget),
          }, icon('x'), h('span', { class: 'btn-label' }, t(mine.status === 'confirmed' ? 'sessions.cancel' : 'sessions.leave'))));
        } else if (!mine && open) {
          const full = fullFor(s, myRole);
          items.push(h('button', {
            type: 'button', class: ['btn', full ? 'btn-secondary' : 'btn-primary', compact && 'btn-sm'], 'data-action': 'signup', 'data-testid': 'session-signup',
            'aria-describedby': `session-h-${id}`, onClick: (e) => signUp(e.currentTarget),
          }, icon(full ? 'clock' : 'plus'), h('span', { class: 'btn-label' }, t(full ? 'sessions.join_waitlist' : 'sessions.sign_up'))));
        } else if (s.signup_window === 'not_open') {
          items.push(h('p', { class: 'session-window small', 'data-testid': 'session-window' }, icon('clock'),
            h('span', {}, s.signup_opens_at ? t('sessions.opens_at', { at: formatInstant(s.signup_opens_at, timeZone) }) : t('sessions.not_open'))));
        } else if (s.signup_window === 'closed') {
          items.push(h('p', { class: 'session-window small', 'data-testid': 'session-window' }, icon('clock'),
            h('span', {}, t(mine ? 'sessions.closed_mine' : 'sessions.closed'))));
        }
      }
      if (s.i_facilitate || isOrganiser) {
        items.push(h('a', { class: 'btn btn-ghost btn-sm', href: `/events/${eventId}/sessions/${encodeURIComponent(s.id)}/signups`, 'data-action': 'signups', 'aria-describedby': `session-h-${id}`, 'data-testid': 'session-signups-link' },
          icon('users'), h('span', {}, t('sessions.signups_link'))));
        items.push(h('a', { class: 'btn btn-ghost btn-sm', href: `/events/${eventId}/sessions/${encodeURIComponent(s.id)}/briefing`, 'data-action': 'briefing', 'aria-describedby': `session-h-${id}`, 'data-testid': 'session-briefing-link' },
          icon('message'), h('span', {}, t('briefing.link'))));
      }
      if (isOrganiser) {
        items.push(h('a', { class: 'btn btn-ghost btn-sm', href: `/events/${eventId}/sessions/${encodeURIComponent(s.id)}/edit`, 'data-action': 'edit', 'aria-describedby': `session-h-${id}`, 'data-testid': 'session-edit-link' },
          icon('edit'), h('span', {}, t('sessions.edit'))));
      }
      return items.length ? h('div', { class: 'session-actions' }, items) : null;
    }

    function draw() {
      const s = store.get(id);
      if (!s) return;
      const active = document.activeElement;
      const focused = box.contains(active) ? (active.dataset.action || 'status') : null;
      const status = mySignupBadge(s);
      const statusLine = h('p', { class: 'session-status', tabindex: '-1', 'data-testid': 'session-status' }, status);
      fill(box, seatsBlock(s, { compact }), status ? statusLine : null, actions(s), message);
      if (focused) {
        const again = box.querySelector(`[data-action="${focused}"]`) || box.querySelector('[data-action]') || statusLine;
        if (again.isConnected) again.focus();
      }
    }
    store.on(id, draw);
    draw();
    return box;
  }

  /**
   * The caller's question ahead of a market dialogue they signed up for: the box appears
   * with the sign-up and goes with it; seat counts moving meanwhile leave it (and what is
   * being typed in it) alone.
   */
  function questionSlot(id) {
    const slot = h('div', { class: 'question-slot' });
    let box = null;
    const sync = () => {
      const s = store.get(id);
      if (isPublic || !takesMyQuestion(s)) {
        if (box) slot.replaceChildren();
        box = null;
        return;
      }
      if (box) {
        box.update(s);
        return;
      }
      box = questionBox({ eventId, session: s, timeZone, onSaved: (question) => store.apply(id, { my_question: question }) });
      slot.replaceChildren(box.el);
    };
    store.on(id, sync);
    sync();
    return slot;
  }

  function sessionCard(s) {
    const title = sessionTitle(s);
    const headingId = `session-h-${s.id}`;
    return h('li', { class: ['session-card', `session-kind-${s.kind}`], id: `session-${s.id}`, 'data-testid': 'session-card', 'data-id': s.id, 'aria-labelledby': headingId },
      h('div', { class: 'session-when' }, timeRange(s)),
      h('div', { class: 'session-main' },
        h('div', { class: 'badges' }, kindBadge(s.kind)),
        h('h3', { class: 'session-title', id: headingId, lang: title.lang, 'data-testid': 'session-title' }, title.text),
        sessionFacts(s),
        sessionAbout(s),
        questionSlot(s.id)),
      liveBlock(s.id));
  }

  /** A session in the day view: title, time, room (for phones and screen readers), seats. */
  function gridCell(s) {
    const title = sessionTitle(s);
    return h('article', { class: ['room-cell', `session-kind-${s.kind}`], 'data-id': s.id },
      h('p', { class: 'room-cell-time' }, timeRange(s, 'session-time-small'),
        h('span', { class: 'room-cell-room' }, s.room ? ` · ${s.room.name}` : '')),
      h('h3', { class: 'room-cell-title', id: `session-h-${s.id}`, lang: title.lang },
        h('a', { href: `${urlWith((next) => { next.delete('view'); next.delete('day'); })}#session-${s.id}` }, title.text)),
      h('p', { class: 'room-cell-kind small' }, t(`sessions.kind.${s.kind}`)),
      liveBlock(s.id, { compact: true }));
  }

  function visible() {
    return store.all().filter((s) => !kind || s.kind === kind).sort(byTime);
  }

  function days() {
    return [...new Set(store.all().map((s) => s.date))].sort();
  }

  function chosenDay() {
    const all = days();
    const wanted = query.get('day');
    if (all.includes(wanted)) return wanted;
    const today = todayIn(timeZone);
    return all.includes(today) ? today : all[0];
  }

  function toolbar() {
    const kinds = KINDS.filter((k) => store.all().some((s) => s.kind === k));
    const select = h('select', { id: 'programme-kind', 'data-testid': 'programme-kind' },
      h('option', { value: '' }, t('sessions.all_kinds')),
      kinds.map((k) => h('option', { value: k, selected: k === kind }, t(`sessions.kind.${k}`))));
    select.addEventListener('change', () => navigate(urlWith((next) => { if (select.value) next.set('kind', select.value); else next.delete('kind'); }), { focus: false })
      .then(() => document.getElementById('programme-kind')?.focus()));
    const allDays = days();
    return h('div', { class: 'programme-toolbar no-print' },
      switchLinks(t('sessions.view_label'), [
        { label: t('sessions.view_list'), icon: 'calendar', href: urlWith((next) => { next.delete('view'); next.delete('day'); }), current: viewName === 'list', testid: 'view-list' },
        { label: t('sessions.view_rooms'), icon: 'grid', href: urlWith((next) => next.set('view', 'rooms')), current: viewName === 'rooms', testid: 'view-rooms' },
      ]),
      viewName === 'rooms' && allDays.length > 1 ? switchLinks(t('sessions.day_label'), allDays.map((d) => ({
        label: formatDate(d, 'short'), href: urlWith((next) => next.set('day', d)), current: d === chosenDay(), testid: `day-${d}`,
      }))) : null,
      kinds.length > 1 ? h('div', { class: 'sort-control' }, h('label', { for: 'programme-kind' }, t('sessions.kind_label')), select) : null);
  }

  function draw() {
    // Drawn again after an organiser's change: keep a keyboard user on the same button.
    const active = document.activeElement;
    const focusCard = content.contains(active) ? active.closest('[data-id]')?.dataset.id : null;
    const focusAction = focusCard ? active.dataset.action : null;
    drawContent();
    if (focusCard) {
      const card = content.querySelector(`[data-id="${CSS.escape(focusCard)}"]`);
      const target = card && (card.querySelector(`[data-action="${focusAction}"]`) || card.querySelector('[data-action]') || card.querySelector('h3'));
      if (target) {
        if (!target.matches('a, button')) target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
      }
    }
  }

  function drawContent() {
    store.clearListeners();
    const sessions = visible();
    if (!store.all().length) {
      content.replaceChildren(h('div', { class: 'card' }, emptyState({
        iconName: 'calendar', title: t('sessions.empty_title'), testid: 'programme-empty',
        text: isOrganiser ? t('sessions.empty_text_organiser') : t('sessions.empty_text'),
        action: isOrganiser ? h('a', { class: 'btn btn-primary', href: `/events/${eventId}/sessions/new` }, icon('plus'), h('span', {}, t('sessions.new'))) : null,
      })));
      return;
    }
    let body;
    if (viewName === 'rooms') {
      const day = chosenDay();
      const ofDay = sessions.filter((s) => s.date === day);
      body = h('section', { class: 'card programme-rooms', 'aria-labelledby': 'rooms-day-h' },
        h('h2', { id: 'rooms-day-h', class: 'programme-date' }, icon('calendar'), h('span', {}, formatDate(day))),
        ofDay.length ? roomGrid(ofDay, rooms, gridCell) : h('p', { class: 'muted' }, t('sessions.none_of_kind')));
    } else {
      const groups = groupByDate(sessions);
      body = groups.size
        ? [...groups.entries()].map(([date, list]) => h('section', { class: 'card programme-day-sessions', 'aria-labelledby': `day-h-${date}` },
          h('h2', { id: `day-h-${date}`, class: 'programme-date' }, icon('calendar'), h('span', {}, formatDate(date))),
          h('ol', { class: 'session-list', role: 'list', 'data-testid': 'session-list' }, list.map(sessionCard))))
        : h('div', { class: 'card' }, h('p', { class: 'muted' }, t('sessions.none_of_kind')));
    }
    content.replaceChildren(toolbar(), ...[body].flat());
    watchWindows();
  }

  /** Sign-up opening or closing soon: fetch again at that moment, so the buttons follow. */
  let windowTimer = null;
  function watchWindows() {
    clearTimeout(windowTimer);
    const now = Date.now();
    const moments = store.all().flatMap((s) => {
      if (s.signup_window === 'not_open' && s.signup_opens_at) return [Date.parse(s.signup_opens_at)];
      if (s.signup_window === 'open') return [Date.parse(s.signup_closes_at || s.starts_at)];
      return [];
    }).filter((at) => at > now && at - now < WINDOW_WATCH_MS);
    if (!moments.length) return;
    windowTimer = setTimeout(() => { if (isCurrent()) reload(); }, Math.min(...moments) - now + 1500);
  }

  async function reload() {
    try {
      const fresh = isPublic
        ? await api.get(`/public/events/${loaded.slug}/programme`)
        : await api.get(`/events/${eventId}/sessions`);
      if (!isCurrent()) return;
      store.load(fresh.sessions || []);
      draw();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  function showChange(s, change) {
    const text = changeText(s, change);
    if (!text) return;
    liveNotice.replaceChildren(h('div', { class: `live-change live-change-${change.status || 'none'}`, 'data-testid': 'programme-change' },
      icon(change.status === 'confirmed' ? 'check' : 'info'), h('p', {}, text),
      h('button', {
        type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('sessions.dismiss'),
        onClick: () => liveNotice.replaceChildren(),
      }, icon('x'))));
    toast(text);
  }

  if (connection) wireLive(connection, store, { eventId, onStructure: draw, onGap: reload, onMine: showChange });

  // Visitors before login have no live socket: the public page asks again now and then
  // while it is in view, and moves the seat counts in place.
  if (isPublic) {
    const poll = setInterval(async () => {
      if (!isCurrent()) { clearInterval(poll); return; }
      if (document.visibilityState !== 'visible') return;
      try {
        const fresh = (await api.get(`/public/events/${loaded.slug}/programme`)).sessions || [];
        if (!isCurrent()) return;
        const same = fresh.length === store.all().length && fresh.every((x) => {
          const known = store.get(x.id);
          return known && ['date', 'start', 'end', 'kind', 'title_nl', 'title_en', 'signup_window'].every((k) => known[k] === x[k]) && known.room?.id === x.room?.id;
        });
        if (!same) {
          store.load(fresh);
          draw();
          return;
        }
        for (const x of fresh) {
          const known = store.get(x.id);
          if (known.confirmed_count !== x.confirmed_count || known.waitlist_count !== x.waitlist_count || known.capacity !== x.capacity) store.replace(x, { personal: false });
        }
      } catch { /* offline for a moment: the next round catches up */ }
    }, PUBLIC_POLL_MS);
  }

  const tz = timeZoneLabel(timeZone, event.start_date);
  const publicHint = isPublic ? notice('info',
    h('p', {}, t('sessions.public_hint')),
    h('p', { class: 'actions' },
      h('a', { class: 'btn btn-primary btn-sm', href: `/login?next=${encodeURIComponent(`/events/${eventId}/programme`)}`, 'data-testid': 'programme-login' }, t('sessions.log_in')),
      event.registration_open ? h('a', { class: 'btn btn-secondary btn-sm', href: `/e/${loaded.slug}/register` }, t('sessions.register')) : null)) : null;
  const adminHint = !isPublic && !event.my_role ? notice('info', h('p', {}, t('sessions.admin_hint'))) : null;

  view.replaceChildren(h('section', { class: 'programme-page', 'data-testid': 'programme-page' },
    h('div', { class: 'event-topbar no-print' },
      h('a', { class: 'back-link', href: isPublic ? `/e/${loaded.slug}/register` : `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t(isPublic ? 'sessions.to_event_page' : 'sessions.back_to_event'))),
      connection ? liveIndicator(connection) : null),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, event.name),
        h('h1', {}, t('sessions.title')),
        h('p', { class: 'muted' }, tn('sessions.count', store.all().length), ' · ', t('event.times_in', { tz }))),
      h('div', { class: 'actions no-print' },
        canSignUp ? h('a', { class: 'btn btn-primary', href: `/events/${eventId}/agenda`, 'data-testid': 'agenda-link' }, icon('calendar'), h('span', {}, t('agenda.title'))) : null,
        isOrganiser ? h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/setup/programme`, 'data-testid': 'manage-sessions-link' }, icon('settings'), h('span', {}, t('sessions.manage'))) : null,
        h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print() }, icon('print'), h('span', {}, t('event.print'))))),
    publicHint, adminHint, liveNotice, content));
  draw();
  if (hash && hash.startsWith('#session-')) {
    setTimeout(() => {
      const target = document.getElementById(hash.slice(1));
      if (!target) return;
      target.scrollIntoView({ block: 'start' });
      target.querySelector('h3')?.setAttribute('tabindex', '-1');
      target.querySelector('h3')?.focus({ preventScroll: true });
    }, 0);
  }
}
