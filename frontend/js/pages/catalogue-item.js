// /events/{id}/catalogue/{fid} and /e/{slug}/catalogue/{fid}: one published factsheet with
// its claims and the evidence behind each one.

import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { factsheetBody, displayTitle } from '../components/factsheet.js';
import { catalogueBase } from './catalogue.js';

export default async function catalogueItemPage({ view, params, user, setTitle, isCurrent }) {
  const { event, eventId, base } = await catalogueBase(params, user);
  const sheet = await api.get(`/events/${eventId}/catalogue/${encodeURIComponent(params.fid)}`);
  if (!isCurrent()) return;
  setTitle(`${displayTitle(sheet.content)} · ${event.name}`);
  view.replaceChildren(h('article', { class: 'catalogue-item-page' },
    h('a', { class: 'back-link no-print', href: base, 'data-testid': 'back-to-catalogue' }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_catalogue'))),
    h('p', { class: 'eyebrow' }, event.name),
    h('div', { class: 'card' }, factsheetBody(sheet, { labels: sheet.labels, uploads: sheet.uploads, headingLevel: 'h1' }))));
}
