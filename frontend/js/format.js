// Dates and times for people: calendar dates as the event has them, instants in the event's time zone.

import { locale } from './i18n.js';

function dateFromYmd(ymd) {
  const [y, m, d] = String(ymd).split('-').map(Number);
  if (!y || !m || !d) return null;
  return new Date(Date.UTC(y, m - 1, d, 12));
}

/** '2025-03-14' -> 'Friday 14 March 2025' (a calendar date has no time zone: format it in UTC). */
export function formatDate(ymd, style = 'long') {
  const date = dateFromYmd(ymd);
  if (!date) return ymd || '';
  const options = style === 'short'
    ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
    : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

export function formatDateRange(start, end, style = 'long') {
  if (!end || end === start) return formatDate(start, style);
  const a = dateFromYmd(start);
  const b = dateFromYmd(end);
  if (!a || !b) return `${start} – ${end}`;
  const options = style === 'short'
    ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
    : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  const fmt = new Intl.DateTimeFormat(locale(), options);
  return typeof fmt.formatRange === 'function' ? fmt.formatRange(a, b) : `${fmt.format(a)} – ${fmt.format(b)}`;
}

/** Day and month parts for a date badge on a card. */
export function dateBadgeParts(ymd) {
  const date = dateFromYmd(ymd);
  if (!date) return { day: '', month: '' };
  return {
    day: new Intl.DateTimeFormat(locale(), { day: 'numeric', timeZone: 'UTC' }).format(date),
    month: new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' }).format(date).replace('.', ''),
  };
}

/** An RFC 3339 instant shown in a time zone (the event's), e.g. for created_at. */
export function formatInstant(iso, timeZone) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat(locale(), { ...options, timeZone: timeZone || undefined }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale(), options).format(date);
  }
}

/** 'Europe/Brussels' -> 'Europe/Brussels (GMT+1)' for a given date; the offset depends on the season. */
export function timeZoneLabel(timeZone, ymd) {
  if (!timeZone) return '';
  const date = dateFromYmd(ymd) || new Date();
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(date);
    const offset = parts.find((p) => p.type === 'timeZoneName');
    return offset ? `${timeZone.replace(/_/g, ' ')} (${offset.value})` : timeZone;
  } catch {
    return timeZone;
  }
}

export function isValidTimeZone(timeZone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone }).format(new Date());
    return true;
  } catch {
    return false;
  }
}

/** 'HH:MM' -> minutes after midnight, or null. */
export function toMinutes(hhmm) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(hhmm || '').trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 24 || minutes > 59) return null;
  return hours * 60 + minutes;
}

export function fromMinutes(total) {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Today's date as YYYY-MM-DD in the browser's zone. */
export function todayYmd() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function addDays(ymd, days) {
  const date = dateFromYmd(ymd);
  if (!date) return ymd;
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}



/** Group items by their `date` (sorted), items sorted by start time. */
export function groupByDate(items) {
  const groups = new Map();
  const sorted = [...items].sort((x, y) => (x.date + x.start).localeCompare(y.date + y.start));
  for (const item of sorted) {
    if (!groups.has(item.date)) groups.set(item.date, []);
    groups.get(item.date).push(item);
  }
  return groups;
}

/** The parts of an instant on the wall clock of `timeZone`: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function zonedParts(instant, timeZone) {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return null;
  let parts;
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(date);
  } catch {
    return null;
  }
  const get = (type) => parts.find((p) => p.type === type)?.value || '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** Today's date as YYYY-MM-DD on the wall clock of `timeZone` (the event's), not the browser's. */
export function todayIn(timeZone) {
  return zonedParts(new Date(), timeZone)?.date || todayYmd();
}

/** An instant as a `datetime-local` value ('YYYY-MM-DDTHH:MM') in `timeZone`; '' for none. */
export function toZonedInput(instant, timeZone) {
  if (!instant) return '';
  const parts = zonedParts(instant, timeZone);
  return parts ? `${parts.date}T${parts.time}` : '';
}

/** Minutes `timeZone` is ahead of UTC at `date`. */
function offsetMinutes(date, timeZone) {
  const parts = zonedParts(date, timeZone);
  if (!parts) return 0;
  const [y, mo, d] = parts.date.split('-').map(Number);
  const [hh, mm] = parts.time.split(':').map(Number);
  return Math.round((Date.UTC(y, mo - 1, d, hh, mm) - Math.floor(date.getTime() / 60000) * 60000) / 60000);
}

/**
 * A wall-clock time in `timeZone` ('YYYY-MM-DDTHH:MM', as a `datetime-local` gives it) as
 * RFC 3339 with that zone's offset at that moment, e.g. '2027-03-01T09:00:00+01:00'; null
 * when the value is not a date and time.
 */
export function fromZonedInput(value, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(String(value || ''));
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The offset at the guess, then at the corrected instant: right on both sides of a DST change.
  let offset = offsetMinutes(new Date(wall), timeZone);
  offset = offsetMinutes(new Date(wall - offset * 60000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
