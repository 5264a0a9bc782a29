// The day's programme: slots per date as a table, with a small proportional timeline above it.

import { h, icon } from '../dom.js';
import { t, tn } from '../i18n.js';
import { formatDate, groupByDate, toMinutes } from '../format.js';

function timeline(slots) {
  const first = toMinutes(slots[0].start);
  const last = Math.max(...slots.map((s) => toMinutes(s.end)));
  const span = Math.max(last - first, 1);
  return h('div', { class: 'timeline', 'aria-hidden': 'true' },
    slots.map((slot) => {
      const left = ((toMinutes(slot.start) - first) / span) * 100;
      const width = ((toMinutes(slot.end) - toMinutes(slot.start)) / span) * 100;
      const block = h('span', { class: `timeline-block timeline-${slot.kind}`, title: `${slot.start}–${slot.end}` });
      // Through the CSSOM, not a style attribute: the server's CSP allows no inline styles.
      block.style.left = `${left}%`;
      block.style.width = `${width}%`;
      return block;
    }),
    h('span', { class: 'timeline-label timeline-label-start' }, slots[0].start),
    h('span', { class: 'timeline-label timeline-label-end' }, slots[slots.length - 1].end));
}

/** Summary for a day: "11 meeting slots · 1 break · 13:00–17:00". */
export function daySummary(slots) {
  const meetings = slots.filter((s) => s.kind === 'meeting').length;
  const breaks = slots.length - meetings;
  const parts = [tn('programme.meeting_slots', meetings)];
  if (breaks) parts.push(tn('programme.breaks', breaks));
  if (slots.length) parts.push(`${slots[0].start}–${slots[slots.length - 1].end}`);
  return parts.join(' · ');
}

export function programme(slots, { timeZoneText = '' } = {}) {
  const days = groupByDate(slots);
  return h('div', { class: 'programme', 'data-testid': 'programme' },
    [...days.entries()].map(([date, daySlots]) => h('section', { class: 'programme-day' },
      h('h3', { class: 'programme-date' }, icon('calendar'), h('span', {}, formatDate(date))),
      h('p', { class: 'muted small' }, daySummary(daySlots)),
      timeline(daySlots),
      h('table', { class: 'programme-table' },
        h('caption', { class: 'visually-hidden' }, `${t('programme.title')} ${formatDate(date)}${timeZoneText ? ` (${timeZoneText})` : ''}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('programme.time')), h('th', { scope: 'col' }, t('programme.activity')))),
        h('tbody', {}, daySlots.map((slot) => h('tr', { class: `slot-${slot.kind}`, 'data-testid': 'programme-slot', 'data-kind': slot.kind },
          h('td', { class: 'programme-time' }, h('time', {}, slot.start), '–', h('time', {}, slot.end)),
          h('td', {},
            h('span', { class: 'programme-kind' }, icon(slot.kind === 'break' ? 'coffee' : 'handshake'),
              h('span', {}, slot.kind === 'break' ? (slot.label || t('slot.kind_break')) : t('programme.meeting_slot'))),
            slot.kind === 'meeting' && slot.label ? h('span', { class: 'muted' }, ` · ${slot.label}`) : null))))))));
}
