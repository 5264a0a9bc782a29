// Scheduling meetings in the browser, from "Schedule meetings" to a buyer seeing her table
// numbers: an organiser with three meeting slots and two tables has a buyer with two
// accepted requests (two suppliers); on the schedule page she runs the scheduler, sees the
// preview with its charts (meetings per person, tables per slot) and publishes after a
// confirmation naming how many people are told. The published meetings show in the grid;
// a move into the buyer's other meeting's slot is refused in words naming that meeting,
// a move to the free slot works and pinning marks it. The buyer's own meetings carry their
// table numbers. Cancelling a meeting asks first and moves it to the cancelled list; the
// buyer's open agenda then says why that accepted request has no meeting.
// "What if" answers at once that one more table buys nothing here.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import {
  ARTIFACTS, launchBrowser, withPage, missingSettings, loginAsAdmin, createEvent, futureDate, api, invite, participantBrowser,
} from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

test('an organiser schedules, previews and publishes; the buyer sees her tables', { skip: skip || false }, async () => {
  await withPage(browser, 'schedule', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Schedule test ${Date.now()}`);
    const eventId = eventPath.split('/').pop();
    await api(organiser, 'POST', `/events/${eventId}/slots/generate`, { date: futureDate(), start: '13:00', end: '14:00', slot_minutes: 20, breaks: [] });
    await api(organiser, 'PUT', `/events/${eventId}/tables`, { count: 2 });

    const stamp = Date.now();
    const beaLogin = await invite(organiser, eventId, { name: 'Bea Aankoper', email: `bea-s-${stamp}@example.org`, organisation: `Stad Lindeveld ${stamp}`, role: 'buyer' });
    const samLogin = await invite(organiser, eventId, { name: 'Sam Aanbieder', email: `sam-s-${stamp}@example.org`, organisation: `ReMeubel ${stamp}`, role: 'supplier' });
    const lenaLogin = await invite(organiser, eventId, { name: 'Lena Aanbieder', email: `lena-s-${stamp}@example.org`, organisation: `Lumen ${stamp}`, role: 'supplier' });
    const { participants } = await api(organiser, 'GET', `/events/${eventId}/participants`);
    const idOf = (name) => participants.find((p) => p.name === name).id;
    const bea = await participantBrowser(browser, beaLogin);
    const sam = await participantBrowser(browser, samLogin);
    const lena = await participantBrowser(browser, lenaLogin);
    try {
      // Bea asks both suppliers; both accept (through the API: the request pages have their own test).
      const toSam = await api(bea.page, 'POST', `/events/${eventId}/requests`, { participant_id: idOf('Sam Aanbieder'), priority: 'must' });
      const toLena = await api(bea.page, 'POST', `/events/${eventId}/requests`, { participant_id: idOf('Lena Aanbieder'), priority: 'would_like' });
      await api(sam.page, 'POST', `/events/${eventId}/requests/${toSam.id}/accept`, { priority: 'must' });
      await api(lena.page, 'POST', `/events/${eventId}/requests/${toLena.id}/accept`, {});

      // From the event page to the schedule page; nothing is published yet.
      await organiser.goto(eventPath);
      await organiser.getByTestId('my-meetings').getByTestId('schedule-link').click();
      await organiser.getByTestId('schedule-page').waitFor();
      assert.match(await organiser.getByTestId('schedule-published').innerText(), /No schedule published yet/);
      await organiser.getByTestId('meetings-none').waitFor();
      await organiser.locator('[data-testid="live-status"][data-state="live"]').waitFor();

      // A time limit out of range is refused at its field; then the run starts.
      await organiser.getByTestId('run-time-limit').fill('0');
      await organiser.getByTestId('run-start').click();
      assert.equal(await organiser.getByTestId('run-time-limit').getAttribute('aria-invalid'), 'true');
      await organiser.getByTestId('run-time-limit').fill('5');
      await organiser.getByTestId('run-seed').fill('7');
      await organiser.getByTestId('run-start').click();

      // The run finishes (followed live) and shows its preview with the charts.
      await organiser.locator('[data-testid="run-state"][data-status="done"]').waitFor({ timeout: 60_000 });
      const preview = organiser.getByTestId('schedule-preview');
      await preview.getByTestId('preview-quality').waitFor();
      assert.match(await preview.getByTestId('preview-gap').innerText(), /Proven optimal|Within/);
      assert.equal(await preview.getByTestId('preview-meetings').innerText(), '2');
      assert.equal(await preview.getByTestId('preview-people-met').innerText(), '3 / 3');
      // Meetings per person: two suppliers with one meeting, the buyer with two.
      const columns = await preview.locator('[data-testid="chart-distribution"] .chart-col').evaluateAll((all) => all.map((g) => [g.dataset.label, Number(g.dataset.value)]));
      assert.deepEqual(columns, [['0', 0], ['1', 2], ['2', 1]]);
      // Tables per slot: three slots with two tables each, two meetings in all.
      const rows = await preview.locator('[data-testid="chart-tables"] .chart-row').evaluateAll((all) => all.map((g) => [Number(g.dataset.used), Number(g.dataset.available)]));
      assert.equal(rows.length, 3);
      assert.deepEqual(rows.map((r) => r[1]), [2, 2, 2]);
      assert.equal(rows.reduce((sum, r) => sum + r[0], 0), 2);
      assert.ok(await preview.locator('[data-testid="chart-distribution"] svg[role="img"]').getAttribute('aria-labelledby'));
      assert.match(await preview.getByTestId('preview-short').innerText(), /Everyone gets every meeting/);
      assert.match(await preview.getByTestId('changes-counts').innerText(), /2 new, 0 moved, 0 dropped/);
      // The run's files are offered.
      assert.match(await organiser.getByTestId('download-run-instance').getAttribute('href'), /\/schedule\/instance\?run_id=/);

      // What if: every request fits already, so one more table buys nothing, said at once;
      // ten minutes are shorter than a 20-minute slot.
      const whatIf = preview.getByTestId('preview-whatif');
      await whatIf.getByTestId('whatif-extra_table').click();
      assert.match(await whatIf.getByTestId('whatif-bound').innerText(), /The proven maximum stays \d+ points/);
      await whatIf.getByTestId('whatif-minutes').fill('10');
      await whatIf.getByTestId('whatif-minutes-submit').click();
      assert.match(await whatIf.getByTestId('whatif-slots').innerText(), /Shorter than one slot \(20 minutes\)/);

      // Publishing asks first, naming how many people are told.
      await preview.getByTestId('publish').click();
      const dialog = organiser.locator('dialog.dialog');
      assert.match(await dialog.innerText(), /3 people whose meetings change are told/);
      await dialog.getByTestId('dialog-confirm').click();
      await organiser.getByTestId('run-published').waitFor();
      assert.match(await organiser.getByTestId('schedule-published').innerText(), /Published on/);
      // The three emails with the schedule go out in the background; the page follows them.
      await organiser.waitForFunction(() => /Schedule emails: 3 of 3 sent, 0 failed/.test(document.querySelector('[data-testid="schedule-mail-progress"]')?.textContent || ''), null, { timeout: 20_000 });
      const grid = organiser.getByTestId('meetings-grid');
      await grid.getByTestId('meeting').nth(1).waitFor();
      assert.equal(await grid.getByTestId('meeting').count(), 2);
      assert.match(await organiser.getByTestId('meetings-count').innerText(), /2 meetings/);
      await organiser.getByTestId('download-schedule').waitFor();

      // By hand: moving Bea's meeting with Lena into the slot of her meeting with Sam is
      // refused, naming that meeting; the free slot works, and pinning marks it.
      const mine = (await api(organiser, 'GET', `/events/${eventId}/meetings`)).meetings;
      const withSam = mine.find((m) => m.people.some((p) => p.name === 'Sam Aanbieder'));
      const withLena = mine.find((m) => m.people.some((p) => p.name === 'Lena Aanbieder'));
      const slotIdOf = (m) => m.slot.slot_id || m.slot.id;
      const { slots } = await api(organiser, 'GET', `/events/${eventId}/slots`);
      const free = slots.find((s) => s.id !== slotIdOf(withSam) && s.id !== slotIdOf(withLena));
      await grid.locator(`[data-testid="meeting"][data-id="${withLena.id}"]`).click();
      const edit = organiser.getByTestId('meeting-dialog');
      await edit.getByTestId('move-slot').selectOption(slotIdOf(withSam));
      await edit.getByTestId('move-submit').click();
      await edit.getByTestId('edit-problem').waitFor();
      assert.match(await edit.getByTestId('edit-problem').innerText(), /Bea Aankoper \(Stad Lindeveld \d+\) is in another meeting then, with Sam Aanbieder/);
      await edit.getByTestId('move-slot').selectOption(free.id);
      await edit.getByTestId('move-submit').click();
      await edit.waitFor({ state: 'detached' });
      // The dialog closes at once; the grid follows when the list is read again.
      const moved = grid.locator(`tr[data-slot="${free.id}"] [data-testid="meeting"][data-id="${withLena.id}"]`);
      await moved.waitFor();
      assert.equal(await organiser.evaluate(() => document.activeElement?.dataset.id), withLena.id);
      await moved.click();
      await edit.getByTestId('pin-toggle').click();
      await edit.waitFor({ state: 'detached' });
      await organiser.locator(`[data-testid="meeting"][data-id="${withLena.id}"].is-pinned`).waitFor();

      // Bea's own meetings carry their table numbers.
      const hers = (await api(bea.page, 'GET', `/events/${eventId}/meetings`)).meetings;
      assert.equal(hers.length, 2);
      for (const m of hers) assert.ok(m.table && m.table.number >= 1 && m.table.number <= 2, 'each meeting has a table');
      await bea.page.goto(`${eventPath}/agenda`);
      await bea.page.getByText(/Sam Aanbieder/).first().waitFor();
      const agenda = await bea.page.locator('main').innerText();
      assert.match(agenda, /Lena Aanbieder/);
      assert.match(agenda, /Table [12]/);

      // Cancelling asks first; the meeting leaves the grid for the cancelled list.
      await grid.locator(`[data-testid="meeting"][data-id="${withSam.id}"]`).click();
      await edit.getByTestId('meeting-cancel').click();
      const confirm = organiser.locator('dialog.dialog').filter({ hasText: 'Cancel this meeting?' });
      assert.match(await confirm.innerText(), /Bea Aankoper .* Sam Aanbieder .* are told/s);
      await confirm.getByTestId('dialog-confirm').click();
      await edit.waitFor({ state: 'detached' });
      await organiser.getByTestId('meetings-cancelled').filter({ hasText: '1 cancelled meeting' }).waitFor();
      assert.equal(await grid.getByTestId('meeting').count(), 1);
      // Bea's open agenda follows live and says, in her words, why her accepted request
      // with Sam has no meeting now.
      const whyNot = bea.page.getByTestId('agenda-why-not');
      await whyNot.waitFor();
      assert.match(await whyNot.innerText(), /1 accepted request without a meeting/);
      assert.match(await whyNot.innerText(), /Sam Aanbieder/);
      assert.match(await whyNot.getByTestId('why-not').innerText(), /There is still room at .*: the organisers can still add this meeting\./);

      // In Dutch the page reads Dutch, and on a phone it does not scroll sideways.
      await organiser.getByTestId('lang-nl').click();
      await organiser.getByRole('heading', { level: 1, name: 'Gesprekken inplannen' }).waitFor();
      await organiser.getByTestId('lang-en').click();
      await organiser.setViewportSize({ width: 390, height: 844 });
      await organiser.reload();
      await organiser.getByTestId('schedule-meetings').waitFor();
      assert.ok(await organiser.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling on a phone');

      for (const who of [bea, sam, lena]) assert.deepEqual(who.errors.map((e) => e.message), []);
    } catch (err) {
      await mkdir(ARTIFACTS, { recursive: true });
      for (const [name, who] of Object.entries({ bea, sam, lena })) {
        await who.page.screenshot({ path: `${ARTIFACTS}/schedule-${name}.png`, fullPage: true }).catch(() => {});
      }
      throw err;
    } finally {
      await bea.context.close();
      await sam.context.close();
      await lena.context.close();
    }
  });
});
