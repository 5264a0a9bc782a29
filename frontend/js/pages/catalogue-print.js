// /events/{id}/catalogue/print: the catalogue on paper: a cover, a table of contents per
// product group, each factsheet in full under its first group with its stand, and the
// factsheets of other groups listed by title and stand. print.css does the paper layout.

import { h, icon } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { api } from '../api.js';
import { formatDate } from '../format.js';
import { factsheetBody, localText } from '../components/factsheet.js';

function groupLabel(group) {
  return getLang() === 'nl' ? (group.label_nl || group.label_en) : (group.label_en || group.label_nl);
}

export default async function cataloguePrintPage({ view, params, setTitle, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const data = await api.get(`/events/${eventId}/catalogue/print`);
  if (!isCurrent()) return;
  setTitle(`${t('catalogue.print_title')} · ${data.event.name}`);
  const groups = data.groups.filter((g) => g.factsheets.length || g.also.length);
  const anchor = (g) => `group-${g.code}`.replace(/[^A-Za-z0-9_-]/g, '_');
  view.replaceChildren(h('article', { class: 'print-catalogue', 'data-testid': 'print-catalogue' },
    h('div', { class: 'no-print print-toolbar' },
      h('a', { class: 'back-link', href: `/events/${eventId}/catalogue` }, icon('arrowLeft'), h('span', {}, t('catalogue.back_to_catalogue'))),
      h('button', { type: 'button', class: 'btn btn-primary', onClick: () => window.print(), 'data-testid': 'print-now' }, icon('print'), h('span', {}, t('catalogue.print_now')))),
    h('header', { class: 'print-cover' },
      h('p', { class: 'eyebrow' }, t('catalogue.title')),
      h('h1', {}, data.event.name),
      h('p', { class: 'lead' }, formatDate(data.event.start_date), data.event.venue ? ` · ${data.event.venue}` : '')),
    h('nav', { class: 'print-toc', 'aria-labelledby': 'toc-h' },
      h('h2', { id: 'toc-h' }, t('catalogue.contents')),
      groups.length ? h('ol', {}, groups.map((g) => h('li', {},
        h('a', { href: `#${anchor(g)}` }, groupLabel(g)),
        h('ol', { class: 'toc-items' }, g.factsheets.map((f) => h('li', {}, localText(f.content, 'title'), ` · ${f.organisation.name}`, f.stand ? h('span', { class: 'toc-stand' }, t('factsheet.stand_n', { stand: f.stand })) : null))))))
        : h('p', { class: 'muted' }, t('catalogue.empty_text'))),
    groups.map((g) => h('section', { class: 'print-group', id: anchor(g) },
      h('h2', { class: 'print-group-title' }, groupLabel(g)),
      g.factsheets.map((f) => h('div', { class: 'print-factsheet' }, factsheetBody(f, { labels: data.labels, uploads: f.uploads, headingLevel: 'h3' }))),
      g.also.length ? h('div', { class: 'print-also' },
        h('h3', { class: 'subsection-title' }, t('catalogue.also_in_group')),
        h('ul', {}, g.also.map((a) => h('li', {}, getLang() === 'nl' ? (a.title_nl || a.title_en) : (a.title_en || a.title_nl), ` · ${a.organisation}`, a.stand ? ` · ${t('factsheet.stand_n', { stand: a.stand })}` : '')))) : null))));
}
