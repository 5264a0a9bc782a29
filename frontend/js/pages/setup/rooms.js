// Set-up tab "rooms": the rooms of the venue (for market dialogues and pitches), with capacity.

import { h, icon, toast, emptyState, focusFirst, nearest } from '../../dom.js';
import { t, tn, errorMessage } from '../../i18n.js';
import { api } from '../../api.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../../forms.js';

export default async function roomsTab({ panel, eventId }) {
  let rooms = [];
  const list = h('div', { 'data-testid': 'room-list' });

  async function reload() {
    rooms = ((await api.get(`/events/${eventId}/rooms`)).rooms || []).sort((a, b) => a.name.localeCompare(b.name));
    render();
  }

  function roomRow(room) {
    const nameF = field({ name: 'name', label: t('rooms.name_of', { name: room.name }), hideLabel: true, value: room.name, required: true, testid: 'room-name', attrs: { maxlength: 100 } });
    const capF = field({ name: 'capacity', type: 'number', label: t('rooms.capacity_of', { name: room.name }), hideLabel: true, value: room.capacity ?? '', testid: 'room-capacity', attrs: { min: 1, max: 10000, inputmode: 'numeric' } });
    const save = button(t('common.save'), { type: 'submit', kind: 'secondary', small: true, iconName: 'check', disabled: true, testid: 'room-save', ariaLabel: t('rooms.save_of', { name: room.name }) });
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-icon btn-danger-ghost', 'aria-label': t('rooms.delete_of', { name: room.name }), 'data-testid': 'room-delete' }, icon('trash'));
    const row = h('form', { class: 'list-row list-row-room', 'data-testid': 'room-row', 'data-id': room.id }, nameF, capF, h('div', { class: 'row-actions' }, save, remove));
    row.addEventListener('input', () => { save.disabled = false; });
    onSubmit(row, async (data) => {
      await api.patch(`/events/${eventId}/rooms/${encodeURIComponent(room.id)}`, { name: data.name, capacity: data.capacity });
      await reload();
      toast(t('rooms.saved', { name: data.name }));
      focusFirst(list.querySelector(`[data-id="${CSS.escape(room.id)}"] input`));
    }, { conflict: { field: 'name', code: 'room_name_taken' } });
    remove.addEventListener('click', async () => {
      if (!await confirmDialog({ title: t('rooms.delete_title', { name: room.name }), text: t('rooms.delete_text'), confirmLabel: t('common.delete') })) return;
      const index = [...list.querySelectorAll('[data-id]')].indexOf(row);
      try {
        await withBusy(remove, () => api.del(`/events/${eventId}/rooms/${encodeURIComponent(room.id)}`));
        await reload();
        toast(t('rooms.deleted', { name: room.name }));
        focusFirst(nearest(list, '[data-id]', index)?.querySelector('input'), addForm.querySelector('input'));
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    });
    return row;
  }

  function render() {
    const total = rooms.reduce((sum, r) => sum + (Number(r.capacity) || 0), 0);
    list.replaceChildren(rooms.length === 0
      ? emptyState({ iconName: 'pin', title: t('rooms.empty_title'), text: t('rooms.empty_text'), testid: 'rooms-empty' })
      : h('div', {},
        h('p', { class: 'muted small' }, tn('rooms.count', rooms.length), total ? ` · ${t('rooms.total_seats', { n: total })}` : ''),
        h('div', { class: 'list-row list-row-room list-row-head', 'aria-hidden': 'true' }, h('span', {}, t('rooms.name')), h('span', {}, t('rooms.capacity')), h('span', {})),
        rooms.map(roomRow)));
  }

  const addForm = h('form', { class: 'add-form', 'data-testid': 'add-room-form' },
    h('h3', { class: 'subsection-title' }, t('rooms.add')),
    h('div', { class: 'form-row form-row-room' },
      field({ name: 'name', label: t('rooms.name'), required: true, testid: 'add-room-name', placeholder: t('rooms.name_placeholder'), attrs: { maxlength: 100 } }),
      field({ name: 'capacity', type: 'number', label: t('rooms.capacity'), required: true, testid: 'add-room-capacity', attrs: { min: 1, max: 10000, inputmode: 'numeric' } }),
      h('div', { class: 'form-row-action' }, button(t('rooms.add_submit'), { type: 'submit', kind: 'secondary', iconName: 'plus', testid: 'add-room-submit' }))));
  onSubmit(addForm, async (data) => {
    await api.post(`/events/${eventId}/rooms`, { name: data.name, capacity: data.capacity });
    addForm.reset();
    await reload();
    toast(t('rooms.added', { name: data.name }));
    addForm.querySelector('input').focus();
  }, { conflict: { field: 'name', code: 'room_name_taken' } });

  await reload();
  panel.replaceChildren(
    h('div', { class: 'panel-head' }, h('h2', {}, t('setup.tab.rooms')), h('p', { class: 'muted' }, t('rooms.lead'))),
    h('section', { class: 'card' }, list, addForm));
}
