// Checks without a browser or server: both dictionaries have the same keys, and every key
// the app's modules ask for exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'frontend');

async function loadI18n() {
  // The frontend has no package.json, so load the (import-free) module from its source text.
  const source = await readFile(join(FRONTEND, 'js', 'i18n.js'), 'utf8');
  return import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
}

function leaves(node, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') out.push(...leaves(value, path));
    else out.push(path);
  }
  return out;
}

async function jsFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await jsFiles(path));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

test('Dutch and English have exactly the same texts', async () => {
  const { dictionaries } = await loadI18n();
  const en = new Set(leaves(dictionaries.en));
  const nl = new Set(leaves(dictionaries.nl));
  assert.deepEqual([...en].filter((k) => !nl.has(k)), [], 'keys missing in Dutch');
  assert.deepEqual([...nl].filter((k) => !en.has(k)), [], 'keys missing in English');
});

test('every text key used by the app exists', async () => {
  const { dictionaries } = await loadI18n();
  const known = new Set(leaves(dictionaries.en));
  const plurals = new Set([...known].filter((k) => k.endsWith('.other')).map((k) => k.slice(0, -'.other'.length)));
  const missing = [];
  for (const file of await jsFiles(join(FRONTEND, 'js'))) {
    const source = await readFile(file, 'utf8');
    for (const m of source.matchAll(/\bt\('([a-z_.0-9]+)'/g)) if (!known.has(m[1])) missing.push(`${file}: ${m[1]}`);
    for (const m of source.matchAll(/\btn\('([a-z_.0-9]+)'/g)) if (!plurals.has(m[1])) missing.push(`${file}: ${m[1]} (plural)`);
  }
  assert.deepEqual(missing, []);
});

test('the API error and field codes of the contract are translated', async () => {
  const { dictionaries } = await loadI18n();
  const errors = ['bad_request', 'invalid_json', 'login_link_invalid', 'not_logged_in', 'forbidden', 'csrf_failed', 'not_found',
    'conflict', 'payload_too_large', 'unsupported_media_type', 'validation_failed', 'import_has_problems', 'rate_limited', 'internal',
    'requests_closed', 'request_exists', 'request_declined', 'request_limit_reached', 'meeting_limit_reached', 'request_not_pending',
    'request_not_withdrawable', 'person_busy', 'table_taken', 'slot_taken', 'unavailable', 'in_session', 'participant_left',
    'request_not_accepted', 'meeting_exists', 'meeting_cancelled', 'slot_has_meetings', 'table_has_meetings'];
  const fields = ['invalid_email', 'missing_name', 'unknown_role', 'unknown_language', 'duplicate_in_file', 'already_in_event',
    'wrong_column_count', 'required', 'invalid_date', 'invalid_time', 'invalid_timezone', 'too_long', 'out_of_range', 'overlap', 'conflict',
    'self', 'role_not_allowed', 'not_a_meeting_slot', 'same_meeting', 'one_change', 'no_change'];
  for (const lang of ['en', 'nl']) {
    for (const code of errors) assert.equal(typeof dictionaries[lang].error[code], 'string', `${lang} error.${code}`);
    for (const code of fields) assert.equal(typeof dictionaries[lang].field_error[code], 'string', `${lang} field_error.${code}`);
  }
});
