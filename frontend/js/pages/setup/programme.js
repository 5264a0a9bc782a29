// Set-up tab "programme": the sessions by day (market dialogues, pitches, plenaries,
// networking), with their seats and sign-up window; add, edit, delete, and each session's
// sign-up list.

import { h, icon, toast, emptyState, focusFirst, nearest } from '../../dom.js';
import { t, tn, errorMessage } from '../../i18n.js';
import { api } from '../../api.js';
import { confirmDialog, withBusy } from '../../forms.js';
import { formatDate, formatInstant, groupByDate, timeZoneLabel } from '../../format.js';
import { kindBadge, sessionTitle, timeRange, seatsBlock, byTime } from '../../components/sessions.js';

/** When sign-up opens and closes, in a few words. */
export function windowText(s, timeZone) {
  if (s.signup_window === 'not_open') {
    return s.signup_opens_at ? t('sessions.opens_at', { at: formatInstant(s.signup_opens_at, timeZone) }) : t('sessions.not_open');
  }
  if (s.signup_window === 'closed') return t('sessions.closed');
  return s.signup_closes_at ? t('sessions.open_until', { at: formatInstant(s.signup_closes_at, timeZone) }) : t('sessions.open_until_start');
}

export default async function programmeTab({ panel, event, eventId }) {
  let sessions = [];
  const list = h('div', { class: 'stack-lg', 'data-testid': 'manage-sessions' });
  const timeZone = event.timezone;

  async function reload() {
    sessions = ((await api.get(`/events/${eventId}/sessions`)).sessions || []).sort(byTime);
    render();
  }

  function row(s) {
    const title = sessionTitle(s);
    const base = `/events/${eventId}/sessions/${encodeURIComponent(s.id)}`;
    const remove = h('button', {
      type: 'button', class: 'btn btn-ghost btn-sm btn-danger-ghost', 'data-testid': 'session-delete',
      'aria-label': t('sessions.delete_of', { title: title.text }),
    }, icon('trash'), h('span', { class: 'hide-narrow' }, t('common.delete')));
    const item = h('li', { class: 'manage-session', 'data-testid': 'manage-session', 'data-id': s.id },
      h('div', { class: 'manage-session-when' }, timeRange(s)),
      h('div', { class: 'manage-session-main' },
        h('div', { class: 'badges' }, kindBadge(s.kind)),
        h('h3', { class: 'manage-session-title' }, h('span', { lang: 'nl' }, s.title_nl), s.title_en && s.title_en !== s.title_nl ? h('span', { class: 'muted', lang: 'en' }, ` · ${s.title_en}`) : null),
        h('p', { class: 'small muted' }, [s.room ? s.room.name : t('sessions.no_room'), windowText(s, timeZone)].join(' · '))),
      h('div', { class: 'manage-session-seats' }, seatsBlock(s, { compact: true })),
      h('div', { class: 'row-actions wrap manage-session-actions' },
        h('a', { class: 'btn btn-ghost btn-sm', href: `${base}/signups`, 'data-testid': 'session-signups-link' }, icon('users'), h('span', {}, t('sessions.signups_link'))),
        h('a', { class: 'btn btn-ghost btn-sm', href: `${base}/briefing`, 'data-testid': 'session-briefing-link' }, icon('message'), h('span', {}, t('briefing.link'))),
        h('a', { class: 'btn btn-secondary btn-sm', href: `${base}/edit`, 'data-testid': 'session-edit-link', 'aria-label': t('sessions.edit_of', { title: title.text }) }, icon('edit'), h('span', {}, t('sessions.edit'))),
        remove));
    remove.addEventListener('click', async () => {
      if (!await confirmDialog({
        title: t('sessions.delete_title', { title: title.text }),
        text: s.confirmed_count || s.waitlist_count ? tn('sessions.delete_text_people', s.confirmed_count + s.waitlist_count) : t('sessions.delete_text'),
        confirmLabel: t('common.delete'),
      })) return;
      const index = [...list.querySelectorAll('[data-id]')].indexOf(item);
      try {
        await withBusy(remove, () => api.del(`/events/${eventId}/sessions/${encodeURIComponent(s.id)}`));
        await reload();
        toast(t('sessions.deleted', { title: title.text }));
        focusFirst(nearest(list, '[data-id]', index)?.querySelector('a'), panel.querySelector('[data-testid="new-session"]'));
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    });
    return item;
  }

  function render() {
    if (!sessions.length) {
      list.replaceChildren(h('div', { class: 'card' }, emptyState({
        iconName: 'calendar', title: t('sessions.empty_title'), text: t('sessions.empty_text_organiser'), testid: 'manage-empty',
      })));
      return;
    }
    list.replaceChildren(...[...groupByDate(sessions).entries()].map(([date, items]) => h('section', { class: 'card', 'aria-labelledby': `manage-h-${date}` },
      h('h3', { id: `manage-h-${date}`, class: 'programme-date' }, icon('calendar'), h('span', {}, formatDate(date))),
      h('ul', { class: 'plain-list manage-list', role: 'list' }, items.map(row)))));
  }

  await reload();
  panel.replaceChildren(
    h('div', { class: 'panel-head page-head' },
      h('div', {},
        h('h2', {}, t('setup.tab.programme')),
        h('p', { class: 'muted' }, t('sessions.manage_lead', { tz: timeZoneLabel(timeZone, event.start_date) }))),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/programme`, 'data-testid': 'programme-link' }, icon('calendar'), h('span', {}, t('sessions.as_participants'))),
        h('a', { class: 'btn btn-primary', href: `/events/${eventId}/sessions/new`, 'data-testid': 'new-session' }, icon('plus'), h('span', {}, t('sessions.new'))))),
    list);
}
