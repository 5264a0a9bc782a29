// The one way the app talks to the server: a fetch wrapper for /api that sends the CSRF
// header on state-changing requests and turns the error body into an ApiError.

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
let csrfRefresher = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called once when the server says `csrf_failed`: should fetch /api/me again and return the new token. */
export function setCsrfRefresher(fn) {
  csrfRefresher = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, details = null, requestId = null) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /** Field problems from a validation error: [{field, code, message}]. */
  get fields() {
    return Array.isArray(this.details?.fields) ? this.details.fields : [];
  }
}

const STATUS_CODES = {
  400: 'bad_request', 401: 'not_logged_in', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed', 429: 'rate_limited',
};

function buildUrl(path, query) {
  let url = `/api${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, value);
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/**
 * request('POST', '/events', { json: {...} }) or { body, contentType } for raw bodies (CSV).
 * Resolves to the parsed JSON body (or null when there is none); rejects with ApiError.
 */
export async function request(method, path, { json, body, contentType, query, signal, retried = false } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = contentType || 'text/plain';
    payload = body;
  }
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(buildUrl(path, query), { method, headers, body: payload, credentials: 'same-origin', signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err.message);
  }

  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (response.ok) return data;

  const error = data && data.error ? data.error : {};
  const apiError = new ApiError(
    response.status,
    error.code || STATUS_CODES[response.status] || (response.status >= 500 ? 'internal' : 'bad_request'),
    error.message || response.statusText,
    error.details || null,
    response.headers.get('x-request-id'),
  );
  // A session renewed in another tab carries a new token: fetch it and try once more.
  if (apiError.code === 'csrf_failed' && !retried && csrfRefresher) {
    const fresh = await csrfRefresher().catch(() => null);
    if (fresh) {
      csrfToken = fresh;
      return request(method, path, { json, body, contentType, query, signal, retried: true });
    }
  }
  throw apiError;
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, json, options) => request('POST', path, { ...options, json }),
  put: (path, json, options) => request('PUT', path, { ...options, json }),
  patch: (path, json, options) => request('PATCH', path, { ...options, json }),
  del: (path, options) => request('DELETE', path, options),
  postCsv: (path, csv, options) => request('POST', path, { ...options, body: csv, contentType: 'text/csv' }),
};
