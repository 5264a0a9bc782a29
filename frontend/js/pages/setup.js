// /events/{id}/setup/{tab}: the organiser's set-up, one tab per part of the event.

import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { formatDateRange } from '../format.js';

export const TABS = [
  { id: 'details', icon: 'info', load: () => import('./setup/details.js') },
  { id: 'grid', icon: 'clock', load: () => import('./setup/grid.js') },
  { id: 'rooms', icon: 'pin', load: () => import('./setup/rooms.js') },
  { id: 'tables', icon: 'grid', load: () => import('./setup/tables.js') },
  { id: 'taxonomy', icon: 'layers', load: () => import('./setup/taxonomy.js') },
  { id: 'programme', icon: 'calendar', load: () => import('./setup/programme.js') },
  { id: 'meetings', icon: 'handshake', load: () => import('./setup/meetings.js') },
  { id: 'participants', icon: 'users', load: () => import('./setup/participants.js') },
];

export default async function setupPage(ctx) {
  const { view, params, setTitle, user } = ctx;
  const tab = TABS.find((x) => x.id === params.tab);
  if (!tab) throw new ApiError(404, 'not_found', 'no such tab');
  const id = encodeURIComponent(params.id);
  const [event, mod] = await Promise.all([api.get(`/events/${id}`), tab.load()]);
  if (event.my_role !== 'organiser' && !user.is_admin) throw new ApiError(403, 'forbidden', 'organisers only');
  setTitle(`${t(`setup.tab.${tab.id}`)} · ${event.name}`);

  const panel = h('div', { class: 'tab-panel', id: 'setup-panel', 'data-testid': `setup-${tab.id}` });
  view.replaceChildren(h('section', { class: 'setup-page' },
    h('a', { class: 'back-link', href: `/events/${id}` }, icon('arrowLeft'), h('span', {}, t('setup.back_to_event'))),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, t('setup.eyebrow')),
        h('h1', {}, event.name),
        h('p', { class: 'muted' }, formatDateRange(event.start_date, event.end_date), event.venue ? ` · ${event.venue}` : ''))),
    h('nav', { class: 'tabs', 'aria-label': t('setup.tabs_label') },
      h('ul', { role: 'list' }, TABS.map((x) => h('li', {},
        h('a', {
          href: `/events/${id}/setup/${x.id}`,
          class: 'tab',
          'aria-current': x.id === tab.id ? 'page' : null,
          'data-testid': `tab-${x.id}`,
        }, icon(x.icon), h('span', {}, t(`setup.tab.${x.id}`))))))),
    panel));
  await mod.default({ ...ctx, panel, event, eventId: id });
}
