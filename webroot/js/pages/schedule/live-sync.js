// Keeping the shown schedule current: live messages through the realtime backbone
// (webroot/js/live.js) applied in place, a reload when a message is missed or a resync is
// asked for, and, only while the live connection is down, polling of /schedule/changes.
import { api } from '../../api.js';
import { announce } from '../../page.js';

// Only while the live connection is down is /schedule/changes polled, this often. A live
// connection needs no backstop: live.js resumes after a reconnect and asks for a resync when
// it cannot.
const POLL_FALLBACK_MS = 5000;
const NOW_NEXT_MS = 30000;

const KIND_WORDS = { moved: 'Moved', delayed: 'Delayed', updated: 'Changed', created: 'New', cancelled: 'Cancelled',
  restored: 'Back on', 'room-added': 'New room' };

export function liveSync(ctx, { view, changes, stars }) {
  const { state, base, signedIn } = ctx;

  // force: redraw even when the version is the same (the posters' boards changed, not the schedule)
  // An older copy than what is shown (the app worker's, when the server was slow) is not shown;
  // `wanted`: a version the server is known to have (the schedule stays marked behind below it).
  async function refresh(force = false, wanted = 0) {
    const fresh = await api(base + '/schedule');
    if (force && fresh.version === state.schedule.version) {
      state.schedule = fresh;
      if (!state.editing) view.draw();
    } else if (fresh.version > state.schedule.version) {
      state.schedule = fresh;
      await stars.load();
      await changes.load();
      view.draw();
    }
    state.behind = state.schedule.version < wanted;
  }

  // A live message carries the changed sessions (or the added room): apply them in place, no
  // reload, and add them to what changed since the last look, old values from what is shown.
  async function apply(data) {
    if (!data || typeof data.version !== 'number' || data.version <= state.schedule.version) return;
    if (data.version !== state.schedule.version + 1) { await refresh(false, data.version); return; }
    const byId = new Map(state.schedule.sessions.map(x => [x.id, x]));
    const added = [];
    // a live message does not list a poster session's posters: keep the ones shown
    for (const x of data.sessions || []) {
      const old = byId.get(x.id);
      byId.set(x.id, old && old.posters && !x.posters && x.type === 'poster-session' ? { ...x, posters: old.posters } : x);
      added.push({ version: data.version, sessionId: x.id, kind: data.kind, old: old || null, new: x });
    }
    let rooms = state.schedule.rooms;
    if (data.room && !rooms.some(r => r.id === data.room.id)) {
      rooms = [...rooms, data.room].sort((a, b) => a.position - b.position || a.id - b.id);
    }
    state.schedule = { ...state.schedule, version: data.version, rooms, sessions: [...byId.values()] };
    state.changes = [...state.changes, ...added];
    if (signedIn && (data.sessions || []).some(x => state.stars.has(x.id))) await stars.load();
    if (!state.editing) view.draw();
    // told once, briefly: what changed, for those who do not see the highlight
    const titles = (data.sessions || []).map(x => x.title);
    const what = data.room && !titles.length ? data.room.name : titles.slice(0, 3).join(', ') + (titles.length > 3 ? ' and more' : '');
    if (what) announce('Schedule: ' + (KIND_WORDS[data.kind] || 'Changed') + ': ' + what);
  }

  // The server's version, from the changes since the one shown: a newer one reloads the
  // schedule; if that answer is still older (a cached copy), the schedule stays marked behind.
  async function poll() {
    try {
      const r = await api(base + '/schedule/changes?since=' + state.schedule.version);
      if (r.version > state.schedule.version && !state.editing) await refresh(false, r.version);
      state.behind = r.version > state.schedule.version;
    } catch { /* offline for a moment: try again next time */ }
  }

  // the list of changes is behind the schedule (see state.changesBehind): asked again
  async function catchUp() {
    if (state.changesBehind && !state.editing) {
      await changes.load();
      if (!state.changesBehind) view.draw();
    }
  }

  // The page counts as live once its subscription is confirmed and it has caught up with what
  // changed before; while the connection is down, the changelog is polled instead. Everything
  // stops when the page is left.
  async function start(page) {
    let socketOpen = true; // as far as we know: live.js reports its status when it can
    const subscribed = await page.subscribe('event:' + ctx.slug + ':schedule', (data) => apply(data), {
      // too far behind: reload the whole schedule; the subscription itself is live again
      onResync: async () => {
        await refresh();
        state.behind = true; // the version the server has is not known here: the next round asks
        if (socketOpen) view.setLive('open');
      },
      onSubscribed: async () => {
        // messages sent between the page's load and the subscription are not replayed: catch up once
        await poll();
        if (socketOpen) view.setLive('open');
      },
      onError: () => view.setLive('down'),
    });
    if (subscribed) {
      // a poster moved to another board: reload once for a burst of moves (or an automatic plan)
      let postersPending = null;
      const postersChanged = () => {
        clearTimeout(postersPending);
        postersPending = setTimeout(() => { if (page.shown) refresh(true).catch(() => {}); }, 300);
      };
      await page.subscribe('event:' + ctx.slug + ':posters', postersChanged, { onResync: postersChanged });
      await page.onLiveStatus((s) => {
        socketOpen = s === 'open';
        if (s === 'closed') view.setLive('down');
        else if (s === 'connecting' && state.live !== 'down') view.setLive('connecting');
      });
    } else {
      view.setLive('down');
    }
    let pollTimer = null;
    async function loop() {
      if (!page.shown) return;
      // what is shown is behind the server (see state.behind): asked again, as while offline
      if (state.live !== 'open' || state.behind) await poll();
      await catchUp();
      pollTimer = setTimeout(loop, POLL_FALLBACK_MS);
    }
    pollTimer = setTimeout(loop, POLL_FALLBACK_MS);
    const nowNextTimer = setInterval(view.redrawNowNext, NOW_NEXT_MS);
    page.onLeave(() => {
      clearTimeout(pollTimer);
      clearInterval(nowNextTimer);
    });
  }

  return { refresh, start };
}
