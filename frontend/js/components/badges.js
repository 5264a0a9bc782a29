// Role and status badges, and the sentence that explains a participant's status.

import { h } from '../dom.js';
import { t } from '../i18n.js';

export function roleBadge(role) {
  if (!role) return null;
  return h('span', { class: `badge badge-role badge-role-${role}`, 'data-testid': 'role-badge' }, t(`role.${role}`));
}

/** A supplier who registered for an event that needs approval is waiting for the organiser. */
export function isAwaitingApproval(role, status, event) {
  return status === 'registered' && role === 'supplier' && Boolean(event && event.supplier_approval_required);
}

export function statusBadge(status, { role = null, event = null } = {}) {
  if (!status) return null;
  const awaiting = isAwaitingApproval(role, status, event);
  const key = awaiting ? 'awaiting' : status;
  return h('span', { class: `badge badge-status badge-status-${key}`, 'data-testid': 'status-badge' }, t(`status.${key}`));
}
