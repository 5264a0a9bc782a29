// The schedule's things in words, in the reader's language: people, places (slot and
// table), why an accepted request was left out, and why an edit by hand was refused.

import { t, localText, errorMessage, fieldErrorMessage, locale } from '../../i18n.js';
import { ApiError } from '../../api.js';
import { formatDate } from '../../format.js';

/** "Ann Peeters (ReMeubel)". */
export function who(person) {
  if (!person) return '?';
  return person.organisation ? `${person.name} (${person.organisation})` : person.name;
}

/** Names joined as "A, B and C" in the reader's language. */
export function joined(items) {
  const list = items.filter(Boolean);
  try {
    return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(list);
  } catch {
    return list.join(', ');
  }
}

/** A slot's id, whichever view named it (`slot_id` in schedule views, `id` in the grid's). */
export const slotIdOf = (slot) => (slot ? slot.slot_id || slot.id : null);
export const tableIdOf = (table) => (table ? table.table_id || table.id : null);

/** "13:20–13:40", with the date when the event has more than one day. */
export function slotText(slot, { withDate = false } = {}) {
  if (!slot) return '?';
  const time = `${slot.start}–${slot.end}`;
  return withDate ? `${formatDate(slot.date, 'short')} ${time}` : time;
}

export function tableText(table) {
  if (!table) return t('schedule.own_stand');
  return table.label ? `${t('schedule.table', { n: table.number })} (${table.label})` : t('schedule.table', { n: table.number });
}

/** "13:20–13:40, table 4". */
export function placeText(slot, table, opts) {
  return `${slotText(slot, opts)}, ${tableText(table)}`;
}

/** The buyer and the supplier of a meeting's people (buyer first when roles tell). */
export function pair(people = []) {
  const buyer = people.find((p) => p.role === 'buyer') || people[0];
  const other = people.find((p) => p !== buyer) || null;
  return [buyer, other];
}

/** Slots named by index or by view, for a reason's data: "13:00–13:20, 14:00–14:20". */
function slotsText(slots, slotAt) {
  if (!Array.isArray(slots) || !slots.length) return '–';
  return slots.map((x) => {
    if (x && typeof x === 'object') return slotText(x);
    const found = slotAt ? slotAt(x) : null;
    return found ? slotText(found) : String(x);
  }).join(', ');
}

function blockedText(list, name) {
  if (!Array.isArray(list) || !list.length) return null;
  const parts = list.map((b) => {
    if (b && typeof b === 'object' && (b.title_en || b.title_nl)) return t('schedule.why.session', { title: localText(b, 'title') });
    if (b && typeof b === 'object' && b.session) return t('schedule.why.session', { title: localText(b.session, 'title') });
    return t('schedule.why.unavailable');
  });
  return t('schedule.why.blocked_by', { name, what: joined([...new Set(parts)]) });
}

/**
 * Why an accepted request is not in the schedule, in words. `item` is a preview's left-out
 * entry: `reason` either a code (`same_role`, `not_taking_part`) or the scheduler's reason
 * with its data (`{reason: 'outweighed', by: ...}`, docs/scheduling.md, "Why not").
 * `slotAt(index)` names slots given by index.
 */
export function whyNot(item, { slotAt = null } = {}) {
  const data = item.why_not || (item.reason && typeof item.reason === 'object' ? item.reason : null);
  const code = data ? data.reason || data.code : item.reason;
  const buyer = item.buyer || item.requester;
  const supplier = item.supplier || item.recipient;
  switch (code) {
    case 'same_role':
    case 'not_taking_part':
      return t(`schedule.why.${code}`);
    case 'no_common_free_slot': {
      const blocked = [blockedText(data?.buyer_blocked || data?.buyer, buyer?.name), blockedText(data?.supplier_blocked || data?.supplier, supplier?.name)].filter(Boolean);
      return blocked.length ? t('schedule.why.no_common_free_slot_blocked', { blocked: blocked.join('; ') }) : t('schedule.why.no_common_free_slot');
    }
    case 'at_limit': {
      const names = [data?.buyer ? buyer?.name : null, data?.supplier ? supplier?.name : null].filter(Boolean);
      if (names.length === 2) return t('schedule.why.at_limit_both');
      return t('schedule.why.at_limit', { names: names.length ? names[0] : '?' });
    }
    case 'would_fit':
    case 'tables_full':
      return t(`schedule.why.${code}`, { slots: slotsText(data?.slots, slotAt) });
    case 'outweighed': {
      // `by`: per slot the meetings that took its place; named when the app gave names.
      const named = [];
      for (const entry of data?.by || []) {
        const meetings = Array.isArray(entry) ? entry[1] : entry?.meetings;
        for (const m of meetings || []) {
          if (m && typeof m === 'object' && Array.isArray(m.people)) named.push(joined(m.people.map((p) => p.name)));
        }
      }
      const base = t('schedule.why.outweighed');
      return named.length ? `${base} ${t('schedule.why.outweighed_by', { meetings: [...new Set(named)].join('; ') })}` : base;
    }
    default:
      return t('schedule.why.unknown', { code: String(code) });
  }
}

/** An edit by hand refused by the API, in words naming what is in the way. */
export function refusal(err) {
  if (!(err instanceof ApiError)) return errorMessage(err);
  const d = err.details || {};
  switch (err.code) {
    case 'person_busy':
      return t('schedule.refusal.person_busy', { person: who(d.person), partner: who(d.partner) });
    case 'table_taken':
      return t('schedule.refusal.table_taken', {
        table: d.label ? `${d.number} (${d.label})` : String(d.number ?? '?'),
        people: joined((d.people || []).map(who)),
      });
    case 'slot_taken':
      return t('schedule.refusal.slot_taken');
    case 'unavailable':
    case 'participant_left':
      return t(`schedule.refusal.${err.code}`, { person: who(d.person) });
    case 'in_session':
      return t('schedule.refusal.in_session', { person: who(d.person), session: d.session ? localText(d.session, 'title') : '?' });
    case 'meeting_limit_reached':
      return d.person ? t('schedule.refusal.meeting_limit_reached', { person: who(d.person), limit: d.limit ?? '?' }) : errorMessage(err);
    case 'validation_failed': {
      if (!err.fields.length) return errorMessage(err);
      return err.fields.map((f) => (f.field === 'swap_with' && ['self', 'same_meeting'].includes(f.code) ? t('schedule.refusal.swap_self') : fieldErrorMessage(f))).join(' ');
    }
    default:
      return errorMessage(err);
  }
}
