// The schedule's things in words, in the reader's language: people, places (slot and
// table), and why an edit by hand was refused. (Why an accepted request has no meeting comes
// in words from the server, in the language asked for.)

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
