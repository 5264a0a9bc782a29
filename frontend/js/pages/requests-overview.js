// /events/{id}/requests/overview: the organisers' overview of the event's meeting requests:
// how they were answered, the unanswered ones by age (with the oldest), the most requested
// suppliers, who has neither sent nor received a request (to nudge them), and every buyer's
// and supplier's counts, also as a spreadsheet in the reader's language. Prints cleanly.

import { h, icon, emptyState, toast, announce } from '../dom.js';
import { t, tn, getLang, errorMessage, locale } from '../i18n.js';
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { formatInstant } from '../format.js';
import { roleBadge } from '../components/badges.js';

function percent(rate) {
  if (rate === null || rate === undefined) return '–';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}

function who(person) {
  return h('span', { class: 'overview-person' }, h('strong', {}, person.name),
    person.organisation ? h('span', { class: 'muted' }, ` · ${person.organisation}`) : null);
}

function stat(label, value, testid = null) {
  return h('div', { class: 'overview-stat' }, h('dt', {}, label), h('dd', { 'data-testid': testid }, String(value)));
}

export default async function requestsOverviewPage({ view, params, setTitle, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const [event, first] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/requests/overview`)]);
  if (!isCurrent()) return;
  setTitle(`${t('overview.title')} · ${event.name}`);
  const timeZone = event.timezone;
  const body = h('div', { class: 'overview-body' });
  const asOf = h('p', { class: 'muted small', 'data-testid': 'overview-as-of' });

  function acceptanceCard(a) {
    return h('section', { class: 'card', 'aria-labelledby': 'ov-acceptance-h', 'data-testid': 'overview-acceptance' },
      h('h2', { id: 'ov-acceptance-h', class: 'card-title' }, t('overview.acceptance_title')),
      h('p', { class: 'overview-rates' },
        h('span', { 'data-testid': 'overview-rate-answered' }, t('overview.rate_answered', { rate: percent(a.rate_of_answered) })), ' · ',
        h('span', {}, t('overview.rate_all', { rate: percent(a.rate_of_all) }))),
      h('dl', { class: 'overview-stats' },
        stat(t('overview.requests'), a.requests, 'overview-requests'),
        stat(t('overview.answered'), a.answered),
        stat(t('overview.accepted'), a.accepted),
        stat(t('overview.accepted_unanswered'), a.accepted_unanswered),
        stat(t('overview.declined'), a.declined),
        stat(t('overview.expired'), a.expired),
        stat(t('overview.pending'), a.pending, 'overview-pending')));
  }

  function unansweredCard(u) {
    const oldest = u.oldest;
    return h('section', { class: 'card', 'aria-labelledby': 'ov-unanswered-h', 'data-testid': 'overview-unanswered' },
      h('h2', { id: 'ov-unanswered-h', class: 'card-title' }, t('overview.unanswered_title'), h('span', { class: 'muted' }, ` (${u.total})`)),
      h('dl', { class: 'overview-stats' },
        stat(t('overview.under_24h'), u.under_24h),
        stat(t('overview.from_1_to_3_days'), u.from_1_to_3_days),
        stat(t('overview.over_3_days'), u.over_3_days)),
      oldest ? h('p', { class: 'overview-oldest', 'data-testid': 'overview-oldest' },
        h('strong', {}, `${t('overview.oldest')}: `),
        t('overview.oldest_text', {
          requester: oldest.requester.name, recipient: oldest.recipient.name,
          hours: tn('overview.hours', oldest.waiting_hours),
        }),
        oldest.reminded_at ? ` ${t('overview.reminded', { at: formatInstant(oldest.reminded_at, timeZone) })}` : '') : null);
  }

  function mostRequestedCard(list) {
    return h('section', { class: 'card', 'aria-labelledby': 'ov-most-h', 'data-testid': 'overview-most-requested' },
      h('h2', { id: 'ov-most-h', class: 'card-title' }, t('overview.most_requested_title')),
      list.length
        ? h('ol', { class: 'overview-ranking' }, list.map((x) => h('li', {}, who(x.person),
          h('span', { class: 'muted small' }, ` · ${tn('overview.most_requested_counts', x.requests, { accepted: x.accepted })}`))))
        : h('p', { class: 'muted' }, t('overview.none_yet')));
  }

  function withoutCard(list) {
    return h('section', { class: 'card', 'aria-labelledby': 'ov-without-h', 'data-testid': 'overview-without' },
      h('h2', { id: 'ov-without-h', class: 'card-title' }, t('overview.without_title'), h('span', { class: 'muted' }, ` (${list.length})`)),
      h('p', { class: 'muted small' }, t('overview.without_lead')),
      list.length
        ? h('ul', { class: 'plain-list overview-people', role: 'list' }, list.map((p) => h('li', {}, who(p), ' ', roleBadge(p.role))))
        : h('p', { class: 'muted' }, t('overview.without_none')));
  }

  function peopleTable(people) {
    if (!people.length) return emptyState({ iconName: 'users', title: t('overview.people_empty_title'), text: t('overview.people_empty_text') });
    const num = (value, label) => h('td', { class: 'num', 'data-label': label }, String(value));
    const heads = ['sent', 'received', 'accepted_short', 'declined', 'pending', 'awaiting'];
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table responsive-table overview-table', 'data-testid': 'overview-people' },
      h('caption', { class: 'visually-hidden' }, t('overview.people_title')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('overview.person')),
        h('th', { scope: 'col' }, t('overview.role')),
        heads.map((k) => h('th', { scope: 'col', class: 'num' }, t(`overview.col.${k}`))))),
      h('tbody', {}, people.map((p) => h('tr', { 'data-testid': 'overview-person' },
        h('th', { scope: 'row' }, who(p.person)),
        h('td', { 'data-label': t('overview.role') }, roleBadge(p.person.role)),
        num(p.sent, t('overview.col.sent')),
        num(p.received, t('overview.col.received')),
        num(p.accepted, t('overview.col.accepted_short')),
        num(p.declined, t('overview.col.declined')),
        num(p.pending, t('overview.col.pending')),
        num(p.awaiting_answer, t('overview.col.awaiting')))))));
  }

  function draw(overview) {
    asOf.textContent = t('overview.as_of', { at: formatInstant(overview.generated_at, timeZone) });
    body.replaceChildren(
      h('div', { class: 'overview-grid' },
        acceptanceCard(overview.acceptance),
        unansweredCard(overview.unanswered),
        mostRequestedCard(overview.most_requested),
        withoutCard(overview.without_requests)),
      h('section', { class: 'card', 'aria-labelledby': 'ov-people-h' },
        h('h2', { id: 'ov-people-h', class: 'card-title' }, t('overview.people_title')),
        peopleTable(overview.people)));
  }

  const refresh = h('button', {
    type: 'button', class: 'btn btn-secondary', 'data-testid': 'overview-refresh',
    onClick: async (e) => {
      try {
        const fresh = await withBusy(e.currentTarget, () => api.get(`/events/${eventId}/requests/overview`));
        if (!isCurrent()) return;
        draw(fresh);
        announce(asOf.textContent);
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    },
  }, h('span', { class: 'btn-label' }, t('overview.refresh')));
  const csv = `/api/events/${eventId}/requests/overview?format=csv&lang=${getLang()}`;

  view.replaceChildren(h('section', { class: 'overview-page', 'data-testid': 'requests-overview' },
    h('a', { class: 'back-link no-print', href: `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t('sessions.back_to_event'))),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, event.name),
        h('h1', {}, t('overview.title')),
        asOf),
      h('div', { class: 'actions no-print' },
        h('a', { class: 'btn btn-primary', href: csv, download: '', 'data-testid': 'overview-csv' }, icon('download'), h('span', {}, t('overview.csv'))),
        h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print() }, icon('print'), h('span', {}, t('overview.print'))),
        refresh,
        h('a', { class: 'btn btn-ghost', href: `/events/${eventId}/setup/meetings` }, icon('settings'), h('span', {}, t('rules.title'))))),
    body));
  draw(first);
}
