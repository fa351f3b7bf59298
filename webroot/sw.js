// The scanner page's service worker. Registered by webroot/js/pages/scanner.js with the scope
// /e/<slug>/scanner only, so it controls that one page and nothing else of the site. It keeps
// the page shell (the HTML, the scripts it loads, the style sheet, jsQR) in one versioned
// cache, network first: online the page is always the deployed one, offline the cached copy.
// API calls and the live socket are never cached or even touched (the page keeps its own
// offline data in localStorage).
const VERSION = 'v2';
const CACHE = 'confday-scanner-' + VERSION;
const SHELL = ['/js/app.js', '/js/api.js', '/js/dates.js', '/js/page.js', '/js/live.js', '/js/pages/scanner.js',
  '/js/pages/checkin/conflicts.js', '/style.css', '/vendor/jsQR.js', '/favicon.svg'];
const NETWORK_WAIT_MS = 4000;

function scopePath() {
  return new URL(self.registration.scope).pathname;
}

function cacheKey(url) {
  return url.origin + url.pathname; // no query string: one copy per file
}

self.addEventListener('install', (event) => {
  const page = scopePath();
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll([page, page + '.webmanifest', ...SHELL].map((u) => new Request(u, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('confday-scanner-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function kept(request, url) {
  if (request.method !== 'GET' || url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith('/api/') || url.pathname === '/live' || url.pathname.startsWith('/health')) return false;
  const page = scopePath();
  return url.pathname === page || url.pathname === page + '.webmanifest' || SHELL.includes(url.pathname);
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), NETWORK_WAIT_MS);
  try {
    const response = await fetch(request, { signal: controller.signal });
    if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (!cached) throw e;
    // marked, so a page (and the browser test) can tell the offline copy from the network's
    const headers = new Headers(cached.headers);
    headers.set('X-Confday-Offline-Copy', VERSION);
    return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (!kept(event.request, url)) return; // the browser fetches it as if there were no worker
  event.respondWith(networkFirst(event.request, cacheKey(url)));
});
