import { api, h, ApiProblem } from '../api.js';

// The live schedule: by day and room, now/next per room, times in the event's or the viewer's
// time zone, stars with "moved or cancelled since you starred it", what changed since the
// last visit (listed with old and new values, the sessions highlighted), live updates without
// reload, and, for organizers, the editing of the day.

const TYPES = ['opening', 'invited-talk', 'contributed-talk', 'panel', 'poster-session', 'break', 'social'];
const TYPE_LABELS = {
  'opening': 'Opening', 'invited-talk': 'Invited talk', 'contributed-talk': 'Contributed talk', 'panel': 'Panel',
  'poster-session': 'Poster session', 'break': 'Break', 'social': 'Social',
};
// Only while the live connection is down is /schedule/changes polled, this often. A live
// connection needs no backstop: live.js resumes after a reconnect and asks for a resync when
// it cannot.
const POLL_FALLBACK_MS = 5000;

export async function render(main, { event, me, slug }) {
  const base = '/api/events/' + encodeURIComponent(slug);
  const organizer = !!(me && me.roles.includes('organizer'));
  const signedIn = !!(me && me.roles.length > 0);
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zoneKey = 'confday.schedule.zone.' + slug;
  // "since you last looked": the last version this browser showed (localStorage), and this
  // tab's baseline (sessionStorage, so that a reload keeps the list)
  const seenKey = 'confday.schedule.seen.' + slug;
  const baselineKey = 'confday.schedule.baseline.' + slug;
  const state = {
    schedule: null,
    zone: localStorage.getItem(zoneKey) === 'viewer' ? 'viewer' : 'event',
    day: null,
    stars: new Map(), // session id -> changedSinceStarred
    editing: null,    // {id, mode: 'edit'|'move'} or {id: 'new', day}
    formError: null,
    openPosters: new Set(), // ids of poster sessions whose poster list is unfolded
    baseline: null,   // the version the changes are listed since
    changes: [],      // the changes after the baseline, oldest first
    live: 'connecting', // 'connecting', 'open' (subscribed and caught up), 'down'
    delayResult: null,  // {roomId, ok, text}: what the last "Delay room" did
  };

  const root = h('div', { class: 'schedule' });
  main.replaceChildren(root);

  function tz() { return state.zone === 'viewer' ? viewerZone : state.schedule.event.timeZone; }
  function time(iso) {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz() })
      .format(new Date(iso));
  }
  function eventDay(iso) {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit',
      timeZone: state.schedule.event.timeZone }).format(new Date(iso));
  }

  async function load() {
    state.schedule = await api(base + '/schedule');
    await loadStars();
    if (!state.day || !state.schedule.days.includes(state.day)) state.day = state.schedule.days[0];
    const kept = sessionStorage.getItem(baselineKey);
    const seen = localStorage.getItem(seenKey);
    state.baseline = kept !== null ? Number(kept) : seen !== null ? Number(seen) : state.schedule.version;
    if (!(state.baseline <= state.schedule.version)) state.baseline = state.schedule.version;
    sessionStorage.setItem(baselineKey, String(state.baseline));
    await loadChanges();
    draw();
  }

  async function loadStars() {
    if (!signedIn) return;
    const agenda = await api(base + '/agenda');
    state.stars = new Map(agenda.sessions.map(s => [s.id, s.changedSinceStarred]));
  }

  // The changes since the baseline, from the server: on load and after a reload of the schedule.
  // Live messages extend the list themselves, so that a change does not cost every page a request.
  async function loadChanges() {
    if (state.baseline >= state.schedule.version) { state.changes = []; return; }
    try {
      const r = await api(base + '/schedule/changes?since=' + state.baseline);
      state.changes = r.changes;
    } catch { /* the list waits for the next reload */ }
  }

  // ---- drawing -------------------------------------------------------------------------------

  function draw() {
    const s = state.schedule;
    localStorage.setItem(seenKey, String(s.version));
    // replaceChildren would print a null child as the text "null": drop the absent parts
    root.replaceChildren(...[
      h('div', { class: 'schedule-head' },
        h('h1', {}, 'Schedule'),
        h('span', { class: 'muted', id: 'schedule-version', 'data-version': s.version }, 'version ' + s.version),
        liveStatus(),
        zoneToggle()),
      changelogCard(),
      nowNext(),
      s.days.length > 1 ? h('div', { class: 'day-tabs' }, s.days.map(d => h('button', {
        class: d === state.day ? '' : 'secondary', onclick: () => { state.day = d; draw(); } }, d))) : null,
      h('div', { class: 'rooms' }, s.rooms.map(room => roomColumn(room))),
      feeds()].filter(Boolean));
  }

  const LIVE_LABELS = { connecting: 'Connecting…', open: '● Live', down: 'Offline: checking every few seconds' };
  function liveStatus() {
    return h('span', { class: 'live-status small ' + state.live, id: 'live-status', 'data-state': state.live,
      title: state.live === 'open' ? 'Changes appear as they are made' : 'No live connection' }, LIVE_LABELS[state.live]);
  }

  function setLive(status) {
    if (state.live === status) return;
    state.live = status;
    const el = document.getElementById('live-status');
    if (el && root.contains(el)) el.replaceWith(liveStatus());
  }

  function zoneToggle() {
    const label = state.zone === 'viewer' ? 'Times in your zone (' + viewerZone + ')'
      : 'Times in the event\'s zone (' + state.schedule.event.timeZone + ')';
    return h('button', { class: 'secondary', id: 'zone-toggle', onclick: () => {
      state.zone = state.zone === 'viewer' ? 'event' : 'viewer';
      localStorage.setItem(zoneKey, state.zone);
      draw();
    } }, label, ' ⇄');
  }

  function sessionsOf(room) {
    return state.schedule.sessions.filter(x => x.roomId === room.id && eventDay(x.startsAt) === state.day)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  function nowNext() {
    const now = Date.now();
    const rows = state.schedule.rooms.map(room => {
      const list = state.schedule.sessions.filter(x => x.roomId === room.id && !x.cancelled)
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      const current = list.find(x => Date.parse(x.startsAt) <= now && Date.parse(x.endsAt) > now);
      const next = list.find(x => Date.parse(x.startsAt) > now);
      return h('div', { class: 'now-next-room' }, h('strong', {}, room.name),
        h('div', {}, 'Now: ', current ? time(current.startsAt) + ' ' + current.title : '—'),
        h('div', {}, 'Next: ', next ? time(next.startsAt) + ' ' + next.title : '—'));
    });
    return h('section', { class: 'card now-next', id: 'now-next' }, h('h2', {}, 'Now and next'), rows);
  }

  function roomColumn(room) {
    return h('section', { class: 'room', 'data-room-id': room.id },
      h('h2', {}, room.name, room.capacity ? h('span', { class: 'muted small' }, ' · ' + room.capacity + ' seats') : null),
      room.streamUrl ? h('a', { class: 'small', href: room.streamUrl, rel: 'noopener' }, 'Stream') : null,
      organizer ? delayForm(room) : null,
      sessionsOf(room).map(x => sessionCard(x)),
      organizer ? addSession(room) : null);
  }

  function sessionCard(x) {
    const starred = state.stars.has(x.id);
    const changed = starred && state.stars.get(x.id);
    const recent = changedSinceLastLook().has(x.id);
    const classes = ['session', 'type-' + x.type, x.cancelled ? 'cancelled' : '', changed ? 'changed' : '',
      recent ? 'since-last-look' : ''].join(' ');
    const editing = state.editing && state.editing.id === x.id;
    return h('article', { class: classes, id: 'session-' + x.id, 'data-session-id': x.id },
      h('div', { class: 'session-top' },
        h('span', { class: 'time' }, time(x.startsAt) + '–' + time(x.endsAt)),
        h('span', { class: 'badge' }, TYPE_LABELS[x.type] || x.type),
        x.cancelled ? h('span', { class: 'badge bad' }, 'Cancelled') : null,
        recent ? h('span', { class: 'badge news', title: 'Changed since you last looked' }, 'Changed') : null,
        signedIn ? h('button', { class: 'star' + (starred ? ' on' : ''), title: starred ? 'Unstar' : 'Star',
          'aria-pressed': starred ? 'true' : 'false', onclick: () => toggleStar(x) }, starred ? '★' : '☆') : null),
      h('h3', { class: 'title' }, x.title),
      x.speakers.length ? h('div', { class: 'speakers' }, x.speakers.map((sp, i) => h('span', {},
        i ? ', ' : '', sp.name, sp.remote ? h('span', { class: 'badge remote' }, 'remote') : null))) : null,
      x.track ? h('div', { class: 'muted small' }, 'Track: ' + x.track) : null,
      x.abstract ? h('details', {}, h('summary', {}, 'Abstract'), h('p', {}, x.abstract)) : null,
      x.posters && x.posters.length ? posterList(x) : null,
      changed ? h('div', { class: 'warn changed-note' }, 'Moved or cancelled since you starred it. ',
        h('button', { class: 'secondary small', onclick: () => acknowledge(x) }, 'Got it')) : null,
      organizer ? h('div', { class: 'session-tools' },
        h('button', { class: 'secondary small', onclick: () => openEditor(x.id, 'edit') }, 'Edit'),
        h('button', { class: 'secondary small', onclick: () => openEditor(x.id, 'move') }, 'Move'),
        x.cancelled
          ? h('button', { class: 'secondary small', onclick: () => act(base + '/schedule/sessions/' + x.id + '/restore') }, 'Restore')
          : h('button', { class: 'secondary small', onclick: () => act(base + '/schedule/sessions/' + x.id + '/cancel') }, 'Cancel')) : null,
      editing ? editor(x) : null);
  }

  // The posters of a poster session with their boards, each a link to its board on the map.
  function posterList(x) {
    const ref = x.key || String(x.id);
    const list = h('details', { class: 'session-posters', open: state.openPosters.has(x.id) },
      h('summary', {}, x.posters.length + (x.posters.length === 1 ? ' poster' : ' posters')),
      h('ol', {}, x.posters.map(p => h('li', { 'data-number': p.number },
        h('a', { href: '/e/' + encodeURIComponent(slug) + '/posters?q=' + p.number + '&session=' + encodeURIComponent(ref),
          title: 'Show poster ' + p.number + ' on the map' },
          h('span', { class: 'poster-no' }, '#' + p.number),
          h('span', { class: 'poster-title' }, p.title),
          h('span', { class: 'badge poster-board-label' }, 'board ' + p.board))))));
    list.addEventListener('toggle', () => {
      if (list.open) state.openPosters.add(x.id); else state.openPosters.delete(x.id);
    });
    return list;
  }

  // ---- organizer tools -----------------------------------------------------------------------

  function formError() {
    return state.formError ? h('p', { class: 'error form-error' }, state.formError) : null;
  }

  function delayForm(room) {
    const minutes = h('input', { type: 'number', min: 1, max: 240, value: 10, name: 'minutes', class: 'minutes', 'aria-label': 'Minutes' });
    const asOf = h('input', { type: 'time', name: 'at', 'aria-label': 'As of (event time, empty for now)' });
    // the outcome outlives the redraw that the change itself causes
    const said = state.delayResult && state.delayResult.roomId === room.id ? state.delayResult : null;
    const result = h('span', { class: 'small delay-result' }, said ? h('span', { class: said.ok ? 'ok' : 'error' }, said.text) : null);
    return h('form', { class: 'delay', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { minutes: Number(minutes.value) };
      if (asOf.value) body.at = localIso(state.day + 'T' + asOf.value);
      try {
        const r = await api(base + '/schedule/rooms/' + room.id + '/delay', { method: 'POST', body });
        state.delayResult = { roomId: room.id, ok: true,
          text: r.sessions.length + (r.sessions.length === 1 ? ' session' : ' sessions') + ' shifted.' };
        await refresh();
      } catch (e) {
        state.delayResult = { roomId: room.id, ok: false, text: e.message };
      }
      draw();
    } }, 'Running late: ', minutes, ' min ', h('span', { class: 'small muted' }, 'as of '), asOf, ' ',
    h('button', { class: 'small' }, 'Delay room'), ' ', result);
  }

  // "2023-07-29T10:15" in the event's zone, with the event's offset on that day
  function localIso(local) {
    const sample = state.schedule.sessions.find(x => eventDay(x.startsAt) === local.slice(0, 10));
    const offset = sample ? sample.startsAt.slice(19) : 'Z';
    return local + ':00' + offset;
  }

  function addSession(room) {
    if (state.editing && state.editing.id === 'new' && state.editing.roomId === room.id) {
      return editor({ title: '', type: 'contributed-talk', roomId: room.id, startsAt: state.day + 'T09:00', endsAt: state.day + 'T09:30',
        track: '', abstract: '' });
    }
    return h('button', { class: 'secondary small add-session', onclick: () => {
      state.editing = { id: 'new', roomId: room.id }; state.formError = null; draw();
    } }, '+ Add session');
  }

  function openEditor(id, mode) {
    state.editing = { id, mode };
    state.formError = null;
    draw();
  }

  function editor(x) {
    const isNew = x.id === undefined;
    const move = !isNew && state.editing.mode === 'move';
    const f = {
      title: h('input', { name: 'title', value: x.title, required: true }),
      type: h('select', { name: 'type' }, TYPES.map(t => h('option', { value: t, selected: t === x.type }, TYPE_LABELS[t]))),
      roomId: h('select', { name: 'roomId' }, state.schedule.rooms.map(r => h('option', { value: r.id, selected: r.id === x.roomId }, r.name))),
      startsAt: h('input', { name: 'startsAt', type: 'datetime-local', value: x.startsAt.slice(0, 16) }),
      endsAt: h('input', { name: 'endsAt', type: 'datetime-local', value: x.endsAt.slice(0, 16) }),
      track: h('input', { name: 'track', value: x.track || '' }),
      abstract: h('textarea', { name: 'abstract', rows: 3 }, x.abstract || ''),
    };
    const field = (label, el) => h('label', { class: 'field' }, h('span', {}, label), el);
    const submit = async (ev) => {
      ev.preventDefault();
      try {
        if (move) {
          await api(base + '/schedule/sessions/' + x.id + '/move', { method: 'POST',
            body: { startsAt: f.startsAt.value, roomId: Number(f.roomId.value) } });
        } else {
          const body = { title: f.title.value, type: f.type.value, roomId: Number(f.roomId.value),
            startsAt: f.startsAt.value, endsAt: f.endsAt.value, track: f.track.value, abstract: f.abstract.value };
          if (isNew) await api(base + '/schedule/sessions', { method: 'POST', body });
          else await api(base + '/schedule/sessions/' + x.id, { method: 'PATCH', body });
        }
        state.editing = null;
        state.formError = null;
        await refresh();
      } catch (e) {
        state.formError = e instanceof ApiProblem && e.problem.errors
          ? e.problem.errors.map(er => er.field + ' ' + er.message).join('; ') : e.message;
        draw();
      }
    };
    const cancel = h('button', { type: 'button', class: 'secondary small', onclick: () => { state.editing = null; draw(); } }, 'Close');
    return h('form', { class: 'editor card', onsubmit: submit },
      h('strong', {}, isNew ? 'New session' : move ? 'Move (keeps its length)' : 'Edit session'),
      move ? [field('Starts (event time)', f.startsAt), field('Room', f.roomId)]
        : [field('Title', f.title), field('Type', f.type), field('Room', f.roomId), field('Starts (event time)', f.startsAt),
          field('Ends (event time)', f.endsAt), field('Track', f.track), field('Abstract', f.abstract)],
      formError(),
      h('div', {}, h('button', { class: 'small' }, isNew ? 'Create' : move ? 'Move' : 'Save'), ' ', cancel));
  }

  async function act(path) {
    try {
      await api(path, { method: 'POST' });
      await refresh();
    } catch (e) {
      alert(e.message);
    }
  }

  // ---- stars ---------------------------------------------------------------------------------

  async function toggleStar(x) {
    const starred = state.stars.has(x.id);
    await api(base + '/agenda/' + x.id, { method: starred ? 'DELETE' : 'PUT' });
    if (starred) state.stars.delete(x.id); else state.stars.set(x.id, false);
    draw();
  }

  async function acknowledge(x) {
    await api(base + '/agenda/' + x.id, { method: 'PUT' });
    state.stars.set(x.id, false);
    draw();
  }

  async function calendarLink(out) {
    const r = await api(base + '/agenda/calendar-link', { method: 'POST' });
    out.replaceChildren(h('input', { readonly: true, value: r.url, class: 'calendar-url', onfocus: (e) => e.target.select() }),
      h('div', { class: 'small muted' }, 'Add this address to your calendar app as a subscription. It is personal: do not share it.'));
  }

  function feeds() {
    const out = h('div');
    return h('section', { class: 'card feeds' }, h('h2', {}, 'Calendars and exports'),
      h('p', {}, h('a', { href: base + '/schedule.ics' }, 'Whole event (iCalendar)'), ' · ',
        h('a', { href: base + '/schedule.xml' }, 'frab schedule.xml'), ' · ',
        h('a', { href: base + '/schedule.json' }, 'schedule.json')),
      signedIn ? h('p', {}, h('button', { class: 'secondary small', onclick: () => calendarLink(out) }, 'My starred sessions as a calendar feed'), out) : null);
  }

  // ---- what changed since I last looked ------------------------------------------------------

  function changedSinceLastLook() {
    return new Set(state.changes.map(c => c.sessionId));
  }

  function changelogCard() {
    if (state.baseline >= state.schedule.version || state.changes.length === 0) return null;
    return h('section', { class: 'card changelog', id: 'changelog' },
      h('h2', {}, 'What changed since you last looked'),
      h('ul', {}, state.changes.map(c => h('li', { 'data-session-id': c.sessionId, 'data-version': c.version },
        h('a', { href: '#session-' + c.sessionId }, describe(c))))),
      h('button', { class: 'secondary small', id: 'mark-seen', onclick: () => {
        state.baseline = state.schedule.version;
        state.changes = [];
        sessionStorage.setItem(baselineKey, String(state.baseline));
        draw();
      } }, 'Mark as seen'));
  }

  const KIND_LABELS = { moved: 'Moved', delayed: 'Delayed', updated: 'Updated' };

  function describe(c) {
    const n = c.new;
    const o = c.old;
    switch (c.kind) {
      case 'created': return 'New: ' + n.title + ', ' + span(n, true) + ' in ' + n.room;
      case 'cancelled': return 'Cancelled: ' + n.title + ' (' + span(n) + ' in ' + n.room + ')';
      case 'restored': return 'Back on: ' + n.title + ', ' + span(n) + ' in ' + n.room;
      default: {
        const parts = differences(o, n);
        return (KIND_LABELS[c.kind] || 'Changed') + ': ' + (o ? o.title : n.title)
          + (parts.length ? ' — ' + parts.join('; ') : '');
      }
    }
  }

  // Each field a person could notice, old → new; times in the selected zone.
  function differences(o, n) {
    if (!o) return [];
    const out = [];
    const text = (v) => (v === null || v === undefined || v === '') ? '—' : v;
    const names = (x) => (x.speakers || []).map(sp => sp.name + (sp.remote ? ' (remote)' : '')).join(', ');
    if (o.title !== n.title) out.push('Title: ' + o.title + ' → ' + n.title);
    if (Date.parse(o.startsAt) !== Date.parse(n.startsAt) || Date.parse(o.endsAt) !== Date.parse(n.endsAt)) {
      const otherDay = eventDay(o.startsAt) !== eventDay(n.startsAt);
      out.push('Time: ' + span(o, otherDay) + ' → ' + span(n, otherDay));
    }
    if (o.room !== n.room) out.push('Room: ' + o.room + ' → ' + n.room);
    if (o.type !== n.type) out.push('Type: ' + (TYPE_LABELS[o.type] || o.type) + ' → ' + (TYPE_LABELS[n.type] || n.type));
    if (text(o.track) !== text(n.track)) out.push('Track: ' + text(o.track) + ' → ' + text(n.track));
    if (names(o) !== names(n)) out.push('Speakers: ' + text(names(o)) + ' → ' + text(names(n)));
    if (text(o.abstract) !== text(n.abstract)) out.push('Abstract rewritten');
    if (o.cancelled !== n.cancelled) out.push(n.cancelled ? 'Cancelled' : 'Back on');
    return out;
  }

  function span(x, withDay = false) {
    const day = withDay ? new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
      timeZone: tz() }).format(new Date(x.startsAt)) + ' ' : '';
    return day + time(x.startsAt) + '–' + time(x.endsAt);
  }

  // ---- live updates --------------------------------------------------------------------------

  // force: redraw even when the version is the same (the posters' boards changed, not the schedule)
  async function refresh(force = false) {
    const fresh = await api(base + '/schedule');
    if (force && fresh.version === state.schedule.version) {
      state.schedule = fresh;
      if (!state.editing) draw();
    } else if (fresh.version !== state.schedule.version) {
      state.schedule = fresh;
      await loadStars();
      await loadChanges();
      draw();
    }
  }

  // A live message carries the changed sessions (or the added room): apply them in place, no
  // reload, and add them to what changed since the last look, old values from what is shown.
  async function apply(data) {
    if (!data || typeof data.version !== 'number' || data.version <= state.schedule.version) return;
    if (data.version !== state.schedule.version + 1) { await refresh(); return; }
    const byId = new Map(state.schedule.sessions.map(x => [x.id, x]));
    const changes = [];
    // a live message does not list a poster session's posters: keep the ones shown
    for (const x of data.sessions || []) {
      const old = byId.get(x.id);
      byId.set(x.id, old && old.posters && !x.posters && x.type === 'poster-session' ? { ...x, posters: old.posters } : x);
      changes.push({ version: data.version, sessionId: x.id, kind: data.kind, old: old || null, new: x });
    }
    let rooms = state.schedule.rooms;
    if (data.room && !rooms.some(r => r.id === data.room.id)) {
      rooms = [...rooms, data.room].sort((a, b) => a.position - b.position || a.id - b.id);
    }
    state.schedule = { ...state.schedule, version: data.version, rooms, sessions: [...byId.values()] };
    state.changes = [...state.changes, ...changes];
    if (signedIn && (data.sessions || []).some(x => state.stars.has(x.id))) await loadStars();
    if (!state.editing) draw();
  }

  async function poll() {
    try {
      const r = await api(base + '/schedule/changes?since=' + state.schedule.version);
      if (r.version !== state.schedule.version && !state.editing) await refresh();
    } catch { /* offline for a moment: try again next time */ }
  }

  await load();
  // Live messages through the realtime backbone (webroot/js/live.js). The page counts as live
  // once its subscription is confirmed and it has caught up with what changed before; while
  // the connection is down, the changelog is polled instead.
  const topic = 'event:' + slug + ':schedule';
  let socketOpen = true; // as far as we know: live.js reports its status when it can
  const liveModule = await import('../live.js').catch(() => null);
  const stops = []; // unsubscribes and listeners, undone when the page is left
  if (liveModule && typeof liveModule.subscribe === 'function') {
    stops.push(liveModule.subscribe(topic, (data) => apply(data), {
      // too far behind: reload the whole schedule; the subscription itself is live again
      onResync: async () => {
        await refresh();
        if (socketOpen) setLive('open');
      },
      onSubscribed: async () => {
        // messages sent between the page's load and the subscription are not replayed: catch up once
        await poll();
        if (socketOpen) setLive('open');
      },
      onError: () => setLive('down'),
    }));
    // a poster moved to another board: reload once for a burst of moves (or an automatic plan)
    let postersPending = null;
    const postersChanged = () => {
      clearTimeout(postersPending);
      postersPending = setTimeout(() => { if (main.contains(root)) refresh(true).catch(() => {}); }, 300);
    };
    stops.push(liveModule.subscribe('event:' + slug + ':posters', postersChanged, { onResync: postersChanged }));
    if (typeof liveModule.live === 'function') {
      stops.push(liveModule.live().onStatus((s) => {
        socketOpen = s === 'open';
        if (s === 'closed') setLive('down');
        else if (s === 'connecting' && state.live !== 'down') setLive('connecting');
      }));
    }
  } else {
    setLive('down');
  }
  let stopped = false;
  async function loop() {
    if (stopped) return;
    if (state.live !== 'open') await poll();
    setTimeout(loop, POLL_FALLBACK_MS);
  }
  setTimeout(loop, POLL_FALLBACK_MS);
  const nowNextTimer = setInterval(() => {
    const el = document.getElementById('now-next');
    if (el && !state.editing) el.replaceWith(nowNext());
  }, 30000);
  // stop when the shell renders another page into main
  new MutationObserver((_, obs) => {
    if (!main.contains(root)) {
      stopped = true;
      clearInterval(nowNextTimer);
      stops.forEach((stop) => { if (typeof stop === 'function') stop(); });
      obs.disconnect();
    }
  }).observe(main, { childList: true });
}
