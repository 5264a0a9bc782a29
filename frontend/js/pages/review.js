// /events/{id}/review: the organiser's review queue (submitted factsheets, claims without
// evidence); /events/{id}/review/{fid}: one factsheet with its history, the difference
// between versions, approve or send back, and the stand number.

import { h, icon, toast, emptyState, notice } from '../dom.js';
import { t, tn, errorMessage } from '../i18n.js';
import { formatInstant } from '../format.js';
import { api, ApiError } from '../api.js';
import { field, button, onSubmit } from '../forms.js';
import { liveFor } from '../live.js';
import { navigate, rerender } from '../router.js';
import { factsheetBody, factsheetStatusBadge, selfDeclaredBadge, labelsFromTerms, label, localText, displayTitle, fieldLabel, withLang } from '../components/factsheet.js';

function requireOrganiser(event, user) {
  if (event.my_role !== 'organiser' && !user.is_admin) throw new ApiError(403, 'forbidden', 'organisers only');
}

async function queuePage({ view, eventId, event, setTitle, isCurrent }) {
  const queue = await api.get(`/events/${eventId}/review`);
  if (!isCurrent()) return;
  setTitle(`${t('review.title')} · ${event.name}`);
  const open = (id) => `/events/${eventId}/review/${encodeURIComponent(id)}`;
  view.replaceChildren(h('section', { class: 'review-page' },
    h('a', { class: 'back-link', href: `/events/${eventId}/factsheets` }, icon('arrowLeft'), h('span', {}, t('factsheets.title_all'))),
    h('div', { class: 'page-head' },
      h('div', {}, h('p', { class: 'eyebrow' }, event.name), h('h1', {}, t('review.title')), h('p', { class: 'muted' }, t('review.lead')))),
    h('section', { class: 'card', 'aria-labelledby': 'queue-h' },
      h('h2', { id: 'queue-h', class: 'card-title' }, tn('review.waiting', queue.submitted.length)),
      queue.submitted.length
        ? h('ul', { class: 'plain-list review-list', role: 'list' }, queue.submitted.map((s) => h('li', { class: 'list-row', 'data-testid': 'review-item' },
          h('div', {},
            h('a', { href: open(s.id), class: 'strong-link' }, localText(s, 'title') || t('factsheet.untitled')),
            h('div', { class: 'muted small' }, s.organisation.name, s.submitted_at ? ` · ${t('review.submitted_at', { when: formatInstant(s.submitted_at, event.timezone) })}` : '')),
          h('div', { class: 'badges' }, s.published ? h('span', { class: 'badge badge-muted' }, t('review.change_to_published')) : h('span', { class: 'badge badge-outline' }, t('review.new_factsheet')),
            s.self_declared.length ? selfDeclaredBadge() : null))))
        : emptyState({ iconName: 'check', title: t('review.empty_title'), text: t('review.empty_text'), testid: 'review-empty' })),
    h('section', { class: 'card', 'aria-labelledby': 'sd-h' },
      h('h2', { id: 'sd-h', class: 'card-title' }, t('review.self_declared_title')),
      h('p', { class: 'muted' }, t('review.self_declared_lead')),
      queue.self_declared_claims.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table responsive-table', 'data-testid': 'self-declared-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('factsheets.col.title')), h('th', { scope: 'col' }, t('factsheet.strategy')), h('th', { scope: 'col' }, t('factsheets.col.status')))),
          h('tbody', {}, queue.self_declared_claims.map((c) => h('tr', {},
            h('td', {}, h('a', { href: open(c.factsheet_id) }, localText(c, 'title') || t('factsheet.untitled')), h('div', { class: 'muted small' }, c.organisation.name)),
            h('td', { 'data-label': t('factsheet.strategy') }, h('span', { class: 'term-code' }, c.strategy)),
            h('td', { 'data-label': t('factsheets.col.status') }, c.published ? t('review.in_catalogue') : t('review.waiting_only')))))))
        : h('p', { class: 'muted' }, t('review.self_declared_none')))));
  liveFor(decodeURIComponent(eventId)).subscribe('factsheet', () => rerender());
}

/** The texts of an entry per language, each marked with its language: "Stad (NL) · City (EN)". */
function bilingual(entry, base) {
  return ['nl', 'en'].filter((lang) => entry[`${base}_${lang}`])
    .map((lang) => h('span', { lang }, withLang(entry[`${base}_${lang}`], lang)))
    .flatMap((el, i) => (i ? [' · ', el] : [el]));
}

/** An upload by its file name (linked), or a note that it is gone. */
function fileName(id, files) {
  const file = files.get(id);
  if (!file) return h('span', { class: 'muted' }, t('factsheet.file_missing'));
  return h('a', { href: file.url, download: file.filename, 'data-testid': 'diff-file' }, file.filename);
}

function valueText(value, fieldName, labels, files) {
  if (value === null || value === undefined || value === '') return h('span', { class: 'muted' }, t('review.empty_value'));
  if (fieldName === 'logo_upload_id') return fileName(value, files);
  if (Array.isArray(value)) {
    if (!value.length) return h('span', { class: 'muted' }, t('review.empty_value'));
    const kind = { product_groups: 'product_group', business_models: 'business_model' }[fieldName];
    if (kind) return value.map((code) => label(labels, kind, code)).join(', ');
    if (fieldName === 'image_upload_ids') return h('ul', { class: 'plain-list' }, value.map((id) => h('li', {}, fileName(id, files))));
    if (fieldName === 'claims') {
      return h('ul', { class: 'plain-list stack-sm' }, value.map((c) => h('li', {},
        h('strong', {}, c.strategy), ' ', c.evidence.length ? null : selfDeclaredBadge(),
        h('div', {}, bilingual(c, 'explanation')),
        c.evidence.length ? h('ul', { class: 'plain-list small' }, c.evidence.map((e) => h('li', {},
          `${label(labels, 'evidence', e.kind)}: ${e.title}`, e.upload_id ? [' (', fileName(e.upload_id, files), ')'] : (e.url ? ` (${e.url})` : '')))) : null)));
    }
    if (fieldName === 'reference_cases') {
      return h('ul', { class: 'plain-list stack-sm' }, value.map((r) => h('li', {},
        h('div', {}, bilingual(r, 'title'), r.client ? ` · ${r.client}` : ''),
        h('div', { class: 'small' }, bilingual(r, 'description')))));
    }
    return value.join(', ');
  }
  const lang = /_(nl|en)$/.exec(fieldName);
  return h('span', { lang: lang ? lang[1] : null }, String(value));
}

function diffTable(diff, labels) {
  if (!diff.changes.length) return h('p', { class: 'muted', 'data-testid': 'diff-none' }, t('review.no_changes'));
  const files = new Map((diff.uploads || []).map((u) => [u.id, u]));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table diff-table', 'data-testid': 'diff-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('review.field')), h('th', { scope: 'col' }, t('review.before')), h('th', { scope: 'col' }, t('review.after')))),
    h('tbody', {}, diff.changes.map((c) => h('tr', {},
      h('th', { scope: 'row' }, fieldLabel(c.field)),
      h('td', { class: 'diff-before' }, valueText(c.before, c.field, labels, files)),
      h('td', { class: 'diff-after' }, valueText(c.after, c.field, labels, files)))))));
}

/**
 * The version to compare the latest with, by default: the one the organiser last decided
 * on (approved, sent back, or published at once), so a resubmission shows what changed
 * since; for a factsheet never reviewed, the first version.
 */
function defaultBaseline(versions) {
  const latest = versions.length ? versions[versions.length - 1].number : 0;
  const decided = [...versions].reverse().find((v) => ['approved', 'returned', 'published'].includes(v.action) && v.number !== latest);
  return decided ? decided.number : (versions[0]?.number ?? 0);
}

async function factsheetPage({ view, eventId, event, params, setTitle, isCurrent }) {
  const base = `/events/${eventId}/factsheets/${encodeURIComponent(params.fid)}`;
  const [sheet, history, taxonomy] = await Promise.all([api.get(base), api.get(`${base}/history`), api.get(`/events/${eventId}/taxonomy`)]);
  if (!isCurrent()) return;
  const labels = labelsFromTerms(taxonomy.terms || []);
  setTitle(`${displayTitle(sheet.content)} · ${t('review.title')}`);
  const versions = history.versions;
  const latest = versions.length ? versions[versions.length - 1].number : 0;
  const diffBox = h('div', { 'aria-live': 'polite' });
  const options = versions.map((v) => ({ value: v.number, label: `#${v.number} · ${t(`review.action.${v.action}`)} · ${formatInstant(v.created_at, event.timezone)}` }));
  const fromSel = field({ name: 'from', type: 'select', label: t('review.compare_from'), options, value: defaultBaseline(versions), testid: 'diff-from' });
  const toSel = field({ name: 'to', type: 'select', label: t('review.compare_to'), options, value: latest, testid: 'diff-to' });
  async function showDiff() {
    try {
      const diff = await api.get(`${base}/diff`, { query: { from: fromSel.control.value, to: toSel.control.value } });
      diffBox.replaceChildren(diffTable(diff, labels));
    } catch (err) {
      diffBox.replaceChildren(notice('error', h('p', {}, errorMessage(err))));
    }
  }
  fromSel.control.addEventListener('change', showDiff);
  toSel.control.addEventListener('change', showDiff);

  const decision = h('form', { class: 'stack', 'data-testid': 'review-form' },
    field({ name: 'comment', type: 'textarea', rows: 4, label: t('review.comment'), hint: t('review.comment_hint'), testid: 'review-comment-input', attrs: { maxlength: 2000 } }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', value: 'approve', 'data-testid': 'review-approve' }, icon('check'), h('span', { class: 'btn-label' }, t('review.approve'))),
      h('button', { type: 'submit', class: 'btn btn-secondary', value: 'return', 'data-testid': 'review-return' }, icon('arrowLeft'), h('span', { class: 'btn-label' }, t('review.send_back')))));
  onSubmit(decision, async (data, submitter) => {
    const body = { decision: submitter.value, comment: data.comment || null, version: sheet.version };
    await api.post(`${base}/review`, body);
    toast(submitter.value === 'approve' ? t('review.approved') : t('review.returned'));
    navigate(`/events/${eventId}/review`);
  }, {
    validate: (data) => (decision.dataset.intent === 'return' && !data.comment ? [{ field: 'comment', code: 'comment_required' }] : []),
  });
  // The submitter is known before the checks run: remember it for validate.
  decision.addEventListener('click', (e) => { const b = e.target.closest('button[type=submit]'); if (b) decision.dataset.intent = b.value; }, true);

  const standForm = h('form', { class: 'form-row', 'data-testid': 'stand-form' },
    field({ name: 'stand', label: t('review.stand'), value: sheet.stand || '', hint: t('review.stand_hint'), testid: 'stand-input', attrs: { maxlength: 20 } }),
    button(t('common.save'), { type: 'submit', kind: 'secondary', testid: 'stand-save' }));
  onSubmit(standForm, async (data) => {
    await api.put(`${base}/stand`, { stand: data.stand || null });
    toast(t('review.stand_saved'));
    rerender();
  });

  view.replaceChildren(h('section', { class: 'review-page' },
    h('a', { class: 'back-link', href: `/events/${eventId}/review` }, icon('arrowLeft'), h('span', {}, t('review.back_to_queue'))),
    h('div', { class: 'page-head' },
      h('div', {}, h('p', { class: 'eyebrow' }, sheet.organisation.name), h('h1', {}, displayTitle(sheet.content))),
      factsheetStatusBadge(sheet)),
    h('div', { class: 'event-layout' },
      h('div', { class: 'event-main' },
        h('section', { class: 'card', 'aria-labelledby': 'preview-h' },
          h('h2', { id: 'preview-h', class: 'card-title' }, t('review.working_copy')),
          factsheetBody({ content: sheet.content, organisation: sheet.organisation, stand: sheet.stand }, { labels, uploads: sheet.uploads, headingLevel: 'h3' })),
        versions.length > 1 ? h('section', { class: 'card', 'aria-labelledby': 'diff-h' },
          h('h2', { id: 'diff-h', class: 'card-title' }, t('review.differences')),
          h('div', { class: 'field-pair' }, fromSel, toSel), diffBox) : null),
      h('aside', { class: 'event-side' },
        h('section', { class: 'card', 'aria-labelledby': 'decide-h' },
          h('h2', { id: 'decide-h', class: 'card-title' }, t('review.decision')),
          sheet.status === 'submitted' ? decision : h('p', { class: 'muted', 'data-testid': 'not-submitted' }, t(`review.not_waiting.${sheet.status}`)),
          sheet.status === 'returned' && sheet.review_comment ? notice('info', h('p', {}, h('strong', {}, t('factsheet.review_comment'))), h('p', { class: 'prose' }, sheet.review_comment)) : null),
        h('section', { class: 'card', 'aria-labelledby': 'stand-h' },
          h('h2', { id: 'stand-h', class: 'card-title' }, t('review.stand')), standForm),
        h('section', { class: 'card', 'aria-labelledby': 'history-h' },
          h('h2', { id: 'history-h', class: 'card-title' }, t('review.history')),
          h('ol', { class: 'history-list', reversed: true, 'data-testid': 'history' }, [...versions].reverse().map((v) => h('li', {},
            h('strong', {}, t(`review.action.${v.action}`)), ` · ${v.author.name}`,
            h('div', { class: 'muted small' }, `#${v.number} · ${formatInstant(v.created_at, event.timezone)}`),
            v.changed_fields.length ? h('div', { class: 'small', 'data-testid': 'history-fields' }, v.changed_fields.map(fieldLabel).join(', ')) : null,
            v.comment ? h('p', { class: 'small prose' }, v.comment) : null))))))));
  if (versions.length > 1) await showDiff();
}

export default async function reviewPage(ctx) {
  const eventId = encodeURIComponent(ctx.params.id);
  const event = await api.get(`/events/${eventId}`);
  requireOrganiser(event, ctx.user);
  if (!ctx.isCurrent()) return;
  if (ctx.params.fid) return factsheetPage({ ...ctx, eventId, event });
  return queuePage({ ...ctx, eventId, event });
}
