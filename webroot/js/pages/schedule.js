// The live schedule: where the day stands (before, under way, over) with past, current and
// next sessions marked; by time across rooms (phones) or as a grid of rooms aligned by time
// (wide screens); my agenda (starred sessions in time order, clashes shown); times in the
// event's or the viewer's time zone (remote attendees start in their own); stars with "moved
// or cancelled since you starred it", what changed since the last visit (listed with old and new values, the sessions highlighted), live updates without
// reload, and, for organizers, the editing of the day. This module holds the page's state and
// wires its parts (in schedule/): format, view, changes, stars, editor, live-sync.
import { api, eventApi, h, isOfflineCopy } from '../api.js';
import { whileShown } from '../page.js';
import { formats } from './schedule/format.js';
import { changes as changesPart } from './schedule/changes.js';
import { editing as editingPart } from './schedule/editor.js';
import { stars as starsPart } from './schedule/stars.js';
import { view as viewPart } from './schedule/view.js';
import { liveSync } from './schedule/live-sync.js';

export async function render(main, { me, slug }) {
  const root = h('div', { class: 'schedule' });
  main.replaceChildren(root);
  const keys = {
    zone: 'confday.schedule.zone.' + slug,
    // "since you last looked": the last version this browser showed (localStorage), and this
    // tab's baseline (sessionStorage, so that a reload keeps the list)
    seen: 'confday.schedule.seen.' + slug,
    baseline: 'confday.schedule.baseline.' + slug,
  };
  const ctx = {
    slug,
    base: eventApi(slug),
    root,
    keys,
    me,
    organizer: !!(me && me.roles.includes('organizer')),
    signedIn: !!(me && me.roles.length > 0),
    viewerZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    // whether the schedule shown came from the app worker's cache (an older copy, the server slow)
    scheduleIsOfflineCopy: () => isOfflineCopy(eventApi(slug) + '/schedule'),
    state: {
      schedule: null,
      // the zone chosen in this browser; until then remote attendees see their own
      zone: defaultZone(localStorage.getItem(keys.zone), me),
      day: null,
      view: new URLSearchParams(location.search).get('view'), // 'list', 'grid', 'agenda' or null: by width
      viewChosen: new URLSearchParams(location.search).has('view'),
      confirming: null, // the id of the session whose cancelling awaits a yes
      notice: null,     // {id, text, undo}: what the organizer's last cancel did
      stars: new Map(), // session id -> changedSinceStarred
      editing: null,    // {id, mode: 'edit'|'move'} or {id: 'new', day}
      formError: null,
      openPosters: new Set(), // ids of poster sessions whose poster list is unfolded
      baseline: null,   // the version the changes are listed since
      changes: [],      // the changes after the baseline, oldest first
      // what is shown is older than the server is known to have (an answer came from the app
      // worker's cache because the server was slow): asked again until it is not
      behind: false,         // the schedule
      changesBehind: false,  // the list of changes since the baseline
      live: 'connecting', // 'connecting', 'open' (subscribed and caught up), 'down'
      delayResult: null,  // {roomId, ok, text}: what the last "Delay room" did
    },
  };
  const fmt = formats(ctx);
  const changes = changesPart(ctx, fmt);
  const stars = starsPart(ctx);
  const editing = editingPart(ctx, fmt);
  const view = viewPart(ctx, fmt, { changes, editing, stars });
  const sync = liveSync(ctx, { view, changes, stars });
  ctx.draw = view.draw;
  ctx.refresh = sync.refresh;

  const { state } = ctx;
  state.schedule = await api(ctx.base + '/schedule');
  await stars.load();
  // today's tab while the event runs, else its first day
  const today = fmt.eventDay(new Date().toISOString());
  state.day = state.schedule.days.includes(today) ? today : state.schedule.days[0];
  const kept = sessionStorage.getItem(keys.baseline);
  const seen = localStorage.getItem(keys.seen);
  state.baseline = kept !== null ? Number(kept) : seen !== null ? Number(seen) : state.schedule.version;
  // a baseline above the schedule: the server's data was reset (start again from now), unless the
  // schedule is the app worker's older copy (then the baseline waits for the server's answer)
  if (!(state.baseline <= state.schedule.version) && !ctx.scheduleIsOfflineCopy()) {
    state.baseline = state.schedule.version;
  }
  sessionStorage.setItem(keys.baseline, String(state.baseline));
  await changes.load();
  view.draw();

  await sync.start(whileShown(main, root));
}

function defaultZone(stored, me) {
  if (stored === 'viewer' || stored === 'event') return stored;
  return me && me.attendance === 'remote' ? 'viewer' : 'event';
}
