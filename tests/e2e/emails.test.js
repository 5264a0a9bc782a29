// Browser test of the email choices on the profile page: announcements by email on or off,
// and per event whether emails about meeting requests come at once or as a digest.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, withPage, loginAsAdmin, createEvent, api, invite, participantBrowser, missingSettings,
} from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

test('a buyer switches announcement emails off and chooses a digest on the profile page', { skip: skip || false }, async () => {
  await withPage(browser, 'profile-email-choices', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Email choices ${Date.now()}`);
    const eventId = eventPath.split('/').pop();
    const email = `emails-${Date.now()}@buyer.example`;
    const loginPath = await invite(organiser, eventId, { name: 'Elsa Emails', email, role: 'buyer', organisation: `Elsa BV ${Date.now()}` });
    const { context, page, errors } = await participantBrowser(browser, loginPath);
    try {
      await page.goto('/me');
      await page.getByTestId('profile-emails').waitFor();
      const box = page.getByTestId('profile-announcement-emails');
      assert.equal(await box.isChecked(), true);
      await box.uncheck();
      await page.getByTestId('profile-emails-save').click();
      await page.waitForFunction(async () => {
        const me = await (await fetch('/api/session')).json();
        return me.me.announcement_emails === false;
      });
      // Per event with meeting requests: at once, a digest, or as the organisers set it.
      const timing = page.getByTestId(`profile-email-timing-${eventId}`);
      await timing.selectOption('digest');
      await page.getByTestId(`profile-request-emails-${eventId}`).getByRole('button').click();
      await page.waitForFunction(async (id) => {
        const choice = await (await fetch(`/api/events/${id}/request-notifications/me`)).json();
        return choice.chosen === 'digest';
      }, eventId);
      // Drawn again, the page shows what was saved.
      await page.reload();
      await page.getByTestId('profile-emails').waitFor();
      assert.equal(await page.getByTestId('profile-announcement-emails').isChecked(), false);
      assert.equal(await page.getByTestId(`profile-email-timing-${eventId}`).inputValue(), 'digest');
      const me = await api(page, 'GET', '/me');
      assert.equal(me.announcement_emails, false);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
