// /events/{id}/factsheets/new and /events/{id}/factsheets/{fid}: a supplier writes a
// factsheet: texts in Dutch and English, product groups, claims with their evidence,
// uploads; saves it as a draft, submits it for review, withdraws or deletes it.

import { h, fill, icon, toast, notice, uid, announce } from '../dom.js';
import { t, termName, errorMessage } from '../i18n.js';
import { api, request, ApiError } from '../api.js';
import { field, checkboxGroup, button, onSubmit, confirmDialog, withBusy } from '../forms.js';
import { navigate, rerender } from '../router.js';
import { liveFor } from '../live.js';
import { formatInstant } from '../format.js';
import { factsheetStatusBadge, selfDeclaredBadge, displayTitle, byKind, withLang } from '../components/factsheet.js';

const MAX_IMAGES = 6;
const EMPTY = {
  title_nl: '', title_en: '', pitch_nl: '', pitch_en: '', description_nl: '', description_en: '',
  product_groups: [], business_models: [], claims: [], price_model_nl: '', price_model_en: '', tco_statement_nl: '', tco_statement_en: '', reference_cases: [],
  contact_name: '', contact_email: '', contact_phone: '', website: '', country: '', logo_upload_id: null, image_upload_ids: [],
};

/** Upload a file as the raw body; resolves to the upload view. */
function upload(eventId, file, purpose) {
  return request('POST', `/events/${eventId}/uploads`, {
    body: file, contentType: file.type || 'application/octet-stream', query: { purpose, filename: file.name },
  });
}

/** A small error line under a list control, filled by showFieldProblems through data-field. */
function errorLine() {
  return h('p', { class: 'field-error', hidden: true });
}

/** Give every control of a repeating row its field path, e.g. claims[0].evidence[1].url. */
function renumber(list, prefix) {
  [...list.children].forEach((row, i) => {
    const path = `${prefix}[${i}]`;
    row.dataset.path = path;
    for (const el of row.querySelectorAll(':scope [data-sub]')) {
      if (el.closest('[data-path]') !== row) continue;
      el.dataset.field = el.dataset.sub ? `${path}.${el.dataset.sub}` : path;
    }
    for (const nested of row.querySelectorAll(':scope [data-list]')) {
      if (nested.parentElement.closest('[data-path]') === row) renumber(nested, `${path}.${nested.dataset.list}`);
    }
    const number = row.querySelector(':scope .row-number');
    if (number) number.textContent = String(i + 1);
  });
}

function subField(opts) {
  // No name: readForm skips it; renumber() gives it its full field path.
  const wrapper = field({ ...opts, name: undefined, field: opts.sub });
  wrapper.control.dataset.sub = opts.sub;
  return wrapper;
}

const LANGS = ['nl', 'en'];

/** One text per language, side by side: sub-fields `${sub}_nl` and `${sub}_en`. */
function langPair(sub, label, values, opts = {}) {
  const fields = Object.fromEntries(LANGS.map((lang) => [lang, subField({
    ...opts, sub: `${sub}_${lang}`, label: withLang(label, lang), value: values[`${sub}_${lang}`],
    testid: opts.testid ? `${opts.testid}-${lang}` : undefined, attrs: { ...(opts.attrs || {}), lang },
  })]));
  return { fields, el: h('div', { class: 'two-col' }, fields.nl, fields.en) };
}

export default async function factsheetEditPage({ view, params, setTitle, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const isNew = !params.fid;
  const [event, taxonomy, sheet] = await Promise.all([
    api.get(`/events/${eventId}`),
    api.get(`/events/${eventId}/taxonomy`),
    isNew ? Promise.resolve(null) : api.get(`/events/${eventId}/factsheets/${encodeURIComponent(params.fid)}`),
  ]);
  if (!isCurrent()) return;
  if (isNew && event.my_role !== 'supplier') throw new ApiError(403, 'forbidden', 'suppliers only');
  if (sheet && !sheet.can_edit) {
    navigate(`/events/${eventId}/review/${encodeURIComponent(sheet.id)}`, { replace: true });
    return;
  }
  const terms = taxonomy.terms || [];
  const content = { ...EMPTY, ...(sheet ? sheet.content : {}) };
  const uploads = new Map((sheet ? sheet.uploads : []).map((u) => [u.id, u]));
  setTitle(isNew ? t('factsheet.new_title') : `${displayTitle(content)} · ${event.name}`);

  const strategies = byKind(terms, 'ambition_strategy');
  const goals = new Map(byKind(terms, 'ambition_goal').map((g) => [g.code, g]));
  const evidenceKinds = byKind(terms, 'evidence_kind');
  const listBase = `/events/${eventId}/factsheets`;

  // ---- claims and evidence ----
  const claimsList = h('ol', { class: 'repeat-list', 'data-list': 'claims', 'data-testid': 'claims' });
  function evidenceRow(item = {}) {
    const kind = subField({
      sub: 'kind', type: 'select', label: t('factsheet.evidence_kind'), value: item.kind || '', testid: 'evidence-kind',
      options: [{ value: '', label: t('factsheet.choose') }, ...evidenceKinds.map((k) => ({ value: k.code, label: termName(k) }))],
    });
    const title = subField({ sub: 'title', label: t('factsheet.evidence_title'), value: item.title, testid: 'evidence-title', attrs: { maxlength: 200 } });
    const url = subField({ sub: 'url', type: 'url', label: t('factsheet.evidence_url'), value: item.url, placeholder: 'https://', testid: 'evidence-url', attrs: { maxlength: 500 } });
    const doc = h('div', { class: 'evidence-doc' });
    const row = h('li', { class: 'repeat-row evidence-row', 'data-testid': 'evidence-row' });
    row.uploadId = item.upload_id || null;
    const drawDoc = () => {
      const current = row.uploadId ? uploads.get(row.uploadId) : null;
      const input = h('input', { type: 'file', accept: 'application/pdf,.pdf', class: 'visually-hidden', id: uid('doc'), 'data-testid': 'evidence-file' });
      input.addEventListener('change', async () => {
        const file = input.files[0];
        if (!file) return;
        try {
          const view = await upload(eventId, file, 'document');
          uploads.set(view.id, view);
          row.uploadId = view.id;
          url.control.value = '';
          drawDoc();
          announce(t('factsheet.uploaded', { name: view.filename }));
        } catch (err) {
          toast(errorMessage(err), 'error');
        }
      });
      fill(doc,
        h('span', { 'data-sub': 'upload_id', class: 'field-anchor' }),
        current
          ? h('span', { class: 'upload-chip' }, icon('download'), h('a', { href: current.url, download: current.filename }, current.filename),
            button(t('factsheet.remove_file'), { kind: 'ghost', small: true, onClick: () => { row.uploadId = null; drawDoc(); url.control.focus(); } }))
          : h('label', { class: 'btn btn-secondary btn-sm', for: input.id }, icon('upload'), h('span', {}, t('factsheet.upload_pdf'))),
        input, errorLine());
      url.hidden = Boolean(current);
      if (row.isConnected) renumberAll();
    };
    drawDoc();
    row.append(
      h('div', { class: 'repeat-fields' }, kind, title, url, doc),
      button(t('factsheet.remove_evidence'), { kind: 'danger-ghost', small: true, iconName: 'trash', onClick: () => {
        const claim = row.closest('.claim-row');
        row.remove();
        renumberAll();
        claim.dispatchEvent(new Event('input', { bubbles: true }));
        claim.querySelector('[data-testid="add-evidence"]').focus();
      } }));
    row.read = () => ({ kind: kind.control.value, title: title.control.value.trim(), url: row.uploadId ? '' : url.control.value.trim(), upload_id: row.uploadId });
    return row;
  }

  function claimRow(claim = { strategy: '', evidence: [] }) {
    const strategy = subField({
      sub: 'strategy', type: 'select', label: t('factsheet.strategy'), value: claim.strategy, testid: 'claim-strategy',
      options: [{ value: '', label: t('factsheet.choose') }, ...strategies.map((s) => ({
        value: s.code, label: `${s.code} · ${termName(s)}${goals.has(s.parent_code) ? ` (${termName(goals.get(s.parent_code))})` : ''}`,
      }))],
    });
    const explanation = langPair('explanation', t('factsheet.claim_explanation'), claim, { type: 'textarea', rows: 2, optional: true, testid: 'claim-explanation', attrs: { maxlength: 1000 } });
    const evidence = h('ul', { class: 'repeat-list nested', 'data-list': 'evidence' }, (claim.evidence || []).map(evidenceRow));
    const warning = h('div', { class: 'self-declared-note' }, selfDeclaredBadge(), h('span', { class: 'small muted' }, t('factsheet.self_declared_warning')));
    const row = h('li', { class: 'repeat-row claim-row', 'data-testid': 'claim-row' },
      h('div', { class: 'repeat-head' }, h('span', { class: 'row-number' }), h('h4', {}, t('factsheet.claim'))),
      h('div', { class: 'repeat-fields' }, strategy, explanation.el),
      h('span', { 'data-sub': 'evidence', class: 'field-anchor' }), errorLine(),
      h('div', { class: 'evidence-block' },
        h('p', { class: 'field-label' }, t('factsheet.evidence')),
        evidence, warning,
        button(t('factsheet.add_evidence'), { kind: 'secondary', small: true, iconName: 'plus', testid: 'add-evidence', onClick: () => { evidence.append(evidenceRow()); renumberAll(); sync(); evidence.lastElementChild.querySelector('select').focus(); } })),
      button(t('factsheet.remove_claim'), { kind: 'danger-ghost', small: true, iconName: 'trash', onClick: () => { row.remove(); renumberAll(); form.querySelector('[data-testid="add-claim"]').focus(); } }));
    const sync = () => { warning.hidden = evidence.children.length > 0; };
    row.addEventListener('input', sync);
    sync();
    row.read = () => ({
      strategy: strategy.control.value,
      explanation_nl: explanation.fields.nl.control.value.trim(),
      explanation_en: explanation.fields.en.control.value.trim(),
      evidence: [...evidence.children].map((r) => r.read()),
    });
    return row;
  }

  // ---- reference cases ----
  const casesList = h('ol', { class: 'repeat-list', 'data-list': 'reference_cases' });
  function caseRow(rc = {}) {
    const title = langPair('title', t('factsheet.case_title'), rc, { testid: 'case-title', attrs: { maxlength: 200 } });
    const description = langPair('description', t('factsheet.case_description'), rc, { type: 'textarea', rows: 2, optional: true, testid: 'case-description', attrs: { maxlength: 2000 } });
    const f = {
      title_nl: title.fields.nl, title_en: title.fields.en,
      client: subField({ sub: 'client', label: t('factsheet.case_client'), value: rc.client, optional: true, attrs: { maxlength: 200 } }),
      description_nl: description.fields.nl, description_en: description.fields.en,
      url: subField({ sub: 'url', type: 'url', label: t('factsheet.case_url'), value: rc.url, optional: true, placeholder: 'https://' }),
    };
    const row = h('li', { class: 'repeat-row', 'data-testid': 'case-row' },
      h('div', { class: 'repeat-fields' }, title.el, f.client, description.el, f.url),
      button(t('factsheet.remove_case'), { kind: 'danger-ghost', small: true, iconName: 'trash', onClick: () => { row.remove(); renumberAll(); form.querySelector('[data-testid="add-case"]').focus(); } }));
    row.read = () => Object.fromEntries(Object.entries(f).map(([k, w]) => [k, w.control.value.trim()]));
    return row;
  }

  // ---- logo and images ----
  let logoId = content.logo_upload_id;
  let imageIds = [...content.image_upload_ids];
  const logoBox = h('div', { class: 'upload-box', 'data-field': 'logo_upload_id', 'data-testid': 'logo-box' });
  const imagesBox = h('div', { class: 'upload-box', 'data-field': 'image_upload_ids', 'data-testid': 'images-box' });
  function filePicker(labelText, purpose, onDone, { multiple = false, testid }) {
    const input = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', multiple, class: 'visually-hidden', id: uid('img'), 'data-testid': testid });
    const status = h('span', { class: 'small muted', role: 'status' });
    input.addEventListener('change', async () => {
      let files = [...input.files];
      const room = purpose === 'image' ? MAX_IMAGES - imageIds.length : 1;
      if (files.length > room) {
        toast(t('factsheet.too_many_images', { n: MAX_IMAGES }), 'error');
        files = files.slice(0, Math.max(room, 0));
      }
      const done = [];
      for (const file of files) {
        status.textContent = t('factsheet.uploading', { name: file.name });
        try {
          const view = await upload(eventId, file, purpose);
          uploads.set(view.id, view);
          done.push(view);
          announce(t('factsheet.uploaded', { name: view.filename }));
        } catch (err) {
          toast(`${file.name}: ${errorMessage(err)}`, 'error');
        }
      }
      status.textContent = '';
      // Drawn once at the end: the picker (and this status line) is replaced by it.
      if (done.length) onDone(done);
    });
    return h('span', {}, h('label', { class: 'btn btn-secondary btn-sm', for: input.id }, icon('upload'), h('span', {}, labelText)), input, status);
  }
  function thumb(id, onRemove, alt) {
    const item = uploads.get(id);
    return h('figure', { class: 'upload-thumb' },
      item ? h('img', { src: item.thumb_url || item.url, alt }) : h('span', { class: 'muted small' }, id),
      h('figcaption', {}, item ? item.filename : '', button(t('factsheet.remove_file'), { kind: 'ghost', small: true, iconName: 'x', onClick: onRemove })));
  }
  function drawLogo() {
    fill(logoBox,
      logoId ? thumb(logoId, () => { logoId = null; drawLogo(); }, t('factsheet.logo')) : null,
      logoId ? null : filePicker(t('factsheet.upload_logo'), 'logo', (views) => { logoId = views[0].id; drawLogo(); }, { testid: 'logo-file' }),
      errorLine());
  }
  function drawImages() {
    fill(imagesBox,
      h('div', { class: 'upload-thumbs' }, imageIds.map((id) => thumb(id, () => { imageIds = imageIds.filter((x) => x !== id); drawImages(); }, t('factsheet.image')))),
      imageIds.length < MAX_IMAGES ? filePicker(t('factsheet.upload_images'), 'image', (views) => { imageIds = [...imageIds, ...views.map((v) => v.id)].slice(0, MAX_IMAGES); drawImages(); }, { multiple: true, testid: 'images-file' }) : null,
      errorLine());
  }
  drawLogo();
  drawImages();

  // ---- the form ----
  const publishesAtOnce = Boolean(sheet && sheet.published && !event.factsheet_review_changes);
  const text = (name, opts = {}) => field({ name, label: t(`factsheet.field.${name}`), value: content[name], testid: `fs-${name}`, ...opts });
  const langBlock = (lang) => h('fieldset', { class: 'fieldset lang-block', lang },
    h('legend', { class: 'field-label' }, t(`factsheet.in_lang.${lang}`)),
    text(`title_${lang}`, { attrs: { maxlength: 120 } }),
    text(`pitch_${lang}`, { type: 'textarea', rows: 2, hint: t('factsheet.pitch_hint'), attrs: { maxlength: 300 } }),
    text(`description_${lang}`, { type: 'textarea', rows: 6, optional: true, attrs: { maxlength: 8000 } }),
    text(`price_model_${lang}`, { type: 'textarea', rows: 2, optional: true, hint: t('factsheet.price_hint'), attrs: { maxlength: 500 } }),
    text(`tco_statement_${lang}`, { type: 'textarea', rows: 3, optional: true, hint: t('factsheet.tco_hint'), attrs: { maxlength: 2000 } }));
  const sectionEl = (title, hint, ...body) => h('section', { class: 'form-section' },
    h('h2', { class: 'section-title' }, title), hint ? h('p', { class: 'muted' }, hint) : null, ...body);

  const form = h('form', { class: 'factsheet-form stack-lg', 'data-testid': 'factsheet-form' },
    sectionEl(t('factsheet.section_texts'), t('factsheet.section_texts_hint'),
      h('div', { class: 'two-col' }, langBlock('nl'), langBlock('en'))),
    sectionEl(t('factsheet.section_offer'), null,
      checkboxGroup({
        name: 'product_groups', legend: t('factsheet.product_groups'), testid: 'fs-product-groups', values: content.product_groups,
        options: byKind(terms, 'product_group').map((x) => ({ value: x.code, label: termName(x) })),
      }),
      checkboxGroup({
        name: 'business_models', legend: t('factsheet.business_models'), testid: 'fs-business-models', values: content.business_models,
        options: byKind(terms, 'business_model').map((x) => ({ value: x.code, label: termName(x) })),
      })),
    sectionEl(t('factsheet.claims'), t('factsheet.claims_hint'),
      h('span', { 'data-field': 'claims', class: 'field-anchor' }), errorLine(),
      claimsList,
      button(t('factsheet.add_claim'), { kind: 'secondary', iconName: 'plus', testid: 'add-claim', onClick: () => { claimsList.append(claimRow()); renumberAll(); claimsList.lastElementChild.querySelector('select').focus(); } })),
    sectionEl(t('factsheet.reference_cases'), null,
      casesList,
      button(t('factsheet.add_case'), { kind: 'secondary', iconName: 'plus', testid: 'add-case', onClick: () => { casesList.append(caseRow()); renumberAll(); casesList.lastElementChild.querySelector('input').focus(); } })),
    sectionEl(t('factsheet.section_visuals'), t('factsheet.section_visuals_hint'),
      h('div', { class: 'field' }, h('p', { class: 'field-label' }, t('factsheet.logo')), logoBox),
      h('div', { class: 'field' }, h('p', { class: 'field-label' }, t('factsheet.images')), imagesBox)),
    sectionEl(t('factsheet.contact'), null,
      h('div', { class: 'form-grid' },
        text('contact_name', { hint: t('factsheet.needed_to_submit'), attrs: { maxlength: 200 } }),
        text('contact_email', { type: 'email', hint: t('factsheet.needed_to_submit'), attrs: { maxlength: 200 } }),
        text('contact_phone', { type: 'tel', optional: true, attrs: { maxlength: 40 } }),
        text('website', { type: 'url', optional: true, placeholder: 'https://' }),
        text('country', { optional: true, hint: t('factsheet.country_hint'), attrs: { maxlength: 2, autocapitalize: 'characters', spellcheck: 'false' } }))),
    h('div', { class: 'form-actions sticky-actions' },
      // Without review of changes, a saved change to a published factsheet is live at once:
      // there is no draft to keep, so only "save and publish" is offered.
      publishesAtOnce ? null : button(t('factsheet.save_draft'), { kind: 'secondary', type: 'submit', iconName: 'check', testid: 'factsheet-save' }),
      h('button', { type: 'submit', class: 'btn btn-primary', value: 'submit', 'data-testid': 'factsheet-submit' }, icon('arrowRight'),
        h('span', { class: 'btn-label' }, publishesAtOnce ? t('factsheet.save_publish') : t('factsheet.save_submit')))));
  for (const claim of content.claims) claimsList.append(claimRow(claim));
  for (const rc of content.reference_cases) casesList.append(caseRow(rc));
  function renumberAll() {
    renumber(claimsList, 'claims');
    renumber(casesList, 'reference_cases');
  }
  renumberAll();

  function collect(data) {
    return {
      title_nl: data.title_nl, title_en: data.title_en, pitch_nl: data.pitch_nl, pitch_en: data.pitch_en,
      description_nl: data.description_nl, description_en: data.description_en,
      product_groups: data.product_groups || [], business_models: data.business_models || [],
      claims: [...claimsList.children].map((r) => r.read()),
      price_model_nl: data.price_model_nl, price_model_en: data.price_model_en,
      tco_statement_nl: data.tco_statement_nl, tco_statement_en: data.tco_statement_en,
      reference_cases: [...casesList.children].map((r) => r.read()),
      contact_name: data.contact_name, contact_email: data.contact_email, contact_phone: data.contact_phone,
      website: data.website, country: data.country.toUpperCase(), logo_upload_id: logoId, image_upload_ids: imageIds,
    };
  }

  let current = sheet;
  onSubmit(form, async (data, submitter) => {
    const body = collect(data);
    const saved = current
      ? await api.put(`${listBase}/${encodeURIComponent(current.id)}`, body)
      : await api.post(listBase, body);
    current = saved;
    showSaved(saved);
    const wantsSubmit = submitter && submitter.value === 'submit';
    if (wantsSubmit && saved.status !== 'submitted' && !(saved.published && !saved.has_pending_changes)) {
      try {
        current = await api.post(`${listBase}/${encodeURIComponent(saved.id)}/submit`);
        toast(t('factsheet.submitted'));
      } catch (err) {
        // The draft is saved; stay on this form so the problems show next to their fields,
        // with the address of the saved factsheet so a reload finds it.
        if (isNew) window.history.replaceState({}, '', `${listBase}/${encodeURIComponent(saved.id)}`);
        throw err;
      }
    } else {
      toast(publishesAtOnce && saved.status === 'published' ? t('factsheet.published_now') : t('factsheet.saved'));
    }
    navigate(`${listBase}/${encodeURIComponent(current.id)}`, { replace: isNew, focus: false });
  }, {
    validate: (data) => {
      const problems = [];
      if (!data.title_nl && !data.title_en) problems.push({ field: 'title_nl', code: 'title_required' });
      for (const row of claimsList.children) {
        const claim = row.read();
        if (!claim.strategy) problems.push({ field: `${row.dataset.path}.strategy`, code: 'required' });
      }
      for (const row of casesList.children) {
        const rc = row.read();
        if (!rc.title_nl && !rc.title_en) problems.push({ field: `${row.dataset.path}.title_nl`, code: 'case_title_required' });
      }
      return problems;
    },
  });

  // ---- the state panel ----
  const statusPanel = h('div', {}, sheet ? statusCard(sheet) : null);
  const heading = h('h1', { 'data-testid': 'factsheet-heading' }, isNew ? t('factsheet.new_title') : displayTitle(content));
  const lead = h('p', { class: 'muted' }, isNew ? t('factsheet.new_lead') : sheet.organisation.name);
  /** The page shows what was saved even when it stays open (a submission that was refused). */
  function showSaved(saved) {
    heading.textContent = displayTitle(saved.content);
    lead.textContent = saved.organisation.name;
    setTitle(`${displayTitle(saved.content)} · ${event.name}`);
    statusPanel.replaceChildren(statusCard(saved));
  }
  function statusCard(s) {
    const actions = h('div', { class: 'actions' });
    if (s.status === 'submitted') {
      actions.append(button(t('factsheet.withdraw'), {
        kind: 'secondary', iconName: 'arrowLeft', testid: 'factsheet-withdraw',
        onClick: (e) => withBusy(e.currentTarget, async () => {
          try {
            await api.post(`${listBase}/${encodeURIComponent(s.id)}/withdraw`);
            toast(t('factsheet.withdrawn'));
            navigate(`${listBase}/${encodeURIComponent(s.id)}`, { replace: true, focus: false });
          } catch (err) { toast(errorMessage(err), 'error'); }
        }),
      }));
    }
    if (s.published) actions.append(h('a', { class: 'btn btn-ghost btn-sm', href: `/events/${eventId}/catalogue/${encodeURIComponent(s.id)}` }, icon('search'), h('span', {}, t('factsheet.view_in_catalogue'))));
    actions.append(button(t('common.delete'), {
      kind: 'danger-ghost', small: true, iconName: 'trash', testid: 'factsheet-delete',
      onClick: async () => {
        const ok = await confirmDialog({ title: t('factsheet.delete_title'), text: s.published ? t('factsheet.delete_published_text') : t('factsheet.delete_text'), confirmLabel: t('common.delete') });
        if (!ok) return;
        try {
          await api.del(`${listBase}/${encodeURIComponent(s.id)}`);
          toast(t('factsheet.deleted'));
          navigate(listBase, { replace: true });
        } catch (err) { toast(errorMessage(err), 'error'); }
      },
    }));
    return h('section', { class: 'card status-card', 'data-testid': 'factsheet-state', 'aria-labelledby': 'state-h' },
      h('div', { class: 'card-head' },
        h('h2', { id: 'state-h', class: 'card-title' }, t('factsheet.state')),
        factsheetStatusBadge(s)),
      h('p', {}, t(`factsheet.state_text.${s.status === 'published' && s.has_pending_changes ? 'pending' : s.status}`)),
      s.published && s.status !== 'published' ? h('p', { class: 'muted small' }, t('factsheet.still_published')) : null,
      s.status === 'returned' && s.review_comment ? notice('warn',
        h('p', {}, h('strong', {}, t('factsheet.review_comment'))),
        h('p', { class: 'prose', 'data-testid': 'review-comment' }, s.review_comment),
        s.reviewed_at ? h('p', { class: 'muted small' }, formatInstant(s.reviewed_at, event.timezone)) : null) : null,
      s.self_declared.length ? h('p', { class: 'small' }, selfDeclaredBadge(), ' ', t('factsheet.self_declared_list', { codes: s.self_declared.join(', ') })) : null,
      s.stand ? h('p', {}, icon('pin'), ' ', t('factsheet.stand_n', { stand: s.stand })) : null,
      actions);
  }

  // A review while this page is open: say so, without throwing away what is being typed.
  const liveNotice = h('div', { 'aria-live': 'polite' });
  if (sheet) {
    liveFor(params.id).subscribe('factsheet', (message) => {
      const update = message.payload || {};
      if (update.id !== current.id || update.status === current.status || liveNotice.childElementCount) return;
      liveNotice.append(notice('info',
        h('p', {}, t('factsheet.changed_live', { status: t(`factsheet.status.${update.status}`) })),
        h('p', {}, button(t('factsheet.reload'), { kind: 'secondary', small: true, testid: 'factsheet-reload', onClick: () => rerender() }))));
    });
  }

  view.replaceChildren(h('section', { class: 'factsheet-edit-page' },
    h('a', { class: 'back-link', href: listBase }, icon('arrowLeft'), h('span', {}, t('factsheet.back_to_list'))),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, event.name),
        heading,
        lead)),
    liveNotice,
    statusPanel,
    h('div', { class: 'card' }, form)));
}
