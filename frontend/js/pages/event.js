// /events/{id}: the participant's home for one event: facts, my status, announcements (live),
// programme, product groups.

import { h, icon, emptyState, notice } from '../dom.js';
import { t, tn, termName, localText, textLang } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { formatDateRange, timeZoneLabel, groupByDate } from '../format.js';
import { roleBadge, statusBadge, isAwaitingApproval } from '../components/badges.js';
import { programme } from '../components/programme.js';
import { liveFor, close as closeLive } from '../live.js';
import { navigate } from '../router.js';
import { agendaFirst } from '../components/sessions.js';
import { liveIndicator, announcementsCard, announcementBanner, composeForm } from '../components/announcements.js';

function statusNotice(event) {
  const { my_role: role, my_status: status } = event;
  if (!status) return role ? null : notice('info', h('p', {}, t('event.viewing_as_admin')));
  if (isAwaitingApproval(role, status, event)) return notice('warn', h('p', {}, h('strong', {}, t('event.status_awaiting_title'))), h('p', {}, t('event.status_awaiting_text')));
  const kind = { approved: 'success', registered: 'success', invited: 'info', declined: 'error', cancelled: 'warn' }[status] || 'info';
  return notice(kind, h('p', {}, t(`event.status_text.${status}`)));
}

/** What someone sees of an event whose organisers have not approved them (yet). */
function registrationPage({ view, setTitle, registration }) {
  const { event, role, status } = registration;
  setTitle(event.name);
  const message = registration.awaiting_approval
    ? notice('warn', h('p', {}, h('strong', {}, t('event.status_awaiting_title'))), h('p', {}, t('registration.awaiting_text')))
    : notice(status === 'declined' ? 'error' : 'warn', h('p', {}, t(`event.status_text.${status}`)));
  view.replaceChildren(h('article', { class: 'event-page', 'data-testid': 'registration-page' },
    h('div', { class: 'event-topbar' },
      h('a', { class: 'back-link', href: '/' }, icon('arrowLeft'), h('span', {}, t('nav.my_events')))),
    h('header', { class: 'event-hero' },
      h('div', { class: 'badges' }, roleBadge(role), h('span', { class: 'badge badge-status badge-status-awaiting', 'data-testid': 'status-badge' },
        t(registration.awaiting_approval ? 'status.awaiting' : `status.${status}`))),
      h('h1', {}, event.name),
      h('dl', { class: 'facts' },
        fact('calendar', t('event.when'), formatDateRange(event.start_date, event.end_date)),
        event.venue ? fact('pin', t('event.where'), event.venue) : null)),
    h('section', { class: 'card', 'aria-labelledby': 'registration-h' },
      h('h2', { id: 'registration-h', class: 'card-title' }, t('registration.title')),
      message)));
}

function fact(iconName, label, value) {
  return h('div', { class: 'fact' }, icon(iconName), h('div', {}, h('dt', {}, label), h('dd', {}, value)));
}

/** Where this participant finds the catalogue, their factsheets, the review queue and needs. */
function catalogueCard(event, id, isOrganiser) {
  const role = event.my_role;
  const link = (href, iconName, text, testid) => h('li', {}, h('a', { href, class: 'nav-link', 'data-testid': testid }, icon(iconName), h('span', {}, text)));
  return h('section', { class: 'card no-print', 'aria-labelledby': 'catalogue-h', 'data-testid': 'catalogue-card' },
    h('h2', { id: 'catalogue-h', class: 'card-title' }, t('catalogue.title')),
    h('p', { class: 'muted small' }, t('catalogue.card_text')),
    h('ul', { class: 'plain-list link-list', role: 'list' },
      link(`/events/${id}/catalogue`, 'search', t('catalogue.browse'), 'catalogue-link'),
      role === 'supplier' ? link(`/events/${id}/factsheets`, 'edit', t('factsheets.title_mine'), 'my-factsheets-link') : null,
      isOrganiser ? link(`/events/${id}/factsheets`, 'layers', t('factsheets.title_all'), 'all-factsheets-link') : null,
      isOrganiser ? link(`/events/${id}/review`, 'check', t('review.title'), 'review-queue-link') : null,
      role === 'buyer' ? link(`/events/${id}/needs`, 'users', t('needs.title_mine'), 'my-needs-link') : null,
      role === 'supplier' || isOrganiser ? link(`/events/${id}/needs`, 'users', t('needs.title_all'), 'needs-link') : null));
}

/**
 * One-to-one meetings: where buyers and suppliers ask for them, find whom to ask and say
 * when they cannot meet, with the requests waiting for their answer counted live; the
 * organisers' rules. The scheduled meetings themselves come with the schedule.
 */
function meetingsCard(event, id, isOrganiser, connection) {
  const asks = ['buyer', 'supplier'].includes(event.my_role) && ['invited', 'approved'].includes(event.my_status);
  const waiting = h('span', { class: 'badge badge-next', 'data-testid': 'requests-waiting', hidden: true });
  const link = (href, iconName, text, testid, extra = null) => h('li', {}, h('a', { href, class: 'nav-link', 'data-testid': testid }, icon(iconName), h('span', {}, text), extra));
  async function count() {
    try {
      const mine = await api.get(`/events/${id}/requests`);
      const n = (mine.received || []).filter((r) => r.status === 'pending').length;
      waiting.hidden = n === 0;
      waiting.textContent = tn('event.requests_waiting', n);
    } catch { /* the link still leads there */ }
  }
  if (asks) {
    count();
    for (const type of ['meeting_request_received', 'meeting_request_withdrawn', 'meeting_request_accepted', 'meeting_request_expired', 'gap']) connection.subscribe(type, count);
  }
  const card = h('section', { class: 'card no-print', 'aria-labelledby': 'meetings-h', 'data-testid': 'my-meetings' },
    h('h2', { id: 'meetings-h', class: 'card-title' }, t('event.meetings_title')),
    asks || isOrganiser ? h('ul', { class: 'plain-list link-list meetings-links', role: 'list' },
      asks ? link(`/events/${id}/requests`, 'mail', t('requests.title'), 'requests-link', waiting) : null,
      asks ? link(`/events/${id}/recommendations`, 'search', t('recommendations.title'), 'recommendations-link') : null,
      asks ? link(`/events/${id}/availability`, 'clock', t('availability.title'), 'availability-link') : null,
      isOrganiser ? link(`/events/${id}/schedule`, 'calendar', t('schedule.link'), 'schedule-link') : null,
      isOrganiser ? link(`/events/${id}/mail`, 'mail', t('mail.title'), 'mail-link') : null,
      isOrganiser ? link(`/events/${id}/requests/overview`, 'layers', t('overview.title'), 'requests-overview-link') : null,
      isOrganiser ? link(`/events/${id}/setup/meetings`, 'settings', t('rules.title'), 'request-rules-link') : null) : null,
    emptyState({ iconName: 'handshake', title: t('event.meetings_empty_title'), text: t('event.meetings_empty_text') }));
  return { card };
}

export default async function eventPage({ view, params, setTitle, user, isCurrent }) {
  const id = encodeURIComponent(params.id);
  // Live: one socket for this event while this page is shown (app.js closes it on leaving).
  // Opened before the fetches, so nothing falls between what they return and the socket.
  const connection = liveFor(params.id);
  let event, slotsBody, taxonomyBody, announcementsBody;
  try {
    [event, slotsBody, taxonomyBody, announcementsBody] = await Promise.all([
      api.get(`/events/${id}`),
      api.get(`/events/${id}/slots`).catch(() => ({ slots: [] })),
      api.get(`/events/${id}/taxonomy`).catch(() => ({ terms: [] })),
      api.get(`/events/${id}/announcements`).catch(() => ({ announcements: [] })),
    ]);
  } catch (err) {
    // Not (yet) ours: the socket has nothing to do. Someone whose registration waits for
    // approval sees that registration; anyone else the error page.
    closeLive();
    if (err instanceof ApiError && err.code === 'not_found') {
      const mine = await api.get(`/events/${id}/registration`).catch(() => null);
      if (mine) return registrationPage({ view, setTitle, registration: mine });
    }
    throw err;
  }
  if (!isCurrent()) return;
  // On a phone on the event's day, the first screen is the day's agenda (once per tab).
  if (agendaFirst([event])) return navigate(`/events/${id}/agenda`, { replace: true });
  setTitle(event.name);
  const slots = slotsBody.slots || [];
  const productGroups = (taxonomyBody.terms || []).filter((term) => term.kind === 'product_group').sort((a, b) => a.position - b.position);
  const isOrganiser = event.my_role === 'organiser' || user.is_admin;
  const tz = timeZoneLabel(event.timezone, event.start_date);
  const days = groupByDate(slots);
  const firstDay = days.size ? [...days.values()][0] : [];
  const hours = firstDay.length ? `${firstDay[0].start}–${firstDay[firstDay.length - 1].end}` : null;

  const banner = announcementBanner();
  // Announcements this page sent itself arrive on the socket too; they need no banner.
  const sending = { count: 0, own: new Set(), held: [] };
  const announcements = announcementsCard({
    eventId: id,
    items: announcementsBody.announcements || [],
    timeZone: event.timezone,
    isOrganiser,
    compose: isOrganiser ? composeForm({
      eventId: id,
      track: (request) => {
        sending.count += 1;
        request.then((item) => sending.own.add(item.id), () => {}).finally(() => {
          sending.count -= 1;
          if (sending.count) return;
          const held = sending.held.filter((item) => !sending.own.has(item.id));
          sending.held = [];
          if (held.length) banner.show(held[held.length - 1]);
        });
      },
      onSent: (item) => announcements.add(item, { fresh: true }),
    }) : null,
  });
  connection.subscribe('announcement', (message) => {
    const item = message.payload;
    if (!item || !item.id) return;
    if (!announcements.add(item, { fresh: true }) || sending.own.has(item.id)) return;
    // While this page is sending, the socket may be quicker than the answer: wait for it.
    if (sending.count) sending.held.push(item);
    else banner.show(item);
  });
  connection.subscribe('gap', () => announcements.reload());
  const meetings = meetingsCard(event, id, isOrganiser, connection);

  view.replaceChildren(h('article', { class: 'event-page', 'data-testid': 'event-page' },
    banner.region,
    h('div', { class: 'event-topbar no-print' },
      h('a', { class: 'back-link', href: '/' }, icon('arrowLeft'), h('span', {}, t('nav.my_events'))),
      liveIndicator(connection)),
    h('header', { class: 'event-hero' },
      h('div', { class: 'event-hero-top' },
        h('div', { class: 'event-hero-main' },
          h('div', { class: 'badges' }, roleBadge(event.my_role), statusBadge(event.my_status, { role: event.my_role, event })),
          h('h1', {}, event.name)),
        h('div', { class: 'event-hero-actions no-print' },
          isOrganiser ? h('a', { class: 'btn btn-primary', href: `/events/${id}/setup/details`, 'data-testid': 'event-setup-link' }, icon('settings'), h('span', {}, t('event.setup_link'))) : null,
          // The sessions: sign-up, and one's own day (the first screen on a phone on the day).
          event.my_role ? h('a', { class: `btn ${isOrganiser ? 'btn-secondary' : 'btn-primary'}`, href: `/events/${id}/agenda`, 'data-testid': 'agenda-link' }, icon('clock'), h('span', {}, t('agenda.title'))) : null,
          h('a', { class: 'btn btn-secondary', href: `/events/${id}/programme`, 'data-testid': 'programme-link' }, icon('calendar'), h('span', {}, t('sessions.card_programme'))),
          slots.length ? h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print(), 'data-testid': 'print-programme' }, icon('print'), h('span', {}, t('event.print'))) : null)),
      h('dl', { class: 'facts' },
        fact('calendar', t('event.when'), formatDateRange(event.start_date, event.end_date)),
        hours ? fact('clock', t('event.hours'), hours) : null,
        event.venue ? fact('pin', t('event.where'), event.venue) : null,
        fact('globe', t('event.timezone'), tz))),
    h('div', { class: 'no-print' }, statusNotice(event)),
    h('div', { class: 'event-layout' },
      h('div', { class: 'event-main' },
        announcements.card,
        event.my_role || isOrganiser ? meetings.card : null,
        h('section', { class: 'card print-card', 'aria-labelledby': 'programme-h' },
          h('div', { class: 'card-head' },
            h('h2', { id: 'programme-h', class: 'card-title' }, t('programme.title')),
            h('p', { class: 'muted small' }, t('event.times_in', { tz }))),
          slots.length
            ? programme(slots, { timeZoneText: tz })
            : emptyState({
              iconName: 'clock', title: t('programme.empty_title'),
              text: isOrganiser ? t('programme.empty_text_organiser') : t('programme.empty_text'),
              action: isOrganiser ? h('a', { class: 'btn btn-secondary', href: `/events/${id}/setup/grid` }, t('programme.build_grid')) : null,
            }))),
      h('aside', { class: 'event-side' },
        catalogueCard(event, id, isOrganiser),
        localText(event, 'description') ? h('section', { class: 'card', 'aria-labelledby': 'about-h' },
          h('h2', { id: 'about-h', class: 'card-title' }, t('event.about')),
          h('p', { class: 'prose', lang: textLang(event, 'description'), 'data-testid': 'event-description-text' }, localText(event, 'description'))) : null,
        h('section', { class: 'card no-print', 'aria-labelledby': 'groups-h' },
          h('h2', { id: 'groups-h', class: 'card-title' }, t('event.product_groups')),
          productGroups.length
            ? h('ul', { class: 'chips', role: 'list' }, productGroups.map((g) => h('li', { class: 'chip' }, termName(g))))
            : h('p', { class: 'muted' }, t('event.product_groups_empty')))))));
}
