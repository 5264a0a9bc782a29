// Set-up tab "details": edit the event's facts; shows the public registration link.

import { h, icon, toast, notice } from '../../dom.js';
import { t } from '../../i18n.js';
import { api } from '../../api.js';
import { eventForm } from '../../components/event-form.js';
import { rerender } from '../../router.js';

function registrationLink(event) {
  const url = `${window.location.origin}/e/${encodeURIComponent(event.slug)}/register`;
  const copy = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-testid': 'copy-registration-link' }, icon('copy'), h('span', {}, t('common.copy')));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(url);
      toast(t('common.copied'));
    } catch {
      toast(t('common.copy_failed'), 'error');
    }
  });
  if (!event.registration_open) {
    return notice('info', h('p', {}, t('details.registration_closed')));
  }
  return notice('success',
    h('p', {}, h('strong', {}, t('details.registration_link'))),
    h('p', { class: 'link-row' }, h('a', { href: url, class: 'mono', 'data-testid': 'registration-link' }, url), copy));
}

export default function detailsTab({ panel, event, eventId }) {
  panel.replaceChildren(
    h('div', { class: 'panel-head' },
      h('h2', {}, t('setup.tab.details')),
      h('p', { class: 'muted' }, t('details.lead'))),
    registrationLink(event),
    h('div', { class: 'card' }, eventForm({
      event,
      submitLabel: t('common.save_changes'),
      testid: 'details-form',
      onSave: async (body) => {
        if (!body.slug) delete body.slug;
        await api.patch(`/events/${eventId}`, body);
        toast(t('details.saved'));
        rerender();
      },
    })));
}
