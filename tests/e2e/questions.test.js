// Questions ahead of a market dialogue in the browser: a buyer signs up, writes a question
// in the programme and changes it; her agenda shows it; the organiser opens the session's
// briefing from the programme set-up, finds her with her question, downloads it as CSV and
// prints it without the buttons (and reads it on a phone); she removes her question and the briefing says so.

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

const card = (page, title) => page.getByTestId('session-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

test('a participant writes a question ahead; the organiser reads it in the briefing, as CSV and on paper', { skip: skip || false }, async () => {
  await withPage(browser, 'questions-briefing', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Questions test ${Date.now()}`);

    await organiser.goto(`${eventPath}/setup/participants`);
    const email = `greet-${Date.now()}@example.org`;
    await organiser.getByTestId('invite-name').fill('Greet Aankoper');
    await organiser.getByTestId('invite-email').fill(email);
    await organiser.getByTestId('invite-organisation').fill('Stad Brugge');
    await organiser.getByTestId('invite-role').selectOption('buyer');
    const seen = await existingMail();
    await organiser.getByTestId('invite-submit').click();
    const { path: loginPath } = await waitForLoginLink(email, seen);

    const dialogue = 'Workwear dialogue';
    await organiser.goto(`${eventPath}/setup/programme`);
    await organiser.getByTestId('new-session').click();
    await organiser.getByTestId('session-form').waitFor();
    await organiser.getByTestId('session-kind').selectOption('market_dialogue');
    await organiser.getByTestId('session-title-nl').fill('Dialoog werkkledij');
    await organiser.getByTestId('session-title-en').fill(dialogue);
    await organiser.getByTestId('session-start').fill('14:00');
    await organiser.getByTestId('session-end').fill('15:00');
    await organiser.getByTestId('session-capacity').fill('10');
    await organiser.getByTestId('session-submit').click();
    await organiser.getByTestId('manage-session').filter({ hasText: dialogue }).waitFor();

    // Greet signs up, and the box for her question appears in the session.
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const greet = await context.newPage();
    greet.setDefaultTimeout(15_000);
    const errors = [];
    greet.on('pageerror', (err) => errors.push(err));
    try {
      await greet.goto(loginPath);
      await greet.getByTestId('confirm-login').click();
      await greet.locator('[data-testid="event-page"], [data-testid="my-events"]').first().waitFor();
      await greet.getByTestId('lang-en').click();
      await greet.goto(`${eventPath}/programme`);
      const session = card(greet, dialogue);
      assert.equal(await session.getByTestId('question-box').count(), 0, 'no box before signing up');
      await session.getByTestId('session-signup').click();
      await session.locator('[data-testid="my-signup-status"][data-status="confirmed"]').waitFor();
      const box = session.getByTestId('question-box');
      await box.waitFor();

      // An empty question is refused in the form; a real one is saved and shown.
      await box.getByTestId('question-save').click();
      await box.locator('.field-error:not([hidden])').waitFor();
      await box.getByTestId('question-input').fill('Can workwear be leased?\nWe need 300 sets a year.');
      await box.getByTestId('question-save').click();
      await box.getByTestId('question-text').filter({ hasText: 'We need 300 sets a year.' }).waitFor();
      await box.getByTestId('question-edit').click();
      await box.getByTestId('question-input').fill('Can workwear be leased, with repairs included?\nWe need 300 sets a year.');
      await box.getByTestId('question-save').click();
      await box.getByTestId('question-text').filter({ hasText: 'with repairs included' }).waitFor();

      // The agenda shows it too, to change until the session starts.
      await greet.getByTestId('agenda-link').click();
      const item = greet.getByTestId('agenda-item').filter({ hasText: dialogue });
      await item.getByTestId('question-text').filter({ hasText: 'with repairs included' }).waitFor();

      // The organiser opens the briefing from the programme set-up and finds Greet's question.
      await organiser.goto(`${eventPath}/setup/programme`);
      await organiser.getByTestId('manage-session').filter({ hasText: dialogue }).getByTestId('session-briefing-link').click();
      await organiser.getByTestId('briefing-page').waitFor();
      const person = organiser.getByTestId('briefing-person').filter({ hasText: 'Greet Aankoper' });
      await person.waitFor();
      assert.match(await person.innerText(), /Stad Brugge/);
      assert.equal(await person.getByTestId('briefing-status').getAttribute('data-status'), 'confirmed');
      await person.getByTestId('briefing-question').filter({ hasText: 'Can workwear be leased, with repairs included?' }).waitFor();
      assert.match(await organiser.getByTestId('briefing-summary').innerText(), /1 person with a seat · 1 question/);

      // The spreadsheet: English headers (the page's language), the question in its cell.
      const href = await organiser.getByTestId('briefing-csv').getAttribute('href');
      assert.match(href, /\/briefing\?format=csv&lang=en$/);
      const download = await organiser.request.get(href);
      assert.equal(download.status(), 200);
      assert.match(download.headers()['content-disposition'], /^attachment; filename=".+\.csv"$/);
      const csv = await download.text();
      assert.ok(csv.startsWith('Name,Organisation,Role,Sign-up,Waitlist position,Question,'), csv);
      assert.match(csv, /Greet Aankoper,Stad Brugge,buyer,confirmed,,"Can workwear be leased, with repairs included\?\nWe need 300 sets a year\."/);

      // On paper: the people and the question, no buttons.
      await organiser.emulateMedia({ media: 'print' });
      assert.equal(await organiser.getByTestId('briefing-print').isVisible(), false);
      assert.equal(await organiser.getByTestId('briefing-csv').isVisible(), false);
      assert.ok(await person.getByTestId('briefing-question').isVisible());
      await organiser.emulateMedia({ media: 'screen' });
      // On a phone it fits the screen.
      await organiser.setViewportSize({ width: 390, height: 844 });
      const sizes = await organiser.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      assert.ok(sizes.scroll <= sizes.width, `the briefing scrolls sideways on a phone: ${JSON.stringify(sizes)}`);
      await organiser.setViewportSize({ width: 1280, height: 900 });

      // Greet removes her question (after confirming); the refreshed briefing says she sent none.
      await greet.goto(`${eventPath}/programme`);
      const again = card(greet, dialogue).getByTestId('question-box');
      await again.getByTestId('question-remove').click();
      await greet.getByTestId('dialog-confirm').click();
      await again.getByTestId('question-input').waitFor();
      assert.equal(await again.getByTestId('question-input').inputValue(), '');
      await organiser.getByTestId('briefing-refresh').click();
      await person.getByText('No question sent.').waitFor();
      assert.equal(await person.getByTestId('briefing-question').count(), 0);

      assert.deepEqual(errors.map((e) => e.message), []);
    } finally {
      await context.close();
    }
  });
});
