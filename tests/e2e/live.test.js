// Live updates in the browser: two tabs on one event page, an announcement sent from one
// shows up in the other without a reload, and the connection indicator tells the state.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, withPage, loginAsAdmin, createEvent, missingSettings } from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

test('an announcement sent in one tab appears live in another', { skip: skip || false }, async () => {
  await withPage(browser, 'live-announcement', async (first) => {
    // One login for the whole file; the second tab shares the context's session cookie.
    await loginAsAdmin(first);
    const eventPath = await createEvent(first, `E2E live ${Date.now()}`);

    const second = await first.context().newPage();
    second.setDefaultTimeout(15_000);
    const secondErrors = [];
    second.on('pageerror', (err) => secondErrors.push(err));
    await first.goto(eventPath);
    await second.goto(eventPath);
    for (const page of [first, second]) {
      await page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
      assert.equal((await page.getByTestId('live-status').innerText()).trim(), 'Live');
      await page.getByTestId('announcements-empty').waitFor();
    }

    // The form says what is missing without asking the server.
    await first.getByTestId('announce-compose').locator('summary').click();
    await first.getByTestId('announce-submit').click();
    await first.getByText('Write the announcement in Dutch, English or both.').waitFor();
    assert.equal(await first.getByTestId('announce-body-en').getAttribute('aria-invalid'), 'true');

    const english = `Pitches start in 5 minutes on the pitch stage (${Date.now()}).`;
    const dutch = 'De pitches beginnen over 5 minuten in het Pitchpodium.';
    await first.getByTestId('announce-body-nl').fill(dutch);
    await first.getByTestId('announce-body-en').fill(english);
    await first.getByTestId('announce-audience-everyone').check();
    const [posted] = await Promise.all([
      first.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/announcements') && r.request().method() === 'POST'),
      first.getByTestId('announce-submit').click(),
    ]);
    assert.equal(posted.status(), 201);

    // The other tab: banner and list, no reload.
    const banner = second.getByTestId('announcement-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), new RegExp(english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await second.getByTestId('announcement-banner-region').getAttribute('role'), 'status');
    const item = second.getByTestId('announcement').first();
    await item.waitFor();
    assert.equal((await item.locator('.announcement-text').innerText()).trim(), english);
    assert.equal(await second.getByTestId('announcements-empty').isVisible(), false);
    assert.equal((await second.getByTestId('live-status').innerText()).trim(), 'Live');

    // The sending tab lists it too, without a banner of its own.
    await first.getByTestId('announcement').first().waitFor();
    assert.equal(await first.getByTestId('announcement').count(), 1);
    assert.equal(await first.getByTestId('announcement-banner').count(), 0);

    // Dismissing the banner keeps the list.
    await second.getByTestId('announcement-dismiss').click();
    assert.equal(await second.getByTestId('announcement-banner').count(), 0);
    assert.equal(await second.getByTestId('announcement').count(), 1);

    // In Dutch the Dutch text shows, and the indicator speaks Dutch.
    await second.getByTestId('lang-nl').click();
    await second.getByRole('heading', { level: 2, name: 'Mededelingen' }).waitFor();
    assert.equal((await second.getByTestId('announcement').first().locator('.announcement-text').innerText()).trim(), dutch);
    await second.locator('[data-testid="live-status"][data-state="live"]').waitFor();
    assert.equal((await second.getByTestId('live-status').innerText()).trim(), 'Live');
    await second.getByTestId('lang-en').click();
    await second.getByRole('heading', { level: 2, name: 'Announcements' }).waitFor();

    // Offline and back: the indicator follows, and the page catches up with what it missed.
    await second.context().setOffline(true);
    await second.locator('[data-testid="live-status"][data-state="offline"]').waitFor();
    assert.equal((await second.getByTestId('live-status').innerText()).trim(), 'Offline');
    await second.context().setOffline(false);
    await second.locator('[data-testid="live-status"][data-state="live"]').waitFor();

    // Leaving the event page closes the socket; a second announcement is not lost on return.
    await second.getByRole('link', { name: 'My events' }).first().click();
    await second.getByTestId('my-events').waitFor();
    const later = `Lunch is served (${Date.now()}).`;
    await first.getByTestId('announce-body-en').fill(later);
    await first.getByTestId('announce-submit').click();
    await first.getByTestId('announcement').nth(1).waitFor();
    await second.goto(eventPath);
    await second.getByTestId('announcement').nth(1).waitFor();
    assert.equal((await second.getByTestId('announcement').first().locator('.announcement-text').innerText()).trim(), later);

    if (secondErrors.length) throw new Error(`errors in the second tab: ${secondErrors.map((e) => e.message).join('; ')}`);
  });
});
