// "What if" for a finished run: one more table, one more slot, or the day some minutes
// longer at its end. The proven maximum with the change shows at once; "Solve it" asks the
// scheduler for a schedule with the change and shows what it really gains. Nothing is
// stored: the organiser decides about the venue with the numbers.

import { h, announce } from '../../dom.js';
import { t, tn, locale, errorMessage } from '../../i18n.js';
import { api } from '../../api.js';
import { field, button, onSubmit, withBusy } from '../../forms.js';

const number = (n) => new Intl.NumberFormat(locale()).format(n);

/** The card for the done run `runId`; `base` is the event's `/events/{id}/schedule`. */
export function whatIfCard({ base, runId }) {
  const path = `${base}/runs/${encodeURIComponent(runId)}/what-if`;
  const result = h('div', { class: 'whatif-result stack-sm', 'aria-live': 'polite', 'data-testid': 'whatif-result' });

  function asked(answer) {
    if (answer.scenario !== 'extra_minutes') return t(`schedule.whatif.${answer.scenario}`);
    return t('schedule.whatif.extra_minutes', { n: number(answer.minutes) });
  }

  function solvedLines(s) {
    return [
      h('p', { 'data-testid': 'whatif-solved', tabindex: '-1' }, t('schedule.whatif_solved', {
        objective: number(s.objective), gain: number(s.objective_gain), meetings: number(s.meetings), meetings_gain: number(s.meetings_gain),
      })),
      s.optimal ? h('p', { class: 'muted small' }, t('schedule.whatif_solved_optimal')) : null,
      !s.optimal && s.stopped_by_time_limit ? h('p', { class: 'muted small' }, t('schedule.whatif_solved_time')) : null,
    ];
  }

  function draw(question, answer) {
    const lines = [h('p', {}, h('strong', { 'data-testid': 'whatif-asked' }, asked(answer)))];
    if (answer.scenario === 'extra_minutes') {
      lines.push(h('p', { class: 'small', 'data-testid': 'whatif-slots' }, answer.shorter_than_a_slot
        ? t('schedule.whatif_too_short', { slot: number(answer.slot_minutes) })
        : tn('schedule.whatif_slots', answer.extra_slots, { slot: number(answer.slot_minutes) })));
    }
    if (!answer.shorter_than_a_slot) {
      lines.push(h('p', { 'data-testid': 'whatif-bound' }, answer.objective_gain_bound > 0
        ? t('schedule.whatif_bound', {
          before: number(answer.bound_before), after: number(answer.bound_after), gain: number(answer.objective_gain_bound),
          meetings_before: number(answer.meetings_bound_before), meetings_after: number(answer.meetings_bound_after),
        })
        : t('schedule.whatif_bound_same', { before: number(answer.bound_before) })));
    }
    if (answer.solved) {
      lines.push(...solvedLines(answer.solved));
    } else if (!answer.shorter_than_a_slot && answer.bound_after > answer.objective) {
      // Only when the change leaves room above the run's schedule is a solve worth it.
      const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
      lines.push(h('div', { class: 'actions no-print' }, button(t('schedule.whatif_solve'), {
        kind: 'secondary', testid: 'whatif-solve',
        onClick: async (e) => {
          const trigger = e.currentTarget;
          problem.hidden = true;
          announce(t('schedule.whatif_solving'));
          try {
            const solved = await withBusy(trigger, () => api.post(path, { ...question, solve: true }));
            draw(question, solved);
            // The button went with the redraw: the keyboard goes to what the solve found.
            result.querySelector('[data-testid="whatif-solved"]')?.focus();
          } catch (err) {
            problem.textContent = errorMessage(err);
            problem.hidden = false;
          }
        },
      })), problem);
    }
    result.replaceChildren(...lines);
  }

  async function ask(question, trigger) {
    try {
      const answer = await withBusy(trigger, () => api.post(path, question));
      draw(question, answer);
    } catch (err) {
      result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, errorMessage(err)));
    }
  }

  const minutesForm = h('form', { class: 'inline-form no-print', 'data-testid': 'whatif-minutes-form' },
    field({
      name: 'minutes', type: 'number', label: t('schedule.whatif_minutes'), value: 30, required: true,
      testid: 'whatif-minutes', attrs: { min: 1, max: 240, step: 1, inputmode: 'numeric' },
    }),
    h('div', { class: 'form-actions' }, button(t('schedule.whatif_try'), { type: 'submit', kind: 'secondary', testid: 'whatif-minutes-submit' })));
  // onSubmit marks the button busy and shows a refusal at the field.
  onSubmit(minutesForm, async (data) => {
    const question = { scenario: 'extra_minutes', minutes: data.minutes };
    draw(question, await api.post(path, question));
  });

  return h('section', { class: 'card', 'aria-labelledby': 'sp-whatif-h', 'data-testid': 'preview-whatif' },
    h('h3', { id: 'sp-whatif-h', class: 'card-title' }, t('schedule.whatif_title')),
    h('p', { class: 'muted small' }, t('schedule.whatif_lead')),
    h('div', { class: 'actions no-print' },
      ['extra_table', 'extra_slot'].map((scenario) => button(t(`schedule.whatif.${scenario}`), {
        kind: 'secondary', iconName: 'plus', testid: `whatif-${scenario}`,
        onClick: (e) => ask({ scenario }, e.currentTarget),
      }))),
    minutesForm,
    result);
}
