// Questions ahead of a market dialogue: the box in which someone signed up writes what they
// want to ask or need, and changes or removes it until the session starts. The session's
// facilitators read it in the briefing (pages/session-briefing.js). A question goes with
// its sign-up: cancelling removes it.

import { h, icon, toast, announce, notice } from '../dom.js';
import { t, errorMessage } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, button, onSubmit, withBusy, confirmDialog } from '../forms.js';
import { formatInstant } from '../format.js';

/** The longest question the server takes (src/bounds.rs, SESSION_QUESTION_MAX). */
export const QUESTION_MAX = 2000;

/** Whether the caller writes a question ahead of this session: a market dialogue they signed up for (not one they lead). */
export function takesMyQuestion(s) {
  return Boolean(s) && s.kind === 'market_dialogue' && Boolean(s.my_signup) && !s.i_facilitate;
}

/**
 * The "questions ahead" box of one session. Returns { el, update(session) }: `update`
 * follows a change from elsewhere (another tab, the session moved) without throwing away
 * text being typed. `onSaved(question)` hears of one's own changes ({text, updated_at} or null).
 */
export function questionBox({ eventId, session, timeZone, onSaved = () => {} }) {
  let s = session;
  let saved = session.my_question || null;
  let editing = false;
  const path = () => `/events/${eventId}/sessions/${encodeURIComponent(s.id)}/questions/me`;
  const headingId = `question-h-${s.id}`;
  const el = h('section', { class: 'question-box', 'aria-labelledby': headingId, 'data-testid': 'question-box', 'data-id': s.id });
  const message = h('div', { class: 'question-message', 'aria-live': 'polite' });

  const isOpen = () => Date.now() < Date.parse(s.starts_at);
  const say = (kind, text) => message.replaceChildren(text ? notice(kind, h('p', {}, text)) : '');

  /** A refusal in words; a session that started meanwhile closes the box. */
  function refused(err) {
    if (err instanceof ApiError && err.code === 'session_started') {
      editing = false;
      draw();
      say('warn', t('questions.refused_started'));
      return;
    }
    say('error', err instanceof ApiError && err.code === 'not_signed_up' ? t('questions.refused_not_signed_up') : errorMessage(err));
  }

  function savedText() {
    return h('div', { class: 'question-saved' },
      h('p', { class: 'prose question-text', 'data-testid': 'question-text' }, saved.text),
      h('p', { class: 'muted small' }, t('questions.saved_at', { at: formatInstant(saved.updated_at, timeZone) })));
  }

  function form() {
    const text = field({
      name: 'text', type: 'textarea', rows: 4, label: t('questions.label'), value: saved ? saved.text : '', required: true,
      hint: t('questions.hint', { n: QUESTION_MAX }), testid: 'question-input', attrs: { maxlength: QUESTION_MAX },
    });
    const actions = h('div', { class: 'form-actions' },
      button(t(saved ? 'questions.save_changes' : 'questions.send'), { type: 'submit', iconName: 'check', testid: 'question-save', small: true }),
      saved ? button(t('common.cancel'), {
        kind: 'ghost', small: true, testid: 'question-cancel-edit',
        onClick: () => { editing = false; draw(); el.querySelector('[data-action="edit"]')?.focus(); },
      }) : null);
    const f = h('form', { class: 'question-form stack', 'data-testid': 'question-form' }, text, actions);
    onSubmit(f, async (data) => {
      say(null, null);
      try {
        const answer = await api.put(path(), { text: data.text });
        saved = answer.question;
        editing = false;
        onSaved(saved);
        draw();
        el.querySelector('[data-action="edit"]')?.focus();
        toast(t('questions.saved'));
        announce(t('questions.saved'));
      } catch (err) {
        if (err instanceof ApiError && err.fields.length) throw err;
        refused(err);
      }
    });
    return f;
  }

  async function remove(control) {
    const ok = await confirmDialog({ title: t('questions.remove_title'), text: t('questions.remove_text'), confirmLabel: t('questions.remove') });
    if (!ok) return;
    say(null, null);
    try {
      await withBusy(control, () => api.del(path()));
    } catch (err) {
      // Already gone (removed in another tab): show it as it is now.
      if (!(err instanceof ApiError && err.status === 404)) { refused(err); return; }
    }
    saved = null;
    editing = false;
    onSaved(null);
    draw();
    el.querySelector('textarea')?.focus();
    toast(t('questions.removed'));
    announce(t('questions.removed'));
  }

  function draw() {
    const open = isOpen();
    let body;
    if (!open) {
      body = saved ? savedText() : h('p', { class: 'muted small', 'data-testid': 'question-closed' }, t('questions.closed_none'));
    } else if (saved && !editing) {
      const edit = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-action': 'edit', 'data-testid': 'question-edit' },
        icon('edit'), h('span', {}, t('questions.edit')));
      edit.addEventListener('click', () => { editing = true; draw(); el.querySelector('textarea')?.focus(); });
      const del = h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-danger-ghost', 'data-action': 'remove', 'data-testid': 'question-remove' },
        icon('trash'), h('span', {}, t('questions.remove')));
      del.addEventListener('click', () => remove(del));
      body = [savedText(), h('div', { class: 'row-actions wrap no-print' }, edit, del)];
    } else {
      body = form();
    }
    el.replaceChildren(
      h('h4', { class: 'question-title', id: headingId }, icon('message'), h('span', {}, t('questions.title'))),
      h('p', { class: 'muted small question-lead' }, open
        ? t('questions.lead_open', { at: formatInstant(s.starts_at, timeZone) })
        : t('questions.lead_closed')),
      ...[body].flat(),
      message);
  }

  function typing() {
    const area = el.querySelector('textarea');
    return Boolean(area) && (document.activeElement === area || area.value.trim() !== (saved ? saved.text : ''));
  }

  draw();
  return {
    el,
    update(next) {
      const before = s;
      s = next;
      const fresh = next.my_question || null;
      const changed = (fresh?.updated_at || null) !== (saved?.updated_at || null) || before.starts_at !== next.starts_at;
      if (!changed || typing()) return;
      saved = fresh;
      editing = false;
      draw();
    },
  };
}
