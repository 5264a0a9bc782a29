// /events/{id}/catalogue/{fid} and /e/{slug}/catalogue/{fid}: one published factsheet with
// its claims and the evidence behind each one. A participant who may meet its supplier
// (a buyer, or a supplier where the organisers allow it) asks one of its people for a
// one-to-one meeting here, or sees where their request stands.

import { h, fill, icon } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { factsheetBody, displayTitle } from '../components/factsheet.js';
import { requestForm, requestWith, requestNote, mayAsk } from '../components/meetings.js';
import { catalogueBase } from './catalogue.js';

/** The "Request a meeting" card, or null when the reader cannot ask this supplier. */
function meetCard({ sheet, event, eventId, user, mine }) {
  const people = (sheet.people || []);
  const own = user?.organisation_id && user.organisation_id === sheet.organisation.id;
  if (own || !mine || !mayAsk(event.my_role, 'supplier', mine.rules)) return null;
  const card = h('section', { class: 'card meet-card no-print', id: 'meet', tabindex: '-1', 'aria-labelledby': 'meet-h', 'data-testid': 'meet-card' });

  function draw(focusNote = null) {
    const standing = people.map((p) => requestWith(mine, p.participant_id)).filter(Boolean);
    const free = people.filter((p) => !requestWith(mine, p.participant_id));
    let ask = null;
    if (!people.length) ask = h('p', { class: 'muted' }, t('meetings.nobody', { organisation: sheet.organisation.name }));
    else if (free.length && !mine.rules.open) ask = h('p', { class: 'muted' }, t('requests.closed_short'));
    else if (free.length) {
      ask = requestForm({
        eventId,
        people: free.map((p) => ({ participant_id: p.participant_id, name: p.name, detail: p.job_title })),
        onSent: (sent) => {
          mine.sent = [sent, ...(mine.sent || [])];
          draw(sent.id);
        },
        onRefused: async () => {
          const fresh = await api.get(`/events/${eventId}/requests`).catch(() => null);
          if (fresh) { mine = fresh; draw(); }
        },
      });
    }
    fill(card,
      h('h2', { id: 'meet-h', class: 'card-title' }, icon('handshake'), h('span', {}, t('meetings.meet_title', { organisation: sheet.organisation.name }))),
      h('p', { class: 'muted small' }, t('meetings.meet_lead')),
      standing.length ? h('div', { class: 'stack-sm' }, standing.map((r) => requestNote(r, eventId))) : null,
      ask);
    if (focusNote) card.querySelector(`[data-request="${CSS.escape(focusNote)}"]`)?.focus();
  }
  draw();
  return card;
}

export default async function catalogueItemPage({ view, params, user, setTitle, isCurrent }) {
  const { event, eventId, base, isPublic } = await catalogueBase(params, user);
  const sheet = await api.get(`/events/${eventId}/catalogue/${encodeURIComponent(params.fid)}`);
  // Participants who may ask for meetings need where they stand with these people.
  const asks = !isPublic && Array.isArray(sheet.people) && ['buyer', 'supplier'].includes(event.my_role);
  const mine = asks ? await api.get(`/events/${eventId}/requests`).catch(() => null) : null;
  if (!isCurrent()) return;
  setTitle(`${displayTitle(sheet.content)} · ${event.name}`);
  const meet = asks ? meetCard({ sheet, event, eventId, user, mine }) : null;
  view.replaceChildren(h('article', { class: 'catalogue-item-page' },
    h('div', { class: 'event-topbar no-print' },
      h('a', { class: 'back-link', href: base, 'data-testid': 'back-to-catalogue' }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_catalogue'))),
      // Jumps to the card in place: a change of the URL's hash would draw the page again.
      meet ? h('a', {
        class: 'btn btn-primary btn-sm', href: '#meet', 'data-testid': 'to-meet-card',
        onClick: (e) => {
          e.preventDefault();
          meet.scrollIntoView({ block: 'start' });
          (meet.querySelector('input:not([type=hidden]), select') || meet).focus({ preventScroll: true });
        },
      }, icon('handshake'), h('span', {}, t('meetings.request'))) : null),
    h('p', { class: 'eyebrow' }, event.name),
    h('div', { class: 'card' }, factsheetBody(sheet, { labels: sheet.labels, uploads: sheet.uploads, headingLevel: 'h1' })),
    meet));
}
