// Set-up tab "participants": find people, approve or decline them, invite one, import a CSV.

import { h, icon, toast, emptyState, notice, loadingBlock, announce, focusFirst } from '../../dom.js';
import { t, tn, has, errorMessage, fieldErrorMessage, getLang } from '../../i18n.js';
import { api, ApiError } from '../../api.js';
import { field, checkbox, button, onSubmit, confirmDialog, withBusy, showFieldProblems, clearFormErrors } from '../../forms.js';
import { formatInstant } from '../../format.js';
import { roleBadge, statusBadge } from '../../components/badges.js';

const ROLES = ['buyer', 'supplier', 'facilitator', 'organiser'];
const STATUSES = ['invited', 'registered', 'approved', 'declined', 'cancelled'];
const CSV_TEMPLATE = 'name,email,organisation,role,language,job_title,phone\n'
  + 'An Peeters,an.peeters@example.org,Stad Gent,buyer,nl,Aankoper facility,+32 9 123 45 67\n'
  + 'Sam Jones,sam@example.com,ReFurn Ltd,supplier,en,Sales manager,\n';

/** Which status changes make sense from a status. */
function actionsFor(status) {
  return {
    approve: ['registered', 'declined', 'invited'].includes(status),
    decline: status === 'registered',
    cancel: ['invited', 'registered', 'approved'].includes(status),
    invite: status === 'invited',
  };
}

/** Read a chosen file as text; files saved by Excel may be Windows-1252 rather than UTF-8. */
async function readCsvFile(file) {
  const bytes = await file.arrayBuffer();
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  const text = utf8.includes('\uFFFD') ? new TextDecoder('windows-1252').decode(bytes) : utf8;
  return text.replace(/^\uFEFF/, '');
}

export default async function participantsTab({ panel, event, eventId }) {
  const url = new URL(window.location.href);
  const filters = { role: url.searchParams.get('role') || '', status: url.searchParams.get('status') || '', q: url.searchParams.get('q') || '' };
  const results = h('div', { class: 'participants-results', 'aria-busy': 'false', 'data-testid': 'participants-results' });
  let requestCounter = 0;
  let shown = [];
  let eventOrganisations = [];

  /** Fetch and draw the list; `say` announces the count (after a filter change). */
  async function reload({ say = false } = {}) {
    requestCounter += 1;
    const mine = requestCounter;
    results.setAttribute('aria-busy', 'true');
    try {
      const { participants = [] } = await api.get(`/events/${eventId}/participants`, { query: filters });
      if (mine !== requestCounter) return;
      renderResults(participants);
      if (say) announce(tn('participants.count', participants.length));
    } catch (err) {
      if (mine !== requestCounter) return;
      results.replaceChildren(notice('error', h('p', {}, errorMessage(err))));
    } finally {
      if (mine === requestCounter) results.setAttribute('aria-busy', 'false');
    }
  }

  function syncUrl() {
    const next = new URL(window.location.href);
    for (const [key, value] of Object.entries(filters)) {
      if (value) next.searchParams.set(key, value); else next.searchParams.delete(key);
    }
    window.history.replaceState({}, '', next.pathname + next.search);
  }

  async function changeStatus(person, status, trigger) {
    if (status === 'cancelled' || status === 'declined') {
      const ok = await confirmDialog({
        title: t(`participants.${status === 'cancelled' ? 'cancel' : 'decline'}_title`, { name: person.name }),
        text: t(`participants.${status === 'cancelled' ? 'cancel' : 'decline'}_text`),
        confirmLabel: t(`participants.action.${status === 'cancelled' ? 'cancel' : 'decline'}`),
      });
      if (!ok) return;
    }
    try {
      await withBusy(trigger, () => api.patch(`/events/${eventId}/participants/${encodeURIComponent(person.id)}`, { status }));
      await reload();
      toast(t(`participants.done.${status}`, { name: person.name }));
      focusFirst(results.querySelector(`[data-id="${CSS.escape(person.id)}"] button`), results.querySelector(`[data-id="${CSS.escape(person.id)}"] a`));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  async function resendInvitation(person, trigger) {
    try {
      await withBusy(trigger, () => api.post(`/events/${eventId}/participants/${encodeURIComponent(person.id)}/invitation`, {}));
      toast(t('participants.done.invitation', { name: person.name }));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }

  function actionButtons(person) {
    const can = actionsFor(person.status);
    const make = (key, kind, iconName, handler) => {
      const btn = button(t(`participants.action.${key}`), {
        kind, small: true, iconName, testid: `participant-${key}`,
        ariaLabel: t(`participants.action_of.${key}`, { name: person.name }),
      });
      btn.addEventListener('click', () => handler(btn));
      return btn;
    };
    return h('div', { class: 'row-actions wrap' },
      can.approve ? make('approve', 'primary', 'check', (b) => changeStatus(person, 'approved', b)) : null,
      can.decline ? make('decline', 'secondary', 'x', (b) => changeStatus(person, 'declined', b)) : null,
      can.invite ? make('invite', 'ghost', 'mail', (b) => resendInvitation(person, b)) : null,
      can.cancel ? make('cancel', 'ghost', 'trash', (b) => changeStatus(person, 'cancelled', b)) : null);
  }

  function renderResults(participants) {
    shown = participants;
    drawAssignOptions();
    const filtered = filters.role || filters.status || filters.q;
    if (!participants.length) {
      results.replaceChildren(filtered
        ? emptyState({ iconName: 'search', title: t('participants.none_match_title'), text: t('participants.none_match_text'), testid: 'participants-empty' })
        : emptyState({ iconName: 'users', title: t('participants.empty_title'), text: t('participants.empty_text'), testid: 'participants-empty' }));
      return;
    }
    const byStatus = STATUSES.map((s) => [s, participants.filter((p) => p.status === s).length]).filter(([, n]) => n);
    results.replaceChildren(
      h('p', { class: 'muted small result-count', 'data-testid': 'participants-count' },
        tn('participants.count', participants.length),
        byStatus.length ? ` · ${byStatus.map(([s, n]) => `${n} ${t(`status.${s}`).toLowerCase()}`).join(', ')}` : ''),
      h('div', { class: 'table-wrap' },
        h('table', { class: 'data-table responsive-table', 'data-testid': 'participants-table' },
          h('caption', { class: 'visually-hidden' }, t('participants.table_caption')),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('participants.col.name')),
            h('th', { scope: 'col' }, t('participants.col.organisation')),
            h('th', { scope: 'col' }, t('participants.col.role')),
            h('th', { scope: 'col' }, t('participants.col.status')),
            h('th', { scope: 'col' }, t('participants.col.since')),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('participants.col.actions'))))),
          h('tbody', {}, participants.map((p) => h('tr', { 'data-testid': 'participant-row', 'data-status': p.status, 'data-role': p.role, 'data-id': p.id },
            h('th', { scope: 'row', 'data-label': t('participants.col.name') },
              h('span', { class: 'person-name' }, p.name),
              h('a', { class: 'person-email', href: `mailto:${p.email}`, 'data-external': '' }, p.email),
              p.job_title ? h('span', { class: 'muted small' }, p.job_title) : null),
            h('td', { 'data-label': t('participants.col.organisation') },
              p.organisation || h('span', { class: 'muted' }, '—'),
              p.requested_organisation ? h('span', { class: 'muted small block', 'data-testid': 'participant-requested' }, t('organisation.asks_to_join', { org: p.requested_organisation })) : null),
            h('td', { 'data-label': t('participants.col.role') }, roleBadge(p.role)),
            h('td', { 'data-label': t('participants.col.status') }, statusBadge(p.status, { role: p.role, event })),
            h('td', { 'data-label': t('participants.col.since'), class: 'nowrap small' }, formatInstant(p.created_at, event.timezone)),
            h('td', { class: 'actions-cell' }, actionButtons(p))))))));
  }

  // Filters
  const roleFilter = field({
    name: 'role', type: 'select', label: t('participants.filter_role'), value: filters.role, testid: 'filter-role',
    options: [{ value: '', label: t('participants.all_roles') }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))],
  });
  const statusFilter = field({
    name: 'status', type: 'select', label: t('participants.filter_status'), value: filters.status, testid: 'filter-status',
    options: [{ value: '', label: t('participants.all_statuses') }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))],
  });
  const searchFilter = field({
    name: 'q', type: 'search', label: t('participants.search'), value: filters.q, placeholder: t('participants.search_placeholder'), testid: 'filter-q',
    attrs: { autocomplete: 'off' },
  });
  let searchTimer = null;
  const filterForm = h('form', { class: 'filter-bar', role: 'search', 'data-testid': 'participants-filter' }, searchFilter, roleFilter, statusFilter);
  filterForm.addEventListener('submit', (e) => e.preventDefault());
  const applyFilters = () => {
    filters.role = roleFilter.control.value;
    filters.status = statusFilter.control.value;
    filters.q = searchFilter.control.value.trim();
    syncUrl();
    reload({ say: true });
  };
  roleFilter.control.addEventListener('change', applyFilters);
  statusFilter.control.addEventListener('change', applyFilters);
  searchFilter.control.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applyFilters, 300);
  });

  // Organisations: requests to join one, and assigning people (membership is granted).
  const requestsBox = h('div', { class: 'stack', 'data-testid': 'organisation-requests' });
  const assignPerson = field({ name: 'participant', type: 'select', label: t('organisation.assign_person'), required: true, testid: 'assign-person', options: [] });
  const assignOrg = field({ name: 'organisation_id', type: 'select', label: t('organisation.assign_org'), required: true, testid: 'assign-organisation', options: [] });
  const assignForm = h('form', { class: 'form-grid form-grid-3', 'data-testid': 'assign-form' },
    assignPerson, assignOrg,
    h('div', { class: 'form-actions' }, button(t('organisation.assign_submit'), { type: 'submit', iconName: 'check', testid: 'assign-submit' })));

  function drawAssignOptions() {
    const option = (value, label) => h('option', { value }, label);
    assignPerson.control.replaceChildren(option('', t('organisation.choose')), ...shown.map((p) => option(p.id, p.organisation ? `${p.name} (${p.organisation})` : p.name)));
    assignOrg.control.replaceChildren(option('', t('organisation.choose')), ...eventOrganisations.map((o) => option(o.id, o.name)));
  }

  async function reloadOrganisations() {
    try {
      const [{ requests = [] }, { organisations = [] }] = await Promise.all([
        api.get(`/events/${eventId}/organisation-requests`),
        api.get(`/events/${eventId}/organisations`),
      ]);
      eventOrganisations = organisations;
      drawAssignOptions();
      requestsBox.replaceChildren(h('h4', {}, t('organisation.organiser_requests')), requests.length
        ? h('ul', { class: 'plain-list member-list', role: 'list' }, requests.map((r) => {
          const decide = (decision, kind, iconName) => {
            const btn = button(t(`organisation.${decision}`), {
              kind, small: true, iconName, testid: `event-request-${decision}`,
              ariaLabel: t(`organisation.${decision}_of`, { name: r.person.name, org: r.organisation_name }),
            });
            btn.addEventListener('click', async () => {
              try {
                await withBusy(btn, () => api.post(`/events/${eventId}/organisation-requests/${encodeURIComponent(r.id)}`, { decision }));
                toast(t(decision === 'confirm' ? 'organisation.confirmed' : 'organisation.declined', { name: r.person.name, org: r.organisation_name }));
                await Promise.all([reloadOrganisations(), reload()]);
                focusFirst(requestsBox.querySelector('button'), requestsBox.querySelector('h4'));
              } catch (err) {
                toast(errorMessage(err), 'error');
              }
            });
            return btn;
          };
          return h('li', { class: 'member', 'data-testid': 'event-organisation-request' },
            h('div', {},
              h('strong', {}, r.person.name), ' ', h('span', { class: 'muted small' }, r.person.email),
              h('div', { class: 'small' }, t('organisation.asks_to_join', { org: r.organisation_name }))),
            h('div', { class: 'row-actions' }, decide('confirm', 'primary', 'check'), decide('decline', 'secondary', 'x')));
        }))
        : h('p', { class: 'muted small' }, t('organisation.requests_none')));
    } catch (err) {
      requestsBox.replaceChildren(notice('error', h('p', {}, errorMessage(err))));
    }
  }

  onSubmit(assignForm, async (data) => {
    const person = shown.find((p) => p.id === data.participant);
    const org = eventOrganisations.find((o) => o.id === data.organisation_id);
    await api.put(`/events/${eventId}/participants/${encodeURIComponent(data.participant)}/organisation`, { organisation_id: data.organisation_id });
    toast(t('organisation.assigned', { name: person ? person.name : '', org: org ? org.name : '' }));
    await Promise.all([reloadOrganisations(), reload()]);
  });

  // Invite one person
  const inviteForm = h('form', { class: 'form-grid form-grid-3', 'data-testid': 'invite-form' },
    field({ name: 'name', label: t('profile.name'), required: true, testid: 'invite-name', autocomplete: 'off', attrs: { maxlength: 200 } }),
    field({ name: 'email', type: 'email', label: t('profile.email'), required: true, testid: 'invite-email', autocomplete: 'off', attrs: { spellcheck: 'false', autocapitalize: 'off' } }),
    field({ name: 'organisation', label: t('profile.organisation'), optional: true, testid: 'invite-organisation', attrs: { maxlength: 200 } }),
    field({ name: 'job_title', label: t('profile.job_title'), optional: true, testid: 'invite-job-title', attrs: { maxlength: 200 } }),
    field({ name: 'phone', type: 'tel', label: t('profile.phone'), optional: true, testid: 'invite-phone', attrs: { maxlength: 50 } }),
    field({
      name: 'role', type: 'select', label: t('participants.col.role'), value: 'buyer', required: true, testid: 'invite-role',
      options: ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
    }),
    field({
      name: 'language', type: 'select', label: t('profile.language'), value: getLang(), required: true, testid: 'invite-language',
      options: [{ value: 'nl', label: t('lang.nl') }, { value: 'en', label: t('lang.en') }],
    }),
    h('div', { class: 'span-2' }, checkbox({ name: 'send_invitation', label: t('participants.send_invitation'), hint: t('participants.send_invitation_hint'), checked: true, testid: 'invite-send' })),
    h('div', { class: 'span-2 form-actions' }, button(t('participants.invite_submit'), { type: 'submit', iconName: 'mail', testid: 'invite-submit' })));
  onSubmit(inviteForm, async (data) => {
    const body = { name: data.name, email: data.email, role: data.role, language: data.language, send_invitation: data.send_invitation };
    for (const key of ['organisation', 'job_title', 'phone']) if (data[key]) body[key] = data[key];
    await api.post(`/events/${eventId}/participants`, body);
    inviteForm.reset();
    await Promise.all([reload(), reloadOrganisations()]);
    toast(t(data.send_invitation ? 'participants.invited_sent' : 'participants.invited', { name: data.name }));
  }, { conflict: { field: 'email', code: 'already_in_event' } });

  // CSV import
  const fileField = field({ name: 'csv_file', type: 'file', label: t('import.file'), optional: true, testid: 'import-file', attrs: { accept: '.csv,text/csv,text/plain' } });
  const textField = field({ name: 'csv', type: 'textarea', label: t('import.paste'), rows: 6, testid: 'import-text', hint: t('import.columns'), attrs: { spellcheck: 'false', wrap: 'off', class: 'mono' } });
  const checkButton = button(t('import.check'), { type: 'submit', kind: 'secondary', iconName: 'search', testid: 'import-check' });
  const importButton = button(t('import.import'), { iconName: 'upload', testid: 'import-submit', disabled: true });
  const previewBox = h('div', { class: 'import-preview', 'data-testid': 'import-preview' });
  const templateLink = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'import-template' }, icon('download'), h('span', {}, t('import.template')));
  templateLink.addEventListener('click', () => {
    const blobUrl = URL.createObjectURL(new Blob([CSV_TEMPLATE], { type: 'text/csv' }));
    const a = h('a', { href: blobUrl, download: 'matchfloor-participants.csv', 'data-external': '' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(blobUrl), 1000);
  });
  const importForm = h('form', { class: 'stack', 'data-testid': 'import-form' },
    fileField, textField,
    h('div', { class: 'form-actions' }, checkButton, importButton, templateLink),
    previewBox);
  let checkedText = null;

  function renderPreview(preview, { result = null } = {}) {
    const rows = preview.rows || [];
    const headline = preview.valid
      ? tn('import.ready', preview.total ?? rows.length)
      : tn('import.problems', preview.with_problems ?? rows.filter((r) => r.problems?.length).length);
    const summary = notice(preview.valid ? 'success' : 'error',
      h('p', {}, h('strong', {}, headline)),
      h('p', {}, t(preview.valid ? 'import.ready_text' : 'import.problems_text')));
    announce(headline);
    previewBox.replaceChildren(...[
      result,
      summary,
      rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table preview-table', 'data-testid': 'import-preview-table' },
        h('caption', { class: 'visually-hidden' }, t('import.preview_caption')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('import.col.line')),
          h('th', { scope: 'col' }, t('participants.col.name')),
          h('th', { scope: 'col' }, t('profile.email')),
          h('th', { scope: 'col' }, t('participants.col.organisation')),
          h('th', { scope: 'col' }, t('participants.col.role')),
          h('th', { scope: 'col' }, t('profile.language')),
          h('th', { scope: 'col' }, t('import.col.problems')))),
        h('tbody', {}, rows.map((row) => {
          const problems = row.problems || [];
          return h('tr', { class: problems.length ? 'row-problem' : 'row-ok', 'data-testid': 'import-preview-row' },
            h('td', { class: 'mono' }, String(row.line)),
            h('td', {}, row.name || ''),
            h('td', {}, row.email || ''),
            h('td', {}, row.organisation || ''),
            h('td', {}, row.role && has(`role.${row.role}`) ? t(`role.${row.role}`) : (row.role || '')),
            h('td', {}, row.language ? row.language.toUpperCase() : ''),
            h('td', {}, problems.length
              ? h('ul', { class: 'problem-list' }, problems.map((p) => h('li', {}, icon('alert'), h('span', {}, fieldErrorMessage(p)))))
              : h('span', { class: 'ok-mark' }, icon('check'), h('span', {}, t('import.row_ok')))));
        })))) : null,
    ].filter(Boolean));
  }

  function resetPreview() {
    checkedText = null;
    importButton.disabled = true;
  }

  fileField.control.addEventListener('change', async () => {
    const file = fileField.control.files[0];
    if (!file) return;
    textField.control.value = await readCsvFile(file);
    resetPreview();
    importForm.requestSubmit(checkButton);
  });
  textField.control.addEventListener('input', () => {
    if (checkedText !== null && textField.control.value !== checkedText) {
      resetPreview();
      previewBox.replaceChildren(notice('info', h('p', {}, t('import.changed'))));
    }
  });

  onSubmit(importForm, async () => {
    const csv = textField.control.value;
    if (!csv.trim()) {
      showFieldProblems(importForm, [{ field: 'csv', code: 'required' }]);
      return;
    }
    previewBox.replaceChildren(loadingBlock(t('import.checking')));
    const preview = await api.postCsv(`/events/${eventId}/participants/import/preview`, csv);
    checkedText = csv;
    importButton.disabled = !preview.valid;
    renderPreview(preview);
  });

  importButton.addEventListener('click', async () => {
    const csv = textField.control.value;
    if (checkedText === null || csv !== checkedText) return;
    clearFormErrors(importForm);
    try {
      const result = await withBusy(importButton, () => api.postCsv(`/events/${eventId}/participants/import`, csv));
      resetPreview();
      textField.control.value = '';
      fileField.control.value = '';
      previewBox.replaceChildren(notice('success',
        h('p', { 'data-testid': 'import-result' }, h('strong', {}, tn('import.imported', result.imported ?? 0))),
        h('p', {}, tn('import.invited', result.invited ?? 0))));
      await Promise.all([reload(), reloadOrganisations()]);
      toast(tn('import.imported', result.imported ?? 0));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'import_has_problems' && err.details) {
        const preview = err.details.rows ? err.details : err.details.preview;
        resetPreview();
        if (preview) renderPreview(preview, { result: notice('error', h('p', {}, t('error.import_has_problems'))) });
        else showFieldProblems(importForm, [], { summaryText: errorMessage(err) });
      } else {
        showFieldProblems(importForm, [], { summaryText: errorMessage(err) });
      }
    }
  });

  panel.replaceChildren(
    h('div', { class: 'panel-head' }, h('h2', {}, t('setup.tab.participants')), h('p', { class: 'muted' }, t('participants.lead'))),
    h('section', { class: 'card', 'aria-labelledby': 'people-h' },
      h('h3', { id: 'people-h', class: 'card-title' }, t('participants.list_title')),
      filterForm,
      results),
    h('section', { class: 'card', 'aria-labelledby': 'orgs-h', 'data-testid': 'organisations-card' },
      h('h3', { id: 'orgs-h', class: 'card-title' }, icon('users'), h('span', {}, t('organisation.organiser_title'))),
      h('p', { class: 'muted small' }, t('organisation.organiser_text')),
      requestsBox,
      assignForm),
    h('section', { class: 'card', 'aria-labelledby': 'invite-h' },
        h('h3', { id: 'invite-h', class: 'card-title' }, icon('mail'), h('span', {}, t('participants.invite_title'))),
        h('p', { class: 'muted small' }, t('participants.invite_text')),
        inviteForm),
    h('section', { class: 'card', 'aria-labelledby': 'import-h' },
        h('h3', { id: 'import-h', class: 'card-title' }, icon('upload'), h('span', {}, t('import.title'))),
        h('p', { class: 'muted small' }, t('import.text')),
        importForm));
  results.append(loadingBlock(t('common.loading')));
  await Promise.all([reload(), reloadOrganisations()]);
}
