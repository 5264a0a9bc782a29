// Set-up tab "tables": how many numbered one-to-one tables there are, and their labels.

import { h, icon, toast, emptyState, focusFirst, nearest } from '../../dom.js';
import { t, tn, errorMessage } from '../../i18n.js';
import { api } from '../../api.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../../forms.js';

export default async function tablesTab({ panel, eventId }) {
  let tables = [];
  const list = h('div', { 'data-testid': 'table-list' });
  const countField = field({
    name: 'count', type: 'number', label: t('tables.count'), hint: t('tables.count_hint'), required: true, testid: 'tables-count',
    attrs: { min: 0, max: 2000, inputmode: 'numeric' },
  });
  const countForm = h('form', { class: 'count-form', 'data-testid': 'tables-count-form' },
    h('div', { class: 'form-row form-row-count' }, countField,
      h('div', { class: 'form-row-action' }, button(t('tables.set_count'), { type: 'submit', iconName: 'check', testid: 'tables-count-submit' }))));

  async function reload() {
    tables = ((await api.get(`/events/${eventId}/tables`)).tables || []).sort((a, b) => a.number - b.number);
    countField.control.value = String(tables.length);
    render();
  }

  onSubmit(countForm, async ({ count }) => {
    const removed = tables.filter((x) => x.number > count);
    if (removed.length && !await confirmDialog({
      title: t('tables.reduce_title'),
      text: tn('tables.reduce_text', removed.length, { count }),
      confirmLabel: t('tables.reduce_confirm'),
    })) return;
    await api.put(`/events/${eventId}/tables`, { count });
    await reload();
    toast(tn('tables.count_saved', count));
  });

  function tableRow(table) {
    const labelF = field({ name: 'label', label: t('tables.label_of', { n: table.number }), hideLabel: true, value: table.label || '', placeholder: t('tables.label_placeholder'), testid: 'table-label', attrs: { maxlength: 100 } });
    const save = button(t('common.save'), { type: 'submit', kind: 'secondary', small: true, iconName: 'check', disabled: true, testid: 'table-save', ariaLabel: t('tables.save_of', { n: table.number }) });
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-icon btn-danger-ghost', 'aria-label': t('tables.delete_of', { n: table.number }), 'data-testid': 'table-delete' }, icon('trash'));
    const row = h('form', { class: 'list-row list-row-table', 'data-testid': 'table-row', 'data-id': table.id },
      h('span', { class: 'table-number', 'aria-hidden': 'true' }, String(table.number)),
      labelF, h('div', { class: 'row-actions' }, save, remove));
    row.addEventListener('input', () => { save.disabled = false; });
    onSubmit(row, async (data) => {
      await api.patch(`/events/${eventId}/tables/${encodeURIComponent(table.id)}`, { label: data.label });
      await reload();
      toast(t('tables.saved', { n: table.number }));
      focusFirst(list.querySelector(`[data-id="${CSS.escape(table.id)}"] input`));
    });
    remove.addEventListener('click', async () => {
      if (!await confirmDialog({ title: t('tables.delete_title', { n: table.number }), text: t('tables.delete_text'), confirmLabel: t('common.delete') })) return;
      const index = [...list.querySelectorAll('[data-id]')].indexOf(row);
      try {
        await withBusy(remove, () => api.del(`/events/${eventId}/tables/${encodeURIComponent(table.id)}`));
        await reload();
        toast(t('tables.deleted', { n: table.number }));
        focusFirst(nearest(list, '[data-id]', index)?.querySelector('input'), countField.control);
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    });
    return row;
  }

  function render() {
    list.replaceChildren(tables.length === 0
      ? emptyState({ iconName: 'grid', title: t('tables.empty_title'), text: t('tables.empty_text'), testid: 'tables-empty' })
      : h('div', {},
        h('div', { class: 'list-row list-row-table list-row-head', 'aria-hidden': 'true' }, h('span', {}, t('tables.number')), h('span', {}, t('tables.label')), h('span', {})),
        h('div', { class: 'table-rows' }, tables.map(tableRow))));
  }

  await reload();
  panel.replaceChildren(
    h('div', { class: 'panel-head' }, h('h2', {}, t('setup.tab.tables')), h('p', { class: 'muted' }, t('tables.lead'))),
    h('section', { class: 'card' }, countForm),
    h('section', { class: 'card', 'aria-labelledby': 'tables-h' }, h('h3', { id: 'tables-h', class: 'card-title' }, t('tables.list_title')), list));
}
