// One place that talks to the HTTP API: adds the session token, turns problem+json into errors.
const KEY = 'confday.session';

export function session() {
  try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
}

export function saveSession(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
export function clearSession() { localStorage.removeItem(KEY); }

export class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'Request failed');
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
  }
}

/**
 * A refusal in a form's words: each field error as its label (labels: API field -> the form's
 * word, e.g. endsAt -> Ends), the separator, and its message (through words, for the form's own
 * phrasing); otherwise the problem's detail through words.
 */
export function problemInWords(e, labels, { words = (m) => m, separator = ': ' } = {}) {
  if (e instanceof ApiProblem && Array.isArray(e.problem.errors) && e.problem.errors.length && e.problem.errors[0].field) {
    return e.problem.errors.map((er) => (labels[er.field] || er.field) + separator + words(er.message)).join('; ');
  }
  return words(e.message);
}

/**
 * The path of an event's API, the slug escaped: eventApi('ml4astro', 'schedule/now') is
 * /api/events/ml4astro/schedule/now, and eventApi(slug) the event itself.
 */
export function eventApi(slug, path = '') {
  return '/api/events/' + encodeURIComponent(slug) + (path ? '/' + path : '');
}

// Answers that came from the attendee app's service worker cache (webroot/app-sw.js marks them
// X-Confday-Offline-Copy) rather than from the server: path -> { path with query, when the copy
// was fetched (ms) }.
// A later answer from the server for the same path (the query aside) takes it off the list.
const copies = new Map();
const offlineListeners = new Set();

/**
 * What of the page is an older copy: { count, savedAt } (savedAt the oldest copy's fetch time,
 * ms; null when count is 0). The listener is called now and on every change; returns the stop.
 */
export function onOfflineCopies(listener) {
  offlineListeners.add(listener);
  listener(offlineCopies());
  return () => offlineListeners.delete(listener);
}

/**
 * Asks the server again for every answer that came from the cache (the server is reachable
 * again): each one the server answers leaves the list. The answers themselves are the pages' to
 * use (they catch up on their own); this only tells what is still an older copy.
 */
export function askAgain() {
  return Promise.allSettled([...copies.values()].map((c) => api(c.path)));
}

/** Whether the last answer to `path` (the query aside) came from the app worker's cache. */
export function isOfflineCopy(path) {
  return copies.has(path.split('?')[0]);
}

/** { count, savedAt } now: see onOfflineCopies. */
export function offlineCopies() {
  const times = [...copies.values()].map((c) => c.savedAt);
  return { count: times.length, savedAt: times.length ? Math.min(...times) : null };
}

function noteAnswer(path, res) {
  const key = path.split('?')[0];
  if (res.headers.get('X-Confday-Offline-Copy')) {
    const saved = Date.parse(res.headers.get('X-Confday-Saved-At') || '');
    copies.set(key, { path, savedAt: Number.isNaN(saved) ? Date.now() : saved });
  } else if (!copies.delete(key)) {
    return;
  }
  const state = offlineCopies();
  offlineListeners.forEach((l) => l(state));
}

export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const s = session();
  const h = { ...headers };
  if (s && s.token) h['Authorization'] = 'Bearer ' + s.token;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData) && typeof body !== 'string') {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers: h, body: payload });
  if (method === 'GET') noteAnswer(path, res);
  if (!res.ok) {
    let problem = { status: res.status, title: res.statusText };
    try { problem = await res.json(); } catch { /* not JSON */ }
    if (res.status === 401) clearSession();
    throw new ApiProblem(problem);
  }
  if (raw) return res;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
