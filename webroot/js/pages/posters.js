// Poster hall: find a poster by title, author or number and see its board on the floor map.
// Organizers also move posters between boards and run the automatic board plan.
import { api, eventApi, h, ApiProblem } from '../api.js';
import { whileShown } from '../page.js';

const REFRESH_AFTER_MS = 5000;

export async function render(main, { me, slug }) {
  ensureStyles();
  const base = eventApi(slug);
  const organizer = !!(me && me.roles.includes('organizer'));
  const state = { areas: [], posters: [], sessions: [], session: null, query: '', results: null, loadedAt: 0, previews: new Map() };

  const search = h('input', {
    type: 'search', id: 'poster-search', placeholder: 'Title, author, poster number or board',
    'aria-label': 'Search posters', autocomplete: 'off', enterkeyhint: 'search',
  });
  const status = h('p', { class: 'poster-status', role: 'status', 'aria-live': 'polite' });
  const switcher = h('div', { class: 'poster-sessions', role: 'group', 'aria-label': 'Poster session' });
  const tools = h('div', { class: 'poster-tools' });
  const maps = h('section', { class: 'poster-maps', 'aria-label': 'Floor map' });
  const hall = h('section', { class: 'poster-hall', 'aria-label': 'Posters' });

  main.replaceChildren(
    h('h1', {}, 'Posters'),
    h('form', { class: 'poster-search', role: 'search', onsubmit: e => { e.preventDefault(); runSearch(); } }, search),
    switcher, status, tools, maps, hall);

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

  await load(!!state.query);

  // stop listening when the shell renders another page into main
  const page = whileShown(main, main.firstElementChild);
  page.onLeave(() => {
    window.removeEventListener('focus', onFocus);
    document.removeEventListener('visibilitychange', onFocus);
  });
  let pending = null;
  // a burst of moves (or one automatic plan) becomes one reload
  const soon = () => { clearTimeout(pending); pending = setTimeout(load, 150); };
  await page.subscribe('event:' + slug + ':posters', soon, { onResync: soon });

  async function load(scroll = false) {
    try {
      const [areas, posters, sessions, files] = await Promise.all([
        api(base + '/areas'), api(base + '/posters'), api(base + '/poster-sessions'),
        api(base + '/poster-files').catch(() => [])]);
      // accepted PDFs and their previews come from the upload work (GET /poster-files)
      const previews = new Map(files.filter(f => f.previewUrl).map(f => [f.posterId, f.previewUrl + '?v=' + f.sha256.slice(0, 16)]));
      // a stored poster whose preview is still being drawn (a live message reloads when ready)
      const previewStates = new Map(files.map(f => [f.posterId, f.preview]));
      Object.assign(state, { areas, posters, sessions, previews, previewStates, loadedAt: Date.now() });
      for (const s of sessions) if (s.title) titles.set(s.ref, s.title);
      if (!state.session || !sessions.some(s => s.ref === state.session)) state.session = defaultSession(sessions);
      if (state.query) state.results = await api(base + '/posters?q=' + encodeURIComponent(state.query));
      draw(scroll === true);
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

  function draw(scroll = false) {
    drawSwitcher();
    drawTools();
    const shown = state.results || state.posters;
    const hits = state.results ? state.results.map(p => boardIn(p, state.session)).filter(Boolean) : [];
    drawMaps(hits);
    drawHall(shown);
    drawStatus(hits, scroll);
  }

  function drawSwitcher() {
    switcher.replaceChildren(...state.sessions.map(s => h('button', {
      type: 'button', class: 'secondary' + (s.ref === state.session ? ' current' : ''),
      'aria-pressed': s.ref === state.session ? 'true' : 'false',
      onclick: () => { state.session = s.ref; draw(true); },
    }, s.title || sessionTitle(s.ref), s.posters ? null : h('span', { class: 'muted' }, ' (no boards yet)'))));
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
      return h('div', { class: 'poster-area' }, h('h2', {}, area.name), h('div', { class: 'poster-map-scroll' }, map));
    }));
  }

  function drawHall(list) {
    if (!list.length) {
      hall.replaceChildren(h('p', { class: 'muted' }, state.results ? 'No poster matches “' + state.query + '”.' : 'No posters yet.'));
      return;
    }
    const boardsById = new Map(state.areas.flatMap(a => a.boards.map(b => [b.id, b])));
    hall.replaceChildren(h('div', { class: 'poster-cards' }, list.map(p => {
      const where = boardIn(p, state.session);
      const previewUrl = p.previewUrl || state.previews.get(p.id);
      return h('article', { class: 'card poster-card', 'data-number': p.number },
        previewUrl ? h('img', { class: 'poster-preview', src: previewUrl, alt: 'Preview of poster ' + p.number, loading: 'lazy' })
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

  function showOnMap(p) {
    state.results = [p];
    search.value = String(p.number);
    state.query = search.value;
    draw(true);
  }

  function drawStatus(hits, scroll) {
    status.className = 'poster-status';
    if (!state.results) {
      status.textContent = state.sessions.length ? `${state.posters.length} posters · ${sessionTitle(state.session)}` : 'Boards are not assigned yet.';
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
