// The live socket of the event being viewed (docs/live.md): one per page, resumed with
// ?after=SEQ after a drop, with exponential backoff and jitter. Pages subscribe by message
// type and to the connection state (connecting, live, reconnecting, offline).

import { api, ApiError } from './api.js';
import { setUser } from './session.js';
import { navigate } from './router.js';
import { toast } from './dom.js';
import { t } from './i18n.js';

const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
const SEQ_KEY = 'mf.live.seq.';

/** Close codes of the server (docs/live.md, "Closing"); 4000 (idle) and 4001 (too slow) resume. */
const CLOSE_LOGGED_OUT = 4002;
const CLOSE_NOT_PARTICIPANT = 4003;

function readSeq(eventId) {
  try {
    const value = Number(sessionStorage.getItem(SEQ_KEY + eventId));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function writeSeq(eventId, seq) {
  try { sessionStorage.setItem(SEQ_KEY + eventId, String(seq)); } catch { /* private mode */ }
}

/** The delay before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, with jitter. */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.min(attempt, 10));
  // "Equal jitter": at least half the ceiling, so reconnects spread out but never hammer.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

class LiveConnection {
  constructor(eventId) {
    this.eventId = eventId;
    this.socket = null;
    this.closed = false;
    this.attempt = 0;
    this.timer = null;
    this.lastSeq = readSeq(eventId);
    this.state = 'connecting';
    this.subscribers = new Map();
    // Messages that came while nobody listened for their type (the page was still loading).
    this.pending = [];
    this.stateListeners = new Set();
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => this.setState('offline');
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.open();
  }

  url() {
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const after = this.lastSeq !== null ? `?after=${this.lastSeq}` : '';
    return `${proto}//${window.location.host}/api/events/${encodeURIComponent(this.eventId)}/live${after}`;
  }

  open() {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = null;
    if (!navigator.onLine) {
      // Wait for the browser's `online` event rather than failing attempts in a loop.
      this.setState('offline');
      return;
    }
    let opened = false;
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch (err) {
      console.error(err);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => { opened = true; });
    socket.addEventListener('message', (event) => {
      if (socket === this.socket) this.receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.closedBy(event.code, opened);
    });
  }

  receive(data) {
    let message;
    try { message = JSON.parse(data); } catch { return; }
    if (!message || typeof message.type !== 'string') return;
    const seq = Number.isSafeInteger(message.seq) ? message.seq : null;
    if (message.type === 'hello') {
      this.attempt = 0;
      // Nothing remembered yet, or a remembered number the server never reached (a reset
      // database): carry on from the server's latest.
      if (seq !== null && (this.lastSeq === null || this.lastSeq > seq)) this.remember(seq, { force: true });
      this.setState(navigator.onLine ? 'live' : 'offline');
    } else if (message.type === 'gap') {
      if (seq !== null) this.remember(seq, { force: true });
    } else if (seq !== null) {
      this.remember(seq);
    }
    this.dispatch(message.type, message);
  }

  remember(seq, { force = false } = {}) {
    if (!force && this.lastSeq !== null && seq <= this.lastSeq) return;
    this.lastSeq = seq;
    writeSeq(this.eventId, seq);
  }

  dispatch(type, message) {
    if (type !== 'hello' && !this.subscribers.get(type)?.size) {
      this.pending.push(message);
      if (this.pending.length > 100) this.pending.shift();
    }
    for (const key of [type, '*']) {
      for (const fn of this.subscribers.get(key) || []) {
        try { fn(message); } catch (err) { console.error(err); }
      }
    }
  }

  async closedBy(code, opened) {
    if (this.closed) return;
    if (code === CLOSE_LOGGED_OUT) return this.loggedOut();
    if (code === CLOSE_NOT_PARTICIPANT) return this.accessEnded();
    if (!opened && navigator.onLine) {
      // A refusal before the upgrade (401, 404) reaches a browser only as code 1006, the
      // same as a network failure: ask the API why, so a logout is not retried forever.
      try {
        await api.get(`/events/${encodeURIComponent(this.eventId)}`);
      } catch (err) {
        if (this.closed) return;
        if (err instanceof ApiError && err.status === 401) return this.loggedOut();
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return this.accessEnded();
      }
    }
    // 4000 (idle), 4001 (too slow), 1006 (network) and anything else: resume later.
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.closed) return;
    this.setState(navigator.onLine ? 'reconnecting' : 'offline');
    if (!navigator.onLine) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), backoffDelay(this.attempt));
    this.attempt += 1;
  }

  reconnectNow() {
    if (this.closed) return;
    this.attempt = 0;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) {
      // Still connected (the drop was too short to notice): just show the state again.
      if (this.socket.readyState === WebSocket.OPEN) this.setState('live');
      return;
    }
    this.open();
  }

  loggedOut() {
    const next = window.location.pathname + window.location.search;
    close();
    setUser(null);
    toast(t('live.logged_out'), 'error');
    navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
  }

  accessEnded() {
    close();
    toast(t('live.access_ended'), 'error');
    navigate('/', { replace: true });
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    for (const fn of this.stateListeners) {
      try { fn(state); } catch (err) { console.error(err); }
    }
  }

  /**
   * Call `fn(message)` for messages of `type` ('*' for all); returns the unsubscribe.
   * Messages of that type that came while nobody listened are handed over first.
   */
  subscribe(type, fn) {
    if (!this.subscribers.has(type)) this.subscribers.set(type, new Set());
    this.subscribers.get(type).add(fn);
    const waiting = this.pending.filter((m) => m.type === type);
    this.pending = this.pending.filter((m) => m.type !== type);
    for (const message of waiting) {
      try { fn(message); } catch (err) { console.error(err); }
    }
    return () => this.subscribers.get(type)?.delete(fn);
  }

  /** Call `fn(state)` now and on every change of the connection state. */
  onState(fn) {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  /** Forget every page subscription (a new render subscribes again). */
  reset() {
    this.subscribers.clear();
    this.stateListeners.clear();
  }

  shutdown() {
    this.closed = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.reset();
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'page left');
  }
}

let current = null;

/** The live connection for this event, opened if needed (one per page). */
export function liveFor(eventId) {
  if (current && current.eventId === eventId && !current.closed) return current;
  close();
  current = new LiveConnection(eventId);
  return current;
}

/** Close the socket, if any. */
export function close() {
  if (current) current.shutdown();
  current = null;
}

/**
 * Called by the app before each render: pages subscribe again when they draw, and the
 * socket stays open only while the route is one of the event's pages.
 */
export function beforeRoute(path) {
  if (!current) return;
  // The event's own pages (catalogue, factsheets, review ...) share the event's socket.
  const m = /^\/events\/([^/]+)(?:\/.*)?$/.exec(path);
  const eventId = m ? decodeURIComponent(m[1]) : null;
  if (eventId !== current.eventId) close();
  else current.reset();
}
