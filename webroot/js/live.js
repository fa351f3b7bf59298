// The one live connection of a page: a WebSocket to /live multiplexing topics, with resume
// (the last sequence number seen per topic, kept in sessionStorage), reconnection with
// exponential backoff and full jitter, and resync (the page reloads the topic by REST).
//
//   import { subscribe } from './live.js';
//   const stop = subscribe('event:ml4astro-2023:schedule', (data, msg) => apply(data),
//     { onResync: () => reloadSchedule(), onError: (e) => show(e.detail) });
//   ... stop();   // unsubscribe
import { api } from './api.js';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30000;
const STORE = 'confday.live.seq.';

function storedSeq(topic) {
  try {
    const v = sessionStorage.getItem(STORE + topic);
    return v === null ? null : Number(v);
  } catch { return null; }
}

function storeSeq(topic, seq) {
  try { sessionStorage.setItem(STORE + topic, String(seq)); } catch { /* private mode */ }
}

class Live {
  constructor() {
    this.subs = new Map(); // topic -> { handlers: Set, seq }
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.state = 'idle';
    this.listeners = new Set();
    window.addEventListener('online', () => this.reconnectSoon(0));
  }

  /** Status changes: 'connecting', 'open', 'closed' (reconnecting). */
  onStatus(cb) { this.listeners.add(cb); cb(this.state); return () => this.listeners.delete(cb); }

  setState(s) { this.state = s; this.listeners.forEach((cb) => cb(s)); }

  subscribe(topic, onMessage, { onResync, onSubscribed, onError } = {}) {
    const handler = { onMessage, onResync, onSubscribed, onError };
    let sub = this.subs.get(topic);
    if (!sub) {
      sub = { handlers: new Set(), seq: storedSeq(topic) };
      this.subs.set(topic, sub);
      this.sendSubscribe(topic, sub);
    }
    sub.handlers.add(handler);
    this.connect();
    return () => {
      sub.handlers.delete(handler);
      if (sub.handlers.size === 0) {
        this.subs.delete(topic);
        this.send({ type: 'unsubscribe', topic });
      }
    };
  }

  connect() {
    if (this.ws || this.timer || this.state === 'connecting') return;
    this.open();
  }

  async open() {
    this.setState('connecting');
    let ticket;
    try {
      ticket = (await api('/api/live/ticket', { method: 'POST' })).ticket;
    } catch {
      this.setState('closed');
      this.reconnectSoon();
      return;
    }
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/live?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    ws.onmessage = (e) => this.receive(JSON.parse(e.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState('closed');
      if (this.subs.size > 0) this.reconnectSoon();
    };
  }

  /** Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)). */
  reconnectSoon(delay) {
    if (this.timer) clearTimeout(this.timer);
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 16);
    const wait = delay ?? Math.random() * ceiling;
    this.timer = setTimeout(() => { this.timer = null; if (!this.ws) this.open(); }, wait);
  }

  receive(msg) {
    const sub = msg.topic ? this.subs.get(msg.topic) : null;
    switch (msg.type) {
      case 'hello':
        this.attempt = 0;
        this.setState('open');
        for (const [topic, s] of this.subs) this.sendSubscribe(topic, s);
        break;
      case 'subscribed':
        if (!sub) break;
        if (sub.seq === null) { sub.seq = msg.seq; storeSeq(msg.topic, msg.seq); }
        sub.handlers.forEach((h) => h.onSubscribed && h.onSubscribed(msg.seq));
        break;
      case 'message':
        if (!sub || (sub.seq !== null && msg.seq <= sub.seq)) break; // never apply twice
        sub.seq = msg.seq;
        storeSeq(msg.topic, msg.seq);
        sub.handlers.forEach((h) => h.onMessage && h.onMessage(msg.data, msg));
        break;
      case 'resync':
        if (!sub) break;
        sub.seq = msg.seq;
        storeSeq(msg.topic, msg.seq);
        sub.handlers.forEach((h) => h.onResync && h.onResync(msg.seq));
        break;
      case 'error':
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
