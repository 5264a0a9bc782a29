// The card "My calendar feed": a private address for a calendar program (Outlook, Google,
// Apple) that always shows my meetings and sessions. Made, replaced and revoked here; the
// address is shown once, right after it is made, since only its hash is kept.

import { h, icon, toast } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { button, confirmDialog, withBusy } from '../forms.js';
import { formatInstant } from '../format.js';

export function calendarFeedCard() {
  const body = h('div', { 'data-testid': 'calendar-feed-body' });
  const card = h('section', { class: 'card', 'aria-labelledby': 'cal-feed-h', 'data-testid': 'calendar-feed' },
    h('h2', { id: 'cal-feed-h', class: 'card-title' }, icon('calendar'), h('span', {}, t('calendar_feed.title'))),
    h('p', { class: 'muted' }, t('calendar_feed.lead')),
    body);

  const make = async (btn, replacing) => {
    if (replacing && !(await confirmDialog({
      title: t('calendar_feed.renew_title'), text: t('calendar_feed.renew_text'), confirmLabel: t('calendar_feed.renew'),
    }))) return;
    const made = await withBusy(btn, () => api.post('/me/calendar-feed'));
    if (made) render({ active: true, created_at: made.created_at }, made.url);
  };

  const revoke = async (btn) => {
    if (!(await confirmDialog({
      title: t('calendar_feed.revoke_title'), text: t('calendar_feed.revoke_text'), confirmLabel: t('calendar_feed.revoke'),
    }))) return;
    await withBusy(btn, () => api.del('/me/calendar-feed'));
    toast(t('calendar_feed.revoked'));
    render({ active: false, created_at: null }, null);
  };

  function render(feed, url) {
    const parts = [];
    if (url) {
      const input = h('input', { type: 'text', readonly: true, value: url, 'aria-label': t('calendar_feed.url'), 'data-testid': 'calendar-feed-url' });
      const copy = button(t('calendar_feed.copy'), { kind: 'secondary', iconName: 'copy', small: true, testid: 'calendar-feed-copy' });
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(url);
          toast(t('calendar_feed.copied'));
        } catch {
          input.select();
        }
      });
      parts.push(h('p', {}, t('calendar_feed.shown_once')),
        h('div', { class: 'feed-url' }, input, copy),
        h('p', { class: 'muted small' }, t('calendar_feed.how')));
    }
    if (feed.active) {
      if (!url) parts.push(h('p', {}, t('calendar_feed.active_since', { date: formatInstant(feed.created_at) })));
      const renew = button(t('calendar_feed.renew'), { kind: 'secondary', iconName: 'calendar', testid: 'calendar-feed-renew' });
      renew.addEventListener('click', () => make(renew, true));
      const end = button(t('calendar_feed.revoke'), { kind: 'danger', testid: 'calendar-feed-revoke' });
      end.addEventListener('click', () => revoke(end));
      parts.push(h('div', { class: 'form-actions' }, renew, end));
    } else {
      parts.push(h('p', {}, t('calendar_feed.none')));
      const create = button(t('calendar_feed.create'), { iconName: 'calendar', testid: 'calendar-feed-create' });
      create.addEventListener('click', () => make(create, false));
      parts.push(h('div', { class: 'form-actions' }, create));
    }
    body.replaceChildren(...parts);
  }

  api.get('/me/calendar-feed').then((feed) => render(feed, null)).catch(() => {
    body.replaceChildren(h('p', { class: 'muted' }, t('calendar_feed.unavailable')));
  });
  return card;
}
