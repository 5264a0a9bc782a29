// Set-up tab "meetings": the organisers' rules for meeting requests: who may ask whom,
// whether requests need acceptance, the limits, the deadline, the reminder and what happens
// to unanswered requests, and when notification emails go out.

import { h, icon, toast, notice, announce } from '../../dom.js';
import { t } from '../../i18n.js';
import { api } from '../../api.js';
import { field, checkbox, button, onSubmit } from '../../forms.js';
import { formatInstant, toZonedInput, fromZonedInput, timeZoneLabel } from '../../format.js';

const LIMITS = {
  max_requests_sent: { min: 0, max: 10000 },
  meetings: { min: 0, max: 1000 },
  reminder_after_hours: { min: 1, max: 720 },
};

function statusNotice(rules, timeZone) {
  const lines = [
    h('p', { 'data-testid': 'rules-open' }, rules.open
      ? (rules.deadline ? t('rules.open_until', { at: formatInstant(rules.deadline, timeZone) }) : t('rules.open'))
      : t('rules.closed', { at: formatInstant(rules.deadline, timeZone) })),
    h('p', { class: 'small' }, rules.updated_at ? t('rules.updated', { at: formatInstant(rules.updated_at, timeZone) }) : t('rules.defaults')),
  ];
  return notice(rules.open ? 'info' : 'warn', ...lines);
}

export default async function meetingsTab({ panel, event, eventId }) {
  const timeZone = event.timezone;
  let rules = await api.get(`/events/${eventId}/request-rules`);
  const status = h('div', { 'data-testid': 'rules-status' });
  const number = (name, label, value, limits, opts = {}) => field({
    name, type: 'number', label, value: value ?? '', optional: true, testid: `rules-${name.replace('.', '-')}`,
    attrs: { min: limits.min, max: limits.max, step: 1, inputmode: 'numeric' }, ...opts,
  });

  function form() {
    const el = h('form', { class: 'stack-lg', 'data-testid': 'rules-form' },
      h('fieldset', { class: 'fieldset stack-sm' },
        h('legend', { class: 'field-label' }, t('rules.section_who')),
        h('p', { class: 'field-hint' }, t('rules.who_hint')),
        checkbox({ name: 'allow_buyer_buyer', label: t('rules.allow_buyer_buyer'), checked: rules.allow_buyer_buyer, testid: 'rules-allow-buyer-buyer' }),
        checkbox({ name: 'allow_supplier_supplier', label: t('rules.allow_supplier_supplier'), checked: rules.allow_supplier_supplier, testid: 'rules-allow-supplier-supplier' }),
        checkbox({ name: 'acceptance_required', label: t('rules.acceptance_required'), hint: t('rules.acceptance_hint'), checked: rules.acceptance_required, testid: 'rules-acceptance' })),
      h('fieldset', { class: 'fieldset' },
        h('legend', { class: 'field-label' }, t('rules.section_limits')),
        h('p', { class: 'field-hint' }, t('rules.limits_hint')),
        h('div', { class: 'form-grid form-grid-3' },
          number('max_requests_sent', t('rules.max_requests_sent'), rules.max_requests_sent, LIMITS.max_requests_sent),
          number('max_meetings.buyer', t('rules.max_meetings_buyer'), rules.max_meetings?.buyer, LIMITS.meetings),
          number('max_meetings.supplier', t('rules.max_meetings_supplier'), rules.max_meetings?.supplier, LIMITS.meetings))),
      h('fieldset', { class: 'fieldset' },
        h('legend', { class: 'field-label' }, t('rules.section_timing')),
        h('div', { class: 'form-grid' },
          field({
            name: 'deadline', type: 'datetime-local', label: t('rules.deadline'), optional: true, value: toZonedInput(rules.deadline, timeZone),
            hint: t('rules.deadline_hint', { tz: timeZoneLabel(timeZone, event.start_date) }), testid: 'rules-deadline',
          }),
          number('reminder_after_hours', t('rules.reminder_after_hours'), rules.reminder_after_hours, LIMITS.reminder_after_hours, { hint: t('rules.reminder_hint') }),
          field({
            name: 'after_reminder', type: 'select', label: t('rules.after_reminder'), value: rules.after_reminder, testid: 'rules-after-reminder',
            options: ['expire', 'accept'].map((v) => ({ value: v, label: t(`rules.after_reminder_option.${v}`) })),
          }),
          field({
            name: 'email_timing', type: 'select', label: t('rules.email_timing'), value: rules.email_timing, testid: 'rules-email-timing',
            hint: t('rules.email_timing_hint'),
            options: ['immediate', 'digest'].map((v) => ({ value: v, label: t(`rules.email_timing_option.${v}`) })),
          }))),
      h('div', { class: 'form-actions' }, button(t('common.save_changes'), { type: 'submit', iconName: 'check', testid: 'rules-save' })));
    onSubmit(el, async (data, submitter) => {
      const body = {
        allow_buyer_buyer: data.allow_buyer_buyer,
        allow_supplier_supplier: data.allow_supplier_supplier,
        acceptance_required: data.acceptance_required,
        max_requests_sent: data.max_requests_sent,
        max_meetings: { buyer: data['max_meetings.buyer'], supplier: data['max_meetings.supplier'] },
        deadline: data.deadline ? fromZonedInput(data.deadline, timeZone) : null,
        reminder_after_hours: data.reminder_after_hours,
        after_reminder: data.after_reminder,
        email_timing: data.email_timing,
      };
      rules = await api.put(`/events/${eventId}/request-rules`, body);
      status.replaceChildren(statusNotice(rules, timeZone));
      const text = t('rules.saved');
      toast(text);
      announce(text);
      submitter?.focus();
    }, {
      validate: (data) => (data.deadline && !fromZonedInput(data.deadline, timeZone) ? [{ field: 'deadline', code: 'invalid_datetime' }] : []),
    });
    return el;
  }

  status.replaceChildren(statusNotice(rules, timeZone));
  panel.replaceChildren(
    h('div', { class: 'panel-head page-head' },
      h('div', {},
        h('h2', {}, t('setup.tab.meetings')),
        h('p', { class: 'muted' }, t('rules.lead'))),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-primary', href: `/events/${eventId}/schedule`, 'data-testid': 'schedule-link' }, icon('calendar'), h('span', {}, t('schedule.link'))),
        h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/requests/overview`, 'data-testid': 'requests-overview-link' }, icon('layers'), h('span', {}, t('overview.title'))))),
    status,
    h('div', { class: 'card' }, form()),
    h('p', { class: 'muted small' }, icon('info'), ' ', t('rules.no_slot')));
}
