// /events/{id}: the participant's home for one event: facts, my status, programme, product groups.

import { h, icon, emptyState, notice } from '../dom.js';
import { t, termName } from '../i18n.js';
import { api } from '../api.js';
import { formatDateRange, timeZoneLabel, groupByDate } from '../format.js';
import { roleBadge, statusBadge, isAwaitingApproval } from '../components/badges.js';
import { programme } from '../components/programme.js';

function statusNotice(event) {
  const { my_role: role, my_status: status } = event;
  if (!status) return role ? null : notice('info', h('p', {}, t('event.viewing_as_admin')));
  if (isAwaitingApproval(role, status, event)) return notice('warn', h('p', {}, h('strong', {}, t('event.status_awaiting_title'))), h('p', {}, t('event.status_awaiting_text')));
  const kind = { approved: 'success', registered: 'success', invited: 'info', declined: 'error', cancelled: 'warn' }[status] || 'info';
  return notice(kind, h('p', {}, t(`event.status_text.${status}`)));
}

function fact(iconName, label, value) {
  return h('div', { class: 'fact' }, icon(iconName), h('div', {}, h('dt', {}, label), h('dd', {}, value)));
}

export default async function eventPage({ view, params, setTitle, user }) {
  const id = encodeURIComponent(params.id);
  const [event, slotsBody, taxonomyBody] = await Promise.all([
    api.get(`/events/${id}`),
    api.get(`/events/${id}/slots`).catch(() => ({ slots: [] })),
    api.get(`/events/${id}/taxonomy`).catch(() => ({ terms: [] })),
  ]);
  setTitle(event.name);
  const slots = slotsBody.slots || [];
  const productGroups = (taxonomyBody.terms || []).filter((term) => term.kind === 'product_group').sort((a, b) => a.position - b.position);
  const isOrganiser = event.my_role === 'organiser' || user.is_admin;
  const tz = timeZoneLabel(event.timezone, event.start_date);
  const days = groupByDate(slots);
  const firstDay = days.size ? [...days.values()][0] : [];
  const hours = firstDay.length ? `${firstDay[0].start}–${firstDay[firstDay.length - 1].end}` : null;

  view.replaceChildren(h('article', { class: 'event-page', 'data-testid': 'event-page' },
    h('a', { class: 'back-link no-print', href: '/' }, icon('arrowLeft'), h('span', {}, t('nav.my_events'))),
    h('header', { class: 'event-hero' },
      h('div', { class: 'event-hero-top' },
        h('div', { class: 'event-hero-main' },
          h('div', { class: 'badges' }, roleBadge(event.my_role), statusBadge(event.my_status, { role: event.my_role, event })),
          h('h1', {}, event.name)),
        h('div', { class: 'event-hero-actions no-print' },
          isOrganiser ? h('a', { class: 'btn btn-primary', href: `/events/${id}/setup/details`, 'data-testid': 'event-setup-link' }, icon('settings'), h('span', {}, t('event.setup_link'))) : null,
          slots.length ? h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print(), 'data-testid': 'print-programme' }, icon('print'), h('span', {}, t('event.print'))) : null)),
      h('dl', { class: 'facts' },
        fact('calendar', t('event.when'), formatDateRange(event.start_date, event.end_date)),
        hours ? fact('clock', t('event.hours'), hours) : null,
        event.venue ? fact('pin', t('event.where'), event.venue) : null,
        fact('globe', t('event.timezone'), tz))),
    h('div', { class: 'no-print' }, statusNotice(event)),
    h('div', { class: 'event-layout' },
      h('div', { class: 'event-main' },
        event.my_role ? h('section', { class: 'card no-print', 'aria-labelledby': 'meetings-h', 'data-testid': 'my-meetings' },
          h('h2', { id: 'meetings-h', class: 'card-title' }, t('event.meetings_title')),
          emptyState({ iconName: 'handshake', title: t('event.meetings_empty_title'), text: t('event.meetings_empty_text') })) : null,
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
        event.description ? h('section', { class: 'card', 'aria-labelledby': 'about-h' },
          h('h2', { id: 'about-h', class: 'card-title' }, t('event.about')),
          h('p', { class: 'prose' }, event.description)) : null,
        h('section', { class: 'card no-print', 'aria-labelledby': 'groups-h' },
          h('h2', { id: 'groups-h', class: 'card-title' }, t('event.product_groups')),
          productGroups.length
            ? h('ul', { class: 'chips', role: 'list' }, productGroups.map((g) => h('li', { class: 'chip' }, termName(g))))
            : h('p', { class: 'muted' }, t('event.product_groups_empty')))))));
}
