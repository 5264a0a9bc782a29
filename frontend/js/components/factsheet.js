// Pieces every catalogue page shares: labels for taxonomy codes, the text of a factsheet in
// the reader's language, status badges, and the full factsheet as readers see it.

import { h, icon } from '../dom.js';
import { t, getLang, localText, textLang } from '../i18n.js';

// Catalogue pages take these from here with the other factsheet pieces.
export { localText, textLang };

/** The event's taxonomy terms of one kind, in the organiser's order. */
export function byKind(terms, kind) {
  return terms.filter((x) => x.kind === kind).sort((a, b) => a.position - b.position);
}

/** The API's label map ({kind: {code: {nl, en}}}) made from the event's taxonomy terms. */
export function labelsFromTerms(terms) {
  const kinds = {
    product_group: 'product_group', business_model: 'business_model', ambition_strategy: 'strategy',
    ambition_goal: 'goal', evidence_kind: 'evidence',
  };
  const labels = { product_group: {}, business_model: {}, strategy: {}, goal: {}, evidence: {} };
  for (const term of terms) {
    const kind = kinds[term.kind];
    if (kind) labels[kind][term.code] = { nl: term.name_nl, en: term.name_en };
  }
  return labels;
}

/** The label of `code` of `kind` in the reader's language, or the code itself. */
export function label(labels, kind, code) {
  const entry = labels && labels[kind] && labels[kind][code];
  if (!entry) return code;
  return getLang() === 'nl' ? (entry.nl || entry.en) : (entry.en || entry.nl);
}

/** A label with its language: withLang('Pitch', 'en') is "Pitch (EN)". */
export function withLang(text, lang) {
  return t('factsheet.field_in_lang', { field: text, lang: t(`factsheet.lang_short.${lang}`) });
}

/** The name of a content field; a text field says its language ("Pitch (NL)"). */
export function fieldLabel(name) {
  const lang = /_(nl|en)$/.exec(name);
  const base = t(`factsheet.field.${name}`);
  return lang ? withLang(base, lang[1]) : base;
}

export function displayTitle(content) {
  return localText(content, 'title') || t('factsheet.untitled');
}

/** The state of a factsheet in a word, with a colour. */
export function factsheetStatusBadge(sheet) {
  const key = sheet.status === 'published' && sheet.has_pending_changes ? 'pending' : sheet.status;
  return h('span', { class: `badge badge-factsheet badge-factsheet-${key}`, 'data-testid': 'factsheet-status' }, t(`factsheet.status.${key}`));
}

/** The "self-declared" mark of a claim without evidence. */
export function selfDeclaredBadge() {
  return h('span', { class: 'badge badge-self-declared', title: t('factsheet.self_declared_hint') }, icon('alert'), t('factsheet.self_declared'));
}

function chipList(codes, labels, kind) {
  if (!codes || !codes.length) return null;
  return h('ul', { class: 'chips', role: 'list' }, codes.map((code) => h('li', { class: 'chip' }, label(labels, kind, code))));
}

function safeHref(url) {
  return /^https?:\/\//i.test(url || '') ? url : null;
}

function externalLink(url, text) {
  const href = safeHref(url);
  if (!href) return text || url;
  return h('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank', 'data-external': '' }, text || url);
}

function evidenceItem(item, labels, uploads) {
  const upload = item.upload_id ? uploads.get(item.upload_id) : null;
  const kind = label(labels, 'evidence', item.kind);
  const name = item.title || kind;
  return h('li', { class: 'evidence-item' },
    icon('check'),
    h('span', {}, h('span', { class: 'evidence-kind' }, kind), ': ',
      upload ? h('a', { href: upload.url, download: upload.filename }, name, ` (PDF, ${Math.max(1, Math.round(upload.size / 1024))} kB)`)
        : externalLink(item.url, name)));
}

/** The claims of a factsheet with their evidence; claims without evidence say so. */
export function claimList(claims, labels, uploads = new Map()) {
  if (!claims.length) return h('p', { class: 'muted' }, t('factsheet.no_claims'));
  return h('ul', { class: 'claim-list', role: 'list' }, claims.map((claim) => h('li', { class: 'claim', 'data-testid': 'claim' },
    h('div', { class: 'claim-head' },
      h('span', { class: 'term-code' }, claim.strategy),
      h('strong', {}, label(labels, 'strategy', claim.strategy)),
      claim.evidence.length ? null : selfDeclaredBadge()),
    localText(claim, 'explanation') ? h('p', { lang: textLang(claim, 'explanation') }, localText(claim, 'explanation')) : null,
    claim.evidence.length ? h('ul', { class: 'evidence-list', role: 'list' }, claim.evidence.map((e) => evidenceItem(e, labels, uploads))) : null)));
}

function section(title, ...content) {
  const body = content.flat().filter(Boolean);
  if (!body.length) return null;
  return h('section', { class: 'factsheet-section' }, h('h3', { class: 'subsection-title' }, title), ...body);
}

function paragraphs(text, lang) {
  if (!text) return null;
  return text.split(/\n{2,}/).map((part) => h('p', { class: 'prose', lang }, part));
}

/**
 * The whole factsheet as readers see it. `sheet` has organisation, stand and content;
 * `uploads` are the upload views the content refers to.
 */
export function factsheetBody({ content, organisation, stand }, { labels, uploads = [], headingLevel = 'h2' } = {}) {
  const files = new Map(uploads.map((u) => [u.id, u]));
  const logo = content.logo_upload_id ? files.get(content.logo_upload_id) : null;
  const images = content.image_upload_ids.map((id) => files.get(id)).filter(Boolean);
  const title = displayTitle(content);
  const contactLines = [
    content.contact_name ? h('li', {}, icon('user'), content.contact_name) : null,
    content.contact_email ? h('li', {}, icon('mail'), h('a', { href: `mailto:${content.contact_email}`, 'data-external': '' }, content.contact_email)) : null,
    content.contact_phone ? h('li', {}, icon('info'), content.contact_phone) : null,
    content.website ? h('li', {}, icon('globe'), externalLink(content.website)) : null,
  ].filter(Boolean);
  return h('div', { class: 'factsheet', 'data-testid': 'factsheet' },
    h('header', { class: 'factsheet-head' },
      logo ? h('img', { class: 'factsheet-logo', src: logo.thumb_url || logo.url, alt: t('factsheet.logo_of', { name: organisation.name }), width: 96, height: 96 }) : null,
      h('div', {},
        h(headingLevel, { class: 'factsheet-title', lang: textLang(content, 'title') }, title),
        h('p', { class: 'factsheet-org' }, organisation.name, stand ? h('span', { class: 'stand-tag' }, t('factsheet.stand_n', { stand })) : null),
        localText(content, 'pitch') ? h('p', { class: 'lead', lang: textLang(content, 'pitch') }, localText(content, 'pitch')) : null)),
    h('div', { class: 'factsheet-grid' },
      h('div', { class: 'factsheet-main' },
        paragraphs(localText(content, 'description'), textLang(content, 'description')),
        images.length ? h('div', { class: 'factsheet-images' }, images.map((img) => h('a', { href: img.url, target: '_blank', 'data-external': '' },
          h('img', { src: img.thumb_url || img.url, alt: t('factsheet.image_alt', { name: img.filename }), loading: 'lazy' })))) : null,
        section(t('factsheet.claims'), claimList(content.claims, labels, files)),
        section(t('factsheet.reference_cases'), content.reference_cases.length
          ? h('ul', { class: 'plain-list stack-sm' }, content.reference_cases.map((rc) => h('li', {},
            h('strong', { lang: textLang(rc, 'title') }, rc.url ? externalLink(rc.url, localText(rc, 'title')) : localText(rc, 'title')), rc.client ? ` · ${rc.client}` : '',
            localText(rc, 'description') ? h('p', { class: 'muted', lang: textLang(rc, 'description') }, localText(rc, 'description')) : null)))
          : null)),
      h('aside', { class: 'factsheet-side' },
        section(t('factsheet.product_groups'), chipList(content.product_groups, labels, 'product_group')),
        section(t('factsheet.business_models'), chipList(content.business_models, labels, 'business_model')),
        section(t('factsheet.price_model'), localText(content, 'price_model') ? h('p', { lang: textLang(content, 'price_model') }, localText(content, 'price_model')) : null),
        section(t('factsheet.tco'), localText(content, 'tco_statement') ? h('p', { lang: textLang(content, 'tco_statement') }, localText(content, 'tco_statement')) : null),
        section(t('factsheet.contact'), contactLines.length ? h('ul', { class: 'contact-list', role: 'list' }, contactLines) : null))));
}
