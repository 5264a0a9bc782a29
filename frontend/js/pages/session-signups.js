// /events/{id}/sessions/{sid}/signups: who has a seat and who waits, for the session's
// facilitators and the organisers. Organisers also give a seat beyond capacity, take
// someone off, move someone on the waitlist, and read the log of those changes (each
// recorded with who did it). The lists follow the live seat counts.

import { h, icon, toast, notice, announce, emptyState } from '../dom.js';
import { t, tn, errorMessage } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { button, confirmDialog, withBusy } from '../forms.js';
import { formatDate, formatInstant } from '../format.js';
import { liveFor, close as closeLive } from '../live.js';
import { liveIndicator } from '../components/announcements.js';
import { roleBadge } from '../components/badges.js';
import { kindBadge, sessionTitle, timeRange, seatsBlock, refusalMessage } from '../components/sessions.js';

export default async function sessionSignupsPage({ view, params, setTitle, user, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const sessionPath = `/events/${eventId}/sessions/${encodeURIComponent(params.sid)}`;
  const connection = liveFor(params.id);
  let event, list;
  try {
    [event, list] = await Promise.all([api.get(`/events/${eventId}`), api.get(`${sessionPath}/signups`)]);
  } catch (err) {
    closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  const isOrganiser = event.my_role === 'organiser' || Boolean(user.is_admin);
  const timeZone = event.timezone;
  let participants = [];
  let entries = [];
  if (isOrganiser) {
    [participants, entries] = await Promise.all([
      api.get(`/events/${eventId}/participants`).then((b) => b.participants || []).catch(() => []),
      api.get(`${sessionPath}/log`).then((b) => b.entries || []).catch(() => []),
    ]);
    if (!isCurrent()) return;
  }
  const title = sessionTitle(list.session);
  setTitle(`${t('signups.title')} · ${title.text}`);

  const seats = h('div', { class: 'signups-seats' });
  const confirmedCard = h('section', { class: 'card', 'aria-labelledby': 'confirmed-h', 'data-testid': 'signups-confirmed' });
  const waitlistCard = h('section', { class: 'card', 'aria-labelledby': 'waitlist-h', 'data-testid': 'signups-waitlist' });
  const logCard = isOrganiser ? h('section', { class: 'card no-print', 'aria-labelledby': 'log-h', 'data-testid': 'signups-log' }) : null;
  const problem = h('div', { 'aria-live': 'polite', 'data-testid': 'signups-problem' });
  const addCard = isOrganiser ? h('section', { class: 'card no-print', 'aria-labelledby': 'add-h' }) : null;

  /** Run an override, then draw the list it answers with; a refusal is shown above the lists. */
  async function override(control, request, done) {
    problem.replaceChildren();
    try {
      const answer = await withBusy(control, request);
      list = answer;
      await reloadLog();
      draw();
      toast(done);
      announce(done);
    } catch (err) {
      problem.replaceChildren(notice('error', h('p', {}, refusalMessage(err, timeZone))));
      if (!(err instanceof ApiError)) console.error(err);
    }
  }

  const personCell = (p) => h('th', { scope: 'row' },
    h('span', { class: 'person-name' }, p.name),
    p.organisation ? h('span', { class: 'muted small block' }, p.organisation) : null);

  function confirmedRow(p, index) {
    const remove = isOrganiser ? h('button', {
      type: 'button', class: 'btn btn-ghost btn-sm btn-danger-ghost', 'data-testid': 'signup-remove', 'data-person': p.person_id,
      'aria-label': t('signups.remove_of', { name: p.name }),
    }, icon('x'), h('span', { class: 'hide-narrow' }, t('signups.remove'))) : null;
    remove?.addEventListener('click', async () => {
      if (!await confirmDialog({ title: t('signups.remove_title', { name: p.name }), text: t('signups.remove_text'), confirmLabel: t('signups.remove') })) return;
      override(remove, () => api.del(`${sessionPath}/signups/${encodeURIComponent(p.person_id)}`), t('signups.removed', { name: p.name }));
    });
    return h('tr', { 'data-testid': 'signup-row', 'data-status': 'confirmed', 'data-person': p.person_id },
      h('td', { class: 'num', 'data-label': '#' }, String(index + 1)),
      personCell(p),
      h('td', { 'data-label': t('signups.role') }, roleBadge(p.role)),
      h('td', { class: 'small', 'data-label': t('signups.since') }, formatInstant(p.signed_up_at, timeZone)),
      isOrganiser ? h('td', { class: 'actions-cell' }, h('div', { class: 'row-actions wrap' }, remove)) : null);
  }

  function waitlistRow(p, index, all) {
    const position = p.waitlist_position || index + 1;
    const moveTo = (to, key, iconName, testid) => {
      const control = h('button', {
        type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'data-testid': testid, disabled: to < 1 || to > all.length || to === position,
        'aria-label': t(key, { name: p.name }),
      }, icon(iconName));
      control.addEventListener('click', () => override(control,
        () => api.patch(`${sessionPath}/signups/${encodeURIComponent(p.person_id)}`, { waitlist_position: to }),
        t('signups.moved', { name: p.name, n: to })));
      return control;
    };
    let actions = null;
    if (isOrganiser) {
      const seat = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-testid': 'signup-give-seat', 'aria-label': t('signups.give_seat_of', { name: p.name }) },
        icon('check'), h('span', {}, t('signups.give_seat')));
      seat.addEventListener('click', () => override(seat, () => api.post(`${sessionPath}/signups`, { person_id: p.person_id }), t('signups.added', { name: p.name })));
      const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-icon btn-danger-ghost', 'data-testid': 'signup-remove', 'aria-label': t('signups.remove_of', { name: p.name }) }, icon('x'));
      remove.addEventListener('click', async () => {
        if (!await confirmDialog({ title: t('signups.remove_title', { name: p.name }), text: t('signups.remove_waitlist_text'), confirmLabel: t('signups.remove') })) return;
        override(remove, () => api.del(`${sessionPath}/signups/${encodeURIComponent(p.person_id)}`), t('signups.removed', { name: p.name }));
      });
      actions = h('td', { class: 'actions-cell' }, h('div', { class: 'row-actions wrap' },
        moveTo(1, 'signups.to_front_of', 'toTop', 'signup-to-front'),
        moveTo(position - 1, 'signups.up_of', 'arrowUp', 'signup-up'),
        moveTo(position + 1, 'signups.down_of', 'arrowDown', 'signup-down'),
        seat, remove));
    }
    return h('tr', { 'data-testid': 'signup-row', 'data-status': 'waitlisted', 'data-person': p.person_id },
      h('td', { class: 'num', 'data-testid': 'waitlist-position', 'data-label': t('signups.position') }, String(position)),
      personCell(p),
      h('td', { 'data-label': t('signups.role') }, roleBadge(p.role)),
      h('td', { class: 'small', 'data-label': t('signups.since') }, formatInstant(p.signed_up_at, timeZone)),
      actions);
  }

  function table(rows, firstHead, testid) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table signups-table responsive-table', 'data-testid': testid },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, firstHead),
        h('th', { scope: 'col' }, t('signups.person')),
        h('th', { scope: 'col' }, t('signups.role')),
        h('th', { scope: 'col' }, t('signups.since')),
        isOrganiser ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('signups.actions'))) : null)),
      h('tbody', {}, rows)));
  }

  function drawAdd() {
    if (!addCard) return;
    const taken = new Set(list.signups.filter((p) => p.status === 'confirmed').map((p) => p.person_id));
    const candidates = participants.filter((p) => ['invited', 'approved'].includes(p.status) && !taken.has(p.person_id))
      .sort((a, b) => a.name.localeCompare(b.name));
    const select = h('select', { id: 'add-person', 'data-testid': 'signup-add-person' },
      h('option', { value: '' }, t('signups.choose_person')),
      candidates.map((p) => h('option', { value: p.person_id }, [p.name, p.organisation, t(`role.${p.role}`)].filter(Boolean).join(' · '))));
    const submit = button(t('signups.give_seat'), { type: 'submit', kind: 'secondary', iconName: 'plus', testid: 'signup-add-submit' });
    const form = h('form', { class: 'inline-form', 'data-testid': 'signup-add-form' },
      h('div', { class: 'field' }, h('label', { for: 'add-person', class: 'field-label' }, t('signups.add_label')), select),
      submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = candidates.find((p) => p.person_id === select.value);
      if (!chosen) {
        problem.replaceChildren(notice('error', h('p', {}, t('signups.choose_person_first'))));
        select.focus();
        return;
      }
      override(submit, () => api.post(`${sessionPath}/signups`, { person_id: chosen.person_id }), t('signups.added', { name: chosen.name }));
    });
    addCard.replaceChildren(
      h('h2', { id: 'add-h', class: 'card-title' }, icon('plus'), h('span', {}, t('signups.add_title'))),
      h('p', { class: 'muted small' }, t('signups.add_hint')),
      candidates.length ? form : h('p', { class: 'muted' }, t('signups.nobody_to_add')));
  }

  function logLine(entry) {
    const what = {
      added: t('signups.log.added', { person: entry.person, by: entry.by || '?' }),
      removed: t('signups.log.removed', { person: entry.person, by: entry.by || '?' }),
      moved: t('signups.log.moved', { person: entry.person, by: entry.by || '?', from: entry.from_position ?? '?', to: entry.to_position ?? '?' }),
      promoted: t('signups.log.promoted', { person: entry.person }),
    }[entry.action] || `${entry.action}: ${entry.person}`;
    return h('li', { class: 'log-entry', 'data-testid': 'log-entry', 'data-action': entry.action },
      h('time', { class: 'muted small', datetime: entry.at }, formatInstant(entry.at, timeZone)), ' ', h('span', {}, what));
  }

  async function reloadLog() {
    if (!isOrganiser) return;
    entries = await api.get(`${sessionPath}/log`).then((b) => b.entries || []).catch(() => entries);
  }

  function draw() {
    const s = list.session;
    const confirmed = list.signups.filter((p) => p.status === 'confirmed');
    const waiting = list.signups.filter((p) => p.status === 'waitlisted').sort((a, b) => (a.waitlist_position || 0) - (b.waitlist_position || 0));
    seats.replaceChildren(seatsBlock(s));
    confirmedCard.replaceChildren(
      h('h2', { id: 'confirmed-h', class: 'card-title' }, icon('check'), h('span', {}, t('signups.confirmed_title')), h('span', { class: 'badge badge-muted' }, String(confirmed.length))),
      confirmed.length ? table(confirmed.map(confirmedRow), '#', 'confirmed-table') : emptyState({ iconName: 'users', title: t('signups.confirmed_empty') }));
    waitlistCard.replaceChildren(
      h('h2', { id: 'waitlist-h', class: 'card-title' }, icon('clock'), h('span', {}, t('signups.waitlist_title')), h('span', { class: 'badge badge-muted' }, String(waiting.length))),
      waiting.length ? table(waiting.map(waitlistRow), t('signups.position'), 'waitlist-table') : h('p', { class: 'muted' }, t('signups.waitlist_empty')));
    drawAdd();
    if (logCard) {
      logCard.replaceChildren(
        h('h2', { id: 'log-h', class: 'card-title' }, icon('layers'), h('span', {}, t('signups.log_title'))),
        entries.length ? h('ol', { class: 'plain-list log-list' }, [...entries].reverse().map(logLine)) : h('p', { class: 'muted' }, t('signups.log_empty')));
    }
  }

  // Someone signed up or cancelled meanwhile: fetch the lists again (a burst of sign-ups once).
  let timer = null;
  const reloadSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const fresh = await api.get(`${sessionPath}/signups`);
        if (!isCurrent()) return;
        list = fresh;
        await reloadLog();
        // Keep a keyboard user where they were: the same person's same button when it is still there.
        const active = document.activeElement;
        const row = active?.closest?.('[data-person]');
        const key = row ? [row.dataset.person, active.dataset.testid] : null;
        draw();
        if (key) view.querySelector(`tr[data-person="${CSS.escape(key[0])}"] [data-testid="${CSS.escape(key[1] || '')}"]`)?.focus();
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) { problem.replaceChildren(notice('warn', h('p', {}, t('sessions.refused.gone')))); return; }
        toast(errorMessage(err), 'error');
      }
    }, 400);
  };
  for (const type of ['session_seats', 'session_changed']) {
    connection.subscribe(type, (message) => {
      const id = message.payload?.session_id || message.payload?.id;
      if (id === list.session.id) reloadSoon();
    });
  }
  connection.subscribe('session_deleted', (message) => {
    if (message.payload?.session_id === list.session.id) problem.replaceChildren(notice('warn', h('p', {}, t('sessions.refused.gone'))));
  });
  connection.subscribe('gap', reloadSoon);

  const s = list.session;
  view.replaceChildren(h('section', { class: 'signups-page', 'data-testid': 'signups-page' },
    h('div', { class: 'event-topbar no-print' },
      h('a', { class: 'back-link', href: isOrganiser ? `/events/${eventId}/setup/programme` : `/events/${eventId}/programme#session-${s.id}` },
        icon('arrowLeft'), h('span', {}, t(isOrganiser ? 'session_form.back' : 'sessions.back_to_programme'))),
      liveIndicator(connection)),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, `${event.name} · ${t('signups.title')}`),
        h('h1', { lang: title.lang }, title.text),
        h('p', { class: 'meta-line' }, kindBadge(s.kind), ' ', formatDate(s.date), ' · ', timeRange(s), s.room ? ` · ${s.room.name}` : '')),
      h('div', { class: 'actions no-print' },
        h('a', { class: 'btn btn-secondary', href: `${sessionPath}/briefing`, 'data-testid': 'signups-briefing-link' }, icon('message'), h('span', {}, t('briefing.link'))),
        isOrganiser ? h('a', { class: 'btn btn-secondary', href: `${sessionPath}/edit` }, icon('edit'), h('span', {}, t('sessions.edit'))) : null,
        h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print() }, icon('print'), h('span', {}, t('signups.print'))))),
    seats,
    problem,
    confirmedCard,
    waitlistCard,
    addCard,
    logCard));
  draw();
}
