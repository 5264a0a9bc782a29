// /events/{id}/sessions/{sid}/briefing: what a session's facilitators prepare with, for
// them and the organisers: who comes (seats first, then the waitlist in order) with their
// organisation and role, their organisation's factsheets in the catalogue or the buyer's
// needs, and the questions they sent ahead. Prints as a clean list and downloads as a
// spreadsheet in the reader's language. Sign-ups changing meanwhile redraw it; questions are
// fetched again with the refresh button (and at every sign-up change).

import { h, icon, toast, notice, emptyState } from '../dom.js';
import { t, tn, errorMessage, getLang, localText, textLang, termName } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { withBusy } from '../forms.js';
import { formatDate, formatInstant } from '../format.js';
import { liveFor, close as closeLive } from '../live.js';
import { liveIndicator } from '../components/announcements.js';
import { roleBadge } from '../components/badges.js';
import { kindBadge, sessionTitle, timeRange } from '../components/sessions.js';

export default async function sessionBriefingPage({ view, params, setTitle, user, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const sessionPath = `/events/${eventId}/sessions/${encodeURIComponent(params.sid)}`;
  const connection = liveFor(params.id);
  let event, briefing;
  try {
    [event, briefing] = await Promise.all([api.get(`/events/${eventId}`), api.get(`${sessionPath}/briefing`)]);
  } catch (err) {
    closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  const isOrganiser = event.my_role === 'organiser' || Boolean(user.is_admin);
  const timeZone = briefing.timezone || event.timezone;
  const s = briefing.session;
  const title = sessionTitle(s);
  const isDialogue = s.kind === 'market_dialogue';
  setTitle(`${t('briefing.title')} · ${title.text}`);
  let fetchedAt = new Date().toISOString();

  const summary = h('p', { class: 'briefing-summary', 'data-testid': 'briefing-summary' });
  const asOf = h('p', { class: 'muted small' });
  const list = h('div', { class: 'briefing-list' });
  const problem = h('div', { 'aria-live': 'polite' });

  function statusBadge(p) {
    return p.status === 'confirmed'
      ? h('span', { class: 'badge badge-mine badge-mine-confirmed', 'data-testid': 'briefing-status', 'data-status': 'confirmed' }, icon('check'), t('briefing.seat'))
      : h('span', { class: 'badge badge-mine badge-mine-waitlisted', 'data-testid': 'briefing-status', 'data-status': 'waitlisted' }, icon('clock'), t('briefing.waitlist_n', { n: p.waitlist_position }));
  }

  function factsheets(p) {
    if (!p.factsheets.length) return null;
    return h('p', { class: 'briefing-fact' }, h('strong', {}, `${t('briefing.factsheets')}: `),
      p.factsheets.map((f, i) => [i ? ', ' : '', h('a', { href: f.url, lang: textLang(f, 'title'), 'data-testid': 'briefing-factsheet' }, localText(f, 'title') || t('factsheet.untitled'))]));
  }

  function needs(p) {
    const n = p.needs;
    if (!n) return null;
    return h('div', { class: 'briefing-needs', 'data-testid': 'briefing-needs' },
      h('p', { class: 'briefing-fact' }, h('strong', {}, `${t('briefing.needs')}`),
        n.shared_with_suppliers ? null : h('span', { class: 'badge badge-muted' }, t('needs.not_shared')),
        n.url ? [' ', h('a', { href: n.url, class: 'no-print' }, t('briefing.needs_link'))] : null),
      n.product_groups.length ? h('ul', { class: 'chips', role: 'list', 'aria-label': t('needs.product_groups') }, n.product_groups.map((x) => h('li', { class: 'chip' }, termName(x)))) : null,
      n.strategies.length ? h('p', { class: 'small' }, h('strong', {}, `${t('needs.strategies')}: `), n.strategies.map((x) => `${x.code} ${termName(x)}`).join(', ')) : null,
      n.project_what ? h('p', { class: 'prose small' }, n.project_what) : null,
      n.project_when ? h('p', { class: 'muted small' }, `${t('briefing.when')}: ${n.project_when}`) : null);
  }

  function question(p) {
    if (!isDialogue) return null;
    if (!p.question) return h('p', { class: 'muted small briefing-no-question' }, t('briefing.no_question'));
    return h('div', { class: 'briefing-question', 'data-testid': 'briefing-question' },
      h('p', { class: 'briefing-question-label' }, icon('message'), h('strong', {}, t('briefing.question')),
        h('span', { class: 'muted small' }, ` · ${t('briefing.question_updated', { at: formatInstant(p.question.updated_at, timeZone) })}`)),
      h('blockquote', { class: 'prose' }, p.question.text));
  }

  function person(p, index) {
    return h('li', { class: ['briefing-person', p.question && 'briefing-person-asked'], 'data-testid': 'briefing-person', 'data-person': p.person_id, 'data-status': p.status },
      h('div', { class: 'briefing-person-head' },
        h('span', { class: 'briefing-number', 'aria-hidden': 'true' }, String(index + 1)),
        h('div', {},
          h('h3', { class: 'briefing-name' }, p.name),
          p.organisation ? h('p', { class: 'muted briefing-organisation' }, p.organisation) : null),
        h('div', { class: 'badges' }, roleBadge(p.role), statusBadge(p))),
      factsheets(p),
      needs(p),
      question(p));
  }

  function draw() {
    const people = briefing.people || [];
    const confirmed = people.filter((p) => p.status === 'confirmed').length;
    const waiting = people.length - confirmed;
    summary.replaceChildren(
      tn('briefing.count_seats', confirmed),
      waiting ? ` · ${tn('briefing.count_waiting', waiting)}` : '',
      isDialogue ? ` · ${tn('briefing.count_questions', briefing.question_count)}` : '');
    asOf.textContent = t('briefing.as_of', { at: formatInstant(fetchedAt, timeZone) });
    if (!people.length) {
      list.replaceChildren(h('div', { class: 'card' }, emptyState({ iconName: 'users', title: t('briefing.empty_title'), text: t('briefing.empty_text'), testid: 'briefing-empty' })));
      return;
    }
    const seats = people.filter((p) => p.status === 'confirmed');
    const waitlist = people.filter((p) => p.status !== 'confirmed');
    list.replaceChildren(...[
      h('section', { class: 'card', 'aria-labelledby': 'briefing-seats-h' },
        h('h2', { id: 'briefing-seats-h', class: 'card-title' }, icon('check'), h('span', {}, t('briefing.seats_title')), h('span', { class: 'badge badge-muted' }, String(seats.length))),
        seats.length ? h('ol', { class: 'briefing-people', role: 'list', 'data-testid': 'briefing-seats' }, seats.map(person)) : h('p', { class: 'muted' }, t('signups.confirmed_empty'))),
      waitlist.length ? h('section', { class: 'card', 'aria-labelledby': 'briefing-waitlist-h' },
        h('h2', { id: 'briefing-waitlist-h', class: 'card-title' }, icon('clock'), h('span', {}, t('briefing.waitlist_title')), h('span', { class: 'badge badge-muted' }, String(waitlist.length))),
        h('ol', { class: 'briefing-people', role: 'list', 'data-testid': 'briefing-waitlist' }, waitlist.map(person))) : null,
    ].filter(Boolean));
  }

  async function reload() {
    try {
      const fresh = await api.get(`${sessionPath}/briefing`);
      if (!isCurrent()) return;
      briefing = fresh;
      fetchedAt = new Date().toISOString();
      problem.replaceChildren();
      draw();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) { problem.replaceChildren(notice('warn', h('p', {}, t('sessions.refused.gone')))); return; }
      toast(errorMessage(err), 'error');
    }
  }

  // Someone signed up or cancelled: fetch the list again (a burst once).
  let timer = null;
  const reloadSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 400);
  };
  for (const type of ['session_seats', 'session_changed']) {
    connection.subscribe(type, (message) => {
      const id = message.payload?.session_id || message.payload?.id;
      if (id === s.id) reloadSoon();
    });
  }
  connection.subscribe('session_deleted', (message) => {
    if (message.payload?.session_id === s.id) problem.replaceChildren(notice('warn', h('p', {}, t('sessions.refused.gone'))));
  });
  connection.subscribe('gap', reloadSoon);

  const refresh = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'briefing-refresh' }, h('span', {}, t('briefing.refresh')));
  refresh.addEventListener('click', () => withBusy(refresh, reload));
  const csv = `/api${sessionPath}/briefing?format=csv&lang=${getLang()}`;
  const facilitators = (s.facilitators || []).map((f) => (f.organisation ? `${f.name} (${f.organisation})` : f.name)).join(', ');

  view.replaceChildren(h('section', { class: 'briefing-page', 'data-testid': 'briefing-page' },
    h('div', { class: 'event-topbar no-print' },
      h('a', { class: 'back-link', href: isOrganiser ? `/events/${eventId}/setup/programme` : `/events/${eventId}/programme#session-${s.id}` },
        icon('arrowLeft'), h('span', {}, t(isOrganiser ? 'session_form.back' : 'sessions.back_to_programme'))),
      liveIndicator(connection)),
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'eyebrow' }, `${event.name} · ${t('briefing.title')}`),
        h('h1', { lang: title.lang, 'data-testid': 'briefing-title' }, title.text),
        h('p', { class: 'meta-line' }, kindBadge(s.kind), ' ', formatDate(s.date), ' · ', timeRange(s), s.room ? ` · ${s.room.name}` : ''),
        facilitators ? h('p', { class: 'muted' }, t('sessions.led_by', { names: facilitators })) : null,
        summary,
        asOf),
      h('div', { class: 'actions no-print' },
        h('button', { type: 'button', class: 'btn btn-primary', onClick: () => window.print(), 'data-testid': 'briefing-print' }, icon('print'), h('span', {}, t('briefing.print'))),
        h('a', { class: 'btn btn-secondary', href: csv, download: '', 'data-testid': 'briefing-csv' }, icon('download'), h('span', {}, t('briefing.csv'))),
        refresh,
        h('a', { class: 'btn btn-ghost', href: `${sessionPath}/signups` }, icon('users'), h('span', {}, t('sessions.signups_link'))))),
    isDialogue ? null : notice('info', h('p', {}, t('briefing.not_a_dialogue'))),
    problem,
    list));
  draw();
}
