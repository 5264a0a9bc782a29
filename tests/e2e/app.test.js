// Browser tests of the matchfloor web app against a running server (see README.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, ADMIN_EMAIL, launchBrowser, withPage, existingMail, waitForLoginLink, missingSettings,
} from './helpers.js';

const skipAll = missingSettings('MATCHFLOOR_E2E_URL');
const skipLogin = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;

before(async () => {
  if (!skipAll) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

/** An event date 60 days ahead, as the date input wants it. */
function futureDate() {
  const d = new Date(Date.now() + 60 * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

test('an admin logs in by email link, creates an event and generates a grid with a break', { skip: skipLogin || false }, async () => {
  await withPage(browser, 'admin-creates-event-and-grid', async (page) => {
    // Ask for a login link through the UI.
    await page.goto('/');
    await page.getByTestId('login-email').fill(ADMIN_EMAIL);
    const seen = await existingMail();
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-sent').waitFor();

    // Open the link from the mail and confirm with one click.
    const { path } = await waitForLoginLink(ADMIN_EMAIL, seen);
    await page.goto(path);
    await page.getByRole('button', { name: 'Log me in' }).click();
    await page.getByTestId('my-events').waitFor();
    // The admin's profile language may be Dutch from an earlier run: this test reads English.
    await page.getByTestId('lang-en').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');

    // Create an event.
    await page.getByTestId('new-event').first().click();
    const name = `E2E circular day ${Date.now()}`;
    await page.getByLabel('Event name').fill(name);
    await page.getByTestId('event-start-date').fill(futureDate());
    await page.getByTestId('event-timezone').selectOption('Europe/Brussels');
    await page.getByTestId('event-venue').fill('Circular Hub, Ghent');
    await page.getByTestId('event-submit').click();
    await page.waitForURL(/\/events\/[^/]+\/setup\/grid$/);
    const eventPath = new URL(page.url()).pathname.replace(/\/setup\/grid$/, '');

    // Generate 13:00-17:00 in 20-minute slots with a break 15:00-15:20.
    await page.getByTestId('grid-form').waitFor();
    await page.getByTestId('grid-start').fill('13:00');
    await page.getByTestId('grid-end').fill('17:00');
    await page.getByTestId('grid-slot-minutes').fill('20');
    await page.getByTestId('add-break').click();
    await page.getByTestId('break-start').fill('15:00');
    await page.getByTestId('break-end').fill('15:20');
    await page.getByTestId('break-label').fill('Coffee break');
    assert.match(await page.getByTestId('grid-preview').innerText(), /11 meeting slots and 1 break/);
    await page.getByTestId('grid-generate').click();

    const rows = page.getByTestId('slot-row');
    await rows.nth(11).waitFor();
    assert.equal(await rows.count(), 12);
    assert.equal(await page.locator('[data-testid="slot-row"][data-kind="meeting"]').count(), 11);
    const breakRow = page.locator('[data-testid="slot-row"][data-kind="break"]');
    assert.equal(await breakRow.count(), 1);
    assert.equal(await breakRow.getByTestId('slot-start').inputValue(), '15:00');
    assert.equal(await breakRow.getByTestId('slot-end').inputValue(), '15:20');
    assert.equal(await rows.first().getByTestId('slot-start').inputValue(), '13:00');
    assert.equal(await rows.last().getByTestId('slot-end').inputValue(), '17:00');

    // The participant home shows the same programme.
    await page.goto(eventPath);
    await page.getByTestId('programme').waitFor();
    assert.equal(await page.getByTestId('programme-slot').count(), 12);
    assert.equal(await page.locator('[data-testid="programme-slot"][data-kind="break"]').count(), 1);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), name);

    // Switching the language while logged in also saves it in the profile.
    const [saved] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me' && r.request().method() === 'PATCH'),
      page.getByTestId('lang-nl').click(),
    ]);
    assert.equal(saved.status(), 200);
    assert.equal((await saved.json()).language, 'nl');
    await page.getByRole('heading', { level: 2, name: 'Programma' }).waitFor();
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { level: 2, name: 'Programme' }).waitFor();
  });
});

test('the language switch turns the interface into Dutch and remembers it', { skip: skipAll || false }, async () => {
  await withPage(browser, 'language-switch', async (page) => {
    await page.goto('/');
    const submit = page.getByTestId('login-submit');
    await submit.waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal((await submit.innerText()).trim(), 'Send me a link');

    await page.getByTestId('lang-nl').click();
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    assert.equal((await page.getByTestId('login-submit').innerText()).trim(), 'Stuur me een link');
    assert.equal(await page.getByLabel('E-mailadres').count(), 1);
    assert.equal(await page.getByTestId('lang-nl').getAttribute('aria-pressed'), 'true');

    await page.reload();
    await page.getByTestId('login-submit').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    assert.equal((await page.getByTestId('login-submit').innerText()).trim(), 'Stuur me een link');
  }, { locale: 'en-US' });
});
