// /events/{id}/schedule: the organisers' scheduling of one-to-one meetings. Start a run of
// the scheduler (time limit, seed, what may move) and follow it live (progress, score
// against the proven maximum, stop); read the preview of a finished run (charts, who gets
// too little, why requests were left out, the changes) and publish it after confirming how
// many people are told; manage the published meetings by hand; download the instance and
// schedule files. ?run=ID shows that run instead of the latest.

import { h, icon, toast, announce, notice, fill } from '../dom.js';
import { t, tn, locale, errorMessage, getLang } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, button, onSubmit, confirmDialog, withBusy } from '../forms.js';
import { formatInstant } from '../format.js';
import { liveFor } from '../live.js';
import { backToEvent, pageHead } from '../components/page.js';
import { progressBar } from '../components/charts.js';
import { previewCards, qualityText } from './schedule/preview.js';
import { meetingsCard } from './schedule/meetings.js';
import { whatIfCard } from './schedule/whatif.js';

const ACTIVE = new Set(['queued', 'running']);
const number = (n) => new Intl.NumberFormat(locale()).format(n);

export default async function schedulePage({ view, params, query, setTitle, user, isCurrent }) {
  const eventId = encodeURIComponent(params.id);
  const base = `/events/${eventId}/schedule`;
  // A run, with the reasons for requests left out in the language the page is read in.
  const readRun = (id) => api.get(`${base}/runs/${encodeURIComponent(id)}`, { query: { lang: getLang() } });
  // Opened before the fetches, so no progress falls between what they return and the socket.
  const connection = liveFor(params.id);
  const [event, runList, slotsBody, tablesBody] = await Promise.all([
    api.get(`/events/${eventId}`),
    api.get(`${base}/runs`),
    api.get(`/events/${eventId}/slots`),
    api.get(`/events/${eventId}/tables`),
  ]);
  if (event.my_role !== 'organiser' && !user.is_admin) throw new ApiError(403, 'forbidden', 'organisers only');
  // The meetings as last read (the card and the downloads follow them).
  let meetingList = { meetings: [] };
  const loadMeetings = async () => {
    meetingList = await api.get(`/events/${eventId}/meetings`);
    return meetingList;
  };
  await loadMeetings();
  if (!isCurrent()) return;
  setTitle(`${t('schedule.title')} · ${event.name}`);
  const timeZone = event.timezone;
  const wanted = query.get('run');

  let runs = runList.runs || [];
  // The run shown: the one asked for, else the newest; with its preview once done.
  let shown = (wanted && runs.find((r) => r.id === wanted)) || (wanted ? null : runs[0]) || null;
  if (wanted && !shown) shown = await readRun(wanted);
  if (shown && shown.status === 'done') shown = await readRun(shown.id);
  if (!isCurrent()) return;

  const publishedLine = h('p', { class: 'muted', 'data-testid': 'schedule-published' });
  // How far the emails of published schedules are (the mail worker sends them in the
  // background), asked again every few seconds while some are on their way.
  const mailLine = h('p', { class: 'muted small no-print', 'data-testid': 'schedule-mail-progress' });
  let mailTimer = null;
  async function drawMailProgress() {
    clearTimeout(mailTimer);
    let body;
    try {
      body = await api.get(`/events/${eventId}/mail?kind=meeting_schedule&limit=1`);
    } catch { return; }
    if (!isCurrent() || !document.body.contains(mailLine)) return;
    const p = (body.progress || []).find((k) => k.kind === 'meeting_schedule');
    if (!p) { mailLine.replaceChildren(); return; }
    const all = p.pending + p.sending + p.sent + p.failed;
    mailLine.replaceChildren(
      t('schedule.mail_progress', { sent: p.sent, all, failed: p.failed }), ' ',
      h('a', { href: `/events/${eventId}/mail?kind=meeting_schedule` }, t('schedule.mail_link')));
    if (p.pending + p.sending > 0) mailTimer = setTimeout(drawMailProgress, 4000);
  }
  // Drawn again on every progress message: not a live region (that would read it out every
  // few seconds); a change of state is announced instead.
  const runStatus = h('div', { class: 'run-status', 'data-testid': 'run-status' });
  let announcedState = null;
  const startProblem = h('div', { 'data-testid': 'start-problem' });
  const previewBox = h('div', { class: 'preview-box', 'data-testid': 'schedule-preview' });
  const downloads = h('ul', { class: 'plain-list link-list', role: 'list', 'data-testid': 'schedule-downloads' });
  const history = h('div', { 'data-testid': 'run-history' });
  const meetings = meetingsCard({ eventId, slots: slotsBody.slots || [], tables: tablesBody.tables || [], load: loadMeetings });
  meetings.refresh(meetingList);

  const lastPublished = () => runs.filter((r) => r.published_at).sort((a, b) => b.published_at.localeCompare(a.published_at))[0] || null;
  const anyActive = () => runs.some((r) => ACTIVE.has(r.status));
  const anyScheduled = () => (meetingList.meetings || []).some((m) => m.status === 'scheduled');

  // ---- starting a run
  const startForm = h('form', { class: 'stack-sm run-form no-print', 'data-testid': 'run-form' },
    h('div', { class: 'form-grid' },
      field({
        name: 'time_limit_seconds', type: 'number', label: t('schedule.time_limit'), hint: t('schedule.time_limit_hint'), value: 20, required: true,
        testid: 'run-time-limit', attrs: { min: 1, max: 600, step: 1, inputmode: 'numeric' },
      }),
      field({
        name: 'seed', type: 'number', label: t('schedule.seed'), hint: t('schedule.seed_hint'), value: 1, required: true,
        testid: 'run-seed', attrs: { min: 0, max: 4294967295, step: 1, inputmode: 'numeric' },
      })),
    h('fieldset', { class: 'fieldset stack-sm', 'data-field': 'mode' },
      h('legend', { class: 'field-label' }, t('schedule.mode')),
      ['full', 'add_only'].map((mode) => {
        const id = `run-mode-${mode}`;
        return h('div', { class: 'check' },
          h('input', { type: 'radio', name: 'mode', id, value: mode, checked: mode === 'full', 'data-testid': id }),
          h('label', { for: id }, h('span', { class: 'check-label' }, t(`schedule.mode_option.${mode}`))));
      }),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'form-actions' }, button(t('schedule.start'), { type: 'submit', iconName: 'calendar', testid: 'run-start' })));

  onSubmit(startForm, async (data) => {
    startProblem.replaceChildren();
    let run;
    try {
      run = await api.post(`${base}/runs`, { time_limit_seconds: data.time_limit_seconds, seed: data.seed, mode: data.mode || 'full' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'schedule_run_active' && err.details?.run_id) {
        const status = t(`schedule.status.${err.details.status}`).toLowerCase();
        startProblem.replaceChildren(notice('warn',
          h('p', { 'data-testid': 'run-active-message' }, t('schedule.active_exists', { status }), ' ',
            h('a', { href: `${base}?run=${encodeURIComponent(err.details.run_id)}`, 'data-testid': 'run-active-link' }, t('schedule.show_active')))));
        startProblem.querySelector('a').focus();
        return;
      }
      throw err;
    }
    remember(run);
    show(run);
    announce(t('schedule.started'));
    runStatus.querySelector('[data-testid="run-cancel"]')?.focus();
  });

  // ---- the shown run: status and progress
  function progressView(run) {
    const p = run.progress || {};
    const phase = p.phase || (run.status === 'queued' ? 'queued' : 'solving');
    let fraction = null;
    let detail = null;
    if (Number.isFinite(p.iterations) && p.planned > 0) {
      fraction = p.iterations / p.planned;
      detail = t('schedule.progress_iterations', { done: number(p.iterations), planned: number(p.planned) });
    } else if (p.time_limit_ms > 0 && phase !== 'queued') {
      fraction = (p.elapsed_ms || 0) / p.time_limit_ms;
      detail = t('schedule.progress_time', { elapsed: number(Math.round((p.elapsed_ms || 0) / 1000)), limit: number(Math.round(p.time_limit_ms / 1000)) });
    }
    return h('div', { class: 'run-progress stack-sm', 'data-testid': 'run-progress', 'data-phase': phase },
      h('p', { class: 'run-phase' }, t(`schedule.phase.${phase}`)),
      progressBar({ value: fraction, label: t('schedule.progress_label'), testid: 'run-progress-bar' }),
      detail ? h('p', { class: 'muted small' }, detail) : null,
      p.requests !== null && p.requests !== undefined ? h('p', { class: 'small' }, t('schedule.progress_instance', { requests: number(p.requests), participants: number(p.participants ?? 0) })) : null,
      p.objective !== null && p.objective !== undefined && p.bound !== null && p.bound !== undefined
        ? h('p', { class: 'small', 'data-testid': 'run-best' }, t('schedule.progress_best', { objective: number(p.objective), bound: number(p.bound) }),
          p.gap !== null && p.gap !== undefined ? ` ${qualityText(p.gap)}` : '')
        : null,
      p.meetings !== null && p.meetings !== undefined ? h('p', { class: 'small' }, tn('schedule.progress_meetings', p.meetings)) : null,
      run.cancel_requested
        ? h('p', { class: 'muted' }, t('schedule.cancelling'))
        : button(t('schedule.cancel'), {
          kind: 'danger', iconName: 'x', testid: 'run-cancel',
          onClick: async (e) => {
            try {
              const after = await withBusy(e.currentTarget, () => api.del(`${base}/runs/${encodeURIComponent(run.id)}`));
              remember(after);
              if (shown && shown.id === after.id) await show(after);
              // The button went (or is "stopping" now): keep the keyboard in the run's card.
              document.getElementById('schedule-run-h')?.focus();
            } catch (err) {
              toast(errorMessage(err), 'error');
            }
          },
        }));
  }

  function runHeading(run) {
    return h('p', { class: 'run-title' },
      h('span', { class: `badge badge-run badge-run-${run.status}`, 'data-testid': 'run-state', 'data-status': run.status }, t(`schedule.status.${run.status}`)), ' ',
      h('span', {}, t('schedule.run_of', { at: formatInstant(run.created_at, timeZone) })),
      h('span', { class: 'muted small' }, ` · ${t('schedule.run_by_seed', { seed: run.seed, seconds: run.time_limit_seconds })}`));
  }

  function drawStatus() {
    const run = shown;
    startForm.hidden = anyActive();
    if (!run) {
      runStatus.replaceChildren();
      return;
    }
    const state = `${run.id}:${run.status}:${run.published_at ? 'published' : ''}`;
    if (announcedState !== null && announcedState !== state) announce(t(`schedule.status.${run.status}`));
    announcedState = state;
    const focused = runStatus.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    const parts = [runHeading(run)];
    if (ACTIVE.has(run.status)) parts.push(progressView(run));
    if (run.status === 'failed') {
      const code = run.error?.code || 'internal';
      parts.push(notice('error',
        h('p', { 'data-testid': 'run-error' }, h('strong', {}, t('schedule.failed_title')), ' · ', t(`schedule.run_error.${code}`)),
        run.error?.message ? h('p', { class: 'small' }, run.error.message) : null,
        h('p', { class: 'small' }, t('schedule.failed_again'))));
    }
    if (run.status === 'cancelled') parts.push(h('p', { class: 'muted' }, t('schedule.cancelled')));
    if (run.published_at) parts.push(notice('success', h('p', { 'data-testid': 'run-published' }, t('schedule.published_state', { at: formatInstant(run.published_at, timeZone) }))));
    runStatus.replaceChildren(...parts);
    // Keep a keyboard user on the button they were on (e.g. Stop the run).
    if (focused) (runStatus.querySelector(`[data-testid="${CSS.escape(focused)}"]`) || document.getElementById('schedule-run-h'))?.focus();
  }

  function drawPublished() {
    const last = lastPublished();
    publishedLine.textContent = last ? t('schedule.published_at', { at: formatInstant(last.published_at, timeZone) }) : t('schedule.not_published');
  }

  function drawHistory() {
    const others = runs.filter((r) => !shown || r.id !== shown.id).slice(0, 10);
    fill(history, others.length ? h('details', { class: 'run-history no-print' },
      h('summary', {}, t('schedule.older_runs')),
      h('ul', { class: 'plain-list', role: 'list' }, others.map((r) => h('li', {},
        h('span', { class: `badge badge-run badge-run-${r.status}` }, t(`schedule.status.${r.status}`)), ' ',
        t('schedule.run_of', { at: formatInstant(r.created_at, timeZone) }), ' ',
        h('a', { href: `${base}?run=${encodeURIComponent(r.id)}` }, t('schedule.show_run')))))) : null);
  }

  function drawDownloads() {
    const link = (href, text, testid) => h('li', {}, h('a', { href, download: '', class: 'nav-link', 'data-testid': testid }, icon('download'), h('span', {}, text)));
    const api0 = `/api${base}`;
    const runDone = shown && shown.status === 'done';
    fill(downloads,
      link(`${api0}/instance`, t('schedule.download_instance'), 'download-instance'),
      lastPublished() || anyScheduled() ? link(`${api0}/export`, t('schedule.download_schedule'), 'download-schedule') : null,
      runDone ? link(`${api0}/instance?run_id=${encodeURIComponent(shown.id)}`, t('schedule.download_run_instance'), 'download-run-instance') : null,
      runDone ? link(`${api0}/export?run_id=${encodeURIComponent(shown.id)}`, t('schedule.download_run_schedule'), 'download-run-schedule') : null);
  }

  function publishButton(run) {
    if (run.published_at) return null;
    const people = run.preview.changes.people_affected.length;
    return button(t('schedule.publish'), {
      iconName: 'check', testid: 'publish',
      onClick: async (e) => {
        const trigger = e.currentTarget;
        const ok = await confirmDialog({
          title: t('schedule.publish_title'), text: tn('schedule.publish_text', people), confirmLabel: t('schedule.publish_confirm'), danger: false,
        });
        if (!ok) return;
        try {
          const summary = await withBusy(trigger, () => api.post(`${base}/runs/${encodeURIComponent(run.id)}/publish`));
          const text = `${t('schedule.published', summary)} ${tn('schedule.people_told', summary.people_affected)}`;
          toast(text);
          announce(text);
          await reloadRuns();
          drawMailProgress();
          meetings.refresh(await loadMeetings());
          // Its changes are now against itself: read the preview again.
          shown = await readRun(run.id);
          drawAll();
          meetings.heading.focus();
        } catch (err) {
          toast(errorMessage(err), 'error');
        }
      },
    });
  }

  function drawPreview() {
    const run = shown;
    if (!run || run.status !== 'done' || !run.preview) {
      previewBox.replaceChildren();
      return;
    }
    const published = Boolean(lastPublished()) || anyScheduled();
    previewBox.replaceChildren(h('section', { class: 'preview', 'aria-labelledby': 'schedule-preview-h' },
      h('div', { class: 'page-head' },
        h('div', {},
          h('h2', { id: 'schedule-preview-h' }, t('schedule.preview_title')),
          h('p', { class: 'muted' }, run.published_at ? t('schedule.published_state', { at: formatInstant(run.published_at, timeZone) }) : t('schedule.preview_lead'))),
        h('div', { class: 'actions no-print' }, publishButton(run))),
      ...previewCards(run.preview, { published, whatIf: whatIfOf(run) })));
  }

  // The "what if" card of the shown run, kept across redraws so its answers stay.
  let whatIf = null;
  function whatIfOf(run) {
    if (!whatIf || whatIf.runId !== run.id) whatIf = { runId: run.id, card: whatIfCard({ base, runId: run.id }) };
    return whatIf.card;
  }

  function drawAll() {
    drawPublished();
    drawStatus();
    drawPreview();
    drawHistory();
    drawDownloads();
  }

  function remember(run) {
    const i = runs.findIndex((r) => r.id === run.id);
    const { preview, ...plain } = run;
    if (i >= 0) runs[i] = { ...runs[i], ...plain };
    else runs = [plain, ...runs];
  }

  async function reloadRuns() {
    runs = (await api.get(`${base}/runs`)).runs || [];
    if (shown) {
      const fresh = runs.find((r) => r.id === shown.id);
      if (fresh) shown = { ...fresh, preview: shown.preview };
    }
  }

  /** Show a run (a fresh view of it); a done one is read again with its preview. */
  async function show(run) {
    const changedRun = !shown || shown.id !== run.id;
    shown = { ...run, preview: !changedRun && shown.preview ? shown.preview : run.preview };
    if (run.status === 'done' && !shown.preview) {
      shown = await readRun(run.id);
      if (!isCurrent()) return;
      remember(shown);
      drawAll();
      announce(t('schedule.phase.finished'));
      return;
    }
    drawAll();
  }

  // ---- live: the runs' progress (organisers only), and meetings changed
  connection.subscribe('schedule_run', (message) => {
    const run = message.payload;
    if (!run || !run.id) return;
    const wasPublished = runs.find((r) => r.id === run.id)?.published_at;
    remember(run);
    if (run.published_at && !wasPublished) {
      loadMeetings().then((list) => meetings.refresh(list)).catch(() => {});
    }
    // The shown run, or a new one someone started (only one runs at a time: worth seeing).
    if ((shown && shown.id === run.id) || (ACTIVE.has(run.status) && (!shown || !ACTIVE.has(shown.status)))) show(run);
    else drawAll();
  });
  const meetingsChanged = () => loadMeetings().then((list) => { meetings.refresh(list); }).catch(() => {});
  connection.subscribe('my_meeting', meetingsChanged);
  // Another organiser edited meetings by hand.
  connection.subscribe('meetings_edited', meetingsChanged);
  connection.subscribe('meetings_changed', meetingsChanged);
  connection.subscribe('gap', async () => {
    try {
      await reloadRuns();
      if (shown) {
        const fresh = runs.find((r) => r.id === shown.id);
        if (fresh) await show(fresh);
      }
      meetings.refresh(await loadMeetings());
      drawAll();
    } catch { /* the next message tries again */ }
  });

  view.replaceChildren(h('section', { class: 'schedule-page', 'data-testid': 'schedule-page' },
    backToEvent(eventId, connection, { print: false }),
    pageHead({
      eventName: event.name,
      title: t('schedule.title'),
      lines: [publishedLine, mailLine],
      actions: h('div', { class: 'actions no-print' },
        h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => window.print() }, icon('print'), h('span', {}, t('schedule.print'))),
        h('a', { class: 'btn btn-ghost', href: `/events/${eventId}/requests/overview` }, icon('layers'), h('span', {}, t('overview.title')))),
    }),
    h('p', { class: 'lead no-print' }, t('schedule.lead')),
    h('section', { class: 'card', 'aria-labelledby': 'schedule-run-h', 'data-testid': 'schedule-run' },
      h('h2', { id: 'schedule-run-h', class: 'card-title', tabindex: '-1' }, icon('calendar'), t('schedule.run_title')),
      h('p', { class: 'muted small no-print' }, t('schedule.run_lead')),
      runStatus,
      startProblem,
      startForm,
      history),
    previewBox,
    meetings.card,
    h('section', { class: 'card no-print', 'aria-labelledby': 'schedule-files-h' },
      h('h2', { id: 'schedule-files-h', class: 'card-title' }, icon('download'), t('schedule.downloads_title')),
      h('p', { class: 'muted small' }, t('schedule.downloads_lead')),
      downloads)));
  drawAll();
  drawMailProgress();
}
