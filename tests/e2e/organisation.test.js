// Membership by grant in the browser: two people are invited naming the same organisation;
// the first founds it, the second waits; the organiser sees the request, and the founder
// lets the colleague in from the profile page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, withPage, existingMail, waitForLoginLink, missingSettings, loginAsAdmin, createEvent,
} from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

async function invite(page, name, email, organisation) {
  await page.getByTestId('invite-name').fill(name);
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-organisation').fill(organisation);
  await page.getByTestId('invite-role').selectOption('supplier');
  const seen = await existingMail();
  await page.getByTestId('invite-submit').click();
  return waitForLoginLink(email, seen);
}

test('a colleague who names an existing organisation joins only when a member lets them in', { skip: skip || false }, async () => {
  await withPage(browser, 'organisation-grant', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Organisation test ${Date.now()}`);
    const organisation = `Kringloop E2E ${Date.now()}`;
    const founder = `founder-${Date.now()}@example.org`;
    const colleague = `colleague-${Date.now()}@example.org`;
    await organiser.goto(`${eventPath}/setup/participants`);
    const { path: founderLogin } = await invite(organiser, 'Fien Founder', founder, organisation);
    await invite(organiser, 'Cas Colleague', colleague, organisation);

    // The organiser sees who asks to join, in the list and among the requests.
    await organiser.getByTestId('participant-requested').filter({ hasText: organisation }).waitFor();
    await organiser.getByTestId('event-organisation-request').filter({ hasText: 'Cas Colleague' }).waitFor();

    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = [];
    page.on('pageerror', (err) => errors.push(err));
    try {
      await page.goto(founderLogin);
      await page.getByTestId('confirm-login').click();
      await page.locator('[data-testid="event-page"], [data-testid="my-events"]').first().waitFor();
      await page.getByTestId('lang-en').click();
      await page.goto('/me');
      await page.getByTestId('organisation-current').filter({ hasText: organisation }).waitFor();
      const request = page.getByTestId('organisation-request').filter({ hasText: 'Cas Colleague' });
      await request.getByTestId('request-confirm').click();
      await page.getByTestId('organisation-member').filter({ hasText: 'Cas Colleague' }).waitFor();
      await page.getByTestId('organisation-no-requests').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // The organiser's list now shows the colleague in the organisation, with no request left.
    await organiser.reload();
    await organiser.getByTestId('participant-row').filter({ hasText: 'Cas Colleague' }).filter({ hasText: organisation }).waitFor();
    assert.equal(await organiser.getByTestId('participant-requested').count(), 0);
  });
});
