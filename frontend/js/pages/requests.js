// /events/{id}/requests: the caller's meeting requests, received and sent, with their state,
// priorities and messages; accept (optionally with one's own priority), decline (optionally
// with a reason), withdraw. The other side's answers arrive live, and so do new requests.

import { h, fill, icon, emptyState, notice, announce, toast } from '../dom.js';
import { t, tn, errorMessage } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../forms.js';
import { formatInstant } from '../format.js';
import { liveFor, close as closeLive } from '../live.js';
import { backToEvent, pageHead } from '../components/page.js';
import { roleBadge } from '../components/badges.js';
import { priorityBadge, requestStatusBadge, priorityField, refusalText, REASON_MAX, REQUEST_LIVE_TYPES } from '../components/meetings.js';

const RELOAD_DELAY_MS = 250;
/** What a live message says to the reader, in a sentence. */
function liveText(type, r) {
  const name = r.other.name;
  const sent = r.direction === 'sent';
  if (type === 'meeting_request_received') return t(r.status === 'accepted' ? 'requests.told.received_accepted' : 'requests.told.received', { name });
  if (type === 'meeting_request_accepted') {
    if (r.lapsed_at) return t(sent ? 'requests.told.lapsed_accepted_sent' : 'requests.told.lapsed_accepted_received', { name });
    return t('requests.told.accepted', { name });
  }
  if (type === 'meeting_request_declined') return t('requests.told.declined', { name });
  if (type === 'meeting_request_reminder') return t('requests.told.reminder', { name });
  if (type === 'meeting_request_expired') {
    if (!r.lapsed_at) return t('requests.told.left', { name });
    return t(sent ? 'requests.told.expired_sent' : 'requests.told.expired_received', { name });
  }
  return t('requests.told.withdrawn', { name });
}

/**
 * When this person's emails about requests come: at once, or a digest every few hours; or
 * as the organisers set it for the event. Live messages come at once either way.
 */
function emailChoice(eventId) {
  const box = h('section', { class: 'card', 'aria-labelledby': 'email-choice-h', 'data-testid': 'email-choice' });
  (async () => {
    let choice;
    try {
      choice = await api.get(`/events/${eventId}/request-notifications/me`);
    } catch {
      box.hidden = true;
      return;
    }
    const option = (value, label) => ({ value, label });
    const timing = (value) => (value === 'digest' ? t('requests.email.digest', { n: choice.digest_hours }) : t('requests.email.immediate'));
    const form = h('form', { class: 'stack-sm' },
      h('fieldset', { class: 'field fieldset', 'data-field': 'email_timing' },
        h('legend', { class: 'visually-hidden' }, t('requests.email.title')),
        [option('', t('requests.email.default', { timing: timing(choice.default) })), option('immediate', timing('immediate')), option('digest', timing('digest'))]
          .map((o) => {
            const id = `email-timing-${o.value || 'default'}`;
            return h('div', { class: 'check' },
              h('input', { type: 'radio', id, name: 'email_timing', value: o.value, checked: (choice.chosen || '') === o.value, 'data-testid': `email-timing-${o.value || 'default'}` }),
              h('label', { for: id }, h('span', { class: 'check-label' }, o.label)));
          }),
        h('p', { class: 'field-error', hidden: true })),
      h('div', { class: 'form-actions' }, button(t('common.save'), { type: 'submit', kind: 'secondary', small: true, iconName: 'check', testid: 'email-choice-save' })));
    onSubmit(form, async (data, submitter) => {
      choice = await api.put(`/events/${eventId}/request-notifications/me`, { email_timing: data.email_timing || null });
      const text = t('requests.email.saved', { timing: timing(choice.email_timing) });
      toast(text);
      announce(text);
      submitter?.focus();
    });
    box.replaceChildren(
      h('h2', { id: 'email-choice-h', class: 'card-title' }, icon('mail'), h('span', {}, t('requests.email.title'))),
      h('p', { class: 'muted small' }, t('requests.email.lead')),
      form);
  })();
  return box;
}

export default async function requestsPage({ view, params, setTitle, isCurrent, hash }) {
  const eventId = encodeURIComponent(params.id);
  // Opened before the fetches, so no answer falls between what they return and the socket.
  const connection = liveFor(params.id);
  let event, mine;
  try {
    [event, mine] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/requests`)]);
  } catch (err) {
    closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  setTitle(`${t('requests.title')} · ${event.name}`);
  const timeZone = event.timezone;
  const asks = ['buyer', 'supplier'].includes(event.my_role);

  const items = new Map();
  const lists = {
    received: h('ol', { class: 'request-list', role: 'list', 'data-testid': 'requests-received' }),
    sent: h('ol', { class: 'request-list', role: 'list', 'data-testid': 'requests-sent' }),
  };
  const empties = {
    received: emptyState({ iconName: 'mail', title: t('requests.received_empty_title'), text: t('requests.received_empty_text'), testid: 'received-empty' }),
    sent: emptyState({
      iconName: 'handshake', title: t('requests.sent_empty_title'), text: t('requests.sent_empty_text'), testid: 'sent-empty',
      action: asks ? h('a', { class: 'btn btn-primary', href: `/events/${eventId}/recommendations` }, icon('search'), h('span', {}, t('recommendations.title'))) : null,
    }),
  };
  const headCounts = { received: h('span', { class: 'muted' }), sent: h('span', { class: 'muted' }) };
  const summary = h('div', { class: 'request-summary', 'data-testid': 'request-summary' });
  const liveNotice = h('div', { class: 'programme-live-notice', role: 'status', 'data-testid': 'requests-live-notice' });

  function when(iso) {
    return h('time', { datetime: iso }, formatInstant(iso, timeZone));
  }

  /** One request: its state and its own buttons, drawn again on every change. */
  function requestItem(initial) {
    let r = initial;
    let mode = 'idle';
    const el = h('li', { class: 'request-item', id: `request-${r.id}`, 'data-testid': 'request' });
    const message = h('div', { class: 'request-message', 'aria-live': 'polite', 'data-testid': 'request-message-region' });
    const say = (kind, text) => message.replaceChildren(text ? notice(kind, h('p', {}, text)) : '');

    function statusLine() {
      return h('p', { class: 'request-status-line', tabindex: '-1', 'data-testid': 'request-status-line' }, requestStatusBadge(r.status),
        r.status === 'pending' && r.direction === 'received' ? h('span', { class: 'small' }, t('requests.waits_for_you')) : null,
        r.status === 'pending' && r.direction === 'sent' ? h('span', { class: 'small muted' }, t('requests.waits_for_them')) : null);
    }

    function priorities() {
      const mineKey = r.direction === 'sent' ? r.priority : r.answer_priority;
      const theirsKey = r.direction === 'sent' ? r.answer_priority : r.priority;
      return h('dl', { class: 'request-facts' },
        theirsKey ? h('div', {}, h('dt', {}, t('requests.their_priority')), h('dd', {}, priorityBadge(theirsKey, { testid: 'request-their-priority' }))) : null,
        mineKey ? h('div', {}, h('dt', {}, t('requests.my_priority')), h('dd', {}, priorityBadge(mineKey, { testid: 'request-my-priority' }))) : null,
        h('div', {}, h('dt', {}, t(r.direction === 'sent' ? 'requests.asked_on' : 'requests.received_on')), h('dd', {}, when(r.created_at))),
        r.answered_at && !r.lapsed_at ? h('div', {}, h('dt', {}, t('requests.answered_on')), h('dd', {}, when(r.answered_at))) : null,
        r.reminded_at ? h('div', {}, h('dt', {}, t('requests.reminded_on')), h('dd', { 'data-testid': 'request-reminded' }, when(r.reminded_at))) : null,
        r.lapsed_at ? h('div', {}, h('dt', {}, t(r.status === 'accepted' || r.status === 'scheduled' ? 'requests.lapsed_accepted_on' : 'requests.lapsed_expired_on')),
          h('dd', { 'data-testid': 'request-lapsed' }, when(r.lapsed_at))) : null);
    }

    async function act(buttonEl, path, body, doneKey) {
      say(null, null);
      try {
        const answer = await withBusy(buttonEl, () => api.post(`/events/${eventId}/requests/${encodeURIComponent(r.id)}/${path}`, body));
        mode = 'idle';
        update(answer);
        const text = t(doneKey, { name: r.other.name });
        toast(text);
        announce(text);
        el.querySelector('.request-status-line')?.focus();
        reloadSoon();
      } catch (err) {
        // Field problems show at the fields of the form that sent them.
        if (err instanceof ApiError && err.status === 422) throw err;
        // Answered or withdrawn meanwhile (the other side, another tab), or gone: show it as it is now.
        if (err instanceof ApiError && (err.status === 404 || ['request_not_pending', 'request_not_withdrawable'].includes(err.code))) {
          mode = 'idle';
          reloadSoon();
        }
        if (!(err instanceof ApiError)) console.error(err);
        say('error', refusalText(err));
      }
    }

    function acceptForm() {
      const form = h('form', { class: 'request-answer', 'data-testid': 'accept-form' },
        priorityField({ name: 'priority', label: t('requests.accept_priority'), value: '', withNone: true, testid: 'accept-priority' }),
        h('div', { class: 'form-actions' },
          button(t('requests.accept'), { type: 'submit', iconName: 'check', testid: 'request-accept' }),
          button(t('requests.decline'), {
            kind: 'secondary', iconName: 'x', testid: 'request-decline',
            onClick: () => { mode = 'declining'; say(null, null); draw(); el.querySelector('textarea')?.focus(); },
          })));
      onSubmit(form, async (data, submitter) => {
        await act(submitter, 'accept', data.priority ? { priority: data.priority } : {}, 'requests.accepted');
      });
      return form;
    }

    function declineForm() {
      const form = h('form', { class: 'request-answer stack-sm', 'data-testid': 'decline-form' },
        field({ name: 'reason', type: 'textarea', rows: 2, label: t('requests.decline_reason'), optional: true, hint: t('requests.decline_reason_hint', { n: REASON_MAX }), testid: 'decline-reason', attrs: { maxlength: REASON_MAX } }),
        h('div', { class: 'form-actions' },
          button(t('requests.decline_confirm'), { type: 'submit', kind: 'danger', iconName: 'x', testid: 'request-decline-confirm' }),
          button(t('common.cancel'), {
            kind: 'ghost', testid: 'request-decline-cancel',
            onClick: () => { mode = 'idle'; draw(); el.querySelector('[data-testid="request-decline"]')?.focus(); },
          })));
      onSubmit(form, async (data, submitter) => {
        await act(submitter, 'decline', data.reason ? { reason: data.reason } : {}, 'requests.declined');
      });
      return form;
    }

    async function withdraw(buttonEl) {
      const ok = await confirmDialog({
        title: t('requests.withdraw_title', { name: r.other.name }),
        text: t(r.status === 'accepted' ? 'requests.withdraw_text_accepted' : 'requests.withdraw_text'),
        confirmLabel: t('requests.withdraw'),
      });
      if (!ok) return;
      await act(buttonEl, 'withdraw', undefined, 'requests.withdrawn');
    }

    function actions() {
      if (r.direction === 'received' && r.status === 'pending') {
        if (!mine.rules.open) return h('p', { class: 'small muted' }, t('requests.closed_no_answer'));
        return mode === 'declining' ? declineForm() : acceptForm();
      }
      if (r.direction === 'sent' && ['pending', 'accepted'].includes(r.status)) {
        return h('div', { class: 'form-actions' }, button(t('requests.withdraw'), {
          kind: 'secondary', iconName: 'x', testid: 'request-withdraw', small: true,
          onClick: (e) => withdraw(e.currentTarget),
        }));
      }
      return null;
    }

    function draw() {
      el.dataset.status = r.status;
      el.dataset.direction = r.direction;
      el.dataset.id = r.id;
      const other = r.other;
      el.className = `request-item request-item-${r.status}`;
      fill(el,
        h('div', { class: 'request-head' },
          h('div', {},
            h('h3', { class: 'request-name', id: `request-h-${r.id}`, 'data-testid': 'request-name' }, other.name),
            h('p', { class: 'request-org muted small' }, other.organisation ? h('span', {}, other.organisation) : null, roleBadge(other.role))),
          statusLine()),
        priorities(),
        r.message ? h('div', { class: 'request-quote' },
          h('p', { class: 'small muted' }, t(r.direction === 'sent' ? 'requests.my_message' : 'requests.their_message')),
          h('blockquote', { class: 'prose', 'data-testid': 'request-text' }, r.message)) : null,
        r.decline_reason ? h('div', { class: 'request-quote' },
          h('p', { class: 'small muted' }, t(r.direction === 'sent' ? 'requests.their_reason' : 'requests.my_reason')),
          h('blockquote', { class: 'prose', 'data-testid': 'request-reason' }, r.decline_reason)) : null,
        actions(),
        message);
      // Which request a button acts on, for those who hear "Accept" among many.
      for (const b of el.querySelectorAll('button')) b.setAttribute('aria-describedby', `request-h-${r.id}`);
    }

    function update(next) {
      const moved = next.direction !== r.direction;
      const changed = moved || next.status !== r.status || next.updated_at !== r.updated_at;
      r = next;
      if (!changed) return;
      if (moved) place(el, r.direction);
      // Someone typing a reason when the other side withdrew: the form goes, the reason is moot.
      mode = 'idle';
      draw();
    }

    draw();
    return { el, update, get: () => r };
  }

  function place(el, direction) {
    const list = lists[direction];
    list.prepend(el);
    syncEmpty();
  }

  function syncEmpty() {
    for (const direction of ['received', 'sent']) {
      const list = lists[direction];
      const count = list.children.length;
      empties[direction].hidden = count > 0;
      list.hidden = count === 0;
      headCounts[direction].textContent = ` (${count})`;
    }
  }

  function upsert(r) {
    const known = items.get(r.id);
    if (known) {
      known.update(r);
      return;
    }
    const item = requestItem(r);
    items.set(r.id, item);
    place(item.el, r.direction);
  }

  function drawSummary() {
    const { counts, rules } = mine;
    const lines = [
      counts.max_requests_sent !== null && counts.max_requests_sent !== undefined
        ? t('requests.count_sent_limit', { n: counts.requests_sent, max: counts.max_requests_sent })
        : tn('requests.count_sent', counts.requests_sent),
      counts.max_meetings !== null && counts.max_meetings !== undefined
        ? t('requests.count_meetings_limit', { n: counts.meetings, max: counts.max_meetings })
        : tn('requests.count_meetings', counts.meetings),
    ];
    fill(summary,
      asks ? h('p', { class: 'request-counts', 'data-testid': 'request-counts' }, lines.join(' · ')) : null,
      !rules.open ? notice('warn', h('p', {}, t('requests.closed', { at: formatInstant(rules.deadline, timeZone) })))
        : rules.deadline ? h('p', { class: 'small muted' }, icon('clock'), ' ', t('requests.deadline', { at: formatInstant(rules.deadline, timeZone) })) : null,
      rules.acceptance_required ? null : notice('info', h('p', {}, t('requests.no_acceptance'))));
  }

  // Initial lists: in each, what waits for an answer first, then the newest.
  const waitingFirst = (list) => [...list].sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'));
  for (const direction of ['received', 'sent']) {
    for (const r of waitingFirst(mine[direction] || [])) {
      const item = requestItem(r);
      items.set(r.id, item);
      lists[direction].append(item.el);
    }
  }

  let timer = null;
  function reloadSoon() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const fresh = await api.get(`/events/${eventId}/requests`);
        if (!isCurrent()) return;
        mine = fresh;
        // Oldest first, so that new ones end up at the top of their list.
        for (const direction of ['received', 'sent']) for (const r of [...(fresh[direction] || [])].reverse()) upsert(r);
        drawSummary();
      } catch (err) {
        if (isCurrent()) toast(errorMessage(err), 'error');
      }
    }, RELOAD_DELAY_MS);
  }

  for (const type of REQUEST_LIVE_TYPES) {
    connection.subscribe(type, (message) => {
      const r = message.payload;
      if (!r || !r.id || !r.other) return;
      upsert(r);
      const text = liveText(type, r);
      liveNotice.replaceChildren(h('div', { class: 'live-change', 'data-testid': 'requests-change' },
        icon(type === 'meeting_request_accepted' || type === 'meeting_request_received' ? 'check' : 'info'), h('p', {}, text),
        h('button', {
          type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('sessions.dismiss'),
          onClick: () => liveNotice.replaceChildren(),
        }, icon('x'))));
      toast(text);
      announce(text);
      // The counters moved too.
      reloadSoon();
    });
  }
  connection.subscribe('gap', reloadSoon);

  const section = (direction) => h('section', { class: 'card', 'aria-labelledby': `requests-${direction}-h` },
    h('h2', { id: `requests-${direction}-h`, class: 'card-title' }, icon(direction === 'received' ? 'mail' : 'handshake'),
      h('span', {}, t(`requests.${direction}_title`)), headCounts[direction]),
    empties[direction],
    lists[direction]);

  view.replaceChildren(h('section', { class: 'requests-page', 'data-testid': 'requests-page' },
    backToEvent(eventId, connection),
    pageHead({
      eventName: event.name,
      title: t('requests.title'),
      lines: [h('p', { class: 'muted' }, t('requests.lead'))],
      actions: asks ? h('div', { class: 'actions' },
        h('a', { class: 'btn btn-primary', href: `/events/${eventId}/recommendations`, 'data-testid': 'recommendations-link' }, icon('search'), h('span', {}, t('recommendations.title'))),
        h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/availability`, 'data-testid': 'availability-link' }, icon('clock'), h('span', {}, t('availability.title')))) : null,
    }),
    asks ? null : notice('info', h('p', {}, t('requests.not_for_role'))),
    summary,
    liveNotice,
    section('received'),
    section('sent'),
    asks ? emailChoice(eventId) : null));
  drawSummary();
  syncEmpty();
  // A link to one request (from another page, or an email) opens the list at it.
  if (hash && hash.startsWith('#request-')) {
    setTimeout(() => {
      const target = document.getElementById(hash.slice(1));
      if (!target) return;
      target.scrollIntoView({ block: 'start' });
      target.querySelector('.request-status-line')?.focus({ preventScroll: true });
    }, 0);
  }
}
