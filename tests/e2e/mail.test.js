// The event's email in the browser, as an organiser: from the event page to "Email", where
// the two invitations just sent are counted under their kind and listed with their state;
// a search narrows the list to one address (and stays in the address bar); a message's
// text shows its login link masked; "Send again" queues it anew (a toast says so) and the
// new message is listed as sent again. In Dutch the page speaks Dutch.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, withPage, missingSettings, loginAsAdmin, createEvent, invite } from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

test('an organiser follows the event\'s email and sends one again', { skip: skip || false }, async () => {
  await withPage(browser, 'mail', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Mail test ${Date.now()}`);
    const eventId = eventPath.split('/').pop();
    const stamp = Date.now();
    const bea = `bea-m-${stamp}@example.org`;
    const sam = `sam-m-${stamp}@example.org`;
    await invite(organiser, eventId, { name: 'Bea Aankoper', email: bea, role: 'buyer' });
    await invite(organiser, eventId, { name: 'Sam Aanbieder', email: sam, role: 'supplier' });

    await organiser.goto(eventPath);
    await organiser.getByTestId('mail-link').click();
    await organiser.waitForURL(/\/mail$/);
    const invitations = organiser.locator('[data-testid="mail-progress-row"][data-kind="invitation"]');
    await invitations.waitFor();
    // Both delivered (the page asks again while any is on its way).
    await organiser.waitForFunction(() => /2 of 2 sent/.test(document.querySelector('[data-kind="invitation"]')?.textContent || ''), null, { timeout: 20_000 });
    assert.equal(await organiser.getByTestId('mail-row').count(), 2);

    // Search by address.
    await organiser.getByTestId('mail-search').fill(bea);
    await organiser.getByTestId('mail-filters').locator('button[type="submit"]').click();
    await organiser.waitForFunction(() => document.querySelectorAll('[data-testid="mail-row"]').length === 1);
    assert.match(organiser.url(), /q=bea-m-/);
    const row = organiser.getByTestId('mail-row').first();
    assert.match(await row.innerText(), /Invitation/);
    assert.match(await row.getByTestId('mail-status').innerText(), /Sent/);

    // The text, with its link masked.
    await row.locator('summary').click();
    const text = await row.getByTestId('mail-text').innerText();
    assert.match(text, /#token=…/);
    assert.doesNotMatch(text, /#token=[0-9a-f]{64}/);

    // Send it again: a new message, marked as sent again.
    await row.getByTestId('mail-resend').click();
    await organiser.waitForFunction(() => document.querySelectorAll('[data-testid="mail-row"]').length === 2);
    assert.match(await organiser.getByTestId('mail-row').first().innerText(), /sent again/);

    // In Dutch.
    await organiser.getByTestId('lang-nl').click();
    await organiser.waitForFunction(() => document.documentElement.lang === 'nl');
    // The page is drawn again in Dutch.
    await organiser.waitForFunction(() => document.querySelector('h1')?.textContent === 'E-mail');
    await organiser.getByTestId('mail-table').waitFor();
    assert.match(await organiser.getByTestId('mail-row').first().innerText(), /Uitnodiging/);
  });
});
