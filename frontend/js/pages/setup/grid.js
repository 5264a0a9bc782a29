// Set-up tab "grid": generate a day's meeting slots with breaks, then edit slot by slot.

import { h, icon, toast, emptyState, announce, focusFirst, nearest } from '../../dom.js';
import { t, tn, errorMessage } from '../../i18n.js';
import { api } from '../../api.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../../forms.js';
import { formatDate, groupByDate, toMinutes, fromMinutes } from '../../format.js';
import { daySummary } from '../../components/programme.js';

/**
 * What the generator will make, computed the way the server does: slots of `length` minutes
 * from `start`, `gap` minutes apart; a slot that would overlap a break starts after it.
 */
export function planGrid({ start, end, length, gap = 0, breaks = [] }) {
  const from = toMinutes(start);
  const to = toMinutes(end);
  if (from === null || to === null || !length || length <= 0 || to <= from) return null;
  const pauses = breaks
    .map((b) => ({ start: toMinutes(b.start), end: toMinutes(b.end) }))
    .filter((b) => b.start !== null && b.end !== null && b.end > b.start)
    .sort((a, b) => a.start - b.start);
  const slots = [];
  let at = from;
  while (at + length <= to && slots.length < 500) {
    const clash = pauses.find((b) => at < b.end && at + length > b.start);
    if (clash) {
      at = clash.end;
      continue;
    }
    slots.push({ start: fromMinutes(at), end: fromMinutes(at + length) });
    at += length + (gap || 0);
  }
  return { meetings: slots.length, breaks: pauses.filter((b) => b.start >= from && b.end <= to).length };
}

/** The settings that would make a day's existing slots, to start the generator from them. */
function dayShape(daySlots) {
  const meetings = daySlots.filter((s) => s.kind === 'meeting');
  if (!meetings.length) return null;
  const sorted = [...daySlots].sort((a, b) => a.start.localeCompare(b.start));
  return {
    start: sorted[0].start,
    end: sorted[sorted.length - 1].end,
    length: toMinutes(meetings[0].end) - toMinutes(meetings[0].start),
    breaks: sorted.filter((s) => s.kind === 'break').map((s) => ({ start: s.start, end: s.end, label: s.label || '' })),
  };
}

function kindOptions() {
  return [{ value: 'meeting', label: t('slot.kind_meeting') }, { value: 'break', label: t('slot.kind_break') }];
}

export default async function gridTab({ panel, event, eventId }) {
  let slots = (await api.get(`/events/${eventId}/slots`)).slots || [];

  const slotsBox = h('div', { class: 'slot-list-box', 'data-testid': 'slot-list' });
  const breaksList = h('div', { class: 'breaks-list', 'data-testid': 'breaks-list' });
  const preview = h('p', { class: 'grid-preview', 'aria-live': 'polite', 'data-testid': 'grid-preview' });
  const replaceWarning = h('div', { class: 'notice notice-warn', hidden: true, 'data-testid': 'grid-replace-warning' });

  const dateField = field({
    name: 'date', type: 'date', label: t('grid.date'), value: event.start_date, required: true, testid: 'grid-date',
    attrs: { min: event.start_date, max: event.end_date || event.start_date },
  });
  // A day that already has slots starts the generator from its shape; a new day from an afternoon.
  const shape = dayShape(slots.filter((s) => s.date === event.start_date)) || { start: '13:00', end: '17:00', length: 20, breaks: [] };
  const startField = field({ name: 'start', type: 'time', label: t('grid.start'), value: shape.start, required: true, testid: 'grid-start' });
  const endField = field({ name: 'end', type: 'time', label: t('grid.end'), value: shape.end, required: true, testid: 'grid-end' });
  const lengthField = field({
    name: 'slot_minutes', type: 'number', label: t('grid.slot_minutes'), value: shape.length, required: true, testid: 'grid-slot-minutes',
    attrs: { min: 5, max: 240, step: 1, inputmode: 'numeric' },
  });
  const gapField = field({
    name: 'gap_minutes', type: 'number', label: t('grid.gap_minutes'), value: 0, optional: true, testid: 'grid-gap-minutes',
    attrs: { min: 0, max: 120, step: 1, inputmode: 'numeric' },
  });

  function breakRows() {
    return [...breaksList.querySelectorAll('.break-row')];
  }

  function renumberBreaks() {
    breakRows().forEach((row, i) => {
      row.dataset.field = `breaks[${i}]`;
      for (const part of ['start', 'end', 'label']) {
        const input = row.querySelector(`[data-part="${part}"]`);
        input.dataset.field = `breaks[${i}].${part}`;
      }
      const label = t('grid.break_n', { n: i + 1 });
      row.querySelector('.break-title').textContent = label;
      row.querySelector('.break-remove').setAttribute('aria-label', t('grid.remove_break_n', { n: i + 1 }));
    });
    const empty = breaksList.querySelector('.breaks-empty');
    if (empty) empty.hidden = breakRows().length > 0;
  }

  function addBreak(values = {}, focus = true) {
    const startF = field({ name: 'break_start', type: 'time', label: t('grid.break_start'), value: values.start || '', required: true, testid: 'break-start' });
    const endF = field({ name: 'break_end', type: 'time', label: t('grid.break_end'), value: values.end || '', required: true, testid: 'break-end' });
    const labelF = field({ name: 'break_label', label: t('grid.break_label'), value: values.label || '', optional: true, placeholder: t('grid.break_label_placeholder'), testid: 'break-label', attrs: { maxlength: 100 } });
    startF.control.dataset.part = 'start';
    endF.control.dataset.part = 'end';
    labelF.control.dataset.part = 'label';
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-icon break-remove', 'data-testid': 'break-remove' }, icon('trash'));
    const row = h('fieldset', { class: 'break-row', 'data-testid': 'break-row' },
      h('legend', { class: 'break-title' }),
      h('div', { class: 'break-fields' }, startF, endF, labelF, remove),
      h('p', { class: 'field-error', hidden: true }));
    remove.addEventListener('click', () => {
      const rows = breakRows();
      const index = rows.indexOf(row);
      row.remove();
      renumberBreaks();
      updatePreview();
      announce(t('grid.break_removed'));
      const next = breakRows()[Math.min(index, breakRows().length - 1)];
      (next ? next.querySelector('input') : addBreakButton).focus();
    });
    breaksList.append(row);
    renumberBreaks();
    if (focus) startF.control.focus();
    updatePreview();
  }

  const addBreakButton = button(t('grid.add_break'), { kind: 'secondary', iconName: 'plus', testid: 'add-break', small: true, onClick: () => addBreak() });

  function formValues() {
    return {
      date: dateField.control.value,
      start: startField.control.value,
      end: endField.control.value,
      length: Number(lengthField.control.value),
      gap: Number(gapField.control.value || 0),
      breaks: breakRows().map((row) => ({
        start: row.querySelector('[data-part="start"]').value,
        end: row.querySelector('[data-part="end"]').value,
        label: row.querySelector('[data-part="label"]').value.trim(),
      })),
    };
  }

  function updatePreview() {
    const values = formValues();
    const plan = planGrid(values);
    if (!plan) preview.textContent = t('grid.preview_incomplete');
    else if (!plan.breaks) preview.textContent = t('grid.preview_no_breaks', { meetings: tn('programme.meeting_slots', plan.meetings) });
    else preview.textContent = t('grid.preview', { meetings: tn('programme.meeting_slots', plan.meetings), breaks: tn('programme.breaks', plan.breaks) });
    const existing = slots.filter((s) => s.date === values.date).length;
    replaceWarning.hidden = existing === 0;
    replaceWarning.replaceChildren(icon('alert'), h('div', { class: 'notice-body' }, h('p', {}, tn('grid.replace_warning', existing, { date: formatDate(values.date) }))));
  }

  const generator = h('form', { class: 'stack', 'data-testid': 'grid-form' },
    h('div', { class: 'form-row form-row-5' }, dateField, startField, endField, lengthField, gapField),
    h('div', { class: 'breaks' },
      h('h3', { class: 'subsection-title' }, t('grid.breaks')),
      h('p', { class: 'muted small' }, t('grid.breaks_hint')),
      breaksList,
      addBreakButton),
    preview,
    replaceWarning,
    h('div', { class: 'form-actions' }, button(t('grid.generate'), { type: 'submit', iconName: 'grid', testid: 'grid-generate' })));
  breaksList.append(h('p', { class: 'breaks-empty muted small' }, t('grid.no_breaks')));
  for (const pause of shape.breaks) addBreak(pause, false);
  generator.addEventListener('input', updatePreview);
  generator.addEventListener('change', updatePreview);

  onSubmit(generator, async () => {
    const values = formValues();
    const existing = slots.filter((s) => s.date === values.date).length;
    if (existing) {
      const ok = await confirmDialog({
        title: t('grid.replace_title'),
        text: tn('grid.replace_warning', existing, { date: formatDate(values.date) }),
        confirmLabel: t('grid.replace_confirm'),
      });
      if (!ok) return;
    }
    const body = {
      date: values.date,
      start: values.start,
      end: values.end,
      slot_minutes: values.length,
      breaks: values.breaks.map((b) => (b.label ? b : { start: b.start, end: b.end })),
    };
    if (values.gap) body.gap_minutes = values.gap;
    await api.post(`/events/${eventId}/slots/generate`, body);
    await reloadSlots();
    const day = slots.filter((s) => s.date === values.date);
    toast(t('grid.generated', { summary: daySummary(day) }));
  }, {
    validate: () => {
      const v = formValues();
      const problems = [];
      if (v.start && v.end && toMinutes(v.end) <= toMinutes(v.start)) problems.push({ field: 'end', code: 'end_before_start' });
      v.breaks.forEach((b, i) => {
        if (b.start && b.end && toMinutes(b.end) <= toMinutes(b.start)) problems.push({ field: `breaks[${i}].end`, code: 'end_before_start' });
      });
      return problems;
    },
  });

  async function reloadSlots() {
    slots = (await api.get(`/events/${eventId}/slots`)).slots || [];
    renderSlots();
    updatePreview();
  }

  function slotRow(slot) {
    const time = `${slot.start}–${slot.end}`;
    const startF = field({ name: 'start', type: 'time', label: t('grid.row_start', { time }), hideLabel: true, value: slot.start, required: true, testid: 'slot-start' });
    const endF = field({ name: 'end', type: 'time', label: t('grid.row_end', { time }), hideLabel: true, value: slot.end, required: true, testid: 'slot-end' });
    const kindF = field({ name: 'kind', type: 'select', label: t('grid.row_kind', { time }), hideLabel: true, value: slot.kind, options: kindOptions(), testid: 'slot-kind' });
    const labelF = field({ name: 'label', label: t('grid.row_label', { time }), hideLabel: true, value: slot.label || '', placeholder: slot.kind === 'break' ? t('grid.label_placeholder') : '', testid: 'slot-label', attrs: { maxlength: 100 } });
    const save = button(t('common.save'), { type: 'submit', kind: 'secondary', small: true, testid: 'slot-save', iconName: 'check', disabled: true, ariaLabel: t('grid.row_save', { time }) });
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-icon btn-danger-ghost', 'aria-label': t('grid.row_delete', { time }), 'data-testid': 'slot-delete' }, icon('trash'));
    const row = h('form', { class: `slot-row slot-row-${slot.kind}`, 'data-testid': 'slot-row', 'data-kind': slot.kind, 'data-slot-id': slot.id },
      startF, endF, kindF, labelF, h('div', { class: 'slot-row-actions' }, save, remove));
    row.addEventListener('input', () => { save.disabled = false; });
    row.addEventListener('change', () => { save.disabled = false; });
    onSubmit(row, async (data) => {
      await api.patch(`/events/${eventId}/slots/${encodeURIComponent(slot.id)}`, { start: data.start, end: data.end, kind: data.kind, label: data.label });
      await reloadSlots();
      toast(t('grid.slot_saved', { time: `${data.start}–${data.end}` }));
      focusFirst(slotsBox.querySelector(`[data-slot-id="${CSS.escape(slot.id)}"] input`));
    });
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({ title: t('grid.delete_title', { time }), text: t('grid.delete_text'), confirmLabel: t('common.delete') });
      if (!ok) return;
      const index = [...slotsBox.querySelectorAll('[data-slot-id]')].indexOf(row);
      try {
        await withBusy(remove, () => api.del(`/events/${eventId}/slots/${encodeURIComponent(slot.id)}`));
        await reloadSlots();
        toast(t('grid.slot_deleted', { time }));
        focusFirst(nearest(slotsBox, '[data-slot-id]', index)?.querySelector('input'), slotsBox.querySelector('input'));
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    });
    return row;
  }

  function addSlotForm(defaultDate) {
    const form = h('form', { class: 'add-slot', 'data-testid': 'add-slot-form' },
      h('h3', { class: 'subsection-title' }, t('grid.add_slot')),
      h('div', { class: 'form-row form-row-5' },
        field({ name: 'date', type: 'date', label: t('grid.date'), value: defaultDate, required: true, testid: 'add-slot-date', attrs: { min: event.start_date, max: event.end_date || event.start_date } }),
        field({ name: 'start', type: 'time', label: t('grid.start'), required: true, testid: 'add-slot-start' }),
        field({ name: 'end', type: 'time', label: t('grid.end'), required: true, testid: 'add-slot-end' }),
        field({ name: 'kind', type: 'select', label: t('grid.kind'), value: 'meeting', options: kindOptions(), testid: 'add-slot-kind' }),
        field({ name: 'label', label: t('grid.label'), optional: true, testid: 'add-slot-label', attrs: { maxlength: 100 } })),
      h('div', { class: 'form-actions' }, button(t('grid.add_slot_submit'), { type: 'submit', kind: 'secondary', iconName: 'plus', testid: 'add-slot-submit' })));
    onSubmit(form, async (data) => {
      const body = { date: data.date, start: data.start, end: data.end, kind: data.kind };
      if (data.label) body.label = data.label;
      await api.post(`/events/${eventId}/slots`, body);
      await reloadSlots();
      toast(t('grid.slot_added', { time: `${data.start}–${data.end}` }));
    }, {
      validate: (data) => (data.start && data.end && toMinutes(data.end) <= toMinutes(data.start) ? [{ field: 'end', code: 'end_before_start' }] : []),
    });
    return form;
  }

  function renderSlots() {
    const days = groupByDate(slots);
    slotsBox.replaceChildren(
      slots.length === 0
        ? emptyState({ iconName: 'clock', title: t('grid.empty_title'), text: t('grid.empty_text'), testid: 'slots-empty' })
        : h('div', { class: 'slot-days' }, [...days.entries()].map(([date, daySlots]) => h('section', { class: 'slot-day', 'data-date': date },
          h('div', { class: 'slot-day-head' },
            h('h3', { class: 'subsection-title' }, formatDate(date)),
            h('p', { class: 'muted small', 'data-testid': 'slot-day-summary' }, daySummary(daySlots))),
          h('div', { class: 'slot-row slot-row-head', 'aria-hidden': 'true' },
            h('span', {}, t('grid.start')), h('span', {}, t('grid.end')), h('span', {}, t('grid.kind')), h('span', {}, t('grid.label')), h('span', {})),
          h('div', { class: 'slot-rows' }, daySlots.map(slotRow))))),
      addSlotForm(slots.length ? slots[slots.length - 1].date : event.start_date));
  }

  renderSlots();
  updatePreview();
  panel.replaceChildren(
    h('div', { class: 'panel-head' },
      h('h2', {}, t('setup.tab.grid')),
      h('p', { class: 'muted' }, t('grid.lead', { tz: event.timezone }))),
    h('section', { class: 'card', 'aria-labelledby': 'gen-h' },
      h('h3', { id: 'gen-h', class: 'card-title' }, t('grid.generator_title')),
      h('p', { class: 'muted' }, t('grid.generator_text')),
      generator),
    h('section', { class: 'card', 'aria-labelledby': 'slots-h' },
      h('h3', { id: 'slots-h', class: 'card-title' }, t('grid.slots_title')),
      slotsBox));
}
