// /events/{id}/recommendations: the people the caller may want to meet, best match first,
// each with the reasons in words; one click turns an entry into a meeting request (with a
// priority, and a message if one likes), and the entry then shows where the request stands.

import { h, fill, icon, emptyState, notice, toast } from '../dom.js';
import { t, tn, getLang, localText, textLang } from '../i18n.js';
import { api } from '../api.js';
import { liveFor, close as closeLive } from '../live.js';
import { backToEvent, pageHead } from '../components/page.js';
import { roleBadge } from '../components/badges.js';
import { requestForm, requestWith, requestNote, mayAsk, requestsPath, REQUEST_LIVE_TYPES } from '../components/meetings.js';


/**
 * Why the list is empty, as the server says it (in the reader's language), with a link to
 * where to act on it.
 */
function hintNotice(body, event, eventId) {
  if (!body.hint) return null;
  const to = (href, key, testid) => h('p', {}, h('a', { href, 'data-testid': testid }, t(key)));
  const action = {
    needs_profile: to(`/events/${eventId}/needs`, 'needs.title_mine', 'hint-link'),
    factsheet: to(`/events/${eventId}/factsheets`, 'factsheets.title_mine', 'hint-link'),
    factsheet_not_published: to(`/events/${eventId}/factsheets`, 'factsheets.title_mine', 'hint-link'),
    all_asked: to(requestsPath(eventId), 'requests.title', 'hint-link'),
    no_fit: event.my_role === 'buyer' ? to(`/events/${eventId}/needs`, 'needs.title_mine', 'hint-link') : null,
  }[body.hint_code] || null;
  return notice('info', h('p', { lang: body.lang, 'data-testid': 'recommendations-hint' }, body.hint), action);
}

export default async function recommendationsPage({ view, params, setTitle, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const connection = liveFor(params.id);
  let event, body, mine;
  try {
    [event, body, mine] = await Promise.all([
      api.get(`/events/${eventId}`),
      // The reasons in the language the page is read in.
      api.get(`/events/${eventId}/recommendations/me`, { query: { lang: getLang() } }),
      api.get(`/events/${eventId}/requests`),
    ]);
  } catch (err) {
    closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  setTitle(`${t('recommendations.title')} · ${event.name}`);
  const entries = body.recommendations || [];
  const slots = new Map();

  /** The part of an entry that asks, or says where the request stands. */
  function requestPart(entry) {
    const standing = requestWith(mine, entry.participant_id);
    if (standing) return requestNote(standing, eventId);
    if (!mine.rules.open) return h('p', { class: 'small muted' }, t('requests.closed_short'));
    if (!mayAsk(event.my_role, entry.role, mine.rules)) return null;
    return requestForm({
      eventId, compact: true, testid: 'recommendation-request-form', submitLabel: t('recommendations.request'),
      people: [{ participant_id: entry.participant_id, name: entry.person_name }],
      onSent: (sent) => {
        mine.sent = [sent, ...(mine.sent || [])];
        drawPart(entry.participant_id);
        toast(t('meetings.form.sent', { name: sent.other.name }));
        slots.get(entry.participant_id)?.querySelector(`[data-request="${CSS.escape(sent.id)}"]`)?.focus();
      },
      // Asked meanwhile (another tab, or they asked first): show where it stands now.
      onRefused: () => refresh(),
    });
  }

  function drawPart(participantId) {
    const slot = slots.get(participantId);
    const entry = entries.find((e) => e.participant_id === participantId);
    if (slot && entry) fill(slot, requestPart(entry));
  }

  async function refresh() {
    try {
      const fresh = await api.get(`/events/${eventId}/requests`);
      if (!isCurrent()) return;
      mine = fresh;
      // Only entries whose state changed are drawn again: a message being typed stays.
      for (const entry of entries) {
        const slot = slots.get(entry.participant_id);
        const now = requestWith(mine, entry.participant_id);
        const shown = slot.querySelector('[data-testid="request-note"]')?.dataset.status || null;
        if ((now?.status || null) !== shown) drawPart(entry.participant_id);
      }
    } catch { /* the next change catches up */ }
  }

  function entryItem(entry, index) {
    const slot = h('div', { class: 'recommendation-request' });
    slots.set(entry.participant_id, slot);
    fill(slot, requestPart(entry));
    const reasons = entry.reasons || [];
    return h('li', { class: 'recommendation', 'data-testid': 'recommendation', 'data-participant': entry.participant_id, 'aria-labelledby': `rec-h-${index}` },
      h('span', { class: 'recommendation-rank', 'aria-hidden': 'true' }, String(index + 1)),
      h('div', { class: 'recommendation-main' },
        h('h2', { class: 'recommendation-name', id: `rec-h-${index}`, 'data-testid': 'recommendation-name' },
          h('span', { class: 'visually-hidden' }, t('recommendations.rank', { n: index + 1 })), entry.person_name),
        h('p', { class: 'muted small recommendation-org' }, entry.organisation_name ? h('span', {}, entry.organisation_name) : null, roleBadge(entry.role),
          h('span', { class: 'badge badge-outline', 'data-testid': 'recommendation-score' }, t('recommendations.score', { n: entry.score }))),
        reasons.length
          ? h('ul', { class: 'recommendation-reasons', 'aria-label': t('recommendations.reasons'), 'data-testid': 'recommendation-reasons' },
            reasons.map((reason) => h('li', { lang: body.lang }, icon('check'), h('span', {}, reason))))
          : null,
        // A supplier's factsheet, to read before asking (a supplier's own is not linked).
        entry.role === 'supplier' && entry.factsheet
          ? h('p', { class: 'small recommendation-factsheet' }, icon('layers'), ' ',
            h('a', { href: entry.factsheet.url, lang: textLang(entry.factsheet, 'title'), 'data-testid': 'recommendation-factsheet' }, localText(entry.factsheet, 'title') || t('factsheet.untitled')))
          : null),
      slot);
  }

  const list = entries.length
    ? h('ol', { class: 'recommendation-list', role: 'list', 'data-testid': 'recommendations' }, entries.map(entryItem))
    : h('div', { class: 'card' }, emptyState({ iconName: 'search', title: t('recommendations.empty_title'), text: t('recommendations.empty_text'), testid: 'recommendations-empty' }));

  // The other side acting (asking me, answering me) shows on the entry at once.
  for (const type of REQUEST_LIVE_TYPES) connection.subscribe(type, () => refresh());
  connection.subscribe('gap', () => refresh());

  view.replaceChildren(h('section', { class: 'recommendations-page', 'data-testid': 'recommendations-page' },
    backToEvent(eventId, connection),
    pageHead({
      eventName: event.name,
      title: t('recommendations.title'),
      lines: [
        h('p', { class: 'muted' }, t(event.my_role === 'supplier' ? 'recommendations.lead_supplier' : 'recommendations.lead_buyer')),
        entries.length ? h('p', { class: 'muted small' }, tn('recommendations.count', entries.length)) : null,
      ],
      actions: h('div', { class: 'actions' },
        h('a', { class: 'btn btn-secondary', href: requestsPath(eventId), 'data-testid': 'requests-link' }, icon('mail'), h('span', {}, t('requests.title')))),
    }),
    hintNotice(body, event, eventId),
    list));
}
