// Form building blocks: labelled fields with hints and inline errors, reading values,
// client-side checks, busy buttons, and showing API errors next to the right field.

import { h, icon, uid } from './dom.js';
import { t, errorMessage, fieldErrorMessage } from './i18n.js';
import { ApiError } from './api.js';

/**
 * A labelled control. Returns the wrapper; the control itself is `wrapper.control`.
 * opts: name, label, type (text|email|date|time|number|tel|textarea|select), value, required,
 * optional (adds "optional" to the label), hint, options [{value, label}], testid, attrs,
 * hideLabel (label only for screen readers), class.
 */
export function field(opts) {
  const id = uid(`f-${opts.name || 'x'}`);
  const hintId = opts.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const common = {
    id,
    name: opts.name,
    required: opts.required,
    'aria-describedby': describedBy,
    'data-field': opts.field || opts.name,
    'data-testid': opts.testid,
    autocomplete: opts.autocomplete,
    placeholder: opts.placeholder,
    ...(opts.attrs || {}),
  };
  let control;
  if (opts.type === 'textarea') {
    control = h('textarea', { ...common, rows: opts.rows || 4 });
    control.defaultValue = opts.value ?? '';
  } else if (opts.type === 'select') {
    control = h('select', common, (opts.options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(opts.value ?? '') }, o.label)));
  } else {
    control = h('input', { ...common, type: opts.type || 'text', value: opts.value ?? '' });
  }
  const label = h('label', { for: id, class: opts.hideLabel ? 'visually-hidden' : 'field-label' },
    opts.label,
    opts.optional ? h('span', { class: 'field-optional' }, ` ${t('common.optional')}`) : null);
  const wrapper = h('div', { class: ['field', opts.class] },
    label,
    opts.hint ? h('p', { class: 'field-hint', id: hintId }, opts.hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
  wrapper.control = control;
  return wrapper;
}

/** A checkbox with its label on the right, optionally with a hint below. */
export function checkbox({ name, label, checked = false, hint = null, testid = null, value = null, field: fieldName = null }) {
  const id = uid(`c-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const control = h('input', {
    type: 'checkbox', id, name, checked, value, 'data-testid': testid,
    'data-field': fieldName || name, 'aria-describedby': hintId,
  });
  const wrapper = h('div', { class: 'check' },
    control,
    h('label', { for: id }, h('span', { class: 'check-label' }, label), hint ? h('span', { class: 'field-hint', id: hintId }, hint) : null));
  wrapper.control = control;
  return wrapper;
}

/** A group of checkboxes that reads as an array of values (e.g. languages). */
export function checkboxGroup({ name, legend, options, values = [], hint = null, min = 0, testid = null }) {
  const errorId = uid(`g-${name}-error`);
  return h('fieldset', { class: 'field fieldset', 'data-field': name, 'data-min': min || null, 'data-testid': testid, 'aria-describedby': errorId },
    h('legend', { class: 'field-label' }, legend),
    hint ? h('p', { class: 'field-hint' }, hint) : null,
    h('div', { class: 'check-row' }, options.map((o) => {
      const box = checkbox({ name, label: o.label, checked: values.includes(o.value), value: o.value });
      box.control.dataset.array = '1';
      return box;
    })),
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Read the named controls of a form: checkboxes as booleans (or arrays), numbers as numbers, text trimmed. */
export function readForm(form) {
  const data = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.type === 'submit' || el.type === 'button' || el.type === 'file') continue;
    if (el.type === 'checkbox' && el.dataset.array) {
      if (!Array.isArray(data[el.name])) data[el.name] = [];
      if (el.checked) data[el.name].push(el.value);
    } else if (el.type === 'checkbox') {
      data[el.name] = el.checked;
    } else if (el.type === 'radio') {
      if (el.checked) data[el.name] = el.value;
      else if (!(el.name in data)) data[el.name] = '';
    } else if (el.type === 'number') {
      data[el.name] = el.value === '' ? null : Number(el.value);
    } else {
      data[el.name] = el.value.trim();
    }
  }
  return data;
}

/** Drop empty strings and nulls (for create requests where the server has defaults). */
export function withoutEmpty(data) {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The checks the browser can do without asking the server: required, email shape, a minimum of ticks. */
export function clientProblems(form) {
  const problems = [];
  for (const el of form.elements) {
    if (!el.name || el.disabled || !el.dataset.field) continue;
    const value = typeof el.value === 'string' ? el.value.trim() : el.value;
    if (el.required && el.type !== 'checkbox' && el.type !== 'radio' && value === '') {
      problems.push({ field: el.dataset.field, code: 'required' });
    } else if (el.type === 'email' && value !== '' && !EMAIL_RE.test(value)) {
      problems.push({ field: el.dataset.field, code: 'invalid_email' });
    } else if (el.type === 'number' && value !== '' && el.validity && !el.validity.valid) {
      problems.push({ field: el.dataset.field, code: 'out_of_range' });
    }
  }
  for (const group of form.querySelectorAll('fieldset[data-min]')) {
    const ticked = group.querySelectorAll('input[type=checkbox]:checked').length;
    if (ticked < Number(group.dataset.min)) problems.push({ field: group.dataset.field, code: 'required' });
  }
  const radios = new Map();
  for (const el of form.querySelectorAll('input[type=radio][required]')) {
    radios.set(el.name, (radios.get(el.name) || false) || el.checked);
  }
  for (const [name, checked] of radios) if (!checked) problems.push({ field: name, code: 'required' });
  return problems;
}

/** 'breaks.0.start' and 'breaks[0].start' name the same control. */
function normaliseFieldName(name) {
  return String(name).replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

function findFieldTarget(form, name) {
  // A problem with one entry of a list (`product_groups[0]`) lands on the list itself.
  const candidates = [name, normaliseFieldName(name), normaliseFieldName(name).replace(/\[\d+\]$/, '')];
  for (const candidate of candidates) {
    const el = form.querySelector(`[data-field="${CSS.escape(candidate)}"]`);
    if (el) return el;
  }
  return null;
}

function formSummary(form) {
  let summary = form.querySelector(':scope > .form-error');
  if (!summary) {
    summary = h('div', { class: 'form-error notice notice-error', role: 'alert', tabindex: '-1', hidden: true });
    form.prepend(summary);
  }
  return summary;
}

export function clearFormErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.has-error')) el.classList.remove('has-error');
  const summary = form.querySelector(':scope > .form-error');
  if (summary) { summary.hidden = true; summary.replaceChildren(); }
}

/** Take the problem shown in one field's wrapper away. */
function clearFieldError(wrapper) {
  wrapper.classList.remove('has-error');
  for (const el of wrapper.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const errorEl = wrapper.querySelector(':scope > .field-error') || wrapper.querySelector('.field-error');
  if (errorEl) { errorEl.hidden = true; errorEl.replaceChildren(); }
}

/** Put each field problem under its control; what has no control goes into the summary at the top. */
export function showFieldProblems(form, problems, { summaryText = null, focus = true } = {}) {
  const leftovers = [];
  let first = null;
  for (const problem of problems) {
    const target = findFieldTarget(form, problem.field);
    const message = fieldErrorMessage(problem);
    if (!target) { leftovers.push(problem.field ? `${problem.field}: ${message}` : message); continue; }
    const wrapper = target.closest('.field, .check, fieldset') || target.parentElement;
    wrapper.classList.add('has-error');
    if (target.matches('input, select, textarea')) target.setAttribute('aria-invalid', 'true');
    const errorEl = wrapper.querySelector(':scope > .field-error') || wrapper.querySelector('.field-error');
    if (errorEl) {
      errorEl.hidden = false;
      errorEl.replaceChildren(icon('alert'), ` ${message}`);
    } else {
      leftovers.push(message);
    }
    if (!first) first = target.matches('fieldset') ? target.querySelector('input') : target;
  }
  if (summaryText || leftovers.length) {
    const summary = formSummary(form);
    summary.hidden = false;
    summary.replaceChildren(
      icon('alert'),
      h('div', { class: 'notice-body' },
        h('p', {}, summaryText || t('form.fix_problems')),
        leftovers.length ? h('ul', {}, leftovers.map((m) => h('li', {}, m))) : null));
    if (focus && !first) summary.focus();
  }
  if (focus && first) first.focus();
}

/**
 * Show any error from a submit: API field errors inline, everything else in the summary.
 * `conflict` ({field, code}) says which field a 409 without field details is about.
 */
export function showFormError(form, err, { conflict = null } = {}) {
  if (conflict && err instanceof ApiError && err.code === 'conflict' && !err.fields.length) {
    showFieldProblems(form, [{ ...conflict, message: err.message }]);
  } else if (err instanceof ApiError && err.fields.length) {
    showFieldProblems(form, err.fields, { summaryText: err.code === 'validation_failed' ? t('form.fix_problems') : errorMessage(err) });
  } else {
    if (!(err instanceof ApiError)) console.error(err);
    showFieldProblems(form, [], { summaryText: errorMessage(err) });
  }
}

export function setBusy(button, busy) {
  if (!button) return;
  if (busy) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.classList.add('is-busy');
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.classList.remove('is-busy');
  }
}

/** Run an async action with the button showing it is busy; errors go to onError (or are rethrown). */
export async function withBusy(button, action) {
  setBusy(button, true);
  try {
    return await action();
  } finally {
    setBusy(button, false);
  }
}

/**
 * Wire a form: on submit, check what the browser can, then `onSubmit(data, submitter)`;
 * errors are shown inline. `validate(data)` may return extra problems [{field, code}];
 * `conflict` names the field a 409 is about (see showFormError).
 */
export function onSubmit(form, handler, { validate = null, conflict = null } = {}) {
  form.noValidate = true;
  // A problem shown under a field goes once the field is changed; the next submit checks again.
  const clearEdited = (event) => {
    const wrapper = event.target.closest && event.target.closest('.has-error');
    if (wrapper && form.contains(wrapper)) clearFieldError(wrapper);
  };
  form.addEventListener('input', clearEdited);
  form.addEventListener('change', clearEdited);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    clearFormErrors(form);
    const data = readForm(form);
    const problems = [...clientProblems(form), ...(validate ? validate(data) || [] : [])];
    if (problems.length) {
      showFieldProblems(form, problems);
      return;
    }
    const submitter = event.submitter || form.querySelector('button[type=submit]');
    form.dataset.busy = '1';
    setBusy(submitter, true);
    try {
      await handler(data, submitter);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      showFormError(form, err, { conflict });
    } finally {
      delete form.dataset.busy;
      if (submitter && submitter.isConnected) setBusy(submitter, false);
    }
  });
  return form;
}

/** A primary/secondary/ghost/danger button with an optional icon. */
export function button(label, { kind = 'primary', type = 'button', iconName = null, testid = null, onClick = null, small = false, ariaLabel = null, disabled = false } = {}) {
  return h('button', {
    type, class: ['btn', `btn-${kind}`, small && 'btn-sm'], 'data-testid': testid, onClick, 'aria-label': ariaLabel, disabled,
  }, iconName ? icon(iconName) : null, h('span', { class: 'btn-label' }, label));
}

/** A confirmation dialog (native <dialog>, so focus is trapped and Escape cancels). Resolves true or false. */
export function confirmDialog({ title, text, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('form', { method: 'dialog', class: 'dialog-body' },
        h('h2', { id: titleId, class: 'dialog-title' }, title),
        text ? h('p', {}, text) : null,
        h('div', { class: 'dialog-actions' },
          h('button', { class: 'btn btn-secondary', value: 'cancel', type: 'submit' }, t('common.cancel')),
          h('button', { class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, value: 'confirm', type: 'submit', 'data-testid': 'dialog-confirm' }, confirmLabel))));
    const previous = document.activeElement;
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
      if (previous && previous.isConnected) previous.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
