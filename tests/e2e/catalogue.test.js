// The factsheet workflow in the browser: an organiser invites a supplier; the supplier
// writes a factsheet (texts in both languages, a logo, and a refused disguised file) and
// submits it; the organiser sends it back with a comment; the supplier adds evidence, a
// photo and a sharper pitch and submits again; the organiser compares with the version
// sent back (fields named with their language, files by name) and approves; the
// factsheet is found by a stemmed search, counted in its facet, filtered by country with
// a chip that names it, and read in English. On a phone the filters fold away after a
// choice and the list of factsheets fits the screen; the public pages log no errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, crc32 } from 'node:zlib';
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

/** A small valid PNG (a green square), built here so the test needs no image files. */
function png(size = 24) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([29, 122, 80]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

test('a factsheet goes from draft through send-back and approval into the searchable catalogue', { skip: skip || false }, async () => {
  await withPage(browser, 'catalogue-workflow', async (organiser) => {
    await loginAsAdmin(organiser);
    const eventPath = await createEvent(organiser, `Catalogue test ${Date.now()}`);

    // The organiser invites a supplier, who logs in with the link from the invitation.
    const supplierEmail = `supplier-${Date.now()}@example.org`;
    await organiser.goto(`${eventPath}/setup/participants`);
    await organiser.getByTestId('invite-name').fill('Sam Stoel');
    await organiser.getByTestId('invite-email').fill(supplierEmail);
    await organiser.getByTestId('invite-organisation').fill('Stoelenmakers E2E');
    await organiser.getByTestId('invite-role').selectOption('supplier');
    const seen = await existingMail();
    await organiser.getByTestId('invite-submit').click();
    const { path: loginPath } = await waitForLoginLink(supplierEmail, seen);

    const supplierContext = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const supplier = await supplierContext.newPage();
    supplier.setDefaultTimeout(15_000);
    const supplierErrors = [];
    supplier.on('pageerror', (err) => supplierErrors.push(err));
    try {
      await supplier.goto(loginPath);
      await supplier.getByTestId('confirm-login').click();
      await supplier.locator('[data-testid="event-page"], [data-testid="my-events"]').first().waitFor();
      await supplier.getByTestId('lang-en').click();
      await supplier.waitForFunction(() => document.documentElement.lang === 'en');
      await supplier.goto(eventPath);
      await supplier.getByTestId('my-factsheets-link').click();
      await supplier.getByTestId('factsheets-empty').waitFor();
      await supplier.getByTestId('new-factsheet').first().click();

      // A first try without a contact person is saved as a draft, and the submission is
      // stopped next to the missing field.
      await supplier.getByTestId('fs-title_nl').fill('Gereviseerde bureaustoel');
      await supplier.getByTestId('fs-pitch_nl').fill('Een ergonomische stoel die tien jaar langer meegaat.');
      await supplier.getByTestId('fs-product-groups').getByLabel('Office interiors and furniture').check();
      await supplier.getByTestId('add-claim').click();
      await supplier.getByTestId('claim-strategy').selectOption('A3');
      await supplier.getByTestId('claim-explanation-nl').fill('Stoelen uit ontruimde kantoren krijgen een tweede leven.');
      await supplier.getByTestId('claim-explanation-en').fill('Chairs from cleared offices get a second life.');
      await supplier.getByTestId('fs-price_model_nl').fill('Vanaf 145 euro per stoel.');
      await supplier.getByTestId('fs-price_model_en').fill('From 145 euros per chair.');
      await supplier.getByTestId('fs-country').fill('BE');
      assert.ok(await supplier.getByText('Without evidence, buyers see this claim as self-declared.').isVisible());
      await supplier.getByTestId('factsheet-submit').click();
      await supplier.locator('.has-error [data-testid="fs-contact_name"]').waitFor();
      await supplier.waitForURL(/\/factsheets\/[0-9a-f-]{36}$/);
      // The draft was saved: the page says so, under its own title.
      assert.equal((await supplier.getByTestId('factsheet-heading').innerText()).trim(), 'Gereviseerde bureaustoel');
      await supplier.locator('[data-testid="factsheet-state"] [data-testid="factsheet-status"]', { hasText: 'Draft' }).waitFor();

      // A file that only pretends to be a PNG is refused with a clear message; a real one is kept.
      await supplier.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('#!/bin/sh\necho not an image\n') });
      await supplier.getByText('This kind of file is not accepted', { exact: false }).waitFor();
      await supplier.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png() });
      await supplier.getByTestId('logo-box').locator('img').waitFor();

      // Filling the field takes its "This is required." away at once.
      const contactError = supplier.locator('.field', { has: supplier.getByTestId('fs-contact_name') }).locator('.field-error');
      assert.ok(await contactError.isVisible());
      await supplier.getByTestId('fs-contact_name').fill('Sam Stoel');
      assert.equal(await contactError.isVisible(), false, 'the message goes once the field is filled');
      assert.equal(await supplier.locator('.has-error [data-testid="fs-contact_name"]').count(), 0);
      await supplier.getByTestId('fs-contact_email').fill(supplierEmail);
      await supplier.getByTestId('factsheet-submit').click();
      await supplier.locator('[data-testid="factsheet-state"] [data-testid="factsheet-status"]', { hasText: 'Waiting for review' }).waitFor();

      // The organiser sends it back; a send-back without a comment is not possible.
      await organiser.goto(`${eventPath}/review`);
      await organiser.getByTestId('review-item').getByRole('link', { name: 'Gereviseerde bureaustoel' }).click();
      await organiser.getByTestId('review-return').click();
      await organiser.locator('.has-error [data-testid="review-comment-input"]').waitFor();
      await organiser.getByTestId('review-comment-input').fill('Voeg bewijs toe voor het hergebruik (A3).');
      await organiser.getByTestId('review-return').click();
      await organiser.getByTestId('review-empty').waitFor();

      // The supplier's open page learns of it live, shows the comment, and the supplier adds
      // evidence and submits again.
      await supplier.getByTestId('factsheet-reload').click();
      await supplier.getByTestId('review-comment').filter({ hasText: 'Voeg bewijs toe' }).waitFor();
      assert.equal((await supplier.locator('[data-testid="factsheet-state"] [data-testid="factsheet-status"]').innerText()).trim(), 'Sent back');
      await supplier.getByTestId('add-evidence').click();
      await supplier.getByTestId('evidence-kind').selectOption('lca');
      await supplier.getByTestId('evidence-title').fill('LCA bureaustoel 2026');
      await supplier.getByTestId('evidence-url').fill('https://example.org/lca-bureaustoel.pdf');
      await supplier.getByTestId('fs-pitch_nl').fill('Een ergonomische stoel die tien jaar langer meegaat, met bewijs.');
      await supplier.getByTestId('images-file').setInputFiles({ name: 'stoel-foto.png', mimeType: 'image/png', buffer: png(48) });
      await supplier.getByTestId('images-box').locator('img').waitFor();
      await supplier.getByTestId('factsheet-submit').click();
      await supplier.locator('[data-testid="factsheet-state"] [data-testid="factsheet-status"]', { hasText: 'Waiting for review' }).waitFor();

      // The organiser sees what changed since the send-back (not since the first draft):
      // texts named with their language, the new photo by its file name.
      await organiser.goto(`${eventPath}/review`);
      await organiser.getByTestId('review-item').getByRole('link', { name: 'Gereviseerde bureaustoel' }).click();
      const diff = organiser.getByTestId('diff-table');
      await diff.getByRole('rowheader', { name: 'Circular claims' }).waitFor();
      const diffText = await diff.innerText();
      assert.match(diffText, /LCA bureaustoel 2026/);
      const changedFields = (await diff.getByRole('rowheader').allInnerTexts()).map((x) => x.trim());
      assert.deepEqual(changedFields, ['Pitch (NL)', 'Circular claims', 'Images']);
      assert.match(diffText, /stoel-foto\.jpg/, "the photo by its (re-encoded) file name");
      assert.doesNotMatch(diffText, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no upload ids in the diff');
      const from = organiser.getByTestId('diff-from');
      assert.match(await from.locator('option:checked').innerText(), /Sent back/);
      assert.match(await organiser.getByTestId('history').innerText(), /Pitch \(NL\)/);
      await organiser.getByTestId('stand-input').fill('B12');
      await organiser.getByTestId('stand-save').click();
      await organiser.getByTestId('history').getByText('Stand changed').waitFor();
      await organiser.getByTestId('review-approve').click();
      await organiser.getByTestId('review-empty').waitFor();

      // Anyone in the event finds it by a stemmed search, counted under its product group.
      await supplier.goto(`${eventPath}/catalogue`);
      await supplier.getByTestId('catalogue-search').fill('stoelen');
      await supplier.getByTestId('catalogue-search-submit').click();
      await supplier.waitForURL(/q=stoelen/);
      const card = supplier.getByTestId('catalogue-card').filter({ hasText: 'Gereviseerde bureaustoel' });
      await card.waitFor();
      assert.match(await card.innerText(), /Stand B12/);
      assert.equal(await card.getByText('Self-declared').count(), 0, 'the claim has evidence now');
      const facet = supplier.getByTestId('facet-product_group-office-furniture');
      assert.ok(await facet.isVisible());
      const count = supplier.getByTestId('facet-product_group').locator('li', { has: facet }).getByTestId('facet-count');
      assert.equal((await count.innerText()).trim(), '1');
      assert.equal((await supplier.getByTestId('catalogue-total').innerText()).trim(), '1 factsheet');
      // Ticking a facet filters through the address and keeps the focus on the box.
      await facet.check();
      await supplier.waitForURL(/product_group=office-furniture/);
      await supplier.waitForFunction(() => document.activeElement?.dataset.testid === 'facet-product_group-office-furniture');
      assert.equal((await supplier.getByTestId('catalogue-total').innerText()).trim(), '1 factsheet');
      // A country chip names the country as the facet does.
      const country = supplier.getByTestId('facet-country-BE');
      const countryLabel = (await supplier.locator('li', { has: country }).locator('label span').first().innerText()).trim();
      assert.equal(countryLabel, 'Belgium');
      await country.check();
      await supplier.waitForURL(/country=BE/);
      await supplier.getByTestId('filter-chip').nth(1).waitFor();
      const chips = (await supplier.getByTestId('filter-chip').allInnerTexts()).map((x) => x.trim());
      assert.deepEqual(chips, ['Office interiors and furniture', 'Belgium']);

      // A search for something absent says so; the detail page shows the evidence.
      await supplier.getByTestId('catalogue-search').fill('lantaarnpaal');
      await supplier.getByTestId('catalogue-search-submit').click();
      await supplier.getByTestId('catalogue-empty').waitFor();
      await supplier.goBack();
      await card.getByRole('link', { name: 'Gereviseerde bureaustoel' }).click();
      await supplier.getByTestId('factsheet').getByRole('link', { name: 'LCA bureaustoel 2026' }).waitFor();
      // An English reader reads the English texts of a factsheet titled in Dutch only.
      const sheetText = await supplier.getByTestId('factsheet').innerText();
      assert.match(sheetText, /From 145 euros per chair\./);
      assert.match(sheetText, /Chairs from cleared offices get a second life\./);
      assert.doesNotMatch(sheetText, /Vanaf 145 euro|tweede leven/);

      // On a phone: ticking a filter folds the panel away with the first result in view,
      // and the list of factsheets fits the screen.
      const phone = await browser.newContext({
        baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
        storageState: await supplierContext.storageState(),
      });
      try {
        const small = await phone.newPage();
        small.setDefaultTimeout(15_000);
        await small.goto(`${eventPath}/catalogue`);
        await small.getByTestId('catalogue-card').first().waitFor();
        await small.getByTestId('facet-toggle').click();
        await small.getByTestId('facet-product_group-office-furniture').check();
        await small.waitForURL(/product_group=office-furniture/);
        await small.getByTestId('filter-chip').first().waitFor();
        assert.equal(await small.locator('details.facet-toggle').evaluate((d) => d.open), false, 'the filters fold away');
        const first = await small.getByTestId('catalogue-card').first().boundingBox();
        assert.ok(first && first.y >= 0 && first.y + 40 <= 844, `the first result starts in view (at ${first && first.y}px)`);
        await small.waitForFunction(() => document.activeElement?.dataset.testid === 'facet-toggle');

        await small.goto(`${eventPath}/factsheets`);
        const row = small.getByTestId('factsheet-row').first();
        await row.waitFor();
        for (const cell of await row.locator('td').all()) {
          const box = await cell.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `a cell of the table is cut off: ${JSON.stringify(box)}`);
        }
        const wrap = await small.locator('.table-wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        assert.ok(wrap.scroll <= wrap.client, `the table scrolls sideways: ${JSON.stringify(wrap)}`);
      } finally {
        await phone.close();
      }

      // The organiser describes the event in both languages and opens the catalogue to
      // everyone; an English visitor reads the English description, and no public page
      // logs an error (no 401 for a session that is not there).
      await organiser.goto(`${eventPath}/setup/details`);
      await organiser.getByTestId('event-description-nl').fill('Een namiddag vol circulaire gesprekken.');
      await organiser.getByTestId('event-description-en').fill('An afternoon of circular conversations.');
      await organiser.getByTestId('event-catalogue-public').check();
      const patched = organiser.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/events\/[^/]+$/.test(r.url()));
      await organiser.getByTestId('event-submit').click();
      assert.equal((await patched).status(), 200);
      const eventId = eventPath.split('/').pop();
      const { slug, catalogue_public: isPublic, description_en: saved } = await organiser.evaluate(
        (id) => fetch(`/api/events/${id}`).then((r) => r.json()), eventId);
      assert.equal(isPublic, true);
      assert.equal(saved, 'An afternoon of circular conversations.');
      const visitor = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
      try {
        const anon = await visitor.newPage();
        anon.setDefaultTimeout(15_000);
        const problems = [];
        anon.on('console', (m) => { if (m.type() === 'error') problems.push(`${anon.url()}: ${m.text()}`); });
        anon.on('pageerror', (err) => problems.push(`${anon.url()}: ${err.message}`));
        anon.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
        await anon.goto('/');
        await anon.getByTestId('login-email').waitFor();
        await anon.goto(`/e/${slug}/register`);
        const about = anon.getByTestId('register-description');
        assert.equal((await about.innerText()).trim(), 'An afternoon of circular conversations.');
        assert.equal(await about.getAttribute('lang'), 'en');
        await anon.goto(`/e/${slug}/catalogue`);
        const publicCard = anon.getByTestId('catalogue-card').filter({ hasText: 'Gereviseerde bureaustoel' });
        await publicCard.getByRole('link', { name: 'Gereviseerde bureaustoel' }).click();
        await anon.getByTestId('factsheet').getByText('From 145 euros per chair.').waitFor();
        assert.deepEqual(problems, [], 'public pages log no errors');
      } finally {
        await visitor.close();
      }
      if (supplierErrors.length) throw new Error(`errors in the supplier's page: ${supplierErrors.map((e) => e.message).join('; ')}`);
    } finally {
      await supplierContext.close();
    }
  });
});
