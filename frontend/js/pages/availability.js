// /events/{id}/availability: the event's meeting slots by day, where the caller ticks the
// ones they cannot meet in (arriving late, leaving early). Slots kept free by a session they
// have a seat in (or lead) show as such, with the session's name, and cannot be ticked. The
// scheduler gives nobody a meeting in either. A new seat arriving live is shown at once.

import { h, icon, emptyState, notice, announce, toast } from '../dom.js';
import { t, errorMessage, localText, textLang } from '../i18n.js';
import { api } from '../api.js';
import { button, onSubmit } from '../forms.js';
import { formatDate, groupByDate, timeZoneLabel } from '../format.js';
import { liveFor, close as closeLive } from '../live.js';
import { backToEvent, pageHead } from '../components/page.js';

export default async function availabilityPage({ view, params, setTitle, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const connection = liveFor(params.id);
  const agendaOf = () => api.get(`/events/${eventId}/agenda/me`).catch(() => ({ sessions: [] }));
  let event, availability, agenda;
  try {
    [event, availability, agenda] = await Promise.all([api.get(`/events/${eventId}`), api.get(`/events/${eventId}/availability/me`), agendaOf()]);
  } catch (err) {
    closeLive();
    throw err;
  }
  if (!isCurrent()) return;
  setTitle(`${t('availability.title')} · ${event.name}`);
  const timeZone = availability.timezone || event.timezone;

  const days = h('div', { class: 'availability-days' });
  const count = h('p', { class: 'availability-count', 'data-testid': 'availability-count', role: 'status' });
  const unsaved = h('p', { class: 'small muted availability-unsaved', hidden: true, 'data-testid': 'availability-unsaved' }, t('availability.unsaved'));
  const save = button(t('availability.save'), { type: 'submit', iconName: 'check', testid: 'availability-save' });
  const form = h('form', { class: 'availability-form stack', 'data-testid': 'availability-form' },
    days,
    h('div', { class: 'form-actions sticky-actions' }, save, unsaved));

  const sessionTitle = (id) => {
    const s = (agenda.sessions || []).find((x) => x.id === id);
    return s ? { text: localText(s, 'title'), lang: textLang(s, 'title') } : null;
  };

  function toggles() {
    return [...form.querySelectorAll('input[name="unavailable"]')];
  }

  function drawCount() {
    const slots = availability.slots || [];
    const blocked = slots.filter((s) => s.session_id).length;
    const cannot = toggles().filter((x) => x.checked).length;
    const free = slots.length - blocked - cannot;
    count.textContent = t('availability.count', { free, total: slots.length });
    const saved = new Set(availability.slot_ids || []);
    unsaved.hidden = toggles().every((x) => x.checked === saved.has(x.value));
  }

  function slotTile(slot, keep) {
    const time = `${slot.start}–${slot.end}`;
    if (slot.session_id) {
      const title = sessionTitle(slot.session_id);
      return h('li', { class: 'slot-tile slot-tile-blocked', 'data-testid': 'availability-slot', 'data-state': 'blocked', 'data-slot': slot.slot_id },
        h('span', { class: 'slot-tile-time' }, h('time', { datetime: `${slot.date}T${slot.start}` }, slot.start), '–', h('time', { datetime: `${slot.date}T${slot.end}` }, slot.end)),
        h('span', { class: 'slot-tile-state' }, icon('calendar'),
          title
            ? h('span', {}, `${t('availability.blocked_for')} `,
              h('a', { href: `/events/${eventId}/programme#session-${slot.session_id}`, lang: title.lang, 'data-testid': 'availability-session' }, title.text))
            : h('span', {}, t('availability.blocked'))));
    }
    const id = `slot-${slot.slot_id}`;
    const checked = keep.has(slot.slot_id) ? keep.get(slot.slot_id) : slot.marked;
    const input = h('input', { type: 'checkbox', id, name: 'unavailable', value: slot.slot_id, checked, 'data-testid': 'availability-toggle', 'aria-describedby': `${id}-error` });
    input.checked = checked;
    input.addEventListener('change', () => {
      tile.dataset.state = input.checked ? 'unavailable' : 'available';
      drawCount();
    });
    // A `field`, so a problem the server finds with this slot shows in it.
    const tile = h('li', { class: 'field slot-tile slot-tile-toggle', 'data-testid': 'availability-slot', 'data-state': checked ? 'unavailable' : 'available', 'data-slot': slot.slot_id },
      input,
      h('label', { for: id },
        h('span', { class: 'slot-tile-time' }, time),
        h('span', { class: 'slot-tile-state slot-tile-free', 'aria-hidden': 'true' }, icon('check'), h('span', {}, t('availability.free'))),
        h('span', { class: 'slot-tile-state slot-tile-busy', 'aria-hidden': 'true' }, icon('x'), h('span', {}, t('availability.cannot')))),
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
    return tile;
  }

  /** Draw the slots; `keep` holds ticks not saved yet (slot id -> ticked), which survive. */
  function draw(keep = new Map()) {
    const slots = availability.slots || [];
    if (!slots.length) {
      form.hidden = true;
      count.hidden = true;
      days.replaceChildren();
      return;
    }
    form.hidden = false;
    count.hidden = false;
    days.replaceChildren(...[...groupByDate(slots).entries()].map(([date, list]) => h('fieldset', { class: 'card availability-day', 'data-testid': 'availability-day' },
      h('legend', { class: 'programme-date' }, icon('calendar'), h('span', {}, formatDate(date))),
      h('ul', { class: 'slot-tiles', role: 'list' }, list.map((slot) => slotTile(slot, keep))))));
    drawCount();
  }

  onSubmit(form, async () => {
    // Ticked slots, and marks on slots a session now keeps free (kept, so nothing is lost
    // should the seat go again). Each tick is named by its place in the list sent, so a
    // problem the server finds with one shows at its slot.
    const blockedMarks = (availability.slots || []).filter((s) => s.session_id && s.marked).map((s) => s.slot_id);
    const ticked = toggles().filter((x) => x.checked);
    ticked.forEach((x, i) => { x.dataset.field = `slot_ids[${i}]`; });
    for (const x of toggles()) if (!x.checked) delete x.dataset.field;
    const answer = await api.put(`/events/${eventId}/availability/me`, { slot_ids: [...ticked.map((x) => x.value), ...blockedMarks] });
    if (!isCurrent()) return;
    availability = answer;
    draw();
    const text = t('availability.saved');
    toast(text);
    announce(text);
    save.focus();
  });

  // A seat given or taken (by oneself elsewhere, the waitlist, an organiser) moves what is kept free.
  let timer = null;
  function reloadSoon() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const [fresh, freshAgenda] = await Promise.all([api.get(`/events/${eventId}/availability/me`), agendaOf()]);
        if (!isCurrent()) return;
        const saved = new Set(availability.slot_ids || []);
        const keep = new Map(toggles().filter((x) => x.checked !== saved.has(x.value)).map((x) => [x.value, x.checked]));
        const focused = document.activeElement && form.contains(document.activeElement) ? document.activeElement.id : null;
        availability = fresh;
        agenda = freshAgenda;
        draw(keep);
        if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
      } catch (err) {
        if (isCurrent()) toast(errorMessage(err), 'error');
      }
    }, 250);
  }
  connection.subscribe('my_signup', reloadSoon);
  for (const type of ['session_changed', 'session_deleted']) connection.subscribe(type, reloadSoon);
  connection.subscribe('gap', reloadSoon);

  const tz = timeZoneLabel(timeZone, event.start_date);
  view.replaceChildren(h('section', { class: 'availability-page', 'data-testid': 'availability-page' },
    backToEvent(eventId, connection),
    pageHead({
      eventName: event.name,
      title: t('availability.title'),
      lines: [h('p', { class: 'muted' }, t('availability.lead')), h('p', { class: 'muted small' }, t('event.times_in', { tz }))],
      actions: h('div', { class: 'actions' },
        h('a', { class: 'btn btn-secondary', href: `/events/${eventId}/requests`, 'data-testid': 'requests-link' }, icon('mail'), h('span', {}, t('requests.title')))),
    }),
    (availability.slots || []).length
      ? h('div', { class: 'availability-intro' }, count, notice('info', h('p', {}, t('availability.how'))))
      : h('div', { class: 'card' }, emptyState({ iconName: 'clock', title: t('availability.empty_title'), text: t('availability.empty_text'), testid: 'availability-empty' })),
    form));
  draw();
}
