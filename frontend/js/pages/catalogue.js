// /events/{id}/catalogue and the public /e/{slug}/catalogue: search the published
// factsheets with facets, sorting and paging; the whole state lives in the URL, so a
// search can be bookmarked, shared and gone back to.

import { h, icon, emptyState, announce } from '../dom.js';
import { t, tn, getLang, locale } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { selfDeclaredBadge, localText, textLang } from '../components/factsheet.js';

export const FACETS = ['product_group', 'goal', 'strategy', 'business_model', 'evidence', 'language', 'country'];
const SORTS = ['relevance', 'title', 'newest', 'stand'];
const PER_PAGE = 20;
// The control a keyboard user changed: focused again once the new results are drawn.
let pendingFocus = null;

/** Where the catalogue of an event lives: inside the app, or on its public page. */
export async function catalogueBase(params, user) {
  if (params.slug) {
    const event = await api.get(`/public/events/${encodeURIComponent(params.slug)}`);
    if (!event.catalogue_public && !user) throw new ApiError(401, 'not_logged_in', 'log in to see this catalogue');
    return { event, eventId: encodeURIComponent(event.id), base: `/e/${encodeURIComponent(params.slug)}/catalogue`, isPublic: true };
  }
  const eventId = encodeURIComponent(params.id);
  const event = await api.get(`/events/${eventId}`);
  return { event, eventId, base: `/events/${eventId}/catalogue`, isPublic: false };
}

function facetLabel(value) {
  return getLang() === 'nl' ? (value.label_nl || value.label_en || value.value) : (value.label_en || value.label_nl || value.value);
}

function countryName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' }).of(code) || code;
  } catch {
    return code;
  }
}

function facetValueLabel(facet, value) {
  if (facet === 'language') return t(`lang.${value.value}`);
  if (facet === 'country') return countryName(value.value);
  if (facet === 'evidence' && value.value === 'self-declared') return t('factsheet.self_declared');
  if (facet === 'strategy') return `${value.value} · ${facetLabel(value)}`;
  return facetLabel(value);
}

function card(item, base, labelsByFacet) {
  const strategyLabels = labelsByFacet.strategy || new Map();
  return h('li', { class: 'catalogue-card', 'data-testid': 'catalogue-card' },
    h('div', { class: 'catalogue-card-head' },
      item.logo_thumb_url ? h('img', { class: 'catalogue-logo', src: item.logo_thumb_url, alt: '', width: 56, height: 56, loading: 'lazy' }) : h('span', { class: 'catalogue-logo catalogue-logo-empty', 'aria-hidden': 'true' }, item.organisation.name.slice(0, 1)),
      h('div', {},
        h('h3', { class: 'catalogue-card-title', lang: textLang(item, 'title') },
          h('a', { href: `${base}/${encodeURIComponent(item.id)}`, class: 'stretched-link' }, localText(item, 'title'))),
        h('p', { class: 'muted small' }, item.organisation.name, item.stand ? h('span', { class: 'stand-tag' }, t('factsheet.stand_n', { stand: item.stand })) : null))),
    h('p', { class: 'catalogue-pitch', lang: textLang(item, 'pitch') }, localText(item, 'pitch')),
    h('ul', { class: 'claim-chips', role: 'list', 'aria-label': t('factsheet.claims') }, item.strategies.map((s) => h('li', {
      class: ['claim-chip', s.self_declared && 'claim-chip-self'], title: strategyLabels.get(s.code) || s.code,
    }, s.code, s.self_declared ? h('span', { class: 'visually-hidden' }, ` (${t('factsheet.self_declared')})`) : null))),
    item.strategies.some((s) => s.self_declared) ? h('p', { class: 'small' }, selfDeclaredBadge()) : null);
}

export default async function cataloguePage({ view, params, query, user, setTitle, isCurrent, path }) {
  const { event, eventId, base, isPublic } = await catalogueBase(params, user);
  const q = query.get('q') || '';
  const chosen = Object.fromEntries(FACETS.map((f) => [f, query.getAll(f)]));
  const sort = SORTS.includes(query.get('sort')) ? query.get('sort') : '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const search = new URLSearchParams();
  if (q) search.set('q', q);
  for (const f of FACETS) for (const v of chosen[f]) search.append(f, v);
  if (sort) search.set('sort', sort);
  search.set('page', String(page));
  search.set('per_page', String(PER_PAGE));
  const result = await api.get(`/events/${eventId}/catalogue?${search}`);
  if (!isCurrent()) return;
  setTitle(`${t('catalogue.title')} · ${event.name}`);

  /** Go to the same page with other parameters (facet changes start again at page 1). */
  const go = (change, { keepPage = false, focusId = null } = {}) => {
    pendingFocus = focusId;
    const next = new URLSearchParams(query);
    change(next);
    if (!keepPage) next.delete('page');
    const qs = next.toString();
    navigate(`${path}${qs ? `?${qs}` : ''}`, { focus: false });
  };

  // Chips name a chosen value exactly as its facet does (a country by its name, not its code).
  const labelsByFacet = Object.fromEntries(Object.entries(result.facets).map(([f, values]) => [f, new Map(values.map((v) => [v.value, facetValueLabel(f, v)]))]));
  const chipLabel = (f, v) => labelsByFacet[f]?.get(v) || facetValueLabel(f, { value: v });
  const input = h('input', { type: 'search', name: 'q', value: q, id: 'catalogue-q', class: 'search-input', placeholder: t('catalogue.search_placeholder'), 'data-testid': 'catalogue-search', autocomplete: 'off' });
  const searchForm = h('form', { class: 'catalogue-search', role: 'search', 'data-testid': 'catalogue-search-form' },
    h('label', { for: 'catalogue-q', class: 'visually-hidden' }, t('catalogue.search_label')),
    icon('search'), input,
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'catalogue-search-submit' }, t('catalogue.search_button')));
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    go((next) => { const value = input.value.trim(); if (value) next.set('q', value); else next.delete('q'); if (!value && next.get('sort') === 'relevance') next.delete('sort'); }, { focusId: 'catalogue-q' });
  });

  const facetBlocks = FACETS.map((facet) => {
    const values = (result.facets[facet] || []).filter((v) => v.count > 0 || chosen[facet].includes(v.value));
    if (!values.length) return null;
    return h('fieldset', { class: 'facet', 'data-testid': `facet-${facet}` },
      h('legend', { class: 'facet-title' }, t(`catalogue.facet.${facet}`)),
      h('ul', { class: 'plain-list facet-values', role: 'list' }, values.map((v) => {
        const on = chosen[facet].includes(v.value);
        const id = `facet-${facet}-${v.value}`.replace(/[^A-Za-z0-9_-]/g, '_');
        return h('li', { class: ['facet-value', facet === 'strategy' && 'facet-value-nested'] },
          h('input', {
            type: 'checkbox', id, checked: on, 'data-testid': `facet-${facet}-${v.value}`,
            onChange: () => go((next) => {
              const rest = next.getAll(facet).filter((x) => x !== v.value);
              next.delete(facet);
              for (const x of on ? rest : [...rest, v.value]) next.append(facet, x);
            }, { focusId: id }),
          }),
          h('label', { for: id }, h('span', {}, facetValueLabel(facet, v)), h('span', { class: 'facet-count', 'data-testid': 'facet-count' }, String(v.count))));
      })));
  }).filter(Boolean);

  const active = FACETS.flatMap((f) => chosen[f].map((v) => ({ f, v })));
  const pages = Math.max(1, Math.ceil(result.total / result.per_page));
  const pageLink = (n, text, rel) => {
    const next = new URLSearchParams(query);
    next.set('page', String(n));
    return h('a', { href: `${path}?${next}`, class: 'btn btn-secondary btn-sm', rel }, text);
  };
  const sortSelect = h('select', { id: 'catalogue-sort', 'data-testid': 'catalogue-sort' },
    SORTS.filter((s) => s !== 'relevance' || q).map((s) => h('option', { value: s, selected: s === result.sort }, t(`catalogue.sort.${s}`))));
  sortSelect.addEventListener('change', () => go((next) => next.set('sort', sortSelect.value), { focusId: 'catalogue-sort' }));

  const results = result.results.length
    ? h('ol', { class: 'catalogue-results', role: 'list', 'data-testid': 'catalogue-results' }, result.results.map((item) => card(item, base, labelsByFacet)))
    : emptyState({ iconName: 'search', title: t('catalogue.empty_title'), text: q || active.length ? t('catalogue.empty_text_search') : t('catalogue.empty_text'), testid: 'catalogue-empty' });

  view.replaceChildren(h('section', { class: 'catalogue-page' },
    isPublic ? null : h('a', { class: 'back-link no-print', href: `/events/${eventId}` }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_event'))),
    h('div', { class: 'page-head' },
      h('div', {}, h('p', { class: 'eyebrow' }, event.name), h('h1', {}, t('catalogue.title')), h('p', { class: 'muted' }, t('catalogue.lead'))),
      isPublic ? null : h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/catalogue/print`, 'data-testid': 'catalogue-print-link' }, icon('print'), h('span', {}, t('catalogue.print')))),
    searchForm,
    h('div', { class: 'catalogue-layout' },
      h('aside', { class: 'catalogue-facets', 'aria-label': t('catalogue.filters') },
        // On a phone the filters fold away above the results, also after a filter was chosen
        // (the chosen ones show as chips above the results); on a wide screen they stay open.
        h('details', { class: 'facet-toggle', open: window.matchMedia('(min-width: 901px)').matches },
          h('summary', { class: 'btn btn-secondary btn-sm', 'data-testid': 'facet-toggle' }, icon('layers'), h('span', {}, active.length ? `${t('catalogue.filters')} (${active.length})` : t('catalogue.filters'))),
          facetBlocks.length ? facetBlocks : h('p', { class: 'muted small' }, t('catalogue.no_filters')))),
      h('div', { class: 'catalogue-main' },
        h('div', { class: 'catalogue-toolbar' },
          h('p', { class: 'result-count', role: 'status', 'data-testid': 'catalogue-total' }, tn('catalogue.results', result.total)),
          h('div', { class: 'sort-control' }, h('label', { for: 'catalogue-sort' }, t('catalogue.sort_label')), sortSelect)),
        active.length ? h('div', { class: 'active-filters' },
          active.map(({ f, v }) => h('button', {
            type: 'button', class: 'chip chip-removable', 'data-testid': 'filter-chip', 'aria-label': t('catalogue.remove_filter', { name: chipLabel(f, v) }),
            onClick: () => go((next) => { const rest = next.getAll(f).filter((x) => x !== v); next.delete(f); for (const x of rest) next.append(f, x); }),
          }, chipLabel(f, v), icon('x'))),
          h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onClick: () => go((next) => { for (const f of FACETS) next.delete(f); }) }, t('catalogue.clear_filters'))) : null,
        results,
        pages > 1 ? h('nav', { class: 'pager', 'aria-label': t('catalogue.pages') },
          page > 1 ? pageLink(page - 1, t('catalogue.previous'), 'prev') : null,
          h('span', { class: 'muted' }, t('catalogue.page_of', { page, pages })),
          page < pages ? pageLink(page + 1, t('catalogue.next'), 'next') : null) : null))));
  announce(tn('catalogue.results', result.total));
  if (pendingFocus) {
    let target = view.querySelector(`#${CSS.escape(pendingFocus)}`) || input;
    // A box in the folded filter panel cannot take the focus: its toggle does.
    const folded = target.closest('details:not([open])');
    if (folded) target = folded.querySelector('summary');
    pendingFocus = null;
    // The view is attached to the page once this function returns.
    setTimeout(() => target.focus({ preventScroll: true }), 0);
  }
}
