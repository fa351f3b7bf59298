// What the schedule page shows: where the day stands (before, under way with "jump to now",
// over), three views of a day (by time across rooms, a grid of rooms aligned by time, and the
// person's agenda with its clashes), the zone toggle, the live status, each session with its
// speakers, posters and star, and the parts the other modules draw (the changelog, the
// organizer's tools, the feeds).
import { h } from '../../api.js';
import { typeLabel, starrable, phase } from './format.js';

const LIVE_LABELS = { connecting: 'Connecting…', open: '● Live', down: 'Offline: checking every few seconds' };
const VIEWS = [
  { id: 'list', label: 'By time' },
  { id: 'grid', label: 'Grid' },
  { id: 'agenda', label: 'My agenda', signedIn: true },
];
const PHASE_LABELS = { current: 'Now', next: 'Next', past: 'Over' };
// the grid on screens at least this wide, the list by time on narrower ones (phones)
const WIDE = '(min-width: 48rem)';

export function view(ctx, fmt, { changes, editing, stars }) {
  const { state, root, slug, organizer, signedIn, viewerZone } = ctx;
  const { time, eventDay, shownDay, date, dayLabel, crossesMidnight, span } = fmt;
  const wide = window.matchMedia ? window.matchMedia(WIDE) : { matches: true, addEventListener() {} };
  // the width decides the view until the person picks one
  wide.addEventListener('change', () => { if (root.isConnected && !state.viewChosen && !busy()) draw(); });

  // someone is typing in a form of the page (a delay, a new session): no redraw under their hands
  function busy() {
    const el = document.activeElement;
    return !!state.editing || !!state.confirming
      || !!(el && root.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function now() { return Date.now(); }

  function currentView() {
    if (state.view === 'agenda' && signedIn) return 'agenda';
    if (state.view === 'list' || state.view === 'grid') return state.view;
    return wide.matches ? 'grid' : 'list';
  }

  function draw() {
    const s = state.schedule;
    // the last version shown; an older copy of the app worker's does not take it back
    const seen = Number(localStorage.getItem(ctx.keys.seen));
    if (!ctx.scheduleIsOfflineCopy() || !(seen > s.version)) localStorage.setItem(ctx.keys.seen, String(s.version));
    const shown = currentView();
    state.drawnPhase = phaseKey();
    // replaceChildren would print a null child as the text "null": drop the absent parts
    root.replaceChildren(...[
      h('div', { class: 'schedule-head' },
        h('h1', {}, 'Schedule'),
        // the version is for the tests and tools, not for people
        h('span', { id: 'schedule-version', 'data-version': s.version, hidden: true }),
        liveStatus(),
        zoneToggle()),
      dayStatus(),
      changes.card(),
      nowNext(),
      viewTabs(shown),
      shown !== 'agenda' && s.days.length > 1 ? dayTabs() : null,
      shown === 'agenda' ? agendaView() : [
        h('h2', { class: 'day-title', id: 'day-title' }, dayLabel(state.day)),
        shown === 'list' && organizer ? roomTools() : null,
        shown === 'list' ? listView() : gridView()],
      stars.feeds()].flat().filter(Boolean));
  }

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
    const eventZone = state.schedule.event.timeZone;
    const label = state.zone === 'viewer' ? 'Times in your zone (' + viewerZone + ')'
      : 'Times in the event\'s zone (' + eventZone + ')';
    const other = state.zone === 'viewer' ? 'the event\'s zone (' + eventZone + ')' : 'your zone (' + viewerZone + ')';
    return h('button', { class: 'secondary', id: 'zone-toggle', type: 'button', title: 'Show the times in ' + other,
      onclick: () => {
        state.zone = state.zone === 'viewer' ? 'event' : 'viewer';
        localStorage.setItem(ctx.keys.zone, state.zone);
        draw();
      } }, label, ' ⇄');
  }

  // ---- where the day stands ----

  function liveSessions() {
    return state.schedule.sessions.filter(x => !x.cancelled);
  }

  /** 'before', 'during' or 'after' the event (its sessions), or null when it has none. */
  function eventPhase() {
    const list = liveSessions();
    if (!list.length) return null;
    const t = now();
    const first = Math.min(...list.map(x => Date.parse(x.startsAt)));
    const last = Math.max(...list.map(x => Date.parse(x.endsAt)));
    return t < first ? 'before' : t >= last ? 'after' : 'during';
  }

  // what "now" marks: redraw when it changes (the time moves on)
  function phaseKey() {
    const p = phase(state.schedule.sessions, now());
    return eventPhase() + '|' + [...p.current].join(',') + '|' + [...p.next].join(',');
  }

  function firstSession() {
    return liveSessions().sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0];
  }

  function dayStatus() {
    const p = eventPhase();
    if (!p) return null;
    const days = state.schedule.days;
    let text;
    let jump = null;
    if (p === 'before') {
      const first = firstSession();
      text = 'Starts on ' + date(first.startsAt) + ' at ' + time(first.startsAt) + '.';
    } else if (p === 'after') {
      text = days.length > 1
        ? 'Took place from ' + dayLabel(days[0]) + ' to ' + dayLabel(days[days.length - 1]) + '.'
        : 'Took place on ' + dayLabel(days[0]) + '.';
    } else {
      const t = new Date(now()).toISOString();
      text = 'Today is ' + date(t) + ', ' + time(t) + '.';
      jump = h('button', { class: 'small', id: 'jump-now', type: 'button', onclick: jumpToNow }, 'Jump to now');
    }
    return h('p', { class: 'day-status', id: 'day-status', 'data-phase': p }, h('span', {}, text), jump ? ' ' : null, jump);
  }

  // shows the day of what runs now (or next) and scrolls to it, in the list or grid
  function jumpToNow() {
    const p = phase(state.schedule.sessions, now());
    const target = state.schedule.sessions.filter(x => p.current.has(x.id) || p.next.has(x.id))
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0];
    if (!target) return;
    state.day = eventDay(target.startsAt);
    if (currentView() === 'agenda') state.view = null;
    draw();
    const el = document.getElementById('session-' + target.id);
    if (el) {
      el.setAttribute('tabindex', '-1');
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    }
  }

  // What runs now and next in every room, while the event is under way.
  function nowNext() {
    if (eventPhase() !== 'during') return null;
    const t = now();
    const rows = state.schedule.rooms.map(room => {
      const list = liveSessions().filter(x => x.roomId === room.id).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      const current = list.find(x => Date.parse(x.startsAt) <= t && Date.parse(x.endsAt) > t);
      const next = list.find(x => Date.parse(x.startsAt) > t);
      if (!current && !next) return null;
      return h('div', { class: 'now-next-room' }, h('strong', {}, room.name),
        h('div', {}, 'Now: ', current ? time(current.startsAt) + ' ' + current.title : '—'),
        h('div', {}, 'Next: ', next ? (eventDay(next.startsAt) !== eventDay(new Date(t).toISOString())
          ? date(next.startsAt, 'short') + ' ' : '') + time(next.startsAt) + ' ' + next.title : '—'));
    }).filter(Boolean);
    return h('section', { class: 'card now-next', id: 'now-next', 'aria-labelledby': 'now-next-title' },
      h('h2', { id: 'now-next-title' }, 'Now and next'), rows);
  }

  /** Redraws what "now" marks when it has changed (the time moves on), unless an editor is open. */
  function redrawNowNext() {
    if (!root.isConnected || busy()) return;
    if (phaseKey() !== state.drawnPhase) { draw(); return; }
    const el = document.getElementById('now-next');
    if (el) { const fresh = nowNext(); if (fresh) el.replaceWith(fresh); }
    const status = document.getElementById('day-status');
    if (status) { const fresh = dayStatus(); if (fresh) status.replaceWith(fresh); }
  }

  // ---- tabs ----

  function viewTabs(shown) {
    return h('div', { class: 'view-tabs', role: 'group', 'aria-label': 'View' },
      VIEWS.filter(v => !v.signedIn || signedIn).map(v => h('button', {
        type: 'button', class: v.id === shown ? '' : 'secondary', 'data-view': v.id,
        'aria-pressed': v.id === shown ? 'true' : 'false',
        onclick: () => { state.view = v.id; state.viewChosen = true; remember(v.id); draw(); } }, v.label)));
  }

  // the chosen view is in the address, so that "My agenda" can be linked and reloaded
  function remember(id) {
    const url = new URL(location.href);
    url.searchParams.set('view', id);
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  function dayTabs() {
    return h('div', { class: 'day-tabs', role: 'group', 'aria-label': 'Day' }, state.schedule.days.map(d => h('button', {
      type: 'button', class: d === state.day ? '' : 'secondary', 'data-day': d, 'aria-pressed': d === state.day ? 'true' : 'false',
      onclick: () => { state.day = d; draw(); } }, dayLabel(d, 'short'))));
  }

  // ---- the views ----

  function sessionsOfDay() {
    const rank = new Map(state.schedule.rooms.map((r, i) => [r.id, i]));
    return state.schedule.sessions.filter(x => eventDay(x.startsAt) === state.day)
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || rank.get(a.roomId) - rank.get(b.roomId));
  }

  function roomName(id) {
    const room = state.schedule.rooms.find(r => r.id === id);
    return room ? room.name : '';
  }

  // Time-ordered across rooms: the sessions that start together under their time; a date line
  // where the shown zone's day changes (a remote viewer's evening runs into the next day).
  function listView() {
    const p = phase(state.schedule.sessions, now());
    const out = [];
    let slot = null;
    let lastDay = state.day;
    for (const x of sessionsOfDay()) {
      const day = shownDay(x.startsAt);
      if (day !== lastDay) {
        out.push(h('h3', { class: 'date-change' }, date(x.startsAt) + ' (your zone)'));
        lastDay = day;
        slot = null;
      }
      if (!slot || slot.startsAt !== x.startsAt) {
        slot = { startsAt: x.startsAt, el: h('section', { class: 'slot', 'data-starts-at': x.startsAt },
          h('h3', { class: 'slot-time' }, time(x.startsAt))) };
        out.push(slot.el);
      }
      slot.el.append(sessionCard(x, p, { room: true }));
    }
    if (!out.length) return h('p', { class: 'muted', id: 'day-empty' }, 'Nothing is scheduled on this day yet.');
    return h('div', { class: 'by-time', id: 'by-time' }, out);
  }

  // The rooms side by side, rows aligned by time: every start and end of the day is a row line.
  function gridView() {
    const p = phase(state.schedule.sessions, now());
    const rooms = state.schedule.rooms;
    const list = sessionsOfDay();
    const marks = [...new Set(list.flatMap(x => [Date.parse(x.startsAt), Date.parse(x.endsAt)]))].sort((a, b) => a - b);
    const row = (ms) => marks.indexOf(ms) + 2;
    const cells = [h('div', { class: 'grid-corner', style: 'grid-row:1;grid-column:1' })];
    rooms.forEach((room, i) => cells.push(roomHeader(room, 'grid-row:1;grid-column:' + (i + 2))));
    let lastDay = state.day;
    marks.slice(0, -1).forEach((ms, i) => {
      const iso = new Date(ms).toISOString();
      const day = shownDay(iso);
      const label = day !== lastDay ? date(iso, 'short') + ' ' + time(iso) : time(iso);
      lastDay = day;
      cells.push(h('div', { class: 'grid-time' + (day !== state.day ? ' other-day' : ''), style: 'grid-row:' + (i + 2) + ';grid-column:1' }, label));
    });
    for (const x of list) {
      const col = rooms.findIndex(r => r.id === x.roomId) + 2;
      const card = sessionCard(x, p, {});
      card.style.gridColumn = String(col);
      card.style.gridRow = row(Date.parse(x.startsAt)) + ' / ' + row(Date.parse(x.endsAt));
      cells.push(card);
    }
    return h('div', { class: 'grid-scroll', id: 'grid-scroll', tabindex: '0', 'aria-label': 'Rooms side by side; scrolls sideways' },
      h('div', { class: 'timetable', id: 'timetable',
        style: 'grid-template-columns:4.5rem repeat(' + rooms.length + ', minmax(11rem, 1fr))' }, cells),
      list.length ? null : h('p', { class: 'muted', id: 'day-empty' }, 'Nothing is scheduled on this day yet.'));
  }

  function roomHeader(room, style) {
    return h('section', { class: 'room', 'data-room-id': room.id, style },
      h('h2', {}, room.name, room.capacity ? h('span', { class: 'muted small' }, ' · ' + room.capacity + ' seats') : null),
      room.streamUrl ? h('a', { class: 'small', href: room.streamUrl, rel: 'noopener' }, 'Stream') : null,
      organizer ? editing.delayForm(room) : null,
      organizer ? editing.addSession(room) : null);
  }

  // On a phone, the organizer's tools per room (running late, add a session) above the day.
  function roomTools() {
    return h('section', { class: 'card room-tools', 'aria-labelledby': 'room-tools-title' },
      h('h2', { id: 'room-tools-title', class: 'small-title' }, 'Rooms'),
      state.schedule.rooms.map(room => roomHeader(room)));
  }

  // The starred sessions of every day in time order; two that overlap are marked as a clash.
  function agendaView() {
    const p = phase(state.schedule.sessions, now());
    const starred = state.schedule.sessions.filter(x => state.stars.has(x.id))
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    if (!starred.length) {
      return h('section', { class: 'agenda', id: 'agenda' },
        h('h2', {}, 'My agenda'),
        h('p', { class: 'muted', id: 'agenda-empty' }, 'No starred sessions yet. Star (☆) the sessions you want to attend and they are listed here in time order, with any that clash.'));
    }
    const clashes = new Map(starred.map(x => [x.id, []]));
    starred.forEach((a, i) => starred.slice(i + 1).forEach(b => {
      if (a.cancelled || b.cancelled) return;
      if (Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt)) {
        clashes.get(a.id).push(b);
        clashes.get(b.id).push(a);
      }
    }));
    const clashCount = [...clashes.values()].reduce((n, l) => n + l.length, 0) / 2;
    const out = [];
    let lastDay = null;
    for (const x of starred) {
      const day = shownDay(x.startsAt);
      if (day !== lastDay) { out.push(h('h3', { class: 'agenda-day' }, date(x.startsAt))); lastDay = day; }
      const card = sessionCard(x, p, { room: true, clashes: clashes.get(x.id) });
      out.push(card);
    }
    return h('section', { class: 'agenda', id: 'agenda' },
      h('h2', {}, 'My agenda'),
      h('p', { class: clashCount ? 'warn' : 'muted', id: 'agenda-summary' },
        starred.length + (starred.length === 1 ? ' starred session' : ' starred sessions')
        + (clashCount ? ', ' + clashCount + (clashCount === 1 ? ' clash' : ' clashes') + ': you cannot attend both of two sessions that overlap.' : ', no clashes.')),
      out);
  }

  // ---- one session ----

  function sessionCard(x, p, { room = false, clashes = [] } = {}) {
    const starred = state.stars.has(x.id);
    const changed = starred && state.stars.get(x.id);
    const recent = changes.sessionIds().has(x.id);
    const when = x.cancelled ? null : p.of(x);
    const classes = ['session', 'type-' + x.type, x.cancelled ? 'cancelled' : '', changed ? 'changed' : '',
      recent ? 'since-last-look' : '', when === 'later' || !when ? '' : when, clashes.length ? 'clash' : ''].join(' ');
    const open = state.editing && state.editing.id === x.id;
    const titleId = 'session-title-' + x.id;
    return h('article', { class: classes.replace(/\s+/g, ' ').trim(), id: 'session-' + x.id, 'data-session-id': x.id,
      'data-phase': when || 'cancelled', 'aria-labelledby': titleId },
      h('div', { class: 'session-top' },
        h('span', { class: 'time' }, time(x.startsAt) + '–' + time(x.endsAt)),
        crossesMidnight(x) ? h('span', { class: 'badge next-day', title: 'Ends on ' + date(x.endsAt) }, 'ends ' + date(x.endsAt, 'short')) : null,
        PHASE_LABELS[when] ? h('span', { class: 'badge phase phase-' + when }, PHASE_LABELS[when]) : null,
        h('span', { class: 'badge type-badge' }, typeLabel(x)),
        x.cancelled ? h('span', { class: 'badge bad' }, 'Cancelled') : null,
        recent ? h('span', { class: 'badge news', title: 'Changed since you last looked' }, 'Changed') : null,
        signedIn && starrable(x) ? h('button', { class: 'star' + (starred ? ' on' : ''), type: 'button',
          title: starred ? 'Remove from my agenda' : 'Add to my agenda',
          'aria-label': (starred ? 'Unstar ' : 'Star ') + x.title,
          'aria-pressed': starred ? 'true' : 'false', onclick: () => stars.toggle(x) }, starred ? '★' : '☆') : null),
      h('h3', { class: 'title', id: titleId }, x.title),
      room ? h('div', { class: 'room-name small' }, roomName(x.roomId)) : null,
      x.speakers.length ? h('div', { class: 'speakers' }, x.speakers.map((sp, i) => h('span', {},
        i ? ', ' : '', sp.name, sp.remote ? h('span', { class: 'badge remote' }, 'remote') : null))) : null,
      x.track ? h('div', { class: 'muted small' }, 'Track: ' + x.track) : null,
      clashes.length ? h('p', { class: 'warn clash-note' }, 'Clashes with ', clashes.flatMap((c, i) => [i ? '; ' : '',
        h('a', { href: '#session-' + c.id }, c.title), ' (' + roomName(c.roomId) + ', ' + span(c) + ')'])) : null,
      x.abstract ? h('details', {}, h('summary', {}, 'Abstract'), h('p', {}, x.abstract)) : null,
      x.posters && x.posters.length ? posterList(x) : null,
      changed ? h('div', { class: 'warn changed-note' }, 'Moved or cancelled since you starred it. ',
        h('button', { class: 'secondary small', type: 'button', onclick: () => stars.acknowledge(x) }, 'Got it')) : null,
      organizer ? editing.sessionTools(x) : null,
      open ? editing.editor(x) : null);
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

  return { draw, setLive, redrawNowNext };
}
