// The shell: reads the URL (/e/<slug>/<page>), loads the event and the page module, draws the nav.
import { api, eventApi, session, clearSession, h, ApiProblem, onOfflineCopies, offlineCopies, askAgain } from './api.js';
import { timeOf } from './dates.js';

const PAGES = [
  { id: 'home', label: 'Home' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'posters', label: 'Posters' },
  { id: 'my-poster', label: 'My poster', roles: ['presenter'] },
  { id: 'qa', label: 'Q&A' },
  { id: 'watch', label: 'Watch' },
  { id: 'scanner', label: 'Scanner', roles: ['door-staff'] },
  { id: 'organizer', label: 'Organizer', roles: ['organizer'] },
];

async function route() {
  const main = document.getElementById('main');
  const parts = location.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'e' || !parts[1]) {
    const mod = await import('./pages/events.js');
    return mod.render(main, {});
  }
  const slug = decodeURIComponent(parts[1]);
  const pageId = parts[2] || 'home';
  if (pageId === 'projector') {
    // full screen, no login, no navigation: the secret link alone opens it
    document.body.classList.add('projector-mode');
    document.querySelector('header.top').style.display = 'none';
    const mod = await import('./pages/projector.js');
    return mod.render(main, { slug });
  }
  if (pageId !== 'scanner') installable(slug);
  // the scanner page opens with no network (its service worker keeps the shell): it keeps the
  // event and the visitor it last saw, and uses them when the request cannot reach the server
  const offlineCopy = pageId === 'scanner' ? 'confday.scanner-shell.' + slug : null;
  const kept = offlineCopy ? readKept(offlineCopy) : null;
  let event;
  try {
    event = await api(eventApi(slug));
  } catch (e) {
    if (!(kept && kept.event && !(e instanceof ApiProblem))) {
      main.replaceChildren(h('p', { class: 'error' }, e.message));
      return;
    }
    event = kept.event;
  }
  document.title = event.name + ' · confday';
  document.getElementById('event-name').textContent = event.name;
  let me = null;
  if (session()) {
    try { me = await api(eventApi(slug, 'me')); } catch (e) { me = kept && !(e instanceof ApiProblem) ? kept.me : null; }
  }
  if (offlineCopy) localStorage.setItem(offlineCopy, JSON.stringify({ event, me }));
  document.getElementById('who').replaceChildren(...(me
    ? [h('span', {}, me.name + ' · ' + me.roles.join(', ')), ' ',
       h('button', { id: 'logout', type: 'button', onclick: logOut }, 'Log out')]
    : [h('a', { href: '/e/' + slug + '/login' }, 'Log in')]));
  drawNav(slug, pageId, me);
  const id = pageId === 'login' ? 'login' : (PAGES.find(p => p.id === pageId) ? pageId : 'home');
  const mod = await import('./pages/' + id + '.js');
  await mod.render(main, { event, me, slug });
}

/**
 * Registers the app's worker; an install that fails (the page shell could not be fetched: the
 * venue's Wi-Fi, a busy server) is tried again after 5, 10 and 15 s rather than only at the next
 * page load. The app works online without it.
 */
function registerWorker(scope, attempt) {
  const again = () => { if (attempt < 3) setTimeout(() => registerWorker(scope, attempt + 1), 5000 * (attempt + 1)); };
  navigator.serviceWorker.register('/app-sw.js', { scope }).then((registration) => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'redundant' && !registration.active) again();
    });
  }, again);
}

// The attendee app: the event's manifest (start URL and scope /e/<slug>/) and its service
// worker (webroot/app-sw.js), which answers from its cache when the network does not; the
// banner says so. The scanner page has its own manifest and worker (pages/scanner.js).
function installable(slug) {
  const scope = '/e/' + encodeURIComponent(slug) + '/';
  if (!document.querySelector('link[rel="manifest"]')) {
    document.head.append(h('link', { rel: 'manifest', href: scope + 'app.webmanifest' }));
  }
  if ('serviceWorker' in navigator) registerWorker(scope, 0);
  const banner = document.getElementById('stale-banner');
  onOfflineCopies(({ count, savedAt }) => {
    banner.hidden = count === 0;
    banner.textContent = count === 0 ? ''
      : 'Offline — showing what was last loaded at ' + timeOf(savedAt) + '; it may be out of date';
  });
  // the server is back (the live connection opened again): what came from the cache is asked
  // for again, so that the banner goes; the pages catch up themselves (schedule: the changes
  // since its version, as on every subscription; posters: one reload)
  import('./live.js').then((m) => m.live().onStatus((status) => {
    if (status === 'open' && offlineCopies().count > 0) askAgain();
  })).catch(() => { /* no live connection deployed */ });
}

function readKept(key) {
  try { return JSON.parse(localStorage.getItem(key)); } catch { return null; }
}

// ends the session on the server (every instance refuses it from now on), then forgets it here
async function logOut() {
  try { await api('/api/auth/logout', { method: 'POST' }); } catch { /* ended already */ }
  clearSession();
  location.reload();
}

function drawNav(slug, current, me) {
  const nav = document.getElementById('nav');
  const roles = me ? me.roles : [];
  nav.replaceChildren(...PAGES
    .filter(p => !p.roles || p.roles.some(r => roles.includes(r)))
    .map(p => h('a', { href: '/e/' + slug + '/' + (p.id === 'home' ? '' : p.id), class: p.id === current ? 'active' : '' }, p.label)));
  nav.hidden = false;
}

route().catch(e => {
  document.getElementById('main').replaceChildren(h('p', { class: 'error' }, 'Could not load the page: ' + e.message));
});
