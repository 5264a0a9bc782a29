// One-to-one meeting requests in the browser: a buyer finds a supplier among her
// recommendations and asks for a meeting in one click; the supplier, with his requests page
// open in his own browser, sees it arrive live and accepts; her open requests page shows
// "accepted" without a reload. From a factsheet's page she asks a second supplier, who
// declines with a reason she reads live. The organiser places her accepted meeting by hand
// and her open agenda shows it with its table. Her availability: the slot her session keeps free
// shows as such with the session's name, and the slots she ticks stay ticked after a reload.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import {
  ARTIFACTS, BASE_URL, launchBrowser, withPage, missingSettings, loginAsAdmin, createEvent, futureDate, api, invite, participantBrowser,
} from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;
// What the first test leaves for the next: the event and the buyer's login.
let shared = null;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

/** A supplier publishes a factsheet about refurbished office chairs; the organiser approves it. */
async function publish(supplier, organiser, eventId, title) {
  const sheet = await api(supplier, 'POST', `/events/${eventId}/factsheets`, {
    title_nl: `${title} (NL)`, title_en: title,
    pitch_nl: 'Refurbished bureaustoelen als dienst.', pitch_en: 'Refurbished office chairs as a service.',
    description_en: 'We refurbish office chairs and take them back at the end of their use.',
    product_groups: ['office-furniture'], business_models: ['product-as-a-service', 'refurbished-second-hand'],
    claims: [{ strategy: 'A3', explanation_en: 'Chairs are refurbished and reused.', evidence: [{ kind: 'lca', title: 'LCA 2025', url: 'https://example.org/lca.pdf' }] }],
    contact_name: 'Sales', contact_email: 'sales@example.org', country: 'be',
  });
  await api(supplier, 'POST', `/events/${eventId}/factsheets/${sheet.id}/submit`);
  await api(organiser, 'POST', `/events/${eventId}/factsheets/${sheet.id}/review`, { decision: 'approve' });
  return sheet.id;
}

const requestOf = (page, list, name) => page.getByTestId(list).getByTestId('request').filter({ hasText: name });

test('a recommendation becomes a request; the supplier accepts live and the buyer sees it live', { skip: skip || false }, async () => {
  await withPage(browser, 'meetings-request', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Meetings test ${Date.now()}`);
    const eventId = eventPath.split('/').pop();
    const date = futureDate();
    await api(organiser, 'POST', `/events/${eventId}/slots/generate`, { date, start: '13:00', end: '15:00', slot_minutes: 20, breaks: [] });

    // The organiser's rules: a limit refused by the browser at its field, then saved.
    await organiser.goto(`${eventPath}/setup/meetings`);
    await organiser.getByTestId('rules-max_requests_sent').fill('-3');
    await organiser.getByTestId('rules-save').click();
    const limitField = organiser.getByTestId('rules-max_requests_sent');
    assert.equal(await limitField.getAttribute('aria-invalid'), 'true');
    assert.equal(await organiser.evaluate(() => document.activeElement?.dataset.testid), 'rules-max_requests_sent');
    await limitField.fill('10');
    await organiser.getByTestId('rules-save').click();
    await organiser.getByTestId('rules-status').getByText('Last changed').waitFor();

    const stamp = Date.now();
    const buyerLogin = await invite(organiser, eventId, { name: 'Bea Aankoper', email: `bea-${stamp}@example.org`, organisation: `Stad Lindeveld ${stamp}`, role: 'buyer' });
    const samLogin = await invite(organiser, eventId, { name: 'Sam Aanbieder', email: `sam-${stamp}@example.org`, organisation: `ReMeubel ${stamp}`, role: 'supplier', job_title: 'Sales lead' });
    const lenaLogin = await invite(organiser, eventId, { name: 'Lena Aanbieder', email: `lena-${stamp}@example.org`, organisation: `Lumen ${stamp}`, role: 'supplier' });
    const sam = await participantBrowser(browser, samLogin);
    const lena = await participantBrowser(browser, lenaLogin);
    const bea = await participantBrowser(browser, buyerLogin);
    try {
      await publish(sam.page, organiser, eventId, 'Chairs as a service');
      const lenaSheet = await publish(lena.page, organiser, eventId, 'Lighting as a service');
      await api(bea.page, 'PUT', `/events/${eventId}/needs/me`, {
        product_groups: ['office-furniture'], strategies: ['A3'], project_what: 'Refurbished office chairs for the town hall', shared_with_suppliers: true,
      });

      // Sam keeps his requests page open.
      await sam.page.goto(`${eventPath}/requests`);
      await sam.page.getByTestId('received-empty').waitFor();
      await sam.page.locator('[data-testid="live-status"][data-state="live"]').waitFor();

      // Bea finds Sam among her recommendations, with reasons, and asks him in one click.
      await bea.page.goto(eventPath);
      await bea.page.getByTestId('my-meetings').getByTestId('recommendations-link').click();
      const entry = bea.page.getByTestId('recommendation').filter({ hasText: 'Sam Aanbieder' });
      await entry.waitFor();
      assert.ok((await entry.getByTestId('recommendation-reasons').locator('li').count()) > 0, 'the recommendation gives its reasons');
      assert.equal(await entry.getByTestId('request-priority-choice').inputValue(), 'would_like');
      await entry.getByTestId('request-priority-choice').selectOption('must');
      await entry.getByTestId('request-send').click();
      const note = entry.locator('[data-testid="request-note"][data-status="pending"]');
      await note.waitFor();
      assert.equal(await bea.page.evaluate(() => document.activeElement?.dataset.testid), 'request-note');

      // Sam's open page shows the request at once, with her priority.
      const received = requestOf(sam.page, 'requests-received', 'Bea Aankoper');
      await received.waitFor();
      assert.equal(await received.getAttribute('data-status'), 'pending');
      assert.match(await sam.page.getByTestId('requests-change').innerText(), /Bea Aankoper asked you for a meeting/);
      assert.match(await received.getByTestId('request-their-priority').innerText(), /Must meet/);

      // Bea opens her requests from the recommendation and keeps the page open.
      await note.getByTestId('request-note-link').click();
      const sent = requestOf(bea.page, 'requests-sent', 'Sam Aanbieder');
      await sent.waitFor();
      assert.equal(await sent.getAttribute('data-status'), 'pending');
      await bea.page.locator('[data-testid="live-status"][data-state="live"]').waitFor();

      // Sam accepts with his own priority; Bea's page shows it without a reload.
      await received.getByTestId('accept-priority').selectOption('would_like');
      await received.getByTestId('request-accept').click();
      await sam.page.locator('[data-testid="requests-received"] [data-testid="request"][data-status="accepted"]').waitFor();
      await bea.page.locator('[data-testid="requests-sent"] [data-testid="request"][data-status="accepted"]').waitFor();
      assert.match(await bea.page.getByTestId('requests-change').innerText(), /Sam Aanbieder accepted your meeting request/);
      assert.match(await sent.getByTestId('request-their-priority').innerText(), /Would like to meet/);
      // Her counters follow: one request of the ten the organiser allows, one meeting.
      await bea.page.getByTestId('request-counts').filter({ hasText: '1 of at most 10 requests sent · 1 meeting' }).waitFor();

      // The organiser places the accepted meeting by hand; Bea's open agenda shows it at
      // once: the table number first, Sam with his organisation, a link to his factsheet.
      await bea.page.goto(`${eventPath}/agenda`);
      await bea.page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
      const tables = (await api(organiser, 'PUT', `/events/${eventId}/tables`, { count: 3 })).tables;
      const slots = (await api(organiser, 'GET', `/events/${eventId}/slots`)).slots;
      const accepted = (await api(bea.page, 'GET', `/events/${eventId}/requests`)).sent.find((r) => r.other.name === 'Sam Aanbieder');
      await api(organiser, 'POST', `/events/${eventId}/meetings`, { request_id: accepted.id, slot_id: slots[3].id, table_id: tables[2].id });
      const meeting = bea.page.getByTestId('agenda-meeting');
      await meeting.waitFor();
      assert.match(await bea.page.getByTestId('agenda-change').innerText(), /A meeting with Sam Aanbieder is now in your agenda/);
      assert.equal((await meeting.getByTestId('agenda-table').innerText()).trim(), 'Table 3');
      assert.equal(await meeting.getByTestId('agenda-partner').innerText(), 'Meeting with Sam Aanbieder');
      assert.match(await meeting.innerText(), new RegExp(`ReMeubel ${stamp} · Supplier`));
      assert.match(await meeting.innerText(), /14:00–14:20/);
      assert.match(await meeting.getByTestId('agenda-factsheet').getAttribute('href'), new RegExp(`/events/${eventId}/catalogue/`));

      // From Lena's factsheet Bea asks her, with a message; Lena declines with a reason,
      // which Bea's open requests page shows live.
      await lena.page.goto(`${eventPath}/requests`);
      await lena.page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
      await bea.page.goto(`${eventPath}/catalogue/${lenaSheet}`);
      await bea.page.getByTestId('to-meet-card').click();
      const meet = bea.page.getByTestId('meet-card');
      await meet.getByTestId('request-message').fill('Do you also light council offices?');
      await meet.getByTestId('request-send').click();
      await meet.locator('[data-testid="request-note"][data-status="pending"]').waitFor();
      await bea.page.goto(`${eventPath}/requests`);
      await bea.page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
      const asked = requestOf(lena.page, 'requests-received', 'Bea Aankoper');
      await asked.waitFor();
      assert.match(await asked.getByTestId('request-text').innerText(), /council offices/);
      await asked.getByTestId('request-decline').click();
      assert.equal(await lena.page.evaluate(() => document.activeElement?.dataset.testid), 'decline-reason');
      await asked.getByTestId('decline-reason').fill('We only light warehouses.');
      await asked.getByTestId('request-decline-confirm').click();
      const declined = bea.page.locator('[data-testid="requests-sent"] [data-testid="request"][data-status="declined"]');
      await declined.waitFor();
      assert.match(await declined.getByTestId('request-reason').innerText(), /only light warehouses/);

      // The organisers' overview counts both requests, and offers the table as a spreadsheet.
      await organiser.goto(`${eventPath}/setup/meetings`);
      await organiser.getByTestId('requests-overview-link').click();
      await organiser.getByTestId('overview-requests').filter({ hasText: '2' }).waitFor();
      assert.match(await organiser.getByTestId('overview-rate-answered').innerText(), /50%/);
      assert.equal(await organiser.getByTestId('overview-person').count(), 3);
      assert.match(await organiser.getByTestId('overview-csv').getAttribute('href'), /format=csv&lang=en$/);

      for (const who of [bea, sam, lena]) assert.deepEqual(who.errors.map((e) => e.message), []);
      shared = { eventPath, eventId, beaState: await bea.context.storageState() };
    } catch (err) {
      // The organiser's page gets its screenshot from withPage; these are the others'.
      await mkdir(ARTIFACTS, { recursive: true });
      for (const [name, who] of Object.entries({ bea, sam, lena })) {
        await who.page.screenshot({ path: `${ARTIFACTS}/meetings-request-${name}.png`, fullPage: true }).catch(() => {});
      }
      throw err;
    } finally {
      await sam.context.close();
      await lena.context.close();
      await bea.context.close();
    }
    // The organiser's page is still open here: the next test creates its session through it.
    shared.sessionId = (await api(organiser, 'POST', `/events/${eventId}/sessions`, {
      kind: 'market_dialogue', title_nl: 'Dialoog kantoormeubilair', title_en: 'Office furniture dialogue',
      date, start: '13:20', end: '13:40', capacity: 10,
    })).id;
  });
});

test('availability: the slot a session keeps free is named; ticked slots stay ticked after a reload', { skip: skip || false }, async () => {
  assert.ok(shared, 'the request test ran first');
  const { eventPath, eventId, sessionId } = shared;
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 }, storageState: shared.beaState });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  try {
    await page.goto(eventPath);
    await api(page, 'PUT', `/events/${eventId}/sessions/${sessionId}/signup`);
    await page.getByTestId('my-meetings').getByTestId('availability-link').click();
    const tiles = page.getByTestId('availability-slot');
    await tiles.first().waitFor();
    assert.equal(await tiles.count(), 6);
    const blocked = tiles.nth(1);
    assert.equal(await blocked.getAttribute('data-state'), 'blocked');
    assert.match(await blocked.getByTestId('availability-session').innerText(), /Office furniture dialogue/);
    assert.equal(await blocked.getByTestId('availability-toggle').count(), 0);
    assert.match(await page.getByTestId('availability-count').innerText(), /You can meet in 5 of 6 meeting slots/);

    // She arrives late and leaves early: the first and the last slot.
    await tiles.nth(0).locator('label').click();
    await tiles.nth(5).locator('label').click();
    await page.getByTestId('availability-unsaved').waitFor();
    assert.match(await page.getByTestId('availability-count').innerText(), /You can meet in 3 of 6 meeting slots/);
    await page.getByTestId('availability-save').click();
    await page.getByTestId('availability-unsaved').waitFor({ state: 'hidden' });
    await page.reload();
    await tiles.first().waitFor();
    const states = await tiles.evaluateAll((all) => all.map((el) => el.dataset.state));
    assert.deepEqual(states, ['unavailable', 'blocked', 'available', 'available', 'available', 'unavailable']);

    // Changing her mind about the last slot sticks too.
    await tiles.nth(5).locator('label').click();
    await page.getByTestId('availability-save').click();
    await page.getByTestId('availability-unsaved').waitFor({ state: 'hidden' });
    await page.reload();
    await tiles.first().waitFor();
    assert.equal(await tiles.nth(5).getAttribute('data-state'), 'available');
    assert.equal(await tiles.nth(0).getAttribute('data-state'), 'unavailable');
    assert.deepEqual(errors.map((e) => e.message), []);
  } catch (err) {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/meetings-availability.png`, fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
});
