// /events/{id}/needs: a buyer's needs profile (product groups, ambitions, business models,
// an upcoming purchasing project, whether suppliers may read it); suppliers read the shared
// profiles (and ask their buyers for meetings from them), organisers all of them.

import { h, icon, toast, emptyState } from '../dom.js';
import { t, tn, termName } from '../i18n.js';
import { api } from '../api.js';
import { field, checkbox, checkboxGroup, button, onSubmit } from '../forms.js';
import { rerender } from '../router.js';
import { labelsFromTerms, label, byKind } from '../components/factsheet.js';
import { requestForm, requestWith, requestNote, mayAsk } from '../components/meetings.js';

function euros(n) {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(n);
}

function budget(needs) {
  if (needs.budget_min !== null && needs.budget_max !== null) return `${euros(needs.budget_min)} – ${euros(needs.budget_max)}`;
  if (needs.budget_min !== null) return t('needs.budget_from', { amount: euros(needs.budget_min) });
  if (needs.budget_max !== null) return t('needs.budget_up_to', { amount: euros(needs.budget_max) });
  return null;
}

function buyerForm(eventId, needs, terms) {
  const form = h('form', { class: 'stack-lg', 'data-testid': 'needs-form' },
    checkboxGroup({
      name: 'product_groups', legend: t('needs.product_groups'), values: needs.product_groups, testid: 'needs-product-groups',
      options: byKind(terms, 'product_group').map((x) => ({ value: x.code, label: termName(x) })),
    }),
    h('fieldset', { class: 'fieldset', 'data-field': 'strategies' },
      h('legend', { class: 'field-label' }, t('needs.strategies')),
      h('p', { class: 'field-hint' }, t('needs.strategies_hint')),
      // One group per ambition goal, as on the circular ambition map.
      byKind(terms, 'ambition_goal').map((goal) => checkboxGroup({
        name: 'strategies', legend: `${goal.code} · ${termName(goal)}`, values: needs.strategies,
        options: byKind(terms, 'ambition_strategy').filter((x) => x.parent_code === goal.code).map((x) => ({ value: x.code, label: `${x.code} · ${termName(x)}` })),
      })),
      h('p', { class: 'field-error', hidden: true })),
    checkboxGroup({
      name: 'business_models', legend: t('needs.business_models'), values: needs.business_models, testid: 'needs-business-models',
      options: byKind(terms, 'business_model').map((x) => ({ value: x.code, label: termName(x) })),
    }),
    h('fieldset', { class: 'fieldset' },
      h('legend', { class: 'field-label' }, t('needs.project')),
      h('div', { class: 'form-grid' },
        field({ name: 'project_what', type: 'textarea', rows: 3, label: t('needs.project_what'), value: needs.project_what, optional: true, class: 'span-2', testid: 'needs-what', attrs: { maxlength: 2000 } }),
        field({ name: 'project_when', label: t('needs.project_when'), value: needs.project_when, optional: true, hint: t('needs.project_when_hint'), testid: 'needs-when', attrs: { maxlength: 60 } }),
        h('div', { class: 'field-pair' },
          field({ name: 'budget_min', type: 'number', label: t('needs.budget_min'), value: needs.budget_min ?? '', optional: true, attrs: { min: 0, step: 1 } }),
          field({ name: 'budget_max', type: 'number', label: t('needs.budget_max'), value: needs.budget_max ?? '', optional: true, attrs: { min: 0, step: 1 } })))),
    checkbox({ name: 'shared_with_suppliers', label: t('needs.share'), hint: t('needs.share_hint'), checked: needs.shared_with_suppliers, testid: 'needs-share' }),
    h('div', { class: 'form-actions' }, button(t('common.save'), { type: 'submit', iconName: 'check', testid: 'needs-save' })));
  onSubmit(form, async (data) => {
    await api.put(`/events/${eventId}/needs/me`, {
      product_groups: data.product_groups, strategies: data.strategies, business_models: data.business_models,
      project_what: data.project_what, project_when: data.project_when,
      budget_min: data.budget_min, budget_max: data.budget_max, shared_with_suppliers: data.shared_with_suppliers,
    });
    toast(t('needs.saved'));
    rerender();
  }, {
    validate: (data) => (data.budget_min !== null && data.budget_max !== null && data.budget_max < data.budget_min ? [{ field: 'budget_max', code: 'less_than_min' }] : []),
  });
  return form;
}

/**
 * A supplier asks a buyer for a meeting from their profile, folded away until wanted; once
 * asked (either way round), the profile says where the request stands.
 */
function meetPart(n, eventId, state) {
  const slot = h('div', { class: 'needs-meet' });
  const draw = (focus = null) => {
    const standing = requestWith(state.mine, n.participant_id);
    if (standing) slot.replaceChildren(requestNote(standing, eventId));
    else if (!state.mine.rules.open) slot.replaceChildren(h('p', { class: 'small muted' }, t('requests.closed_short')));
    else {
      slot.replaceChildren(h('details', { class: 'request-details' },
        h('summary', { 'data-testid': 'needs-request-toggle' }, icon('handshake'), h('span', {}, t('meetings.request_with', { name: n.person.name }))),
        requestForm({
          eventId, compact: true,
          people: [{ participant_id: n.participant_id, name: n.person.name }],
          onSent: (sent) => {
            state.mine.sent = [sent, ...(state.mine.sent || [])];
            draw(sent.id);
          },
          onRefused: async () => {
            const fresh = await api.get(`/events/${eventId}/requests`).catch(() => null);
            if (fresh) { state.mine = fresh; draw(); }
          },
        })));
    }
    if (focus) slot.querySelector(`[data-request="${CSS.escape(focus)}"]`)?.focus();
  };
  draw();
  return slot;
}

function needsList(list, labels, { eventId, meet = null } = {}) {
  if (!list.length) return emptyState({ iconName: 'users', title: t('needs.none_title'), text: t('needs.none_text'), testid: 'needs-empty' });
  return h('ul', { class: 'plain-list stack', role: 'list' }, list.map((n) => h('li', { class: 'card card-quiet', id: `needs-${n.person.id}`, 'data-testid': 'needs-item' },
    h('h3', { class: 'card-title' }, n.person.name, n.organisation ? h('span', { class: 'muted' }, ` · ${n.organisation}`) : null),
    n.product_groups.length ? h('ul', { class: 'chips', role: 'list' }, n.product_groups.map((c) => h('li', { class: 'chip' }, label(labels, 'product_group', c)))) : null,
    n.strategies.length ? h('p', { class: 'small' }, h('strong', {}, `${t('needs.strategies')}: `), n.strategies.map((c) => `${c} ${label(labels, 'strategy', c)}`).join(', ')) : null,
    n.business_models.length ? h('p', { class: 'small' }, h('strong', {}, `${t('needs.business_models')}: `), n.business_models.map((c) => label(labels, 'business_model', c)).join(', ')) : null,
    n.project_what ? h('p', { class: 'prose' }, n.project_what) : null,
    h('p', { class: 'muted small' }, [n.project_when, budget(n)].filter(Boolean).join(' · ')),
    n.shared_with_suppliers ? null : h('p', { class: 'small' }, h('span', { class: 'badge badge-muted' }, t('needs.not_shared'))),
    meet ? meetPart(n, eventId, meet) : null)));
}

export default async function needsPage({ view, params, hash, setTitle, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const [event, taxonomy] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/taxonomy`)]);
  const terms = taxonomy.terms || [];
  const isBuyer = event.my_role === 'buyer';
  const mine = isBuyer ? await api.get(`/events/${eventId}/needs/me`) : null;
  const others = isBuyer ? null : await api.get(`/events/${eventId}/needs`);
  // Suppliers ask buyers for meetings from here, where the event lets them.
  const myRequests = event.my_role === 'supplier' ? await api.get(`/events/${eventId}/requests`).catch(() => null) : null;
  const meet = myRequests && mayAsk('supplier', 'buyer', myRequests.rules) ? { mine: myRequests } : null;
  if (!isCurrent()) return;
  setTitle(`${t(isBuyer ? 'needs.title_mine' : 'needs.title_all')} · ${event.name}`);
  view.replaceChildren(h('section', { class: 'needs-page page-medium' },
    h('a', { class: 'back-link', href: `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_event'))),
    h('div', { class: 'page-head' }, h('div', {},
      h('p', { class: 'eyebrow' }, event.name),
      h('h1', {}, t(isBuyer ? 'needs.title_mine' : 'needs.title_all')),
      h('p', { class: 'muted' }, t(isBuyer ? 'needs.lead_mine' : (event.my_role === 'supplier' ? 'needs.lead_supplier' : 'needs.lead_all'))))),
    isBuyer
      ? h('div', { class: 'card' }, buyerForm(eventId, mine, terms))
      : h('div', {}, h('p', { class: 'result-count' }, tn('needs.count', others.needs.length)), needsList(others.needs, labelsFromTerms(terms), { eventId, meet }))));
  // A link to one buyer's profile (from a session's briefing) opens the list at it.
  if (hash && hash.startsWith('#needs-')) {
    setTimeout(() => {
      const target = document.getElementById(hash.slice(1));
      if (!target) return;
      target.setAttribute('tabindex', '-1');
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }, 0);
  }
}
