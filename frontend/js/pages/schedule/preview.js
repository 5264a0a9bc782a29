// The preview of a finished run of the scheduler: how good it is (score, proven maximum,
// gap), the meetings by priority and per person (charts), who gets none or fewer than they
// asked, the tables in use per slot (a chart), the changes against the published schedule
// with the people affected, why accepted requests were left out, and "what if" more room.

import { h, icon } from '../../dom.js';
import { t, tn, locale } from '../../i18n.js';
import { roleBadge } from '../../components/badges.js';
import { columnChart, capacityChart } from '../../components/charts.js';
import { who, slotText, placeText } from './words.js';

const CLASSES = ['mutual_must', 'must', 'would_like', 'if_time'];

function percent(value, digits = 1) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(value);
}

const number = (n) => new Intl.NumberFormat(locale()).format(n);

function stat(label, value, testid) {
  return h('div', { class: 'overview-stat' }, h('dt', {}, label), h('dd', { 'data-testid': testid }, value));
}

/** "Within 0.4 % of the best possible", or proven optimal. */
export function qualityText(gap) {
  if (gap === null || gap === undefined) return null;
  return gap <= 0 ? t('schedule.optimal') : t('schedule.within', { gap: percent(gap) });
}

function qualityCard(p) {
  return h('section', { class: 'card', 'aria-labelledby': 'sp-quality-h', 'data-testid': 'preview-quality' },
    h('h3', { id: 'sp-quality-h', class: 'card-title' }, t('schedule.quality_title')),
    h('p', { class: p.gap <= 0 ? 'quality-line quality-optimal' : 'quality-line', 'data-testid': 'preview-gap' },
      icon(p.gap <= 0 ? 'check' : 'info'), h('span', {}, qualityText(p.gap))),
    p.stopped_by_time_limit ? h('p', { class: 'muted small' }, t('schedule.stopped_by_time')) : null,
    h('dl', { class: 'overview-stats' },
      stat(t('schedule.meetings_total'), number(p.meetings), 'preview-meetings'),
      stat(t('schedule.people_met'), `${number(p.participants_met)} / ${number(p.participants)}`, 'preview-people-met'),
      stat(t('schedule.requests_taken'), number(p.requests)),
      stat(t('schedule.objective'), number(p.objective), 'preview-objective'),
      stat(t('schedule.bound'), number(p.bound), 'preview-bound'),
      stat(t('schedule.gap'), percent(p.gap)),
      stat(t('schedule.idle_gaps'), number(p.idle_gaps)),
      stat(t('schedule.seconds'), new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(p.seconds))));
}

function priorityCard(p) {
  const rows = CLASSES.map((c) => p.by_priority.find((x) => x.class === c)).filter(Boolean)
    .map((x) => ({ label: t(`schedule.class.${x.class}`), used: x.scheduled, available: x.requested }));
  return h('section', { class: 'card', 'aria-labelledby': 'sp-priority-h' },
    h('h3', { id: 'sp-priority-h', class: 'card-title' }, t('schedule.by_priority_title')),
    capacityChart({
      title: t('schedule.by_priority_lead'), rows, labelTitle: t('meetings.priority_label'),
      usedTitle: t('schedule.scheduled'), availableTitle: t('schedule.requested'), showTable: t('schedule.show_numbers'), markFull: false, testid: 'chart-priority',
    }));
}

function distributionCard(p) {
  return h('section', { class: 'card', 'aria-labelledby': 'sp-distribution-h' },
    h('h3', { id: 'sp-distribution-h', class: 'card-title' }, t('schedule.distribution_title')),
    columnChart({
      title: t('schedule.distribution_lead'),
      columns: p.distribution.map((b) => ({ label: String(b.meetings), value: b.people })),
      xTitle: t('schedule.distribution_x'), yTitle: t('schedule.distribution_y'),
      showTable: t('schedule.show_numbers'), highlight: (c) => c.label === '0' && c.value > 0, testid: 'chart-distribution',
    }));
}

function shortCard(p) {
  return h('section', { class: 'card', 'aria-labelledby': 'sp-short-h', 'data-testid': 'preview-short' },
    h('h3', { id: 'sp-short-h', class: 'card-title' }, t('schedule.short_title'), h('span', { class: 'muted' }, ` (${p.short.length})`)),
    p.short.length
      ? h('ul', { class: 'plain-list short-list', role: 'list' }, p.short.map((s) => h('li', { 'data-testid': 'short-person' },
        h('strong', {}, s.person.name), s.person.organisation ? h('span', { class: 'muted' }, ` · ${s.person.organisation}`) : null, ' ',
        roleBadge(s.person.role), ' ',
        h('span', { class: s.got === 0 ? 'badge badge-none' : 'badge badge-muted' }, t('schedule.short_counts', { got: s.got, asked: s.asked })),
        s.max_meetings !== null && s.max_meetings !== undefined ? h('span', { class: 'muted small' }, ` · ${t('schedule.short_limit', { n: s.max_meetings })}`) : null,
        s.unavailable_slots ? h('span', { class: 'muted small' }, ` · ${tn('schedule.short_unavailable', s.unavailable_slots)}`) : null)))
      : h('p', { class: 'muted' }, t('schedule.short_none')));
}

function tablesCard(p) {
  const days = new Set(p.tables.map((x) => x.slot.date));
  return h('section', { class: 'card', 'aria-labelledby': 'sp-tables-h' },
    h('h3', { id: 'sp-tables-h', class: 'card-title' }, t('schedule.tables_title')),
    capacityChart({
      title: t('schedule.tables_lead'),
      rows: p.tables.map((x) => ({ label: days.size > 1 ? slotText(x.slot, { withDate: true }) : x.slot.start, used: x.used, available: x.available })),
      labelTitle: t('schedule.tables_slot'), usedTitle: t('schedule.tables_used'), availableTitle: t('schedule.tables_available'),
      showTable: t('schedule.show_numbers'), testid: 'chart-tables',
    }));
}

function changeRow(kind, c) {
  const from = c.from ? placeText(c.from, c.from_table) : null;
  const to = c.to ? placeText(c.to, c.to_table) : null;
  let where;
  if (kind === 'moved') where = t('schedule.change_from_to', { from, to });
  else if (kind === 'added') where = t('schedule.change_to', { place: to });
  else where = t('schedule.change_from', { place: from });
  return h('li', { 'data-testid': `change-${kind}` },
    h('span', { class: `badge badge-change-${kind}` }, t(`schedule.change.${kind}`)), ' ',
    h('strong', {}, c.people.map((x) => x.name).join(' · ')), ' ',
    h('span', { class: 'muted' }, where));
}

function changesCard(p, { published }) {
  const c = p.changes;
  const total = c.added.length + c.moved.length + c.dropped.length;
  const lists = total
    ? h('ul', { class: 'plain-list change-list', role: 'list' },
      c.moved.map((x) => changeRow('moved', x)), c.dropped.map((x) => changeRow('dropped', x)), c.added.map((x) => changeRow('added', x)))
    : null;
  return h('section', { class: 'card', 'aria-labelledby': 'sp-changes-h', 'data-testid': 'preview-changes' },
    h('h3', { id: 'sp-changes-h', class: 'card-title' }, t('schedule.changes_title')),
    h('p', { 'data-testid': 'changes-counts' }, t('schedule.changes_counts', {
      added: c.added.length, moved: c.moved.length, dropped: c.dropped.length, unchanged: c.unchanged,
    })),
    !published ? h('p', { class: 'muted small' }, t('schedule.changes_first')) : null,
    published && !total ? h('p', { class: 'muted' }, t('schedule.changes_none')) : null,
    published && lists ? h('details', { class: 'change-details' }, h('summary', {}, t('schedule.show_changes')), lists) : null,
    c.people_affected.length ? h('details', { class: 'change-details', 'data-testid': 'people-affected' },
      h('summary', {}, tn('schedule.people_affected', c.people_affected.length)),
      h('ul', { class: 'plain-list people-affected', role: 'list' }, c.people_affected.map((x) => h('li', {}, who(x))))) : null);
}

function leftOutCard(p) {
  const list = p.left_out || [];
  const total = p.left_out_total ?? list.length;
  const counts = (p.left_out_by_reason || []).map((c) => `${c.count} ${t(`schedule.reason.${c.reason}`)}`);
  return h('section', { class: 'card', 'aria-labelledby': 'sp-leftout-h', 'data-testid': 'preview-left-out' },
    h('h3', { id: 'sp-leftout-h', class: 'card-title' }, t('schedule.left_out_title'), h('span', { class: 'muted' }, ` (${total})`)),
    counts.length ? h('p', { class: 'small', 'data-testid': 'left-out-reasons' }, counts.join(' · ')) : null,
    total > list.length ? h('p', { class: 'muted small' }, t('schedule.left_out_listed', { shown: list.length, total })) : null,
    list.length
      ? h('ul', { class: 'plain-list left-out-list', role: 'list' }, list.map((x) => h('li', { 'data-testid': 'left-out' },
        h('strong', {}, [x.requester, x.recipient].filter(Boolean).map(who).join(' · ')),
        h('p', { class: 'small', 'data-testid': 'why-not', 'data-reason': x.reason }, x.text))))
      : h('p', { class: 'muted' }, t('schedule.left_out_none')));
}

/**
 * The preview's cards. `published`: something is published now (so changes mean
 * something); `whatIf`: the "what if" card, or null when the API has none.
 */
export function previewCards(p, { published = false, whatIf = null } = {}) {
  return [
    h('div', { class: 'overview-grid preview-grid' }, qualityCard(p), priorityCard(p), distributionCard(p), tablesCard(p)),
    shortCard(p),
    leftOutCard(p),
    changesCard(p, { published }),
    whatIf,
  ];
}
