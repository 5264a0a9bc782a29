// /events/new: platform admins create an event; the grid is the next step.

import { h, icon, toast } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { withoutEmpty } from '../forms.js';
import { navigate } from '../router.js';
import { eventForm } from '../components/event-form.js';

export default function newEventPage({ view, setTitle }) {
  setTitle(t('event_new.title'));
  view.replaceChildren(h('section', { class: 'page-medium' },
    h('a', { class: 'back-link', href: '/' }, icon('arrowLeft'), h('span', {}, t('nav.my_events'))),
    h('h1', {}, t('event_new.title')),
    h('p', { class: 'lead' }, t('event_new.lead')),
    h('div', { class: 'card' }, eventForm({
      submitLabel: t('event_new.submit'),
      testid: 'new-event-form',
      onSave: async (body) => {
        const event = await api.post('/events', withoutEmpty(body));
        toast(t('event_new.created', { name: event.name }));
        navigate(`/events/${encodeURIComponent(event.id)}/setup/grid`);
      },
    }))));
}
