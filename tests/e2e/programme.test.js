// The programme in the browser: an organiser adds a market dialogue with one seat; a buyer
// signs up, finds it in the agenda and cancels; a second buyer waits on the list with the
// page open and sees the seat come to them live when the first cancels; an overlapping
// session is refused by name. Then the pages on a phone: no sideways scrolling, no console
// errors, and on the event's day the agenda is the first screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, withPage, existingMail, waitForLoginLink, missingSettings, loginAsAdmin, createEvent,
} from './helpers.js';

const skip = missingSettings('MATCHFLOOR_E2E_URL', 'MATCHFLOOR_E2E_MAIL_DIR', 'MATCHFLOOR_E2E_ADMIN_EMAIL');
let browser;
// What the first test leaves for the phone test: the event and the second buyer's session.
let shared = null;

before(async () => {
  if (!skip) browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

async function invite(page, name, email) {
  await page.getByTestId('invite-name').fill(name);
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-organisation').fill(`${name.split(' ')[0]} Inkoop`);
  await page.getByTestId('invite-role').selectOption('buyer');
  const seen = await existingMail();
  await page.getByTestId('invite-submit').click();
  return (await waitForLoginLink(email, seen)).path;
}

/** A participant's own browser, logged in through their invitation link. */
async function participant(loginPath, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  await page.goto(loginPath);
  await page.getByTestId('confirm-login').click();
  await page.locator('[data-testid="event-page"], [data-testid="my-events"]').first().waitFor();
  await page.getByTestId('lang-en').click();
  return { context, page, errors };
}

async function addSession(organiser, eventPath, { title, start, end, capacity }) {
  await organiser.goto(`${eventPath}/setup/programme`);
  await organiser.getByTestId('new-session').click();
  await organiser.getByTestId('session-form').waitFor();
  await organiser.getByTestId('session-kind').selectOption('market_dialogue');
  await organiser.getByTestId('session-title-nl').fill(`${title} (NL)`);
  await organiser.getByTestId('session-title-en').fill(title);
  await organiser.getByTestId('session-description-en').fill('Buyers and suppliers talk about refurbished office furniture.');
  await organiser.getByTestId('session-room').selectOption({ label: 'Zaal Noord (30 seats)' });
  await organiser.getByTestId('session-start').fill(start);
  await organiser.getByTestId('session-end').fill(end);
  await organiser.getByTestId('session-capacity').fill(String(capacity));
  await organiser.getByTestId('session-submit').click();
  await organiser.getByTestId('manage-session').filter({ hasText: title }).waitFor();
}

const card = (page, title) => page.getByTestId('session-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

test('sign up, see it in the agenda, cancel; a waitlisted buyer sees the freed seat arrive live', { skip: skip || false }, async () => {
  await withPage(browser, 'programme-signup', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Programme test ${Date.now()}`);
    await organiser.goto(`${eventPath}/setup/rooms`);
    await organiser.getByTestId('add-room-name').fill('Zaal Noord');
    await organiser.getByTestId('add-room-capacity').fill('30');
    await organiser.getByTestId('add-room-submit').click();
    await organiser.getByTestId('room-row').first().waitFor();

    await organiser.goto(`${eventPath}/setup/participants`);
    const stamp = Date.now();
    const annaLogin = await invite(organiser, 'Anna Aankoper', `anna-${stamp}@example.org`);
    const bartLogin = await invite(organiser, 'Bart Aankoper', `bart-${stamp}@example.org`);

    const dialogue = 'Office furniture dialogue';
    await addSession(organiser, eventPath, { title: dialogue, start: '14:00', end: '15:00', capacity: 1 });
    await organiser.getByTestId('manage-session').filter({ hasText: dialogue }).getByText('0/1 seats').waitFor();

    const anna = await participant(annaLogin);
    const bart = await participant(bartLogin);
    try {
      // Anna signs up for the one seat, finds it in her agenda with its room, and cancels.
      await anna.page.goto(`${eventPath}/programme`);
      const annaCard = card(anna.page, dialogue);
      await annaCard.getByTestId('seats-taken').filter({ hasText: '0 of 1 seat taken' }).waitFor();
      await annaCard.getByTestId('session-signup').click();
      await annaCard.locator('[data-testid="my-signup-status"][data-status="confirmed"]').waitFor();
      await annaCard.getByTestId('seats-taken').filter({ hasText: '1 of 1 seat taken' }).waitFor();
      await anna.page.getByTestId('agenda-link').click();
      const item = anna.page.getByTestId('agenda-item').filter({ hasText: dialogue });
      await item.waitFor();
      assert.equal(await item.getAttribute('data-status'), 'confirmed');
      assert.match(await item.getByTestId('agenda-room').innerText(), /Zaal Noord/);
      assert.match(await item.innerText(), /14:00–15:00/);
      await anna.page.getByTestId('programme-link').click();
      await card(anna.page, dialogue).getByTestId('session-cancel').click();
      await anna.page.getByTestId('dialog-confirm').click();
      await card(anna.page, dialogue).getByTestId('session-signup').waitFor();
      assert.equal(await card(anna.page, dialogue).getByTestId('my-signup-status').count(), 0);
      await anna.page.getByTestId('agenda-link').click();
      await anna.page.getByTestId('agenda-empty').waitFor();

      // Anna takes the seat again; Bart, with his page open, finds the session full and waits.
      await anna.page.goto(`${eventPath}/programme`);
      await card(anna.page, dialogue).getByTestId('session-signup').click();
      await card(anna.page, dialogue).locator('[data-testid="my-signup-status"][data-status="confirmed"]').waitFor();
      await bart.page.goto(`${eventPath}/programme`);
      const bartCard = card(bart.page, dialogue);
      const join = bartCard.getByTestId('session-signup');
      assert.match(await join.innerText(), /Join the waitlist/);
      await join.click();
      const waiting = bartCard.locator('[data-testid="my-signup-status"][data-status="waitlisted"]');
      await waiting.waitFor();
      assert.match(await waiting.innerText(), /number 1/);
      // Anna's open page counts Bart on the waitlist without a reload.
      await card(anna.page, dialogue).getByTestId('seats-waitlist').filter({ hasText: '1 on the waitlist' }).waitFor();

      // Anna cancels: Bart's open page shows the seat as his, live, and says so.
      await card(anna.page, dialogue).getByTestId('session-cancel').click();
      await anna.page.getByTestId('dialog-confirm').click();
      await bartCard.locator('[data-testid="my-signup-status"][data-status="confirmed"]').waitFor();
      assert.match(await bart.page.getByTestId('programme-change').innerText(), /you now have a seat in “Office furniture dialogue”/);
      // The seat counts come in their own live message, maybe after the one about his seat;
      // the seats were "1 of 1 taken" before too, so wait until the waitlist is gone.
      await bartCard.getByTestId('seats-waitlist').waitFor({ state: 'detached' });
      await bartCard.getByTestId('seats-taken').filter({ hasText: '1 of 1 seat taken' }).waitFor();

      // A second session at an overlapping time appears on Bart's open page, and signing up
      // for it is refused with the name of the session he holds a seat in.
      const pitch = 'Lighting dialogue';
      await addSession(organiser, eventPath, { title: pitch, start: '14:30', end: '15:30', capacity: 10 });
      const pitchCard = card(bart.page, pitch);
      await pitchCard.getByTestId('session-signup').click();
      const refusal = pitchCard.getByTestId('session-message');
      await refusal.getByText(/You already have a seat in “Office furniture dialogue”/).waitFor();
      assert.match(await refusal.innerText(), /14:00–15:00/);

      // The organiser's sign-up list shows Bart's seat and the promotion in the log.
      await organiser.goto(`${eventPath}/setup/programme`);
      await organiser.getByTestId('manage-session').filter({ hasText: dialogue }).getByTestId('session-signups-link').click();
      await organiser.getByTestId('signups-confirmed').getByText('Bart Aankoper').waitFor();
      await organiser.getByTestId('log-entry').filter({ hasText: 'Bart Aankoper got a seat that freed up' }).waitFor();

      for (const who of [anna, bart]) assert.deepEqual(who.errors.map((e) => e.message), []);
      shared = { eventPath, bartState: await bart.context.storageState() };
    } finally {
      await anna.context.close();
      await bart.context.close();
    }

    // Registration open makes the programme public (the event shows itself).
    await organiser.goto(`${eventPath}/setup/details`);
    await organiser.getByTestId('event-registration-open').check();
    await organiser.getByTestId('event-submit').click();
    await organiser.getByTestId('registration-link').waitFor();
    shared.slug = new URL(await organiser.getByTestId('registration-link').innerText()).pathname.split('/')[2];

    // An event today, to which Bart is invited too: on a phone his agenda opens first.
    await organiser.goto('/events/new');
    await organiser.getByTestId('event-name').fill(`Programme today ${Date.now()}`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
    await organiser.getByTestId('event-start-date').fill(today);
    await organiser.getByTestId('event-timezone').selectOption('Europe/Brussels');
    await organiser.getByTestId('event-submit').click();
    await organiser.waitForURL(/\/events\/[^/]+\/setup\/grid$/);
    shared.todayPath = new URL(organiser.url()).pathname.replace(/\/setup\/grid$/, '');
    await organiser.goto(`${shared.todayPath}/setup/participants`);
    await organiser.getByTestId('invite-name').fill('Bart Aankoper');
    await organiser.getByTestId('invite-email').fill(`bart-${stamp}@example.org`);
    await organiser.getByTestId('invite-role').selectOption('buyer');
    await organiser.getByTestId('invite-submit').click();
    await organiser.getByTestId('participant-row').filter({ hasText: 'Bart Aankoper' }).waitFor();
  });
});

test('on a phone the programme pages fit the screen, log no errors, and the agenda comes first on the day', { skip: skip || false }, async () => {
  assert.ok(shared, 'the sign-up test ran first');
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: shared.bartState });
  const visitor = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const problems = [];
    const watch = (page) => {
      page.setDefaultTimeout(15_000);
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`); });
      page.on('pageerror', (err) => problems.push(`${page.url()}: ${err.message}`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    };
    const fits = async (page, what) => {
      const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      assert.ok(sizes.scroll <= sizes.width, `${what} scrolls sideways on a phone: ${JSON.stringify(sizes)}`);
    };
    const page = await context.newPage();
    watch(page);

    // The event is today: the first screen is Bart's agenda; "My events" then shows the list.
    await page.goto('/');
    await page.getByTestId('agenda-page').waitFor();
    assert.ok(page.url().endsWith(`${shared.todayPath}/agenda`), page.url());
    await page.getByTestId('agenda-empty').waitFor();
    await fits(page, 'the agenda of today');
    await page.getByTestId('nav-profile').waitFor();
    await page.locator('.main-nav a[data-nav="home"]').click();
    await page.getByTestId('my-events').waitFor();

    await page.goto(`${shared.eventPath}/programme`);
    await card(page, 'Office furniture dialogue').locator('[data-testid="my-signup-status"][data-status="confirmed"]').waitFor();
    await fits(page, 'the programme');
    await page.getByTestId('view-rooms').click();
    await page.getByTestId('room-grid-session').first().waitFor();
    assert.match(await page.getByTestId('room-grid-session').first().innerText(), /Zaal Noord/);
    await fits(page, 'the day view by room');
    await page.goto(`${shared.eventPath}/agenda`);
    await page.getByTestId('agenda-item').filter({ hasText: 'Office furniture dialogue' }).waitFor();
    await fits(page, 'the agenda');

    const anon = await visitor.newPage();
    watch(anon);
    await anon.goto(`/e/${shared.slug}/register`);
    await anon.getByTestId('public-programme-link').click();
    await card(anon, 'Office furniture dialogue').waitFor();
    assert.equal(await anon.getByTestId('session-signup').count(), 0, 'no sign-up buttons before login');
    await anon.getByTestId('programme-login').waitFor();
    await fits(anon, 'the public programme');

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await visitor.close();
  }
});
