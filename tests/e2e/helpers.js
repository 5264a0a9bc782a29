// Shared pieces of the browser tests: settings from the environment, the browser, the mail
// directory the server writes .eml files to, and screenshots when a test fails.

import { readdir, readFile, stat, mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.MATCHFLOOR_E2E_URL || '').replace(/\/+$/, '');
export const MAIL_DIR = process.env.MATCHFLOOR_E2E_MAIL_DIR || '';
export const ADMIN_EMAIL = process.env.MATCHFLOOR_E2E_ADMIN_EMAIL || '';
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Why the browser tests cannot run here, or null when they can. */
export function missingSettings(...names) {
  const values = { MATCHFLOOR_E2E_URL: BASE_URL, MATCHFLOOR_E2E_MAIL_DIR: MAIL_DIR, MATCHFLOOR_E2E_ADMIN_EMAIL: ADMIN_EMAIL };
  const missing = names.filter((n) => !values[n]);
  return missing.length ? `set ${missing.join(', ')} (see tests/e2e/README.md)` : null;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Open a fresh browser context and page, run `fn(page)`, and on failure save a full-page
 * screenshot to artifacts/<name>.png. Uncaught errors in the page fail the test too.
 */
export async function withPage(browser, name, fn, contextOptions = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err));
  try {
    await fn(page);
    if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.map((e) => e.message).join('; ')}`);
  } catch (err) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    err.message += `\n(screenshot: ${file}; page: ${page.url()})`;
    throw err;
  } finally {
    await context.close();
  }
}

/** Undo quoted-printable: soft line breaks ("=" at a line end) and =XX escapes. */
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Every readable version of a raw message: as is, quoted-printable decoded, and its base64 parts decoded. */
function messageTexts(raw) {
  // A token cut at a soft line break would look valid in the raw text, so decode first.
  const texts = /Content-Transfer-Encoding:\s*quoted-printable/i.test(raw) ? [decodeQuotedPrintable(raw)] : [raw];
  const base64Part = /Content-Transfer-Encoding:\s*base64[^\n]*\n(?:[^\r\n]+\r?\n)*?\r?\n([A-Za-z0-9+/=\r\n]+)/gi;
  for (const m of raw.matchAll(base64Part)) texts.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8'));
  return texts;
}

/** The login link in a raw .eml message, or null. */
export function findLoginLink(raw) {
  for (const text of messageTexts(raw)) {
    const m = /(?:https?:\/\/[^\s"'<>]*?)?\/login\/confirm#token=([A-Za-z0-9_\-.~%]+)/.exec(text);
    if (m) return { link: m[0], token: decodeURIComponent(m[1]) };
  }
  return null;
}

function addressedTo(raw, email) {
  const headers = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  return headers.split(/\r?\n/).some((line) => /^to:/i.test(line) && line.toLowerCase().includes(email.toLowerCase()));
}

async function mailFiles(dir) {
  const out = [];
  let entries = [];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await mailFiles(path));
    else if (entry.name.endsWith('.eml')) out.push(path);
  }
  return out;
}

/** The .eml files present now, to tell new mail apart later. */
export async function existingMail() {
  return new Set(await mailFiles(MAIL_DIR));
}

/** Wait for a new message to `email` that holds a login link; resolves to { link, token, path }. */
export async function waitForLoginLink(email, seenBefore, { timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const candidates = [];
    for (const file of await mailFiles(MAIL_DIR)) {
      if (seenBefore.has(file)) continue;
      const raw = await readFile(file, 'utf8');
      if (!addressedTo(raw, email)) continue;
      const found = findLoginLink(raw);
      if (found) candidates.push({ ...found, mtime: (await stat(file)).mtimeMs });
    }
    if (candidates.length) {
      candidates.sort((a, b) => b.mtime - a.mtime);
      const { token } = candidates[0];
      return { ...candidates[0], path: `/login/confirm#token=${encodeURIComponent(token)}` };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no login link for ${email} arrived in ${MAIL_DIR} within ${timeoutMs} ms`);
}

/**
 * Log the admin in through the UI (one login link: the server allows 5 per address per 15
 * minutes, so a test file should do this once) and switch the interface to English.
 */
export async function loginAsAdmin(page) {
  await page.goto('/');
  await page.getByTestId('login-email').fill(ADMIN_EMAIL);
  const seen = await existingMail();
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-sent').waitFor();
  const { path } = await waitForLoginLink(ADMIN_EMAIL, seen);
  await page.goto(path);
  await page.getByTestId('confirm-login').click();
  await page.getByTestId('my-events').waitFor();
  // The admin's profile language may be Dutch from an earlier run: the tests read English.
  await page.getByTestId('lang-en').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
}

/** An event date 60 days ahead, as the date input wants it. */
export function futureDate() {
  const d = new Date(Date.now() + 60 * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/** Create an event through the UI; resolves to its path, /events/{id}. */
export async function createEvent(page, name) {
  await page.goto('/events/new');
  await page.getByTestId('event-name').fill(name);
  await page.getByTestId('event-start-date').fill(futureDate());
  await page.getByTestId('event-timezone').selectOption('Europe/Brussels');
  await page.getByTestId('event-submit').click();
  await page.waitForURL(/\/events\/[^/]+\/setup\/grid$/);
  return new URL(page.url()).pathname.replace(/\/setup\/grid$/, '');
}

/** Calls the API from a logged-in page, with its session's CSRF token; the answer's JSON. */
export async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const session = await (await fetch('/api/session')).json();
    const response = await fetch(`/api${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.me.csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }, { method, path, body });
}

/** The organiser invites someone; resolves to the path of the login link in their mail. */
export async function invite(organiser, eventId, who) {
  const seen = await existingMail();
  await api(organiser, 'POST', `/events/${eventId}/participants`, { language: 'en', ...who });
  return (await waitForLoginLink(who.email, seen)).path;
}

/** A participant's own browser, logged in through their invitation link: { context, page, errors }. */
export async function participantBrowser(browser, loginPath, contextOptions = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-GB', viewport: { width: 1280, height: 900 }, ...contextOptions });
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
