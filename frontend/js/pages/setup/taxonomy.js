// Set-up tab "taxonomy": the event's lists (product groups, the circular ambition map with
// goals and their strategies, business models, evidence kinds, dialogue themes), in NL and EN.

import { h, icon, toast, emptyState, focusFirst, nearest } from '../../dom.js';
import { t, tn, termName, errorMessage } from '../../i18n.js';
import { api } from '../../api.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../../forms.js';

const KINDS = ['product_group', 'ambition_goal', 'business_model', 'evidence_kind', 'dialogue_theme'];

/** A code made from a name: 'Office furniture' -> 'office-furniture'. */
export function codeFromName(name) {
  return String(name || '')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** The next free code: goals get the next letter, strategies the goal's letter and the next number. */
function nextCode(kind, terms, parentCode, names) {
  if (kind === 'ambition_goal') {
    const used = new Set(terms.map((x) => x.code));
    for (let c = 65; c <= 90; c += 1) if (!used.has(String.fromCharCode(c))) return String.fromCharCode(c);
  }
  if (kind === 'ambition_strategy') {
    const numbers = terms.map((x) => Number(String(x.code).slice(parentCode.length))).filter(Number.isFinite);
    return `${parentCode}${(numbers.length ? Math.max(...numbers) : 0) + 1}`;
  }
  return codeFromName(names.name_en || names.name_nl);
}

export default async function taxonomyTab({ panel, eventId }) {
  let terms = [];
  const sections = h('div', { class: 'stack-lg' });

  async function reload() {
    terms = (await api.get(`/events/${eventId}/taxonomy`)).terms || [];
    render();
  }

  const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.code).localeCompare(String(b.code), undefined, { numeric: true });

  function termRow(term, { nested = false } = {}) {
    const row = h('li', { class: ['term-row', nested && 'term-row-nested'], 'data-testid': 'term-row', 'data-kind': term.kind, 'data-code': term.code, 'data-id': term.id });
    const showView = () => {
      const edit = h('button', { type: 'button', class: 'btn btn-ghost btn-icon', 'aria-label': t('taxonomy.edit_of', { name: termName(term) }), 'data-testid': 'term-edit' }, icon('edit'));
      const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-icon btn-danger-ghost', 'aria-label': t('taxonomy.delete_of', { name: termName(term) }), 'data-testid': 'term-delete' }, icon('trash'));
      edit.addEventListener('click', () => showEdit());
      remove.addEventListener('click', async () => {
        const children = term.kind === 'ambition_goal' ? terms.filter((x) => x.parent_code === term.code).length : 0;
        if (!await confirmDialog({
          title: t('taxonomy.delete_title', { name: termName(term) }),
          text: children ? tn('taxonomy.delete_goal_text', children) : t('taxonomy.delete_text'),
          confirmLabel: t('common.delete'),
        })) return;
        const index = [...sections.querySelectorAll('[data-id]')].indexOf(row);
        try {
          await withBusy(remove, () => api.del(`/events/${eventId}/taxonomy/${encodeURIComponent(term.id)}`));
          await reload();
          toast(t('taxonomy.deleted', { name: termName(term) }));
          focusFirst(nearest(sections, '[data-id]', index)?.querySelector('button'));
        } catch (err) {
          toast(errorMessage(err), 'error');
        }
      });
      row.replaceChildren(
        h('span', { class: 'term-code' }, term.code),
        h('span', { class: 'term-names' },
          h('span', { lang: 'nl' }, h('span', { class: 'term-lang', 'aria-hidden': 'true' }, 'NL'), term.name_nl),
          h('span', { lang: 'en' }, h('span', { class: 'term-lang', 'aria-hidden': 'true' }, 'EN'), term.name_en)),
        h('span', { class: 'row-actions' }, edit, remove));
      return edit;
    };
    const showEdit = () => {
      const nl = field({ name: 'name_nl', label: t('taxonomy.name_nl'), value: term.name_nl, required: true, testid: 'term-name-nl', attrs: { maxlength: 200, lang: 'nl' } });
      const en = field({ name: 'name_en', label: t('taxonomy.name_en'), value: term.name_en, required: true, testid: 'term-name-en', attrs: { maxlength: 200, lang: 'en' } });
      const cancel = button(t('common.cancel'), { kind: 'ghost', small: true });
      const form = h('form', { class: 'term-edit' },
        h('span', { class: 'term-code' }, term.code), nl, en,
        h('div', { class: 'row-actions' }, button(t('common.save'), { type: 'submit', small: true, iconName: 'check', testid: 'term-save' }), cancel));
      cancel.addEventListener('click', () => showView().focus());
      form.addEventListener('keydown', (event) => { if (event.key === 'Escape') showView().focus(); });
      onSubmit(form, async (data) => {
        await api.patch(`/events/${eventId}/taxonomy/${encodeURIComponent(term.id)}`, { name_nl: data.name_nl, name_en: data.name_en });
        await reload();
        toast(t('taxonomy.saved', { name: data.name_en || data.name_nl }));
        focusFirst(sections.querySelector(`[data-id="${CSS.escape(term.id)}"] button`));
      });
      row.replaceChildren(form);
      nl.control.focus();
    };
    showView();
    return row;
  }

  function addForm(kind, { parentCode = null, siblings = [] } = {}) {
    const summaryText = parentCode ? t('taxonomy.add_strategy_to', { code: parentCode }) : t(`taxonomy.add.${kind}`);
    const form = h('form', { class: 'form-row form-row-term', 'data-testid': `add-term-${kind}` },
      field({ name: 'name_nl', label: t('taxonomy.name_nl'), required: true, testid: 'add-term-name-nl', attrs: { maxlength: 200, lang: 'nl' } }),
      field({ name: 'name_en', label: t('taxonomy.name_en'), required: true, testid: 'add-term-name-en', attrs: { maxlength: 200, lang: 'en' } }),
      field({ name: 'code', label: t('taxonomy.code'), optional: true, hint: t('taxonomy.code_hint'), testid: 'add-term-code', attrs: { maxlength: 60, spellcheck: 'false', autocapitalize: 'off' } }),
      h('div', { class: 'form-row-action' }, button(t('common.add'), { type: 'submit', kind: 'secondary', iconName: 'plus', testid: 'add-term-submit' })));
    onSubmit(form, async (data) => {
      const body = {
        kind,
        code: data.code || nextCode(kind, siblings, parentCode, data),
        name_nl: data.name_nl,
        name_en: data.name_en,
        position: siblings.reduce((max, x) => Math.max(max, x.position ?? 0), 0) + 1,
      };
      if (parentCode) body.parent_code = parentCode;
      await api.post(`/events/${eventId}/taxonomy`, body);
      await reload();
      toast(t('taxonomy.added', { name: data.name_en || data.name_nl }));
      // The form was drawn again (still open): ready for the next entry.
      const again = [...sections.querySelectorAll('details > summary')].find((s) => s.textContent === summaryText);
      focusFirst(again?.parentElement.querySelector('input'));
    }, { conflict: { field: 'code', code: 'code_taken' } });
    return h('details', { class: 'add-details' }, h('summary', {}, icon('plus'), h('span', {}, summaryText)), form);
  }

  function kindSection(kind) {
    const ofKind = terms.filter((x) => x.kind === kind).sort(byPosition);
    const titleId = `tax-${kind}`;
    let body;
    if (kind === 'ambition_goal') {
      body = h('ul', { class: 'term-list', role: 'list' }, ofKind.map((goal) => {
        const strategies = terms.filter((x) => x.kind === 'ambition_strategy' && x.parent_code === goal.code).sort(byPosition);
        const li = termRow(goal);
        const group = h('li', { class: 'term-group' },
          h('ul', { class: 'term-list', role: 'list' }, li),
          h('ul', { class: 'term-list term-list-nested', role: 'list', 'aria-label': t('taxonomy.strategies_of', { name: termName(goal) }) },
            strategies.map((s) => termRow(s, { nested: true }))),
          h('div', { class: 'nested-add' }, addForm('ambition_strategy', { parentCode: goal.code, siblings: strategies })));
        return group;
      }));
    } else {
      body = h('ul', { class: 'term-list', role: 'list' }, ofKind.map((term) => termRow(term)));
    }
    return h('section', { class: 'card', 'aria-labelledby': titleId, 'data-testid': `taxonomy-${kind}` },
      h('div', { class: 'card-head' },
        h('h3', { id: titleId, class: 'card-title' }, t(`taxonomy.kind.${kind}`)),
        h('span', { class: 'badge badge-muted' }, String(ofKind.length))),
      h('p', { class: 'muted small' }, t(`taxonomy.hint.${kind}`)),
      ofKind.length ? body : emptyState({ iconName: 'layers', title: t('taxonomy.empty') }),
      addForm(kind, { siblings: ofKind }));
  }

  function render() {
    const open = [...sections.querySelectorAll('details[open] > summary')].map((s) => s.textContent);
    sections.replaceChildren(...KINDS.map(kindSection));
    // Keep the add forms someone was using open after a reload.
    for (const summary of sections.querySelectorAll('details > summary')) {
      if (open.includes(summary.textContent)) summary.parentElement.open = true;
    }
  }

  await reload();
  panel.replaceChildren(
    h('div', { class: 'panel-head' }, h('h2', {}, t('setup.tab.taxonomy')), h('p', { class: 'muted' }, t('taxonomy.lead'))),
    sections);
}
