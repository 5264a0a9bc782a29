// The top of a participant's pages inside an event: the way back to the event page beside
// the live indicator, and the heading with the event's name above the page's title.

import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { liveIndicator } from './announcements.js';

/** The bar above the page: back to the event, and whether the page is live (`print: false` keeps it off paper). */
export function backToEvent(eventId, connection, { print = true } = {}) {
  return h('div', { class: print ? 'event-topbar' : 'event-topbar no-print' },
    h('a', { class: 'back-link', href: `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t('sessions.back_to_event'))),
    liveIndicator(connection));
}

/**
 * The page's heading: the event's name, the title, the lines under it (null ones left
 * out), and the actions beside it (null for none).
 */
export function pageHead({ eventName, title, lines = [], actions = null }) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('p', { class: 'eyebrow' }, eventName), h('h1', {}, title), ...lines),
    actions);
}
