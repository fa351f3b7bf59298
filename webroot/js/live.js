// The one live connection of a page: a WebSocket to /live multiplexing topics, with resume
// (the last sequence number seen per topic, kept in memory for the life of the page: a page
// that reloads loads fresh state by REST and subscribes from now), reconnection with
// exponential backoff and full jitter, a liveness check (pings; silence means a dead
// connection), and resync (the page reloads the topic by REST).
//
//   import { subscribe } from './live.js';
//   const stop = subscribe('event:ml4astro-2023:schedule', (data, msg) => apply(data),
//     { onResync: () => reloadSchedule(), onError: (e) => show(e.detail) });
//   ... stop();   // unsubscribe
import { api, ApiProblem, clearSession, session } from './api.js';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30000;
/** Silence longer than this many ping intervals means the connection is dead. */
const SILENCE_PINGS = 2.5;
/** Refusals that a new connection would only repeat: the topic is not subscribed again. */
const FINAL_REFUSALS = new Set(['forbidden', 'unknown-topic', 'not-found']);
/** Close code of a socket whose session was revoked or logged out: go on without that session. */
const SESSION_ENDED = 4003;

class Live {
  constructor() {
    this.subs = new Map(); // topic -> { handlers: Set, seq, refusal }
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.heartbeat = null;
    this.state = 'idle';
    this.listeners = new Set();
    /** Requests sent and not answered yet: id -> { resolve, reject, timer, ws }. */
    this.replies = new Map();
    this.requestSeq = 0;
    /** Where tickets come from: null for POST /api/live/ticket with the stored session. */
    this.ticketSource = null;
    // offline (a phone off the network): the socket is as good as dead, drop it now rather than
    // after the heartbeat's silence; requests waiting on it fail at once (callers fall back)
    window.addEventListener('offline', () => {
      const ws = this.ws;
      if (!ws) return;
      this.lost(ws);
      try { ws.close(1000, 'offline'); } catch { /* already closing */ }
    });
    // back online: try now, unless connected or already trying (no backoff step for that)
    window.addEventListener('online', () => {
      if (!this.ws && this.state !== 'connecting' && this.subs.size > 0) this.reconnectSoon(0, false);
    });
  }

  /** Status changes: 'connecting', 'open', 'closed' (reconnecting). */
  onStatus(cb) { this.listeners.add(cb); cb(this.state); return () => this.listeners.delete(cb); }

  setState(s) { this.state = s; this.listeners.forEach((cb) => cb(s)); }

  // reload: for a subscriber that loaded the topic's state by REST and subscribes without a
  // position: called when the subscription is confirmed (what was published between the load and
  // the subscription is not replayed) and on a resync, unless onSubscribed / onResync are given.
  subscribe(topic, onMessage, { onResync, onSubscribed, onError, reload } = {}) {
    const handler = { onMessage, onResync: onResync || reload, onSubscribed: onSubscribed || reload, onError };
    let sub = this.subs.get(topic);
    if (!sub) {
      sub = { handlers: new Set(), seq: null, refusal: null, confirmed: false };
      this.subs.set(topic, sub);
      this.sendSubscribe(topic, sub);
    } else if (sub.refusal && onError) {
      const refusal = sub.refusal;
      queueMicrotask(() => onError(refusal));
    } else if (sub.confirmed && onSubscribed) {
      // another page (or an earlier visit) already holds this topic on the open connection
      queueMicrotask(() => onSubscribed(sub.seq));
    }
    sub.handlers.add(handler);
    this.connect();
    return () => {
      sub.handlers.delete(handler);
      if (sub.handlers.size === 0 && this.subs.get(topic) === sub) {
        this.subs.delete(topic);
        if (!sub.refusal) this.send({ type: 'unsubscribe', topic });
      }
    };
  }

  /**
   * Takes tickets from another source, e.g. a projector link's secret (the projector page):
   * an async function answering a ticket, or throwing to retry later with backoff.
   */
  useTicket(source) { this.ticketSource = source; }

  /** Ends the connection and every subscription, for good (e.g. a revoked projector link). */
  disconnect() {
    this.closedForGood = true;
    this.subs.clear();
    clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    if (ws) {
      this.lost(ws);
      try { ws.close(1000, 'closed by the page'); } catch { /* already closing */ }
    }
    this.setState('closed');
  }

  connect() {
    if (this.closedForGood) return;
    if (this.ws || this.timer || this.state === 'connecting') return;
    this.open();
  }

  async open() {
    this.setState('connecting');
    let ticket;
    // a page with its own ticket source (a projector) never ends the stored session on 4003
    const token = this.ticketSource ? null : session()?.token;
    try {
      ticket = this.ticketSource ? await this.ticketSource() : (await api('/api/live/ticket', { method: 'POST' })).ticket;
    } catch {
      if (this.closedForGood) return;
      this.setState('closed');
      this.reconnectSoon();
      return;
    }
    if (this.closedForGood) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/live?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      this.heardAt = Date.now();
      this.receive(JSON.parse(e.data));
    };
    ws.onclose = (e) => {
      // reconnect anonymously, not with the dead session (restricted topics are then refused: unauthorized)
      if (e.code === SESSION_ENDED && this.ws === ws && token && session()?.token === token) clearSession();
      this.lost(ws);
    };
  }

  /**
   * A named request answered over this connection (src/main/java/dev/confday/live/LiveRequests.java),
   * e.g. request('stream.access', { event, room }): resolves with the result; rejects with an
   * ApiProblem for a refusal (the same as the HTTP API's), or with a plain Error when the
   * connection is not open, is lost, or no reply came within timeoutMs (the caller may ask over
   * HTTP instead).
   */
  request(name, params, { timeoutMs = 5000 } = {}) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.state !== 'open') return Promise.reject(new Error('not connected'));
    // an anonymous connection (e.g. reopened without a session that ended) may send no requests
    if (this.anonymous) return Promise.reject(new Error('anonymous connection'));
    this.requestSeq += 1;
    const id = 'r' + this.requestSeq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.replies.delete(id); reject(new Error('no reply in time')); }, timeoutMs);
      this.replies.set(id, { resolve, reject, timer, ws });
      ws.send(JSON.stringify({ type: 'request', id, name, params }));
    });
  }

  /** The connection ended (closed by either side, or found dead): reconnect if anything is subscribed. */
  lost(ws) {
    if (this.ws !== ws) return;
    for (const [id, waiting] of this.replies) {
      if (waiting.ws !== ws) continue;
      this.replies.delete(id);
      clearTimeout(waiting.timer);
      waiting.reject(new Error('connection lost'));
    }
    this.ws = null;
    for (const sub of this.subs.values()) sub.confirmed = false;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.setState('closed');
    if (this.subs.size > 0) this.reconnectSoon();
  }

  /**
   * Pings every pingSeconds (the server answers pong; its own WebSocket pings are invisible
   * here) and gives up on a connection that has been silent for 2.5 intervals: a dead network
   * path may never report a close.
   */
  startHeartbeat(ws, pingSeconds) {
    clearInterval(this.heartbeat);
    const pingMs = Math.max(1, pingSeconds || 15) * 1000;
    let pingedAt = Date.now();
    this.heardAt = Date.now();
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      if (now - this.heardAt > SILENCE_PINGS * pingMs) {
        this.lost(ws);
        try { ws.close(1000, 'no answer to pings'); } catch { /* already closing */ }
        return;
      }
      if (now - pingedAt >= pingMs) {
        pingedAt = now;
        this.send({ type: 'ping' });
      }
    }, Math.min(1000, pingMs / 2));
  }

  /** Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)). */
  reconnectSoon(delay, countsAsAttempt = true) {
    if (this.timer) clearTimeout(this.timer);
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    if (countsAsAttempt) this.attempt = Math.min(this.attempt + 1, 16);
    const wait = delay ?? Math.random() * ceiling;
    this.timer = setTimeout(() => { this.timer = null; if (!this.ws) this.open(); }, wait);
  }

  receive(msg) {
    const sub = msg.topic ? this.subs.get(msg.topic) : null;
    switch (msg.type) {
      case 'hello':
        this.attempt = 0;
        this.anonymous = !!msg.anonymous;
        this.setState('open');
        this.startHeartbeat(this.ws, msg.pingSeconds);
        for (const [topic, s] of this.subs) if (!s.refusal) this.sendSubscribe(topic, s);
        break;
      case 'subscribed':
        if (!sub) break;
        if (sub.seq === null) sub.seq = msg.seq;
        sub.confirmed = true;
        sub.handlers.forEach((h) => h.onSubscribed && h.onSubscribed(msg.seq));
        break;
      case 'message':
        if (!sub || (sub.seq !== null && msg.seq <= sub.seq)) break; // never apply twice
        sub.seq = msg.seq;
        sub.handlers.forEach((h) => h.onMessage && h.onMessage(msg.data, msg));
        break;
      case 'resync':
        if (!sub) break;
        sub.seq = msg.seq;
        sub.confirmed = true;
        sub.handlers.forEach((h) => h.onResync && h.onResync(msg.seq));
        break;
      case 'reply': {
        const waiting = this.replies.get(msg.id);
        if (!waiting) break; // answered too late: the caller has moved on
        this.replies.delete(msg.id);
        clearTimeout(waiting.timer);
        if (msg.error) waiting.reject(new ApiProblem(msg.error));
        else waiting.resolve(msg.result);
        break;
      }
      case 'error':
        if (sub && FINAL_REFUSALS.has(msg.code)) sub.refusal = msg;
        if (sub) sub.handlers.forEach((h) => h.onError && h.onError(msg));
        else console.warn('live:', msg.code, msg.detail);
        break;
      default:
        break;
    }
  }

  sendSubscribe(topic, sub) {
    const msg = { type: 'subscribe', topic };
    if (sub.seq !== null && sub.seq !== undefined) msg.since = sub.seq;
    this.send(msg);
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.state === 'open') this.ws.send(JSON.stringify(msg));
  }
}

let instance = null;

/** The page's live connection (created on first use). */
export function live() {
  if (!instance) instance = new Live();
  return instance;
}

/** Subscribes to a topic; answers a function that unsubscribes. */
export function subscribe(topic, onMessage, options) {
  return live().subscribe(topic, onMessage, options);
}

/** Opens the connection now (it also opens on the first subscribe). */
export function connect() {
  live().connect();
  return live();
}
