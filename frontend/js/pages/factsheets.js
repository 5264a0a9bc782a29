// /events/{id}/factsheets: a supplier's own factsheets (with "new"), or for organisers every
// factsheet of the event with its state, export and the printed catalogue.

import { h, icon, emptyState } from '../dom.js';
import { t, tn } from '../i18n.js';
import { formatInstant } from '../format.js';
import { api } from '../api.js';
import { liveFor } from '../live.js';
import { rerender } from '../router.js';
import { factsheetStatusBadge, selfDeclaredBadge, localText } from '../components/factsheet.js';

export default async function factsheetsPage({ view, params, setTitle, user, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const [event, list] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/factsheets`)]);
  if (!isCurrent()) return;
  const isOrganiser = event.my_role === 'organiser' || user.is_admin;
  const isSupplier = event.my_role === 'supplier';
  setTitle(`${t(isOrganiser ? 'factsheets.title_all' : 'factsheets.title_mine')} · ${event.name}`);
  liveFor(params.id).subscribe('factsheet', () => rerender());

  const sheets = list.factsheets;
  const link = (s) => (isOrganiser && !isSupplier ? `/events/${eventId}/review/${encodeURIComponent(s.id)}` : `/events/${eventId}/factsheets/${encodeURIComponent(s.id)}`);
  const rows = sheets.map((s) => h('tr', { 'data-testid': 'factsheet-row' },
    h('td', {}, h('a', { href: link(s), class: 'strong-link' }, localText(s, 'title') || t('factsheet.untitled')),
      isOrganiser ? h('div', { class: 'muted small' }, s.organisation.name) : null),
    h('td', { 'data-label': t('factsheets.col.status') }, factsheetStatusBadge(s), s.self_declared.length ? h('div', {}, selfDeclaredBadge()) : null),
    h('td', { 'data-label': t('factsheets.col.stand') }, s.stand || h('span', { class: 'muted' }, '–')),
    h('td', { class: 'nowrap small', 'data-label': t('factsheets.col.updated') }, formatInstant(s.updated_at, event.timezone))));

  view.replaceChildren(h('section', { class: 'factsheets-page' },
    h('a', { class: 'back-link', href: `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_event'))),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, event.name),
        h('h1', {}, t(isOrganiser ? 'factsheets.title_all' : 'factsheets.title_mine')),
        h('p', { class: 'muted' }, t(isOrganiser ? 'factsheets.lead_all' : 'factsheets.lead_mine'))),
      h('div', { class: 'actions' },
        isSupplier ? h('a', { class: 'btn btn-primary', href: `/events/${eventId}/factsheets/new`, 'data-testid': 'new-factsheet' }, icon('plus'), h('span', {}, t('factsheets.new'))) : null,
        isOrganiser ? h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/review`, 'data-testid': 'review-link' }, icon('check'), h('span', {}, t('review.title'))) : null,
        isOrganiser ? h('a', { class: 'btn btn-ghost', href: `/api/events/${eventId}/factsheets/export?format=csv`, download: '' }, icon('download'), h('span', {}, 'CSV')) : null,
        isOrganiser ? h('a', { class: 'btn btn-ghost', href: `/api/events/${eventId}/factsheets/export?format=json`, download: '' }, icon('download'), h('span', {}, 'JSON')) : null)),
    sheets.length
      ? h('div', { class: 'card' },
        h('p', { class: 'result-count' }, tn('factsheets.count', sheets.length)),
        // On a phone each row becomes a small card (responsive-table), so nothing is cut off.
        h('div', { class: 'table-wrap' }, h('table', { class: 'data-table responsive-table', 'data-testid': 'factsheets-table' },
          h('caption', { class: 'visually-hidden' }, t('factsheets.title_all')),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('factsheets.col.title')), h('th', { scope: 'col' }, t('factsheets.col.status')),
            h('th', { scope: 'col' }, t('factsheets.col.stand')), h('th', { scope: 'col' }, t('factsheets.col.updated')))),
          h('tbody', {}, rows))))
      : emptyState({
        iconName: 'layers', title: t('factsheets.empty_title'),
        text: isSupplier ? t('factsheets.empty_text_supplier') : t('factsheets.empty_text'),
        action: isSupplier ? h('a', { class: 'btn btn-primary', href: `/events/${eventId}/factsheets/new` }, icon('plus'), h('span', {}, t('factsheets.new'))) : null,
        testid: 'factsheets-empty',
      })));
}
