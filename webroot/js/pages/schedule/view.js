// What the schedule page shows: by day and room, now and next per room, the zone toggle, the
// live status, each session with its speakers, posters and star, and the parts the other
// modules draw (the changelog, the organizer's tools, the feeds).
import { h } from '../../api.js';
import { TYPE_LABELS } from './format.js';

const LIVE_LABELS = { connecting: 'Connecting…', open: '● Live', down: 'Offline: checking every few seconds' };

export function view(ctx, { time, eventDay }, { changes, editing, stars }) {
  const { state, root, slug, organizer, signedIn, viewerZone } = ctx;

  function draw() {
    const s = state.schedule;
    localStorage.setItem(ctx.keys.seen, String(s.version));
    // replaceChildren would print a null child as the text "null": drop the absent parts
    root.replaceChildren(...[
      h('div', { class: 'schedule-head' },
        h('h1', {}, 'Schedule'),
        h('span', { class: 'muted', id: 'schedule-version', 'data-version': s.version }, 'version ' + s.version),
        liveStatus(),
        zoneToggle()),
      changes.card(),
      nowNext(),
      s.days.length > 1 ? h('div', { class: 'day-tabs' }, s.days.map(d => h('button', {
        class: d === state.day ? '' : 'secondary', onclick: () => { state.day = d; draw(); } }, d))) : null,
      h('div', { class: 'rooms' }, s.rooms.map(room => roomColumn(room))),
      stars.feeds()].filter(Boolean));
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
    const label = state.zone === 'viewer' ? 'Times in your zone (' + viewerZone + ')'
      : 'Times in the event\'s zone (' + state.schedule.event.timeZone + ')';
    return h('button', { class: 'secondary', id: 'zone-toggle', onclick: () => {
      state.zone = state.zone === 'viewer' ? 'event' : 'viewer';
      localStorage.setItem(ctx.keys.zone, state.zone);
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

  /** Redraws "now and next" alone (the time moves on), unless an editor is open. */
  function redrawNowNext() {
    const el = document.getElementById('now-next');
    if (el && !state.editing) el.replaceWith(nowNext());
  }

  function roomColumn(room) {
    return h('section', { class: 'room', 'data-room-id': room.id },
      h('h2', {}, room.name, room.capacity ? h('span', { class: 'muted small' }, ' · ' + room.capacity + ' seats') : null),
      room.streamUrl ? h('a', { class: 'small', href: room.streamUrl, rel: 'noopener' }, 'Stream') : null,
      organizer ? editing.delayForm(room) : null,
      sessionsOf(room).map(x => sessionCard(x)),
      organizer ? editing.addSession(room) : null);
  }

  function sessionCard(x) {
    const starred = state.stars.has(x.id);
    const changed = starred && state.stars.get(x.id);
    const recent = changes.sessionIds().has(x.id);
    const classes = ['session', 'type-' + x.type, x.cancelled ? 'cancelled' : '', changed ? 'changed' : '',
      recent ? 'since-last-look' : ''].join(' ');
    const open = state.editing && state.editing.id === x.id;
    return h('article', { class: classes, id: 'session-' + x.id, 'data-session-id': x.id },
      h('div', { class: 'session-top' },
        h('span', { class: 'time' }, time(x.startsAt) + '–' + time(x.endsAt)),
        h('span', { class: 'badge' }, TYPE_LABELS[x.type] || x.type),
        x.cancelled ? h('span', { class: 'badge bad' }, 'Cancelled') : null,
        recent ? h('span', { class: 'badge news', title: 'Changed since you last looked' }, 'Changed') : null,
        signedIn ? h('button', { class: 'star' + (starred ? ' on' : ''), title: starred ? 'Unstar' : 'Star',
          'aria-pressed': starred ? 'true' : 'false', onclick: () => stars.toggle(x) }, starred ? '★' : '☆') : null),
      h('h3', { class: 'title' }, x.title),
      x.speakers.length ? h('div', { class: 'speakers' }, x.speakers.map((sp, i) => h('span', {},
        i ? ', ' : '', sp.name, sp.remote ? h('span', { class: 'badge remote' }, 'remote') : null))) : null,
      x.track ? h('div', { class: 'muted small' }, 'Track: ' + x.track) : null,
      x.abstract ? h('details', {}, h('summary', {}, 'Abstract'), h('p', {}, x.abstract)) : null,
      x.posters && x.posters.length ? posterList(x) : null,
      changed ? h('div', { class: 'warn changed-note' }, 'Moved or cancelled since you starred it. ',
        h('button', { class: 'secondary small', onclick: () => stars.acknowledge(x) }, 'Got it')) : null,
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
