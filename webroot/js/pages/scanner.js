// The scanner page: door staff (a session) or a scanner device (its own token, brought by the
// link /e/<slug>/scanner#scanner=<token>) scan badges with the camera or a USB keyboard-wedge
// scanner. Online every scan is redeemed by the server; when the server cannot be reached the
// badge is checked here (Ed25519 signature against the kept JWKS, event, revoked versions, list
// rules, admissions made on this device), the verdict is shown at once and the scan is queued
// with its nonce and scan time, then uploaded (offline: true) when the network is back. There is
// no mode to switch: every scan tries the server first. Everything kept is in localStorage, so a
// reload loses nothing; the service worker /sw.js keeps the page itself for opening offline.
import { session, eventApi, h } from '../api.js';
import { whileShown } from '../page.js';

const SAME_CODE_MS = 3000;      // the same code again within this time of last seeing it is ignored
const REQUEST_WAIT_MS = 5000;   // a redeem that has no answer by then is decided here
const UPLOAD_BATCH = 50;        // waiting scans per upload call (the server takes 1 to 200)
const UPLOAD_WAIT_MS = 20000;   // an upload call's answer is awaited this long (each scan is its own transaction)
const REFRESH_MS = 60000;       // offline data refresh (deltas since the kept version)
const RETRY_MS = 10000;         // queue upload retry while scans wait

const REASONS = {
  already_redeemed: 'Already checked in',
  revoked: 'Badge revoked (replaced by a newer one)',
  invalid_event: 'Badge of another event',
  remote_ticket: 'Remote registration: not admitted in person',
  invalid: 'Not a valid badge',
  expired: 'Badge expired',
  unknown_person: 'Not registered for this event',
  rules: 'Check in at the venue entry first',
  no_offline_data: 'Cannot check offline yet: connect once to load the badge data',
  unknown_list: 'No check-in list chosen, or not known here',
  refused: 'The server refused the scan',
};

export function reasonText(reason) {
  return REASONS[reason] || (reason ? reason.replace(/_/g, ' ') : 'Refused');
}

// ---- what this device keeps (localStorage, per event)

function store(slug) {
  const prefix = 'confday.scanner.' + slug + '.';
  const read = (k, fallback) => {
    try { const v = JSON.parse(localStorage.getItem(prefix + k)); return v === null ? fallback : v; } catch { return fallback; }
  };
  const write = (k, v) => localStorage.setItem(prefix + k, JSON.stringify(v));
  return {
    read, write,
    device: () => localStorage.getItem(prefix + 'device'),
    setDevice: (t) => (t ? localStorage.setItem(prefix + 'device', t) : localStorage.removeItem(prefix + 'device')),
  };
}

function nonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function b64urlBytes(s) {
  const t = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(t + '='.repeat((4 - (t.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function b64urlJson(s) {
  return JSON.parse(new TextDecoder().decode(b64urlBytes(s)));
}

/** The claims of a badge whose signature verifies with one of the keys, or null. */
export async function verifyBadge(token, jwks) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let header, claims, signature;
  try {
    header = b64urlJson(parts[0]);
    claims = b64urlJson(parts[1]);
    signature = b64urlBytes(parts[2]);
  } catch { return null; }
  if (!header || header.alg !== 'EdDSA' || !claims || typeof claims !== 'object') return null;
  const data = new TextEncoder().encode(parts[0] + '.' + parts[1]);
  for (const k of (jwks && jwks.keys) || []) {
    if (k.kty !== 'OKP' || k.crv !== 'Ed25519' || !k.x) continue;
    if (header.kid && k.kid && header.kid !== k.kid) continue;
    try {
      const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: k.x }, { name: 'Ed25519' }, false, ['verify']);
      if (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data)) return claims;
    } catch { /* not this key, or no Ed25519 in this browser */ }
  }
  return null;
}

let jsQRLoading = null;

/** jsQR (webroot/vendor/jsQR.js, installed from npm by infra/frontend.sh), loaded on first need. */
function loadJsQR() {
  if (window.jsQR) return Promise.resolve();
  if (!jsQRLoading) {
    jsQRLoading = new Promise((resolve, reject) => {
      const el = document.createElement('script');
      el.src = '/vendor/jsQR.js';
      el.onload = () => resolve();
      el.onerror = () => { jsQRLoading = null; reject(new Error('could not load the QR decoder')); };
      document.head.append(el);
    });
  }
  return jsQRLoading;
}

export async function render(main, { event, me, slug }) {
  const kept = store(slug);
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('scanner')) {
    kept.setDevice(hash.get('scanner'));
    history.replaceState(null, '', location.pathname);
  }
  const device = kept.device();
  const s = session();
  const auth = device ? { device: true, token: device } : (s && s.token ? { device: false, token: s.token } : null);
  if (!auth) {
    main.replaceChildren(h('h1', {}, 'Scanner'),
      h('p', { id: 'scanner-login' }, 'Log in with a door-staff link, or open the scanner link an organizer made for this device.'));
    return;
  }
  const redeemPath = eventApi(slug, auth.device ? 'checkin/scanner/redeem' : 'checkin/redeem');

  // ---- the page
  const verdict = h('button', { id: 'verdict', type: 'button', class: 'verdict', 'data-status': 'idle', 'aria-live': 'assertive' });
  const banner = h('div', { id: 'offline-banner', class: 'offline-banner', role: 'status', hidden: true });
  const listSelect = h('select', { id: 'scan-list', 'aria-label': 'Check-in list' });
  const direction = h('select', { id: 'scan-direction', 'aria-label': 'Direction' },
    h('option', { value: 'entry' }, 'Entry'), h('option', { value: 'exit' }, 'Exit'));
  const wedge = h('input', { id: 'wedge', type: 'text', inputmode: 'none', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
    placeholder: 'USB scanner or type a code, then Enter', 'aria-label': 'Badge code' });
  const video = h('video', { id: 'camera', playsinline: true, muted: true, hidden: true });
  video.muted = true;
  const cameraButton = h('button', { id: 'camera-toggle', type: 'button', class: 'secondary' }, 'Start camera');
  const cameraNote = h('span', { id: 'camera-note', class: 'muted small' });
  const dataNote = h('p', { id: 'data-status', class: 'muted small' });
  // door staff with a session (not a scanner device) also see the offline duplicates to check
  const conflictsBox = h('div', { id: 'conflicts-box' });
  const syncedNote = h('p', { id: 'synced', class: 'muted small' });
  const forget = auth.device ? h('button', { type: 'button', class: 'secondary small', id: 'forget-device',
    onclick: () => { if (confirm('Forget this scanner device on this browser?')) { kept.setDevice(null); location.reload(); } } }, 'Forget this scanner') : null;
  const root = h('div', { class: 'scanner' },
    banner,
    verdict,
    h('form', { class: 'scan-form', onsubmit: (ev) => { ev.preventDefault(); const v = wedge.value; wedge.value = ''; submit(v, 'wedge'); } },
      wedge),
    h('div', { class: 'scan-controls' }, listSelect, direction, cameraButton),
    h('div', { class: 'camera-box' }, video, cameraNote),
    dataNote, syncedNote, conflictsBox,
    h('p', { class: 'muted small' }, auth.device ? 'Scanning as a scanner device. ' : 'Scanning as ' + (me ? me.name : 'door staff') + '. ', forget));
  main.replaceChildren(root);
  const page = whileShown(main, root);
  if (!auth.device) {
    import('./checkin/conflicts.js').then(({ mountConflicts }) => mountConflicts(conflictsBox,
      { slug, zone: event && event.timeZone ? event.timeZone : 'UTC', page }))
      .catch(() => { conflictsBox.textContent = ''; }); // offline before the worker kept it: scanning goes on
  }

  // ---- the verdict
  function idle() {
    verdict.dataset.status = 'idle';
    verdict.replaceChildren(h('span', { class: 'verdict-title' }, 'Ready to scan'),
      h('span', { class: 'verdict-reason' }, 'Show a badge QR code to the camera, or scan it with the USB scanner.'));
  }
  function show(answer, local) {
    const ok = answer.status === 'ok';
    const person = answer.personId != null ? people()[answer.personId] : null;
    const name = answer.name || (person && person.name) || '';
    const kind = person ? person.kind || (person.attendance === 'remote' ? 'Remote' : 'In person') : '';
    let reason = ok ? (answer.direction === 'exit' ? 'Exit recorded' : 'Welcome') : reasonText(answer.reason);
    if (!ok && answer.reason === 'already_redeemed' && answer.previous) {
      const l = lists().find((x) => x.id === answer.previous.listId);
      reason += ' at ' + new Date(answer.previous.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + (l ? ' (' + l.name + ')' : '');
    }
    verdict.dataset.status = ok ? 'ok' : 'error';
    verdict.replaceChildren(...[
      h('span', { class: 'verdict-title' }, ok ? (answer.direction === 'exit' ? 'Goodbye' : 'Admitted') : 'Refused'),
      h('span', { class: 'verdict-reason' }, reason),
      name ? h('span', { class: 'verdict-name' }, name) : null,
      kind ? h('span', { class: 'verdict-kind' }, kind) : null,
      local ? h('span', { class: 'verdict-note' }, 'Checked on this device (offline); it uploads when the network is back.') : null,
      h('span', { class: 'verdict-tap' }, 'Tap for the next scan')].filter(Boolean));
  }
  verdict.addEventListener('click', () => { idle(); wedge.focus(); });
  idle();

  // ---- kept data: offline data (jwks, lists, people, revoked), admissions seen here, the queue
  const data = () => kept.read('data', null);
  const people = () => (data() || {}).people || {};
  const lists = () => (data() || {}).lists || [];
  const queue = () => kept.read('queue', []);
  const setQueue = (q) => { kept.write('queue', q); drawBanner(); };
  let reachable = navigator.onLine;

  function drawBanner() {
    // decided here, or left unanswered by a page closed mid-request (not the scan being sent now)
    const waiting = queue().filter((q) => q.decided || Date.now() - Date.parse(q.scannedAt) >= REQUEST_WAIT_MS * 2).length;
    const offline = !reachable || !navigator.onLine;
    banner.hidden = !offline && waiting === 0;
    banner.className = 'offline-banner' + (offline ? ' down' : '');
    banner.textContent = (offline ? 'Offline: badges are checked on this device. ' : 'Uploading scans made offline. ')
      + waiting + (waiting === 1 ? ' scan waiting' : ' scans waiting') + ' to upload.';
  }

  function drawLists() {
    const chosen = kept.read('list', null);
    const all = lists();
    listSelect.replaceChildren(...all.map((l) => h('option', { value: l.id }, l.name)));
    if (chosen && all.some((l) => l.id === chosen)) listSelect.value = String(chosen);
    dataNote.textContent = data() ? 'Offline data: ' + Object.keys(people()).length + ' people, version ' + data().version
      + ', updated ' + new Date(data().at).toLocaleTimeString() : 'No offline data yet.';
  }
  listSelect.addEventListener('change', () => kept.write('list', Number(listSelect.value)));
  direction.value = kept.read('direction', 'entry');
  direction.addEventListener('change', () => kept.write('direction', direction.value));

  async function call(path, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.wait || REQUEST_WAIT_MS);
    try {
      const headers = { Authorization: 'Bearer ' + auth.token, ...(options.body ? { 'Content-Type': 'application/json' } : {}) };
      const res = await fetch(path, { method: options.method || 'GET', headers, body: options.body ? JSON.stringify(options.body) : undefined, signal: controller.signal, cache: 'no-store' });
      reachable = res.status < 500;
      drawBanner();
      if (res.status >= 500) throw new TypeError('server unavailable (' + res.status + ')');
      let body = null;
      try { body = await res.json(); } catch { body = null; }
      return { status: res.status, body };
    } catch (e) {
      reachable = false;
      drawBanner();
      throw Object.assign(e instanceof TypeError ? e : new TypeError(String(e)), { network: true });
    } finally {
      clearTimeout(timer);
    }
  }

  async function refresh() {
    const d = data();
    let r;
    try { r = await call(eventApi(slug, 'checkin/offline-data' + (d ? '?since=' + d.version : ''))); } catch { return; }
    if (r.status !== 200 || !r.body) {
      dataNote.textContent = 'Could not load the offline data: ' + ((r.body && (r.body.detail || r.body.title)) || r.status);
      return;
    }
    const a = r.body;
    const next = a.full || !d ? { people: {}, revoked: {} } : { people: d.people, revoked: d.revoked };
    for (const p of a.people) next.people[p.id] = p;
    for (const x of a.revoked) next.revoked[x.personId] = x.minBadgeVersion;
    kept.write('data', { ...next, version: a.version, jwks: a.jwks, lists: a.lists, at: Date.now() });
    drawLists();
    flush();
  }

  // ---- admissions seen by this device (for offline checks): admitted[listId][personId] = {inside, at}
  function remember(answer) {
    if (answer.personId == null || answer.listId == null) return;
    const seen = (answer.status === 'ok') || answer.reason === 'already_redeemed';
    if (!seen) return;
    const admitted = kept.read('admitted', {});
    const list = lists().find((l) => l.id === answer.listId);
    const mine = admitted[answer.listId] || (admitted[answer.listId] = {});
    const at = answer.scannedAt || new Date().toISOString();
    if (answer.status === 'ok' && answer.direction === 'exit') {
      if (list && list.roomId == null) for (const l of Object.values(admitted)) if (l[answer.personId]) l[answer.personId].inside = false;
      if (mine[answer.personId]) mine[answer.personId].inside = false;
    } else {
      if (answer.status === 'ok' && list && list.roomId != null) {
        // entering a room leaves the room the person was in
        for (const other of lists()) {
          if (other.roomId != null && other.id !== list.id && admitted[other.id] && admitted[other.id][answer.personId]) admitted[other.id][answer.personId].inside = false;
        }
      }
      mine[answer.personId] = { inside: true, at: answer.status === 'ok' ? at : ((answer.previous && answer.previous.at) || at), entered: true };
    }
    kept.write('admitted', admitted);
  }

  async function decideHere(scan) {
    const d = data();
    const base = { listId: scan.listId, direction: scan.direction, scannedAt: scan.scannedAt };
    const no = (reason, extra = {}) => ({ ...base, status: 'error', reason, ...extra });
    if (!d || !d.jwks) return no('no_offline_data');
    const claims = await verifyBadge(scan.badge, d.jwks);
    if (!claims || claims.use !== 'badge') return no('invalid');
    if (claims.exp && claims.exp * 1000 < Date.now()) return no('expired');
    if (claims.evt !== slug) return no('invalid_event');
    const personId = Number(claims.sub);
    const person = d.people[personId];
    if (!person) return no('unknown_person');
    const minimum = Math.max(d.revoked[personId] || 1, person.badgeVersion || 1);
    if (!Number.isInteger(claims.ver) || claims.ver < minimum) return no('revoked', { personId });
    const list = d.lists.find((l) => l.id === scan.listId);
    if (!list) return no('unknown_list', { personId });
    if (person.attendance === 'remote' && !list.admitRemote) return no('remote_ticket', { personId, name: person.name });
    const mine = (kept.read('admitted', {})[list.id] || {})[personId];
    if (scan.direction === 'entry' && mine && (mine.inside || (!list.allowReentry && mine.entered))) {
      return no('already_redeemed', { personId, name: person.name, previous: { at: mine.at, listId: list.id } });
    }
    return { ...base, status: 'ok', personId, name: person.name };
  }

  // ---- scanning
  // code -> when it was last seen: a badge held in front of the camera is redeemed once, and
  // again only after it has been out of sight (or unscanned) for SAME_CODE_MS
  const seen = new Map();
  let busy = Promise.resolve();

  function submit(raw, source) {
    const code = String(raw || '').trim();
    if (!code) return;
    const listId = Number(listSelect.value);
    if (!listId) { show({ status: 'error', reason: 'unknown_list' }); return; }
    const now = Date.now();
    for (const [c, t] of seen) if (now - t >= SAME_CODE_MS) seen.delete(c);
    const repeat = seen.has(code);
    seen.set(code, now);
    if (repeat) return;
    const scan = { badge: code, listId, direction: direction.value, scannedAt: new Date().toISOString(), nonce: nonce(), source };
    busy = busy.then(() => redeem(scan)).catch((e) => show({ status: 'error', reason: 'refused', name: e.message }));
  }

  async function redeem(scan) {
    // kept before sending: a scan in flight when the page is closed is sent again with its nonce
    setQueue([...queue(), { ...scan, decided: false }]);
    let r = null;
    if (navigator.onLine) {
      try { r = await call(redeemPath, { method: 'POST', body: body(scan, false) }); } catch { r = null; }
    }
    if (r && r.status === 200 && r.body) {
      setQueue(queue().filter((q) => q.nonce !== scan.nonce));
      remember(r.body);
      show(r.body, false);
      if (queue().some((q) => q.decided)) flush();
    } else if (r) {
      // refused as a request (a revoked scanner, an ended session, a bad body): nothing to upload later
      setQueue(queue().filter((q) => q.nonce !== scan.nonce));
      show({ status: 'error', reason: 'refused', name: (r.body && (r.body.detail || r.body.title)) || 'HTTP ' + r.status });
    } else {
      const answer = await decideHere(scan);
      setQueue(queue().map((q) => (q.nonce === scan.nonce ? { ...q, decided: true, local: answer } : q)));
      remember(answer);
      show(answer, true);
    }
    wedge.focus();
  }

  function body(scan, offline) {
    const b = { badge: scan.badge, listId: scan.listId, direction: scan.direction, scannedAt: scan.scannedAt, nonce: scan.nonce };
    if (offline) b.offline = true;
    return b;
  }

  // ---- upload of what waits: in scan order, in batches (POST …/checkin/scanner/upload, each scan
  // with its own nonce, so a re-upload changes nothing); a batch the server refuses as malformed
  // is sent again one scan at a time, so one bad scan does not hold back the others
  const uploadPath = eventApi(slug, 'checkin/scanner/upload');
  let flushing = false;
  const ready = (q) => q.decided || Date.now() - Date.parse(q.scannedAt) >= REQUEST_WAIT_MS * 2;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (;;) {
        // undecided entries are scans whose page was closed before any answer: sent as scanned online
        const batch = queue().filter(ready).slice(0, UPLOAD_BATCH);
        if (!batch.length) break;
        let r;
        try {
          r = await call(uploadPath, { method: 'POST', wait: UPLOAD_WAIT_MS, body: { scans: batch.map((q) => body(q, q.decided)) } });
        } catch { break; }
        if (refusedUpload(r)) break;
        if (r.status === 200 && r.body && Array.isArray(r.body.answers) && r.body.answers.length === batch.length) {
          batch.forEach((q, i) => settle(q, 200, r.body.answers[i]));
        } else if (!(await oneByOne(batch))) {
          break;
        }
      }
    } finally {
      flushing = false;
      drawSent();
      drawBanner();
    }
  }

  /** Each scan of a refused batch on its own; false when the uploads should wait for a later try. */
  async function oneByOne(batch) {
    for (const q of batch) {
      let r;
      try { r = await call(redeemPath, { method: 'POST', body: body(q, q.decided) }); } catch { return false; }
      if (refusedUpload(r)) return false;
      settle(q, r.status, r.body);
    }
    return true;
  }

  // the device or the session may not upload (revoked, ended): the scans stay here
  function refusedUpload(r) {
    if (r.status !== 401 && r.status !== 403) return false;
    syncedNote.textContent = 'Upload refused: ' + ((r.body && (r.body.detail || r.body.title)) || r.status) + '. The scans stay here.';
    return true;
  }

  function settle(q, status, answer) {
    setQueue(queue().filter((x) => x.nonce !== q.nonce));
    const sent = kept.read('sent', []);
    sent.unshift({ nonce: q.nonce, at: q.scannedAt, status: answer && answer.status, reason: answer && answer.reason,
      conflict: !!(answer && answer.conflict), name: answer && answer.name, local: q.local && q.local.status });
    kept.write('sent', sent.slice(0, 50));
    if (answer && status === 200) remember(answer);
  }

  function drawSent() {
    const sent = kept.read('sent', []);
    if (!sent.length) { syncedNote.textContent = ''; return; }
    const differ = sent.filter((x) => x.local && x.status && x.local !== x.status).length;
    const conflicts = sent.filter((x) => x.conflict).length;
    syncedNote.textContent = sent.length + ' offline scans uploaded'
      + (differ ? ', ' + differ + ' decided otherwise by the server' : '')
      + (conflicts ? ', ' + conflicts + ' flagged as offline duplicates' : '') + '.';
  }

  // ---- camera: BarcodeDetector (QR only) where present, otherwise jsQR on canvas frames
  let stream = null;
  let timer = null;
  async function decoder() {
    if ('BarcodeDetector' in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes('qr_code')) {
          const d = new window.BarcodeDetector({ formats: ['qr_code'] });
          return async (source) => { const codes = await d.detect(source); return codes.length ? codes[0].rawValue : null; };
        }
      } catch { /* fall back to jsQR */ }
    }
    await loadJsQR();
    const canvas = document.createElement('canvas');
    const g = canvas.getContext('2d', { willReadFrequently: true });
    return async (source) => {
      const scale = Math.min(1, 800 / Math.max(source.videoWidth, source.videoHeight));
      canvas.width = Math.round(source.videoWidth * scale);
      canvas.height = Math.round(source.videoHeight * scale);
      g.drawImage(source, 0, 0, canvas.width, canvas.height);
      const img = g.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
      return code && code.data ? code.data : null;
    };
  }
  async function startCamera() {
    if (stream) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { cameraNote.textContent = 'No camera access in this browser.'; return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (e) {
      cameraNote.textContent = 'Camera not available: ' + e.message;
      stream = null;
      return;
    }
    if (!page.shown) { stopCamera(); return; }
    video.srcObject = stream;
    video.hidden = false;
    try { await video.play(); } catch { /* plays once it can */ }
    const detect = await decoder();
    cameraButton.textContent = 'Stop camera';
    cameraNote.textContent = 'BarcodeDetector' in window ? 'Camera on.' : 'Camera on (jsQR).';
    kept.write('camera', true);
    const tick = async () => {
      if (!stream) return;
      try {
        if (video.readyState >= 2 && video.videoWidth) {
          const code = await detect(video);
          if (code) submit(code, 'camera');
        }
      } catch { /* a frame that could not be read */ }
      if (stream) timer = setTimeout(tick, 150);
    };
    tick();
  }
  function stopCamera() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    video.srcObject = null;
    cameraButton.textContent = 'Start camera';
  }
  cameraButton.addEventListener('click', () => {
    if (stream) { stopCamera(); kept.write('camera', false); cameraNote.textContent = 'Camera off.'; } else startCamera();
  });
  page.onLeave(stopCamera);

  // ---- installable, and available offline
  if (!document.querySelector('link[rel="manifest"]')) {
    document.head.append(h('link', { rel: 'manifest', href: '/e/' + encodeURIComponent(slug) + '/scanner.webmanifest' }));
  }
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/e/' + encodeURIComponent(slug) + '/scanner' }).catch(() => { /* page still works online */ });
  }

  const onOnline = () => { reachable = true; drawBanner(); refresh(); flush(); };
  const onOffline = () => { reachable = false; drawBanner(); };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const refreshTimer = setInterval(refresh, REFRESH_MS);
  const retryTimer = setInterval(() => { if (queue().length) flush(); }, RETRY_MS);
  page.onLeave(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearInterval(refreshTimer);
    clearInterval(retryTimer);
  });

  drawLists();
  drawSent();
  drawBanner();
  wedge.focus();
  await refresh();
  // the camera starts once there is a list to scan for (kept from before, or just loaded)
  if (kept.read('camera', true) && page.shown) startCamera();
}
