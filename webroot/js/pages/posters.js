// Poster hall: find a poster by title, author or number and see its board on the floor map.
// Organizers also move posters between boards and run the automatic board plan.
import { api, eventApi, h, ApiProblem, offlineCopies } from '../api.js';
import { announce, whileShown } from '../page.js';
import { timeOf } from '../dates.js';

const REFRESH_AFTER_MS = 5000;
/** While a preview is being drawn, look again this often (besides the live message). */
const PREVIEW_POLL_MS = 4000;
const ZOOMS = [1, 1.5, 2, 3];

export async function render(main, { event, me, slug }) {
  ensureStyles();
  const base = eventApi(slug);
  const organizer = !!(me && me.roles.includes('organizer'));
  const state = { areas: [], posters: [], sessions: [], session: null, query: '', results: null, loadedAt: 0, previews: new Map(),
    all: false, zoom: 0 };
  const timeZone = (event && event.timeZone) || undefined;

  const search = h('input', {
    type: 'search', id: 'poster-search', placeholder: 'Title, author, poster number or board',
    'aria-label': 'Search posters', autocomplete: 'off', enterkeyhint: 'search',
  });
  const status = h('p', { class: 'poster-status', role: 'status', 'aria-live': 'polite' });
  const switcher = h('div', { class: 'poster-sessions', role: 'group', 'aria-label': 'Poster session' });
  const zoomOut = h('button', { type: 'button', class: 'secondary poster-zoom', 'aria-label': 'Zoom out of the map', disabled: true, onclick: () => zoom(-1) }, '−');
  const zoomIn = h('button', { type: 'button', class: 'secondary poster-zoom', 'aria-label': 'Zoom into the map', onclick: () => zoom(1) }, '+');
  const mapHint = h('p', { class: 'poster-map-hint muted', id: 'poster-map-hint' }, 'The map is wider than the screen: swipe it sideways, or zoom with + and −.');
  const mapBar = h('div', { class: 'poster-map-bar' }, h('span', { class: 'poster-zoom-buttons' }, zoomOut, zoomIn), mapHint);
  const tools = h('div', { class: 'poster-tools' });
  const maps = h('section', { class: 'poster-maps', 'aria-label': 'Floor map' });
  const hall = h('section', { class: 'poster-hall', 'aria-label': 'Posters' });

  // the search box and the answer stay at the top of the screen while the map and the cards scroll
  main.replaceChildren(
    h('h1', {}, 'Posters'),
    switcher,
    h('div', { class: 'poster-bar' },
      h('form', { class: 'poster-search', role: 'search', onsubmit: e => { e.preventDefault(); runSearch(); } }, search),
      status),
    tools, mapBar, maps, hall);

  // A link such as /e/<slug>/posters?q=12&session=posters-1 (the schedule's poster lists) opens
  // with that search done and its board highlighted, in that poster session.
  const params = new URLSearchParams(location.search);
  const asked = (params.get('q') || '').trim();
  if (asked) { search.value = asked; state.query = asked; }
  if (params.get('session')) state.session = params.get('session');

  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(runSearch, 200); });

  // Live refresh: every board change is a message on event:<slug>:posters; through the live
  // connection (webroot/js/live.js) when it is deployed, and in any case whenever the page
  // comes back into view.
  const onFocus = () => { if (document.visibilityState === 'visible' && Date.now() - state.loadedAt > REFRESH_AFTER_MS) load(); };
  window.addEventListener('focus', onFocus);
  document.addEventListener('visibilitychange', onFocus);
  const onResize = () => showMapHint();
  window.addEventListener('resize', onResize);
  let previewTimer = null;
  // what the map and the cards were last drawn from
  const drawn = { maps: null, hall: null };

  await load(!!state.query);

  // stop listening when the shell renders another page into main
  const page = whileShown(main, main.firstElementChild);
  page.onLeave(() => {
    window.removeEventListener('focus', onFocus);
    document.removeEventListener('visibilitychange', onFocus);
    window.removeEventListener('resize', onResize);
    clearTimeout(previewTimer);
  });
  let pending = null;
  // a burst of moves (or one automatic plan) becomes one reload
  const soon = () => { clearTimeout(pending); pending = setTimeout(load, 150); };
  // shown from the service worker's cache (app-sw.js): once the live connection is back, load afresh
  await page.subscribe('event:' + slug + ':posters', soon, { onResync: soon,
    onSubscribed: () => { if (offlineCopies().count > 0) soon(); } });

  async function load(scroll = false) {
    try {
      const [areas, posters, sessions, files] = await Promise.all([
        api(base + '/areas'), api(base + '/posters'), api(base + '/poster-sessions'),
        api(base + '/poster-files').catch(() => [])]);
      // accepted PDFs and their previews come from the upload work (GET /poster-files)
      const previews = new Map(files.filter(f => f.previewUrl).map(f => [f.posterId, f.previewUrl + '?v=' + f.sha256.slice(0, 16)]));
      // a stored poster whose preview is still being drawn (a live message reloads when ready)
      const previewStates = new Map(files.map(f => [f.posterId, f.preview]));
      announceNewPreviews(previews);
      Object.assign(state, { areas, posters, sessions, previews, previewStates, loadedAt: Date.now() });
      for (const s of sessions) if (s.title) titles.set(s.ref, s.title);
      if (!state.session || !sessions.some(s => s.ref === state.session)) state.session = defaultSession(sessions);
      if (state.query) state.results = await api(base + '/posters?q=' + encodeURIComponent(state.query));
      draw(scroll === true);
      // without a live connection (or if its message is missed) a preview being drawn still shows up
      clearTimeout(previewTimer);
      if ([...previewStates.values()].includes('PENDING') && main.contains(status)) previewTimer = setTimeout(load, PREVIEW_POLL_MS);
    } catch (e) {
      status.textContent = 'Could not load the posters: ' + e.message;
      status.className = 'poster-status error';
    }
  }

  async function runSearch() {
    state.query = search.value.trim();
    if (!state.query) { state.results = null; draw(); return; }
    try {
      const asked = state.query;
      const results = await api(base + '/posters?q=' + encodeURIComponent(asked));
      if (asked !== state.query) return; // a newer search is under way
      state.results = results;
      draw(true);
    } catch (e) {
      status.textContent = e.message;
    }
  }

  // "Preview of poster 3 is ready" for the posters shown, once (not on the first load)
  function announceNewPreviews(previews) {
    if (!state.loadedAt) return;
    const shown = new Set(visiblePosters().map(p => p.id));
    const fresh = [...previews.keys()].filter(id => !state.previews.has(id) && shown.has(id));
    const numbers = state.posters.filter(p => fresh.includes(p.id)).map(p => '#' + p.number);
    if (numbers.length) announce('Preview ready for poster ' + numbers.join(', ') + '.');
  }

  // Without a search: the chosen session's posters (all of them when asked, or when the session has no boards yet)
  function visiblePosters() {
    if (state.results) return state.results;
    const inSession = state.posters.filter(p => boardIn(p, state.session));
    return state.all || !inSession.length ? state.posters : inSession;
  }

  function zoom(step) {
    const before = state.zoom;
    state.zoom = Math.max(0, Math.min(ZOOMS.length - 1, state.zoom + step));
    if (state.zoom === before) return;
    for (const m of maps.querySelectorAll('.poster-map')) m.style.setProperty('--zoom', ZOOMS[state.zoom]);
    zoomOut.disabled = state.zoom === 0;
    zoomIn.disabled = state.zoom === ZOOMS.length - 1;
    const el = maps.querySelector('.poster-board.hit');
    if (el) el.scrollIntoView({ block: 'nearest', inline: 'center' });
    showMapHint();
    announce('Map at ' + Math.round(ZOOMS[state.zoom] * 100) + '%.');
  }

  // The hint shows only where the map is wider than its frame (a phone, or zoomed in)
  function showMapHint() {
    const frames = [...maps.querySelectorAll('.poster-map-scroll')];
    mapHint.hidden = !frames.some(f => f.scrollWidth > f.clientWidth + 1);
    mapBar.hidden = !frames.length;
  }

  function draw(scroll = false) {
    drawSwitcher();
    drawTools();
    const shown = visiblePosters();
    const hits = state.results ? state.results.map(p => boardIn(p, state.session)).filter(Boolean) : [];
    drawMaps(hits);
    drawHall(shown);
    drawStatus(hits, scroll);
    showMapHint();
  }

  function drawSwitcher() {
    const now = Date.now();
    switcher.replaceChildren(...state.sessions.map(s => {
      const when = s.startsAt && s.endsAt ? timeOf(s.startsAt, { timeZone }) + '–' + timeOf(s.endsAt, { timeZone }) : null;
      const phase = !s.startsAt ? null : s.cancelled ? 'cancelled' : now < Date.parse(s.startsAt) ? null
        : now < Date.parse(s.endsAt) ? 'now' : 'over';
      return h('button', {
        type: 'button', class: 'secondary' + (s.ref === state.session ? ' current' : ''),
        'aria-pressed': s.ref === state.session ? 'true' : 'false',
        onclick: () => { state.session = s.ref; state.all = false; draw(true); },
      }, h('span', { class: 'poster-session-title' }, s.title || sessionTitle(s.ref)),
      when ? h('span', { class: 'poster-session-time' }, ' ' + when + (phase ? ' · ' + phase : '')) : null,
      s.posters ? null : h('span', { class: 'poster-session-time' }, ' (no boards yet)'));
    }));
  }

  function drawTools() {
    if (!organizer) { tools.replaceChildren(); return; }
    const target = h('input', { value: state.session || 'posters-1', 'aria-label': 'Poster session key', size: 12 });
    const tracks = h('input', { placeholder: 'Tracks, comma separated (empty: all)', 'aria-label': 'Tracks' });
    const note = h('span', { class: 'muted' });
    tools.replaceChildren(h('details', { class: 'card' },
      h('summary', {}, 'Organizer: automatic board plan'),
      h('p', { class: 'muted' }, 'Replaces the boards of a poster session: posters of one track stay together, boards are filled in walking order.'),
      h('div', { class: 'poster-tool-row' }, target, tracks,
        h('button', { type: 'button', onclick: async () => {
          const body = { session: target.value.trim() };
          const list = tracks.value.split(',').map(t => t.trim()).filter(Boolean);
          if (list.length) body.tracks = list;
          try {
            const r = await api(base + '/posters/assign', { method: 'POST', body });
            note.textContent = r.assigned + ' posters placed.';
            state.session = body.session;
            await load();
          } catch (e) { note.textContent = e.message; }
        } }, 'Assign boards')),
      note));
  }

  function drawMaps(hits) {
    const used = new Map();
    for (const p of state.posters) {
      const b = boardIn(p, state.session);
      if (b) used.set(b.boardId, p);
    }
    // a reload that changed nothing here (a preview came in) keeps the map as it is: its scroll
    // position on a phone, the focused board
    const key = JSON.stringify([state.areas, [...used].map(([b, p]) => [b, p.id, p.number, p.title]),
      hits.map(x => x.boardId)]);
    if (key === drawn.maps) return;
    drawn.maps = key;
    if (!state.areas.length) { maps.replaceChildren(h('p', { class: 'muted' }, 'No floor map yet.')); return; }
    maps.replaceChildren(...state.areas.map(area => {
      const vb = area.viewBox;
      const map = h('div', { class: 'poster-map', style: `aspect-ratio: ${vb.width} / ${vb.height}` },
        area.plan ? h('img', { src: area.plan.url, alt: 'Floor plan of ' + area.name, draggable: 'false' }) : null,
        ...area.boards.map(b => {
          const poster = used.get(b.id);
          const hit = hits.findIndex(x => x.boardId === b.id);
          const cls = ['poster-board', poster ? 'used' : 'free', hit === 0 ? 'hit' : hit > 0 ? 'match' : ''].join(' ');
          return h('div', {
            class: cls, 'data-label': b.label, title: poster ? `${b.label}: #${poster.number} ${poster.title}` : b.label + ' (free)',
            'aria-current': hit === 0 ? 'location' : null,
            role: poster ? 'button' : null, tabindex: poster ? '0' : null,
            onclick: poster ? () => showOnMap(poster) : null,
            onkeydown: poster ? e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); showOnMap(poster); } } : null,
            style: `left:${pct(b.x - vb.x, vb.width)}%;top:${pct(b.y - vb.y, vb.height)}%;width:${pct(b.width, vb.width)}%;height:${pct(b.height, vb.height)}%`,
          }, h('span', {}, b.label));
        }));
      map.style.setProperty('--zoom', ZOOMS[state.zoom]);
      return h('div', { class: 'poster-area' }, h('h2', {}, area.name),
        h('div', { class: 'poster-map-scroll', 'aria-describedby': 'poster-map-hint' }, map));
    }));
  }

  function drawHall(list) {
    // unchanged cards stay (an organizer's open "Move to…" list, the pictures already loaded)
    const key = JSON.stringify([list, state.posters, [...state.previews], [...(state.previewStates || [])],
      state.all, state.session, state.query, !!state.results]);
    if (key === drawn.hall) return;
    drawn.hall = key;
    if (!list.length) {
      hall.replaceChildren(h('p', { class: 'muted' }, state.results ? 'No poster matches “' + state.query + '”.' : 'No posters yet.'));
      return;
    }
    const boardsById = new Map(state.areas.flatMap(a => a.boards.map(b => [b.id, b])));
    const inSession = state.posters.filter(p => boardIn(p, state.session)).length;
    const scope = state.results || !inSession || inSession === state.posters.length ? null
      : h('p', { class: 'poster-scope' }, state.all
        ? [`All ${state.posters.length} posters. `, h('button', { type: 'button', class: 'secondary small', onclick: () => { state.all = false; draw(); } },
          'Only ' + sessionTitle(state.session))]
        : [`${inSession} posters in ${sessionTitle(state.session)}. `, h('button', { type: 'button', class: 'secondary small', onclick: () => { state.all = true; draw(); } },
          `Show all ${state.posters.length} posters`)]);
    hall.replaceChildren(scope || '', h('div', { class: 'poster-cards' }, list.map(p => {
      const where = boardIn(p, state.session);
      const previewUrl = p.previewUrl || state.previews.get(p.id);
      return h('article', { class: 'card poster-card', 'data-number': p.number },
        previewUrl ? h('a', { class: 'poster-preview', href: previewUrl, target: '_blank', rel: 'noopener' },
          h('img', { src: previewUrl, alt: 'Preview of poster ' + p.number + ' (opens the full picture)', loading: 'lazy' }))
          : h('div', { class: 'poster-preview placeholder', 'aria-hidden': 'true' }, placeholderText(state.previewStates && state.previewStates.get(p.id))),
        h('div', { class: 'poster-meta' },
          h('strong', { class: 'poster-number' }, '#' + p.number),
          where ? h('button', { type: 'button', class: 'secondary poster-where', onclick: () => showOnMap(p) }, 'Board ' + where.label)
            : h('span', { class: 'muted' }, otherSessions(p))),
        h('h3', {}, p.title),
        h('p', { class: 'muted' }, p.authors.join(', ')),
        h('p', { class: 'poster-track' }, p.track || '', p.remote ? h('span', { class: 'remote' }, ' · presented remotely') : null),
        organizer && state.session ? moveSelect(p, where, boardsById) : null);
    })));
  }

  function moveSelect(p, where, boardsById) {
    const occupant = new Map();
    for (const q of state.posters) { const b = boardIn(q, state.session); if (b) occupant.set(b.boardId, q.number); }
    const select = h('select', { 'aria-label': 'Move poster ' + p.number + ' to board' },
      h('option', { value: '' }, where ? 'Move to…' : 'Put on board…'),
      ...[...boardsById.values()].map(b => h('option', { value: b.id, disabled: where && where.boardId === b.id },
        b.label + (occupant.has(b.id) ? ' (#' + occupant.get(b.id) + (where ? ', swap' : '') + ')' : ''))));
    select.addEventListener('change', async () => {
      if (!select.value) return;
      try {
        await api(`${base}/poster-sessions/${encodeURIComponent(state.session)}/assignments/${p.id}`,
          { method: 'PUT', body: { board: Number(select.value) } });
        await load();
      } catch (e) {
        status.textContent = e instanceof ApiProblem ? e.message : 'Could not move the poster: ' + e.message;
        status.className = 'poster-status error';
        select.value = '';
      }
    });
    return h('label', { class: 'poster-move' }, 'Board ', select);
  }

  // From a card or a board: the card's button is redrawn away, so focus moves to the board itself
  function showOnMap(p) {
    state.results = [p];
    search.value = String(p.number);
    state.query = search.value;
    draw(true);
    const el = maps.querySelector('.poster-board.hit');
    if (el && el.tabIndex >= 0) el.focus({ preventScroll: true });
  }

  function drawStatus(hits, scroll) {
    status.className = 'poster-status';
    if (!state.results) {
      const inSession = state.posters.filter(p => boardIn(p, state.session)).length;
      status.textContent = state.sessions.length ? `${sessionTitle(state.session)}: ${inSession} of ${state.posters.length} posters on boards` : 'Boards are not assigned yet.';
      return;
    }
    if (!state.results.length) { status.textContent = 'No poster matches “' + state.query + '”.'; return; }
    const first = state.results.find(p => boardIn(p, state.session));
    if (first) {
      const b = boardIn(first, state.session);
      status.textContent = `#${first.number} ${first.title} — board ${b.label}, ${b.area}` +
        (state.results.length > 1 ? ` (and ${state.results.length - 1} more)` : '');
      if (scroll) {
        const el = maps.querySelector('.poster-board.hit');
        if (el) el.scrollIntoView({ block: 'center', inline: 'center' });
      }
    } else {
      const p = state.results[0];
      status.textContent = `#${p.number} ${p.title} is not shown in ${sessionTitle(state.session)}. ${otherSessions(p)}`;
    }
  }

  function otherSessions(p) {
    const elsewhere = p.boards.filter(b => b.session !== state.session);
    return elsewhere.length ? elsewhere.map(b => `${sessionTitle(b.session)}: board ${b.label}`).join('; ') : 'No board yet';
  }
}

// Poster session titles from the schedule (GET /poster-sessions), by reference.
const titles = new Map();

// The session under way, else the next one, else the first: what a visitor in the hall wants.
function defaultSession(sessions) {
  const now = Date.now();
  const timed = sessions.filter(s => s.startsAt && !s.cancelled);
  const current = timed.find(s => Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt));
  const next = timed.find(s => Date.parse(s.startsAt) > now);
  const withPosters = sessions.find(s => s.posters > 0);
  return (current || next || withPosters || sessions[0] || { ref: null }).ref;
}

function boardIn(poster, session) {
  return poster.boards.find(b => b.session === session) || null;
}

// A reference the schedule does not know (no title) reads as itself, except the demo-style keys
// "posters-1", "posters-2", which read as "Poster session I", "II".
function sessionTitle(ref) {
  const known = titles.get(ref);
  if (known) return known;
  const m = /^posters?-(\d+)$/.exec(ref || '');
  const roman = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  return m ? 'Poster session ' + (roman[Number(m[1])] || m[1]) : (ref || '');
}

function pct(v, total) {
  return (v / total * 100).toFixed(3);
}

function ensureStyles() {
  if (document.getElementById('posters-css')) return;
  document.head.append(h('link', { id: 'posters-css', rel: 'stylesheet', href: '/css/posters.css' }));
}

// The hall's words for a card without a picture: no PDF yet, one being drawn, or none to show
// (a preview that failed on our side is not blamed on the poster).
function placeholderText(preview) {
  if (preview === 'PENDING') return 'Preview being drawn…';
  if (preview === 'FAILED' || preview === 'TIMED_OUT' || preview === 'SERVER_ERROR') return 'No preview';
  return 'No preview yet';
}
