// The watch page: pick a room, play its stream (hls.js from npm, or native HLS where the browser
// has it and hls.js cannot run), with the session's title, speakers, live status and viewers,
// and the session's Q&A beside the video. Playback URLs are signed prefixes that expire
// (nginx secure_link): the page asks for a new one before refreshAt (over its live connection,
// or by HTTP when that is not open), at once when the live
// connection comes back (a laptop woken up, a phone back on the network), and again with backoff
// when a renewal fails; every playlist and segment request hls.js makes is rewritten to the
// newest prefix (xhrSetup), so a refresh never interrupts playback. A refused renewal (revoked)
// or a prefix that expired without one stops the player and says why. Organizers also get the
// on-air switch and hybrid attendance, live on event:<slug>:attendance.
import { api, ApiProblem, eventApi, h } from '../api.js';
import { whileShown } from '../page.js';

// /hls/<sig>/<expires>/<stream>/ as PlaybackSigner makes it
const SIGNED = /^(https?:\/\/[^/]+)?\/hls\/[A-Za-z0-9_-]+\/[0-9]+\/([A-Za-z0-9_-]+)\//;

export async function render(main, { event, me, slug }) {
  if (!document.getElementById('watch-css')) {
    document.head.append(h('link', { id: 'watch-css', rel: 'stylesheet', href: '/css/watch.css' }));
  }
  const root = h('div', { class: 'watch', id: 'watch' });
  main.replaceChildren(h('h1', {}, 'Watch'), root);
  const page = whileShown(main, root);
  const organizer = !!(me && me.roles.includes('organizer'));

  let list;
  try {
    list = await api(eventApi(slug, 'streams'));
  } catch (e) {
    root.replaceChildren(h('p', { class: 'error' }, e.message));
    return;
  }
  if (list.rooms.length === 0) {
    root.replaceChildren(h('p', { class: 'muted' }, 'No room of this event is streamed.',
      organizer ? [' Set a room\'s stream under Streams on the ', h('a', { href: '/e/' + encodeURIComponent(slug) + '/organizer#streams' }, 'organizer page'), '.'] : []));
    return;
  }

  const wanted = Number(new URLSearchParams(location.search).get('room'));
  const state = {
    room: list.rooms.find((r) => r.roomId === wanted) || list.rooms[0],
    statuses: new Map(list.rooms.map((r) => [r.roomId, r.status])),
    grant: null,      // the current {url, prefix, expiresAt, refreshAt}
    refreshes: 0,
    liveRenewals: 0,  // prefixes that came over the live connection (data-live-renewals)
    timer: null,
    failures: 0,      // renewals failed in a row (network, server): the backoff
    expiry: null,     // the timer that stops playback when the prefix expires unrenewed
    hls: null,
    stopRoomTopic: null,
    qaSession: undefined,
    attendanceTopic: null,  // the organizers' subscription (once per page)
    drawAttendance: null,
    loadAttendance: null,
  };

  const roomButtons = h('div', { class: 'watch-rooms', role: 'group', 'aria-label': 'Rooms' },
    list.rooms.map((r) => h('button', { type: 'button', 'data-room': r.roomId, onclick: () => pick(r) }, r.room)));
  const video = h('video', { id: 'watch-video', controls: true, muted: true, autoplay: true, playsinline: true });
  video.muted = true;
  const status = h('p', { class: 'watch-status', id: 'watch-status', role: 'status' });
  const viewers = h('span', { id: 'watch-viewers', class: 'muted' });
  const title = h('h2', { id: 'watch-title' });
  const speakers = h('p', { id: 'watch-speakers', class: 'muted' });
  const message = h('p', { id: 'watch-message', class: 'error', hidden: true });
  const meeting = h('p', { id: 'watch-meeting' });
  const qa = h('section', { class: 'watch-qa', id: 'watch-qa', 'aria-label': 'Questions and answers' });
  const orgPanel = organizer ? h('section', { class: 'watch-organizer', id: 'watch-organizer' }) : null;
  root.replaceChildren(roomButtons,
    h('div', { class: 'watch-main' },
      h('div', { class: 'watch-left' },
        h('div', { class: 'watch-player' }, video),
        message,
        h('div', { class: 'watch-meta' }, status, viewers),
        title, speakers, meeting, orgPanel),
      qa));

  page.onLeave(() => stopPlayback());

  // a phone turned on its side: the video takes the screen's height, scrolled to the top
  const sideways = matchMedia('(orientation: landscape) and (max-height: 500px)');
  const fit = () => { if (sideways.matches) video.parentElement.scrollIntoView({ block: 'start' }); };
  sideways.addEventListener('change', fit);
  page.onLeave(() => sideways.removeEventListener('change', fit));

  // status and viewer counts of every room, read again on the confirmed subscription and a resync
  await page.subscribe('event:' + slug + ':streams', (data) => {
    if (data && data.kind === 'status') {
      state.statuses.set(data.status.roomId, data.status);
      if (data.status.roomId === state.room.roomId) drawStatus();
    }
  }, { reload: reloadStatuses });

  // the live connection back after a break: renew at once (the timer may have slept with the laptop)
  let liveWas = null;
  await page.onLiveStatus((s) => {
    if (s === 'open' && liveWas === 'closed' && state.grant) refresh();
    liveWas = s;
  });
  // the browser back on a network while a renewal waits out its backoff: try at once
  const online = () => { if (state.grant && root.dataset.access !== 'ok') refresh(); };
  window.addEventListener('online', online);
  page.onLeave(() => window.removeEventListener('online', online));

  await pick(state.room);

  async function reloadStatuses() {
    try {
      const fresh = await api(eventApi(slug, 'streams'));
      fresh.rooms.forEach((r) => state.statuses.set(r.roomId, r.status));
      drawStatus();
    } catch { /* the next message brings it */ }
  }

  async function pick(room) {
    state.room = room;
    roomButtons.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.room) === room.roomId)));
    const url = new URL(location.href);
    url.searchParams.set('room', room.roomId);
    history.replaceState(null, '', url);
    stopPlayback();
    drawStatus();
    meeting.replaceChildren(...(room.meetingUrl ? ['Remote speakers join at ', h('a', { href: room.meetingUrl, rel: 'noopener' }, room.meetingUrl)] : []));
    // being subscribed to room:<id>:stream is what makes a viewer count (once per person, however many
    // tabs); anonymous viewers of a public room are counted per tab on room:<id>:watch
    const topic = me ? 'room:' + room.roomId + ':stream' : (room.public ? 'room:' + room.roomId + ':watch' : null);
    if (topic) {
      const live = await import('../live.js').catch(() => null);
      if (live) {
        state.stopRoomTopic = live.subscribe(topic, () => {}, {
          onSubscribed: () => root.setAttribute('data-counted', String(room.roomId)),
        });
        page.onLeave(state.stopRoomTopic);
      }
    }
    if (await refresh(true)) play();
    if (orgPanel) drawOrganizer();
  }

  function stopPlayback() {
    clearTimeout(state.timer);
    clearTimeout(state.expiry);
    state.failures = 0;
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    video.removeAttribute('src');
    if (state.stopRoomTopic) { state.stopRoomTopic(); state.stopRoomTopic = null; }
    state.grant = null;
  }

  /**
   * Gets a new signed prefix and schedules the next; false when there is none. A refusal (revoked,
   * not allowed) stops playback and says so; a failure that may pass (network, server) is retried
   * with backoff, and if the prefix expires meanwhile the player stops rather than fail silently.
   */
  async function refresh(picked = false) {
    const room = state.room;
    clearTimeout(state.timer);
    try {
      const grant = await access(room);
      if (room !== state.room) return false;
      const first = !state.grant;
      // a retry that succeeded after the prefix expired, or after a first attempt failed: play again
      const resumed = !picked && (root.dataset.access === 'expired' || root.dataset.access === 'waiting');
      state.grant = grant;
      state.failures = 0;
      if (!first) state.refreshes += 1;
      root.setAttribute('data-refreshes', String(state.refreshes));
      root.setAttribute('data-access', 'ok');
      message.hidden = true;
      const wait = Math.max(1000, Date.parse(grant.refreshAt) - Date.now());
      state.timer = setTimeout(refresh, wait);
      clearTimeout(state.expiry);
      state.expiry = setTimeout(expired, Math.max(0, Date.parse(grant.expiresAt) - Date.now()));
      if (resumed) play();
      return true;
    } catch (e) {
      if (room !== state.room) return false;
      if (e.status === 401 || e.status === 403 || e.status === 404 || e.status === 410) {
        // refused: no retry; playing on until the prefix expires would hide it
        const was = !!state.grant;
        stopPlayback();
        root.setAttribute('data-access', e.type && e.type.endsWith('stream-access-revoked') ? 'revoked' : 'refused');
        message.textContent = e.status === 401 ? 'Log in through your personal link to watch this stream.'
          : e.type && e.type.endsWith('stream-access-revoked')
            ? (was ? 'Playback stopped: ' : '') + 'the organizers revoked your access to this event\'s streams.'
            : e.message;
        message.hidden = false;
        return false;
      }
      // may pass (offline, server busy): try again, sooner than the prefix expires, 2 s, 4 s, ... 30 s
      state.failures += 1;
      const backoff = Math.min(30000, 1000 * 2 ** state.failures);
      const left = state.grant ? Date.parse(state.grant.expiresAt) - Date.now() : Infinity;
      state.timer = setTimeout(refresh, Math.max(1000, Math.min(backoff, left > 2000 ? left / 2 : backoff)));
      if (!state.grant) root.setAttribute('data-access', 'waiting');
      // (once the prefix expired, its message stays: it says why the player stopped, and that we retry)
      if (!state.grant) {
        message.textContent = 'Cannot reach the server to get access to the stream; retrying.';
        message.hidden = false;
      }
      return false;
    }
  }

  /**
   * A signed prefix for room: over the live connection when it is open (a signed-in viewer's
   * renewal needs no HTTP call), else, or when it gives no answer in time, by POST …/stream/access.
   * A refusal is the same either way. data-renewed-via says which answered last.
   */
  async function access(room) {
    if (me) {
      const connection = await import('../live.js').then((m) => m.live()).catch(() => null);
      if (connection && connection.state === 'open') {
        try {
          // a dead connection not yet noticed must not eat the time left on the prefix
          const left = state.grant ? Date.parse(state.grant.expiresAt) - Date.now() : Infinity;
          const grant = await connection.request('stream.access', { event: slug, room: room.roomId },
            { timeoutMs: Math.max(1000, Math.min(5000, left / 2)) });
          root.setAttribute('data-renewed-via', 'live');
          state.liveRenewals += 1;
          root.setAttribute('data-live-renewals', String(state.liveRenewals));
          return grant;
        } catch (e) {
          // a refusal of this person is final, the same over HTTP; anything else (the socket's own
          // session ended, too many requests, a server error, no reply, not connected) is asked by HTTP,
          // which may still let them in (a public room) or say why not
          if (e instanceof ApiProblem && (e.status === 403 || e.status === 404 || e.status === 410)) throw e;
        }
      }
    }
    const grant = await api(eventApi(slug, 'rooms/' + room.roomId + '/stream/access'), { method: 'POST' });
    root.setAttribute('data-renewed-via', 'http');
    return grant;
  }

  /** The prefix expired without a renewal: stop the player (its requests would get 403) and say so. */
  function expired() {
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    video.removeAttribute('src');
    video.load();
    root.setAttribute('data-access', 'expired');
    message.textContent = 'Playback paused: access to the stream could not be renewed; retrying.';
    message.hidden = false;
  }

  /** Any URL under a signed prefix of this stream, moved to the newest prefix. */
  function current(url) {
    const g = state.grant;
    if (!g) return url;
    return url.replace(SIGNED, (whole, origin, stream) => (g.prefix.includes('/' + stream + '/') ? g.prefix : whole));
  }

  async function play() {
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    let Hls = null;
    try {
      Hls = (await import('/vendor/hls.min.mjs')).default;
    } catch { /* no hls.js: native HLS or nothing */ }
    if (Hls && Hls.isSupported()) {
      // no worker: CSP keeps worker-src at 'self' (hls.js would start a blob: worker); demuxing on
      // the main thread costs a few milliseconds per segment
      const hls = new Hls({
        enableWorker: false,
        lowLatencyMode: false,
        xhrSetup: (xhr, url) => xhr.open('GET', current(url), true),
      });
      state.hls = hls;
      root.setAttribute('data-player', 'hls.js');
      hls.on(Hls.Events.ERROR, (_, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          // e.g. a 403 once a prefix expired while offline: get a new one and go on
          refresh().then((ok) => ok && state.hls === hls && hls.startLoad());
        } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        }
      });
      hls.loadSource(state.grant.url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      // Safari on iOS: the browser fetches segments itself, so a new prefix means a new source
      // (it reloads from the live edge; the prefix lives long enough for that to be rare)
      video.src = state.grant.url;
      root.setAttribute('data-player', 'native');
      const follow = setInterval(() => {
        if (state.grant && root.dataset.access === 'ok' && !video.src.startsWith(state.grant.prefix)) video.src = state.grant.url;
      }, 5000);
      page.onLeave(() => clearInterval(follow));
    } else {
      message.textContent = 'This browser cannot play HLS.';
      message.hidden = false;
      return;
    }
    video.play().catch(() => { /* autoplay refused: the controls are there */ });
  }

  function drawStatus() {
    const s = state.statuses.get(state.room.roomId);
    if (!s) return;
    status.textContent = s.label;
    status.setAttribute('data-state', s.state);
    viewers.textContent = s.viewers === 1 ? '1 person watching' : s.viewers + ' people watching';
    viewers.setAttribute('data-viewers', String(s.viewers));
    const session = s.session || s.next;
    title.textContent = session ? session.title : state.room.room;
    speakers.textContent = session && session.speakers.length
      ? session.speakers.map((p) => p.name + (p.remote ? ' (remote)' : '')).join(', ') : '';
    mountQa(s.session ? s.session.id : null);
    if (orgPanel) drawMode(s);
  }

  async function mountQa(sessionId) {
    if (state.qaSession === sessionId) return;
    state.qaSession = sessionId;
    if (!sessionId) {
      qa.replaceChildren(h('p', { class: 'muted' }, 'Questions open when a session is on.'));
      return;
    }
    const container = h('div', { class: 'watch-qa-panel' });
    qa.replaceChildren(container);
    try {
      const { mountQaPanel } = await import('./qa/panel.js');
      if (state.qaSession !== sessionId) return;
      await mountQaPanel(container, { slug, event, me, sessionId });
    } catch {
      if (state.qaSession === sessionId) container.replaceChildren(h('p', { class: 'muted' }, 'Q&A is not available'));
    }
  }

  // ---- organizers: the switch and hybrid attendance -------------------------------------------

  function drawMode(s) {
    const box = orgPanel.querySelector('.watch-mode');
    if (!box) return;
    box.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === s.mode)));
  }

  async function drawOrganizer() {
    const modes = [['auto', 'Follow the schedule'], ['on-air', 'On air'], ['technical-difficulty', 'Technical difficulty'], ['off-air', 'Off air']];
    const attendance = h('div', { class: 'watch-attendance' });
    orgPanel.replaceChildren(h('h3', {}, 'Stream control'),
      h('div', { class: 'watch-mode', role: 'group', 'aria-label': 'Stream switch' }, modes.map(([mode, label]) =>
        h('button', { type: 'button', 'data-mode': mode, onclick: () => setMode(mode) }, label))),
      h('h3', {}, 'Hybrid attendance'), attendance);
    drawStatus();
    // the table: read by REST at first and on a resync, then replaced by every message of the
    // organizers' attendance topic (first stream joins, room check-ins: about one a second at most)
    const draw = (a) => {
      const rows = a.sessions.filter((x) => x.roomId === state.room.roomId);
      attendance.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Session'), h('th', {}, 'In the room'),
        h('th', {}, 'Remote'), h('th', {}, 'Total'))), h('tbody', {}, rows.map((x) => h('tr', { 'data-session': x.sessionId },
        h('td', {}, x.startsAt.slice(11, 16) + ' ' + x.title), h('td', { 'data-figure': 'inRoom' }, x.inRoom),
        h('td', { 'data-figure': 'remote' }, x.remote), h('td', { 'data-figure': 'total' }, x.total))))));
    };
    const load = async () => {
      try {
        draw(await api(eventApi(slug, 'streams/attendance')));
      } catch (e) {
        attendance.replaceChildren(h('p', { class: 'error' }, e.message));
      }
    };
    state.drawAttendance = draw;
    state.loadAttendance = load;
    if (!state.attendanceTopic) {
      // once per page, whichever room is picked: the handlers draw the current room's table
      state.attendanceTopic = page.subscribe('event:' + slug + ':attendance', (data) => {
        if (data && data.kind === 'attendance') state.drawAttendance(data);
      }, {
        onResync: () => state.loadAttendance(),
        // what changed before the subscription was confirmed is not replayed: read once more
        onSubscribed: () => { root.setAttribute('data-attendance-live', 'true'); state.loadAttendance(); },
      }).then((subscribed) => {
        if (!subscribed) {
          // no live connection module: read now and then instead
          const every = setInterval(() => state.loadAttendance(), 15000);
          page.onLeave(() => clearInterval(every));
        }
      });
    }
    await load();
  }

  async function setMode(mode) {
    try {
      const s = await api(eventApi(slug, 'rooms/' + state.room.roomId + '/stream/mode'), { method: 'PUT', body: { mode } });
      state.statuses.set(s.roomId, s);
      drawStatus();
    } catch (e) {
      message.textContent = e.message;
      message.hidden = false;
    }
  }
}
