// "My events": the events I take part in (every event for platform admins), as cards.

import { h, icon, emptyState } from '../dom.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { formatDateRange, dateBadgeParts, todayYmd } from '../format.js';
import { roleBadge, statusBadge } from '../components/badges.js';
import { navigate } from '../router.js';
import { agendaFirst } from '../components/sessions.js';

function eventCard(event, user) {
  const { day, month } = dateBadgeParts(event.start_date);
  const canSetUp = event.my_role === 'organiser' || user.is_admin;
  const url = `/events/${encodeURIComponent(event.id)}`;
  return h('li', { class: 'card event-card', 'data-testid': 'event-card' },
    h('div', { class: 'date-badge', 'aria-hidden': 'true' }, h('span', { class: 'date-badge-day' }, day), h('span', { class: 'date-badge-month' }, month)),
    h('div', { class: 'event-card-body' },
      h('h3', { class: 'event-card-title' }, h('a', { href: url, class: 'stretched-link' }, event.name)),
      h('p', { class: 'meta' }, icon('calendar'), h('span', {}, formatDateRange(event.start_date, event.end_date))),
      event.venue ? h('p', { class: 'meta' }, icon('pin'), h('span', {}, event.venue)) : null,
      h('div', { class: 'badges' },
        roleBadge(event.my_role),
        statusBadge(event.my_status, { role: event.my_role, event }),
        !event.my_role && user.is_admin ? h('span', { class: 'badge badge-muted' }, t('role.admin')) : null,
        event.registration_open ? h('span', { class: 'badge badge-outline' }, t('event.registration_open_badge')) : null)),
    canSetUp
      ? h('a', { class: 'btn btn-secondary btn-sm event-card-action', href: `${url}/setup/details`, 'data-testid': 'event-setup-link' }, icon('settings'), h('span', {}, t('event.setup_link')))
      : null);
}

export default async function homePage({ view, setTitle, user }) {
  setTitle(t('home.title'));
  const { events = [] } = await api.get('/events');
  // On a phone on the day of an event, that day's agenda is the first screen.
  const eventToday = agendaFirst(events);
  if (eventToday) return navigate(`/events/${encodeURIComponent(eventToday.id)}/agenda`, { replace: true });
  const today = todayYmd();
  // Registrations an organiser has not approved yet open no event: listed apart.
  const awaiting = (user.participations || []).filter((p) => p.status === 'registered');
  const upcoming = events.filter((e) => (e.end_date || e.start_date) >= today).sort((a, b) => a.start_date.localeCompare(b.start_date));
  const past = events.filter((e) => (e.end_date || e.start_date) < today).sort((a, b) => b.start_date.localeCompare(a.start_date));

  const newEvent = user.is_admin
    ? h('a', { class: 'btn btn-primary', href: '/events/new', 'data-testid': 'new-event' }, icon('plus'), h('span', {}, t('home.new_event')))
    : null;

  const greeting = user.name ? t('home.greeting_name', { name: user.name.split(' ')[0] }) : t('home.greeting');
  view.replaceChildren(h('section', { 'data-testid': 'my-events' },
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, greeting),
        h('h1', {}, t('home.title')),
        h('p', { class: 'muted' }, events.length ? tn('home.count', events.length) : t('home.subtitle'))),
      newEvent),
    events.length === 0 && !awaiting.length
      ? h('div', { class: 'card' }, emptyState({
        iconName: 'calendar',
        title: user.is_admin ? t('home.empty_admin_title') : t('home.empty_title'),
        text: user.is_admin ? t('home.empty_admin_text') : t('home.empty_text'),
        action: newEvent ? newEvent.cloneNode(true) : null,
        testid: 'events-empty',
      }))
      : null,
    awaiting.length ? h('section', { class: 'section', 'aria-labelledby': 'awaiting-h', 'data-testid': 'awaiting-registrations' },
      h('h2', { id: 'awaiting-h', class: 'section-title' }, t('registration.home_title')),
      h('ul', { class: 'plain-list', role: 'list' }, awaiting.map((p) => h('li', { class: 'card' },
        h('a', { href: `/events/${encodeURIComponent(p.event_id)}` }, p.event_name), ' ',
        h('span', { class: 'badges' }, roleBadge(p.role), h('span', { class: 'badge badge-status badge-status-awaiting' }, t('status.awaiting'))))))) : null,
    upcoming.length ? h('section', { class: 'section', 'aria-labelledby': 'upcoming-h' },
      h('h2', { id: 'upcoming-h', class: 'section-title' }, t('home.upcoming')),
      h('ul', { class: 'card-grid', role: 'list' }, upcoming.map((e) => eventCard(e, user)))) : null,
    past.length ? h('section', { class: 'section', 'aria-labelledby': 'past-h' },
      h('h2', { id: 'past-h', class: 'section-title' }, t('home.past')),
      h('ul', { class: 'card-grid card-grid-past', role: 'list' }, past.map((e) => eventCard(e, user)))) : null));
}
