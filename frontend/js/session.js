// Who is logged in: the /api/me body, kept in memory and shared by the header and pages.

import { api, ApiError, setCsrfToken, setCsrfRefresher } from './api.js';

let me = null;
const listeners = new Set();

export function currentUser() {
  return me;
}

export function onUserChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function setUser(user) {
  me = user || null;
  setCsrfToken(me ? me.csrf_token : null);
  for (const fn of listeners) fn(me);
}

/**
 * Ask the server who we are; null when not logged in. /api/session answers 200 either way,
 * so pages anyone may open (registration, a public catalogue) log no error.
 */
export async function loadUser() {
  const session = await api.get('/session');
  setUser(session && session.authenticated ? session.me : null);
  return me;
}

export async function logout() {
  try {
    await api.post('/auth/logout', {});
  } catch (err) {
    // Already logged out on the server side is fine; anything else is worth surfacing.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  setUser(null);
}

setCsrfRefresher(async () => {
  const user = await loadUser();
  return user ? user.csrf_token : null;
});
