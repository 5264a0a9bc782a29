// Pieces every meeting-request page shares: priorities and states as words and badges,
// the form that asks someone for a meeting (from a factsheet, the buyers' needs or a
// recommendation), and what one already asked of whom.

import { h, icon, uid, announce } from '../dom.js';
import { t, errorMessage } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, button, onSubmit, showFieldProblems } from '../forms.js';

export const PRIORITIES = ['must', 'would_like', 'if_time'];
// The live messages about one's requests (docs/live.md): whatever the other side, or the
// organisers' rule for unanswered requests, changes.
export const REQUEST_LIVE_TYPES = [
  'meeting_request_received', 'meeting_request_accepted', 'meeting_request_declined', 'meeting_request_withdrawn',
  'meeting_request_reminder', 'meeting_request_expired',
];
export const DEFAULT_PRIORITY = 'would_like';
// The server's bound (src/bounds.rs MEETING_MESSAGE_MAX); the server checks it too.
export const MESSAGE_MAX = 1000;
export const REASON_MAX = 500;
const PRIORITY_ICONS = { must: 'alert', would_like: 'handshake', if_time: 'clock' };

/** The caller's own meeting requests page. */
export function requestsPath(eventId) {
  return `/events/${eventId}/requests`;
}

export function priorityBadge(priority, { testid = 'request-priority' } = {}) {
  if (!priority) return null;
  return h('span', { class: `badge badge-priority badge-priority-${priority}`, 'data-testid': testid, 'data-priority': priority },
    icon(PRIORITY_ICONS[priority] || 'info'), t(`meetings.priority.${priority}`));
}

export function requestStatusBadge(status) {
  return h('span', { class: `badge badge-request badge-request-${status}`, 'data-testid': 'request-status', 'data-status': status }, t(`meetings.status.${status}`));
}

/** A priority chooser; `withNone` adds "no priority of my own" (when accepting). */
export function priorityField({ name = 'priority', label = t('meetings.priority_label'), value = DEFAULT_PRIORITY, withNone = false, testid = null, hint = null }) {
  const options = PRIORITIES.map((p) => ({ value: p, label: t(`meetings.priority.${p}`) }));
  if (withNone) options.unshift({ value: '', label: t('meetings.priority_none') });
  return field({ name, type: 'select', label, value, options, testid, hint });
}

/**
 * Whether someone of `myRole` may ask someone of `theirRole` at this event: buyers and
 * suppliers ask each other, their own kind only when the organisers allow it (`rules`
 * from GET .../requests); the server decides in the end.
 */
export function mayAsk(myRole, theirRole, rules) {
  if (!['buyer', 'supplier'].includes(myRole) || !['buyer', 'supplier'].includes(theirRole)) return false;
  return myRole !== theirRole || Boolean(rules?.same_role_allowed);
}

/** The standing or declined request between the caller and this participant, if any. */
export function requestWith(mine, participantId) {
  if (!mine) return null;
  const all = [...(mine.sent || []), ...(mine.received || [])].filter((r) => r.other.participant_id === participantId);
  // A withdrawn or expired one may be asked again; anything else says where the pair stands.
  return all.find((r) => !['withdrawn', 'expired'].includes(r.status)) || null;
}

/** One line saying where the caller stands with someone, linking to the requests page. */
export function requestNote(request, eventId) {
  const key = request.direction === 'received' && request.status === 'pending' ? 'meetings.note.received_pending' : `meetings.note.${request.direction}_${request.status}`;
  return h('p', { class: 'request-note', tabindex: '-1', 'data-testid': 'request-note', 'data-status': request.status, 'data-request': request.id },
    icon(request.status === 'declined' ? 'x' : 'check'),
    h('span', {}, t(key, { name: request.other.name }), ' '),
    h('a', { href: `${requestsPath(eventId)}#request-${request.id}`, 'data-testid': 'request-note-link' }, t('meetings.note.open')));
}

/** Why a new request was refused, in the reader's words. */
export function refusalText(err) {
  if (!(err instanceof ApiError)) return errorMessage(err);
  if (err.code === 'request_exists') return t(err.details?.direction === 'received' ? 'meetings.refused.exists_received' : 'meetings.refused.exists_sent');
  if (err.code === 'request_limit_reached' && err.details?.limit !== undefined) return t('meetings.refused.request_limit', { n: err.details.limit });
  if (err.code === 'meeting_limit_reached') return t(err.details?.whose === 'theirs' ? 'meetings.refused.meeting_limit_theirs' : 'meetings.refused.meeting_limit_mine');
  return errorMessage(err);
}

/**
 * The form that asks for a meeting. `people` are whom it may be sent to
 * ([{participant_id, name, detail}]): one is named, several are offered as a choice.
 * `onSent(request)` gets the new request as the server answered it. Field problems from
 * the server show at their fields; a refusal (limits, an existing request) above them,
 * and `onRefused(err)` may take it further.
 */
export function requestForm({ eventId, people, compact = false, onSent, onRefused = null, testid = 'request-form', submitLabel = null }) {
  const groupId = uid('whom');
  const whom = people.length > 1
    ? h('fieldset', { class: 'field fieldset', 'data-field': 'participant_id', 'aria-describedby': `${groupId}-error` },
      h('legend', { class: 'field-label' }, t('meetings.form.whom')),
      h('div', { class: 'stack-sm' }, people.map((p, i) => {
        const id = `${groupId}-${i}`;
        return h('div', { class: 'check' },
          h('input', { type: 'radio', id, name: 'participant_id', value: p.participant_id, required: true, checked: i === 0, 'data-testid': 'request-whom' }),
          h('label', { for: id }, h('span', { class: 'check-label' }, p.name), p.detail ? h('span', { class: 'field-hint' }, p.detail) : null));
      })),
      h('p', { class: 'field-error', id: `${groupId}-error`, hidden: true }))
    : h('div', { class: 'field', 'data-field': 'participant_id' },
      h('input', { type: 'hidden', name: 'participant_id', value: people[0].participant_id }),
      // Where the context does not name the person already (a factsheet names a company).
      compact ? null : h('p', { class: 'request-to' }, icon('user'), h('span', {}, t('meetings.form.to_one', { name: people[0].name })),
        people[0].detail ? h('span', { class: 'muted' }, ` · ${people[0].detail}`) : null),
      h('p', { class: 'field-error', hidden: true }));
  const message = field({
    name: 'message', type: 'textarea', rows: compact ? 2 : 3, label: t('meetings.form.message'), optional: true,
    hint: t('meetings.form.message_hint', { n: MESSAGE_MAX }), testid: 'request-message', attrs: { maxlength: MESSAGE_MAX },
  });
  const fields = h('div', { class: compact ? 'request-form-fields request-form-compact' : 'request-form-fields' },
    priorityField({ testid: 'request-priority-choice', hint: compact ? null : t('meetings.form.priority_hint') }),
    compact
      ? h('details', { class: 'request-message-details' }, h('summary', {}, t('meetings.form.add_message')), message)
      : message);
  const form = h('form', { class: 'request-form stack', 'data-testid': testid },
    whom,
    fields,
    h('div', { class: 'form-actions' }, button(submitLabel || t('meetings.form.send'), { type: 'submit', iconName: 'handshake', testid: 'request-send' })));
  onSubmit(form, async (data) => {
    const body = { participant_id: data.participant_id, priority: data.priority || DEFAULT_PRIORITY };
    if (data.message) body.message = data.message;
    let sent;
    try {
      sent = await api.post(`/events/${eventId}/requests`, body);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        showFieldProblems(form, [], { summaryText: refusalText(err) });
        if (onRefused) onRefused(err);
        return;
      }
      throw err;
    }
    announce(t('meetings.form.sent', { name: sent.other.name }));
    onSent(sent);
  });
  return form;
}
