// The published meetings as organisers manage them: a grid of slots (rows) by tables
// (columns), or a list, each meeting with its two people; per meeting a dialog to move it
// (slot, table), swap it with another, pin or unpin it, or cancel it. The API's refusals are
// shown in words naming what is in the way.

import { h, icon, toast, announce, uid, fill } from '../../dom.js';
import { t, tn } from '../../i18n.js';
import { api } from '../../api.js';
import { button, confirmDialog, setBusy } from '../../forms.js';
import { who, pair, slotIdOf, tableIdOf, slotText, tableText, placeText, refusal } from './words.js';

const VIEW_KEY = 'mf.schedule.view';

function storedView() {
  try {
    const v = localStorage.getItem(VIEW_KEY);
    if (v === 'grid' || v === 'list') return v;
  } catch { /* private mode */ }
  return window.matchMedia && window.matchMedia('(max-width: 720px)').matches ? 'list' : 'grid';
}

function rememberView(v) {
  try { localStorage.setItem(VIEW_KEY, v); } catch { /* private mode */ }
}

/**
 * The meetings card. `slots`: the event's slots (the grid's rows are its meeting slots);
 * `tables`: its meeting tables; `load()` fetches the meeting list again. Returns
 * { card, refresh(list) }.
 */
export function meetingsCard({ eventId, slots, tables, load }) {
  const meetingSlots = slots.filter((s) => s.kind === 'meeting')
    .sort((a, b) => `${a.date}${a.start}`.localeCompare(`${b.date}${b.start}`));
  const manyDays = new Set(meetingSlots.map((s) => s.date)).size > 1;
  const sortedTables = [...tables].sort((a, b) => a.number - b.number);
  let meetings = [];
  let view = storedView();
  const body = h('div', { class: 'meetings-body' });
  const count = h('span', { class: 'muted', 'data-testid': 'meetings-count' });

  const scheduled = () => meetings.filter((m) => m.status === 'scheduled');
  const peopleText = (m) => pair(m.people).filter(Boolean).map((p) => p.name).join(' · ');
  const slotOf = (m) => meetingSlots.find((s) => s.id === slotIdOf(m.slot)) || m.slot;
  const placeOf = (m) => placeText(slotOf(m), m.table, { withDate: manyDays });

  function meetingButton(m) {
    const [buyer, supplier] = pair(m.people);
    return h('button', {
      type: 'button', class: m.pinned ? 'meeting-chip is-pinned' : 'meeting-chip', 'data-testid': 'meeting', 'data-id': m.id,
      'aria-label': `${t('schedule.edit_of', { people: peopleText(m) })}, ${placeOf(m)}${m.pinned ? `, ${t('schedule.pinned')}` : ''}`,
      onClick: () => editDialog(m),
    },
    m.pinned ? icon('pin', 'meeting-pin') : null,
    h('span', { class: 'meeting-person' }, buyer ? buyer.name : '?'),
    h('span', { class: 'meeting-person meeting-person-2' }, supplier ? supplier.name : ''),
    supplier?.organisation ? h('span', { class: 'meeting-org muted' }, supplier.organisation) : null);
  }

  function gridView() {
    const list = scheduled();
    const ownStand = list.some((m) => !m.table);
    const columns = [...sortedTables.map((x) => ({ id: x.id, head: tableText(x) })), ...(ownStand ? [{ id: null, head: t('schedule.own_stand') }] : [])];
    const cell = new Map();
    for (const m of list) cell.set(`${slotIdOf(m.slot)}|${tableIdOf(m.table) || ''}`, m);
    return h('div', { class: 'table-wrap schedule-grid-wrap' }, h('table', { class: 'data-table schedule-grid', 'data-testid': 'meetings-grid' },
      h('caption', { class: 'visually-hidden' }, t('schedule.grid_caption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('schedule.slot')), columns.map((c) => h('th', { scope: 'col' }, c.head)))),
      h('tbody', {}, meetingSlots.map((s) => {
        // Meetings at the supplier's stand share one column per slot.
        const atStand = list.filter((m) => !m.table && slotIdOf(m.slot) === s.id);
        return h('tr', { 'data-slot': s.id },
          h('th', { scope: 'row', class: 'schedule-slot' }, slotText(s, { withDate: manyDays })),
          columns.map((c) => {
            if (c.id === null) return h('td', {}, atStand.map(meetingButton));
            const m = cell.get(`${s.id}|${c.id}`);
            return h('td', { class: m ? 'has-meeting' : 'is-free' }, m ? meetingButton(m) : null);
          }));
      }))));
  }

  function listView() {
    const list = scheduled();
    return h('ul', { class: 'plain-list schedule-list', role: 'list', 'data-testid': 'meetings-list' }, list.map((m) => h('li', { class: 'schedule-list-item' },
      h('span', { class: 'schedule-list-when' }, h('strong', {}, slotText(slotOf(m), { withDate: manyDays })), h('span', { class: 'table-tag' }, tableText(m.table))),
      meetingButton(m))));
  }

  function cancelledList() {
    const list = meetings.filter((m) => m.status !== 'scheduled');
    if (!list.length) return null;
    return h('details', { class: 'cancelled-meetings', 'data-testid': 'meetings-cancelled' },
      h('summary', {}, tn('schedule.cancelled_title', list.length)),
      h('ul', { class: 'plain-list', role: 'list' }, list.map((m) => h('li', {}, peopleText(m), m.slot ? h('span', { class: 'muted' }, ` · ${placeOf(m)}`) : null))));
  }

  function draw() {
    const n = scheduled().length;
    count.textContent = ` (${tn('schedule.meetings_count', n)})`;
    if (!n) {
      fill(body, h('p', { class: 'muted', 'data-testid': 'meetings-none' }, t('schedule.meetings_none')), cancelledList());
      return;
    }
    fill(body, view === 'grid' ? gridView() : listView(), cancelledList());
  }

  const switcher = h('div', { class: 'view-switch no-print', role: 'group', 'aria-label': t('schedule.view_label') },
    ['grid', 'list'].map((v) => h('button', {
      type: 'button', class: 'btn btn-sm btn-secondary', 'aria-pressed': String(v === view), 'data-view': v, 'data-testid': `meetings-view-${v}`,
      onClick: (e) => {
        view = v;
        rememberView(v);
        for (const b of switcher.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.view === v));
        draw();
        e.currentTarget.focus();
      },
    }, icon(v === 'grid' ? 'grid' : 'layers'), h('span', {}, t(`schedule.view_${v}`)))));

  /** After a change: the list again, the focus back on the meeting (or the card). */
  async function changed(message, focusId) {
    toast(message);
    announce(message);
    await refresh(await load());
    const again = focusId && body.querySelector(`[data-testid="meeting"][data-id="${CSS.escape(focusId)}"]`);
    (again || heading).focus();
  }

  function editDialog(m) {
    const titleId = uid('dlg');
    const problem = h('div', { class: 'notice notice-error', role: 'alert', hidden: true, 'data-testid': 'edit-problem' });
    const [buyer, supplier] = pair(m.people);
    const slotSel = h('select', { id: uid('move-slot'), 'data-testid': 'move-slot' },
      meetingSlots.map((s) => h('option', { value: s.id, selected: s.id === slotIdOf(m.slot) }, slotText(s, { withDate: manyDays }))));
    const tableSel = h('select', { id: uid('move-table'), 'data-testid': 'move-table', disabled: !sortedTables.length },
      sortedTables.length
        ? sortedTables.map((x) => h('option', { value: x.id, selected: x.id === tableIdOf(m.table) }, tableText(x)))
        : h('option', { value: '' }, t('schedule.own_stand')));
    const others = scheduled().filter((x) => x.id !== m.id);
    const swapSel = h('select', { id: uid('swap'), 'data-testid': 'swap-with', disabled: !others.length },
      others.map((x) => h('option', { value: x.id }, `${placeOf(x)}: ${peopleText(x)}`)));

    let dialog;
    async function act(trigger, body, message) {
      problem.hidden = true;
      setBusy(trigger, true);
      try {
        await api.patch(`/events/${eventId}/meetings/${encodeURIComponent(m.id)}`, body);
      } catch (err) {
        setBusy(trigger, false);
        problem.replaceChildren(icon('alert'), h('div', { class: 'notice-body' }, h('p', {}, refusal(err))));
        problem.hidden = false;
        trigger.focus();
        return;
      }
      dialog.close();
      await changed(message, m.id);
    }

    const moveBtn = button(t('schedule.move'), { iconName: 'arrowRight', testid: 'move-submit' });
    moveBtn.addEventListener('click', () => {
      const body = { slot_id: slotSel.value };
      if (tableSel.value && !tableSel.disabled) body.table_id = tableSel.value;
      act(moveBtn, body, t('schedule.moved'));
    });
    const swapBtn = button(t('schedule.swap'), { kind: 'secondary', testid: 'swap-submit', disabled: !others.length });
    swapBtn.addEventListener('click', () => act(swapBtn, { swap_with: swapSel.value }, t('schedule.swapped')));
    const pinBtn = button(m.pinned ? t('schedule.unpin') : t('schedule.pin'), { kind: 'secondary', iconName: 'pin', testid: 'pin-toggle' });
    pinBtn.addEventListener('click', () => act(pinBtn, { pinned: !m.pinned }, m.pinned ? t('schedule.unpinned_done') : t('schedule.pinned_done')));
    const cancelBtn = button(t('schedule.cancel_meeting'), { kind: 'danger', iconName: 'x', testid: 'meeting-cancel' });
    cancelBtn.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: t('schedule.cancel_title'),
        text: t('schedule.cancel_text', { people: [buyer, supplier].filter(Boolean).map(who).join(' · ') }),
        confirmLabel: t('schedule.cancel_confirm'),
      });
      if (ok) act(cancelBtn, { status: 'cancelled' }, t('schedule.cancelled_done'));
    });

    dialog = h('dialog', { class: 'dialog dialog-wide', 'aria-labelledby': titleId, 'data-testid': 'meeting-dialog' },
      h('div', { class: 'dialog-body stack-sm' },
        h('h2', { id: titleId, class: 'dialog-title' }, t('schedule.edit_title')),
        h('p', {}, h('strong', {}, [buyer, supplier].filter(Boolean).map(who).join(' · '))),
        h('p', { class: 'muted' }, t('schedule.edit_now', { place: placeOf(m) }), m.pinned ? h('span', { class: 'badge badge-outline' }, ` ${t('schedule.pinned')}`) : null),
        problem,
        h('fieldset', { class: 'fieldset' },
          h('legend', { class: 'field-label' }, t('schedule.move_title')),
          h('div', { class: 'form-grid' },
            h('div', { class: 'field' }, h('label', { for: slotSel.id, class: 'field-label' }, t('schedule.move_slot')), slotSel),
            h('div', { class: 'field' }, h('label', { for: tableSel.id, class: 'field-label' }, t('schedule.move_table')), tableSel)),
          h('div', { class: 'form-actions' }, moveBtn)),
        h('fieldset', { class: 'fieldset' },
          h('legend', { class: 'field-label' }, t('schedule.swap_title')),
          others.length
            ? h('div', { class: 'field' }, h('label', { for: swapSel.id, class: 'field-label' }, t('schedule.swap_with')), swapSel)
            : h('p', { class: 'muted' }, t('schedule.swap_none')),
          h('div', { class: 'form-actions' }, swapBtn)),
        h('div', { class: 'dialog-actions dialog-actions-split' },
          h('div', {}, pinBtn, h('p', { class: 'field-hint' }, t('schedule.pin_hint'))),
          cancelBtn),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'dialog-close', onClick: () => dialog.close() }, t('schedule.close')))));
    const previous = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (previous && previous.isConnected) previous.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    slotSel.focus();
  }

  const heading = h('h2', { id: 'schedule-meetings-h', class: 'card-title', tabindex: '-1' }, icon('handshake'), t('schedule.meetings_title'), count);
  const card = h('section', { class: 'card', 'aria-labelledby': 'schedule-meetings-h', 'data-testid': 'schedule-meetings' },
    h('div', { class: 'card-head' }, heading, switcher),
    body);

  function refresh(list) {
    meetings = (list && list.meetings) || [];
    draw();
  }

  return { card, refresh, heading };
}
