// The attendee app's service worker. Registered by webroot/js/app.js with the scope /e/<slug>/
// (the scanner page keeps its own worker, /sw.js with the longer scope /e/<slug>/scanner, which
// the browser prefers for that page). Everything network first (see networkFirst), one versioned cache: the
// page shell (one HTML for every page of the event), the scripts and style sheets, and the
// answers of the GET API calls the schedule, my agenda, the poster hall and My poster read, so that a
// reload with no network shows what was last loaded. A cached answer is marked
// X-Confday-Offline-Copy (and X-Confday-Saved-At, when it was fetched): webroot/js/api.js tells
// the shell, which shows the "Offline" banner. Writes, sign-in, tokens, the live socket, the
// scanner, check-in and the projector are never cached or even touched.
const VERSION = 'v2';
const CACHE = 'confday-app-' + VERSION;
const SHELL = ['/js/app.js', '/js/api.js', '/js/page.js', '/js/live.js', '/js/dates.js',
  '/js/pages/home.js', '/js/pages/schedule.js', '/js/pages/schedule/changes.js', '/js/pages/schedule/editor.js',
  '/js/pages/schedule/format.js', '/js/pages/schedule/live-sync.js', '/js/pages/schedule/stars.js',
  '/js/pages/schedule/view.js', '/js/pages/posters.js', '/js/pages/my-poster.js', '/style.css', '/css/posters.css', '/favicon.svg'];
const NETWORK_WAIT_MS = 4000;
/** The event's API answers kept (after /api/events/<slug>): the event itself is ''. */
const API_KEPT = [/^$/, /^\/me$/, /^\/schedule$/, /^\/schedule\/changes$/, /^\/agenda$/, /^\/areas$/,
  /^\/areas\/\d+\/plan$/, /^\/posters$/, /^\/posters\/\d+\/preview\.png$/, /^\/poster-sessions$/, /^\/poster-files$/,
  /^\/poster-limits$/, /^\/my-posters$/, /^\/posters\/\d+\/pdf\/status$/];
/** The public answers fetched at install, so that even the first visit's data is there offline. */
const API_FIRST = ['', '/schedule', '/areas', '/posters', '/poster-sessions'];
/** Answers that belong to the signed-in person: forgotten when a session ends or starts. */
const PERSONAL = [/^\/me$/, /^\/agenda$/, /^\/my-posters$/, /^\/posters\/\d+\/pdf\/status$/];
/** Pages of the event this worker never serves (they have their own offline story, or none). */
const NOT_OURS = new Set(['scanner', 'projector', 'login']);

function scopePath() {
  return new URL(self.registration.scope).pathname; // /e/<slug>/
}

function slugOf() {
  return scopePath().split('/')[2];
}

/** Puts url in the cache, trying once more after a second; rejects when both tries failed. */
async function keep(cache, url) {
  try {
    await cache.add(new Request(url, { cache: 'reload' }));
  } catch {
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    await cache.add(new Request(url, { cache: 'reload' }));
  }
}

// The install needs the page shell (without it nothing opens offline); the scripts and styles are
// kept as they come (one that fails now is kept the next time a page loads it through the worker),
// so one slow or failed file does not fail the whole install, as cache.addAll would.
self.addEventListener('install', (event) => {
  const page = scopePath();
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.all([keep(cache, page), Promise.allSettled(SHELL.map((u) => keep(cache, u)))])
      .then(() => Promise.allSettled(API_FIRST.map(async (rest) => {
        const url = self.location.origin + '/api/events/' + slugOf() + rest;
        // bounded: a slow server must not hold the install (and so the offline copy of the shell) back
        const response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(NETWORK_WAIT_MS) });
        if (response.ok) await cache.put(url, await stamped(response));
      }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('confday-app-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

/** The event API path after /api/events/<slug> of url, or null when it is not this event's API. */
function eventApiRest(url) {
  const prefix = '/api/events/' + slugOf();
  if (url.pathname !== prefix && !url.pathname.startsWith(prefix + '/')) return null;
  return url.pathname.slice(prefix.length);
}

/** The cache key of a kept request, or null when the worker leaves it to the browser. */
function keyOf(request, url) {
  if (request.method !== 'GET' || url.origin !== self.location.origin) return null;
  const scope = scopePath();
  if (request.mode === 'navigate') {
    if (!url.pathname.startsWith(scope)) return null;
    const page = url.pathname.slice(scope.length).split('/')[0];
    if (NOT_OURS.has(page) || page.endsWith('.webmanifest')) return null;
    return url.origin + scope; // every page of the event is the same shell
  }
  if (url.pathname.startsWith('/api/')) {
    const rest = eventApiRest(url);
    if (rest === null || !API_KEPT.some((re) => re.test(rest))) return null;
    return url.origin + url.pathname + url.search; // the query matters (?since=, ?q=, ?v=)
  }
  if (SHELL.includes(url.pathname)) return url.origin + url.pathname; // one copy per file
  return null;
}

/** A copy of response to keep, with the time it was fetched (X-Confday-Saved-At). */
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set('X-Confday-Saved-At', new Date().toISOString());
  const body = await response.clone().arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The cached copy of key, marked so that the page can say it shows an older copy (and since when). */
async function offlineCopy(cache, key) {
  const cached = await cache.match(key);
  if (!cached) return null;
  const headers = new Headers(cached.headers);
  headers.set('X-Confday-Offline-Copy', VERSION);
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
}

// The network's answer; the cached copy when the network fails, or when it has not answered
// within NETWORK_WAIT_MS and there is a copy (without one, the network is waited for: a slow
// server is not an error).
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok && response.type === 'basic') await cache.put(key, await stamped(response));
    return response;
  });
  network.catch(() => { /* answered from the copy, or handled below */ });
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_WAIT_MS); })
    .then(() => offlineCopy(cache, key));
  try {
    const first = await Promise.race([network, slow]);
    return first || await network;
  } catch (e) {
    const copy = await offlineCopy(cache, key);
    if (!copy) throw e;
    return copy;
  } finally {
    clearTimeout(timer);
  }
}

/** A session ended or started: the cached answers of the person before are forgotten. */
async function forgetPersonal() {
  const cache = await caches.open(CACHE);
  const prefix = self.location.origin + '/api/events/' + slugOf();
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
    if (rest !== null && PERSONAL.some((re) => re.test(rest))) await cache.delete(request);
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' && url.origin === self.location.origin && url.pathname.startsWith('/api/auth/')) {
    event.waitUntil(forgetPersonal()); // logout or sign-in; the request itself goes on untouched
    return;
  }
  const key = keyOf(event.request, url);
  if (!key) return; // the browser fetches it as if there were no worker
  event.respondWith(networkFirst(event.request, key));
});
