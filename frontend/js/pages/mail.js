// /events/{id}/mail: the event's email as organisers see it. How far each kind of message
// is (a mass send such as the published schedule, as it goes out), every message with its
// state (queued, in delivery, sent, failed and why), searchable and filtered, its text, and
// "send again" (a failed message retried, a sent one sent anew with a fresh login link).
// While messages are on their way the page asks again every few seconds.

import { h, icon, toast, announce, emptyState, notice } from '../dom.js';
import { t, tn, errorMessage } from '../i18n.js';
import { api } from '../api.js';
import { button, withBusy } from '../forms.js';
import { formatInstant } from '../format.js';

const STATUSES = ['pending', 'sending', 'sent', 'failed'];
const REFRESH_MS = 4000;

function statusBadge(status) {
  return h('span', { class: `badge badge-mail badge-mail-${status}`, 'data-testid': 'mail-status' }, t(`mail.status.${status}`));
}

function kindName(kind) {
  return kind ? t(`mail.kind.${kind}`) : t('mail.kind.other');
}

export default async function mailPage({ view, params, setTitle, user, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const event = await api.get(`/events/${eventId}`);
  if (!isCurrent()) return;
  const isOrganiser = event.my_role === 'organiser' || Boolean(user.is_admin);
  setTitle(`${t('mail.title')} · ${event.name}`);
  if (!isOrganiser) {
    view.replaceChildren(notice('error', h('p', {}, t('mail.organisers_only'))));
    return;
  }
  const timeZone = event.timezone;
  const query = new URLSearchParams(location.search);
  const filters = { q: query.get('q') || '', status: query.get('status') || '', kind: query.get('kind') || '', person: query.get('person') || '' };

  const progressCard = h('section', { class: 'card', 'aria-labelledby': 'mail-progress-h', 'data-testid': 'mail-progress' });
  const listCard = h('section', { class: 'card', 'aria-labelledby': 'mail-list-h', 'data-testid': 'mail-list' });
  const problem = h('div', { 'aria-live': 'polite' });
  let messages = [];
  let total = 0;
  let nextBefore = null;
  let timer = null;

  function path(before) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
    if (before) p.set('before', before);
    const s = p.toString();
    return `/events/${eventId}/mail${s ? `?${s}` : ''}`;
  }

  async function load({ more = false } = {}) {
    const body = await api.get(path(more ? nextBefore : null));
    if (!isCurrent()) return;
    messages = more ? messages.concat(body.messages) : body.messages;
    total = body.total;
    nextBefore = body.next_before;
    drawProgress(body.progress);
    drawList();
    schedule(body.progress);
  }

  /** Asks again while anything is on its way; stops when the page is left. */
  function schedule(progress) {
    clearTimeout(timer);
    const moving = progress.some((p) => p.pending > 0 || p.sending > 0);
    if (!moving) return;
    timer = setTimeout(() => {
      if (!isCurrent() || !document.body.contains(listCard)) return;
      load().catch(() => {});
    }, REFRESH_MS);
  }

  function drawProgress(progress) {
    const rows = progress.map((p) => {
      const all = p.pending + p.sending + p.sent + p.failed;
      const done = p.sent + p.failed;
      return h('li', { class: 'mail-progress-row', 'data-testid': 'mail-progress-row', 'data-kind': p.kind || '' },
        h('div', { class: 'mail-progress-head' },
          h('strong', {}, kindName(p.kind)),
          h('span', { class: 'muted small' }, t('mail.progress_line', { sent: p.sent, all, failed: p.failed }))),
        h('progress', { max: String(all), value: String(done), 'aria-label': kindName(p.kind) }));
    });
    progressCard.replaceChildren(
      h('h2', { id: 'mail-progress-h', class: 'card-title' }, t('mail.progress_title')),
      rows.length ? h('ul', { class: 'plain-list', role: 'list' }, rows) : h('p', { class: 'muted' }, t('mail.none_yet')));
  }

  async function resend(control, m) {
    problem.replaceChildren();
    try {
      await withBusy(control, () => api.post(`/events/${eventId}/mail/${encodeURIComponent(m.id)}/resend`));
      const done = m.status === 'failed' ? t('mail.retried', { to: m.to_email }) : t('mail.resent', { to: m.to_email });
      toast(done);
      announce(done);
      await load();
    } catch (err) {
      problem.replaceChildren(notice('error', h('p', {}, errorMessage(err))));
    }
  }

  async function showText(details, m) {
    if (details.dataset.loaded) return;
    details.dataset.loaded = '1';
    const body = details.querySelector('.mail-text');
    try {
      const detail = await api.get(`/events/${eventId}/mail/${encodeURIComponent(m.id)}`);
      body.replaceChildren(
        h('pre', { class: 'mail-text-body', 'data-testid': 'mail-text' }, detail.text),
        detail.resends.length
          ? h('p', { class: 'muted small' }, tn('mail.resends', detail.resends.length))
          : null);
    } catch (err) {
      body.replaceChildren(notice('error', h('p', {}, errorMessage(err))));
    }
  }

  function row(m) {
    const again = m.status === 'failed' || m.status === 'sent'
      ? button(m.status === 'failed' ? t('mail.retry') : t('mail.resend'), {
        kind: m.status === 'failed' ? 'primary' : 'ghost', small: true, iconName: 'refresh', testid: 'mail-resend',
        ariaLabel: `${m.status === 'failed' ? t('mail.retry') : t('mail.resend')}: ${m.subject} (${m.to_email})`,
        onClick: (e) => resend(e.currentTarget, m),
      })
      : null;
    const details = h('details', { class: 'mail-details' },
      h('summary', {}, t('mail.show_text')),
      h('div', { class: 'mail-text' }, h('p', { class: 'muted' }, t('mail.loading'))));
    details.addEventListener('toggle', () => { if (details.open) showText(details, m); });
    const when = m.sent_at ? t('mail.sent_at', { at: formatInstant(m.sent_at, timeZone) })
      : m.status === 'pending' && m.attempts > 0 && m.next_attempt_at ? t('mail.next_at', { at: formatInstant(m.next_attempt_at, timeZone) })
        : t('mail.written_at', { at: formatInstant(m.created_at, timeZone) });
    return h('tr', { 'data-testid': 'mail-row', 'data-id': m.id },
      h('td', {}, h('div', {}, m.to_name || m.to_email), h('div', { class: 'muted small' }, m.to_email)),
      h('td', { 'data-label': t('mail.col.subject') }, h('div', {}, m.subject),
        h('div', { class: 'muted small' }, kindName(m.kind), m.lang ? ` · ${m.lang.toUpperCase()}` : '', m.resent_from ? ` · ${t('mail.is_resend')}` : ''),
        details),
      h('td', { 'data-label': t('mail.col.status') }, statusBadge(m.status),
        m.last_error ? h('div', { class: 'small mail-error', 'data-testid': 'mail-error' }, m.last_error) : null,
        m.attempts > 1 ? h('div', { class: 'muted small' }, tn('mail.attempts', m.attempts)) : null),
      h('td', { class: 'small', 'data-label': t('mail.col.when') }, when),
      h('td', { class: 'no-print' }, again));
  }

  function drawList() {
    const filterForm = h('form', { class: 'mail-filters', role: 'search', 'data-testid': 'mail-filters' },
      h('label', {}, h('span', {}, t('mail.search')), h('input', { type: 'search', name: 'q', value: filters.q, maxlength: '200', 'data-testid': 'mail-search' })),
      h('label', {}, h('span', {}, t('mail.col.status')),
        h('select', { name: 'status', 'data-testid': 'mail-status-filter' },
          h('option', { value: '' }, t('mail.all')),
          STATUSES.map((s) => h('option', { value: s, selected: filters.status === s }, t(`mail.status.${s}`))))),
      button(t('mail.apply'), { type: 'submit', kind: 'secondary', iconName: 'search' }));
    filterForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const data = new FormData(filterForm);
      filters.q = String(data.get('q') || '').trim();
      filters.status = String(data.get('status') || '');
      // The filters stay in the address, so a reload or a shared link shows the same list.
      history.replaceState(null, '', path(null));
      problem.replaceChildren();
      try { await load(); } catch (err) { problem.replaceChildren(notice('error', h('p', {}, errorMessage(err)))); }
    });
    const more = nextBefore
      ? button(t('mail.more'), { kind: 'ghost', testid: 'mail-more', onClick: (e) => withBusy(e.currentTarget, () => load({ more: true })) })
      : null;
    listCard.replaceChildren(
      h('h2', { id: 'mail-list-h', class: 'card-title' }, t('mail.list_title')),
      filterForm,
      problem,
      messages.length
        ? h('div', {},
          h('p', { class: 'result-count' }, tn('mail.count', total)),
          h('div', { class: 'table-wrap' }, h('table', { class: 'data-table responsive-table', 'data-testid': 'mail-table' },
            h('caption', { class: 'visually-hidden' }, t('mail.list_title')),
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col' }, t('mail.col.to')), h('th', { scope: 'col' }, t('mail.col.subject')),
              h('th', { scope: 'col' }, t('mail.col.status')), h('th', { scope: 'col' }, t('mail.col.when')),
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('mail.col.actions'))))),
            h('tbody', {}, messages.map(row)))),
          more)
        : emptyState({ iconName: 'mail', title: t('mail.empty_title'), text: t('mail.empty_text'), testid: 'mail-empty' }));
  }

  view.replaceChildren(h('section', { class: 'mail-page' },
    h('a', { class: 'back-link', href: `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_event'))),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, event.name),
        h('h1', {}, t('mail.title')),
        h('p', { class: 'muted' }, t('mail.lead')))),
    progressCard,
    listCard));
  await load();
}
