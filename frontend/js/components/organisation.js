// "My organisation" on the profile page: its members, the requests to join it, and naming
// an organisation to found or ask to join. Membership is granted, never claimed by typing.

import { h, icon, toast, notice, focusFirst } from '../dom.js';
import { t, errorMessage } from '../i18n.js';
import { api } from '../api.js';
import { setUser } from '../session.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../forms.js';
import { formatInstant } from '../format.js';

function memberLine(member, org, me, onRemove) {
  const self = member.person_id === me.id;
  const how = [
    member.via ? t(`organisation.via.${member.via}`) : null,
    member.granted_by && !self && member.via !== 'founded' ? t('organisation.by', { name: member.granted_by }) : null,
    member.since ? t('organisation.since', { date: formatInstant(member.since) }) : null,
  ].filter(Boolean).join(' · ');
  const remove = button(self ? t('organisation.leave') : t('organisation.remove'), {
    kind: 'ghost', small: true, iconName: self ? 'logout' : 'trash', testid: self ? 'organisation-leave' : 'member-remove',
    ariaLabel: self ? t('organisation.leave_of', { org: org.name }) : t('organisation.remove_of', { name: member.name, org: org.name }),
  });
  remove.addEventListener('click', () => onRemove(member, self, remove));
  return h('li', { class: 'member', 'data-testid': 'organisation-member', 'data-id': member.person_id },
    h('div', {},
      h('strong', {}, member.name), self ? h('span', { class: 'muted' }, ` ${t('organisation.you')}`) : null,
      h('div', { class: 'muted small' }, member.email),
      how ? h('div', { class: 'muted small' }, how) : null),
    remove);
}

function requestLine(request, org, onDecide) {
  const make = (decision, kind, iconName) => {
    const btn = button(t(`organisation.${decision}`), {
      kind, small: true, iconName, testid: `request-${decision}`,
      ariaLabel: t(`organisation.${decision}_of`, { name: request.person.name, org: org.name }),
    });
    btn.addEventListener('click', () => onDecide(request, decision, btn));
    return btn;
  };
  return h('li', { class: 'member', 'data-testid': 'organisation-request', 'data-id': request.id },
    h('div', {},
      h('strong', {}, request.person.name),
      h('div', { class: 'muted small' }, request.person.email),
      h('div', { class: 'muted small' }, t('organisation.asked', { date: formatInstant(request.created_at) }))),
    h('div', { class: 'row-actions' }, make('confirm', 'primary', 'check'), make('decline', 'secondary', 'x')));
}

/** The card; `user` is /api/me. Draws itself again after each change. */
export function organisationCard(user) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'org-h', 'data-testid': 'organisation-card' });
  let me = user;

  async function refreshMe() {
    me = await api.get('/me');
    setUser(me);
  }

  async function draw({ focusSelector = null } = {}) {
    let org = null;
    let loadError = null;
    if (me.organisation_id) {
      try {
        org = await api.get(`/organisations/${encodeURIComponent(me.organisation_id)}`);
      } catch (err) {
        loadError = err;
      }
    }
    const nameField = field({
      name: 'organisation', label: t('organisation.name'), required: true, autocomplete: 'organization',
      testid: 'organisation-name', attrs: { maxlength: 200 },
    });
    const form = h('form', { class: 'inline-form', 'data-testid': 'organisation-form' },
      nameField, button(t('organisation.submit'), { type: 'submit', iconName: 'arrowRight', testid: 'organisation-submit' }));
    onSubmit(form, async (data) => {
      const before = me.organisation_id;
      const updated = await api.patch('/me', { organisation: data.organisation });
      me = updated;
      setUser(updated);
      if (updated.organisation_request) toast(t('organisation.requested', { org: updated.organisation_request.organisation_name }));
      else if (updated.organisation_id && updated.organisation_id !== before) toast(t('organisation.founded', { org: updated.organisation }));
      else toast(t('organisation.unchanged', { org: updated.organisation || data.organisation }));
      await draw({ focusSelector: '[data-testid="organisation-name"]' });
    });

    async function onRemove(member, self, trigger) {
      const ok = await confirmDialog(self
        ? { title: t('organisation.leave_title', { org: org.name }), text: t('organisation.leave_text'), confirmLabel: t('organisation.leave') }
        : { title: t('organisation.remove_title', { name: member.name }), text: t('organisation.remove_text', { org: org.name }), confirmLabel: t('organisation.remove') });
      if (!ok) return;
      try {
        await withBusy(trigger, () => api.del(`/organisations/${encodeURIComponent(org.id)}/members/${encodeURIComponent(member.person_id)}`));
        toast(self ? t('organisation.left', { org: org.name }) : t('organisation.removed', { name: member.name, org: org.name }));
        await refreshMe();
        await draw({ focusSelector: '[data-testid="organisation-name"]' });
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    }

    async function onDecide(request, decision, trigger) {
      try {
        await withBusy(trigger, () => api.post(`/organisations/${encodeURIComponent(org.id)}/requests/${encodeURIComponent(request.id)}`, { decision }));
        toast(t(decision === 'confirm' ? 'organisation.confirmed' : 'organisation.declined', { name: request.person.name, org: org.name }));
        await draw({ focusSelector: '[data-testid="organisation-card"] h2' });
      } catch (err) {
        toast(errorMessage(err), 'error');
      }
    }

    const pending = me.organisation_request;
    card.replaceChildren(
      h('h2', { id: 'org-h', class: 'card-title', tabindex: '-1' }, icon('users'), h('span', {}, t('organisation.title'))),
      h('p', { class: 'muted small' }, t('organisation.lead')),
      loadError ? notice('error', h('p', {}, errorMessage(loadError))) : null,
      org ? h('div', { class: 'stack' },
        h('p', { class: 'lead', 'data-testid': 'organisation-current' }, org.name),
        h('h3', { class: 'subtitle' }, t('organisation.members')),
        h('ul', { class: 'plain-list member-list', role: 'list' }, org.members.map((m) => memberLine(m, org, me, onRemove))),
        h('h3', { class: 'subtitle' }, t('organisation.requests')),
        org.requests.length
          ? h('ul', { class: 'plain-list member-list', role: 'list' }, org.requests.map((r) => requestLine(r, org, onDecide)))
          : h('p', { class: 'muted small', 'data-testid': 'organisation-no-requests' }, t('organisation.requests_none')))
        : (loadError ? null : h('p', { 'data-testid': 'organisation-none' }, t('organisation.none'))),
      pending ? notice('info', h('p', { 'data-testid': 'organisation-pending' }, t('organisation.pending', { org: pending.organisation_name }))) : null,
      h('h3', { class: 'subtitle' }, org ? t('organisation.change_title') : t('organisation.join_title')),
      h('p', { class: 'muted small' }, t('organisation.change_text')),
      form);
    if (focusSelector) focusFirst(card.querySelector(focusSelector));
  }

  draw();
  return card;
}
