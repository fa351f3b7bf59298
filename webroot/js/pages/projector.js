// The projector view (/e/<slug>/projector#<secret>): the pinned question large, the next few
// below, live, without a login. The secret stays in the fragment (never sent in a URL, so it
// is in no log or Referer) and goes to the server in the X-Projector-Secret header; the live
// connection uses tickets that open this session's Q&A topic only. A revoked link says so and
// closes the connection.
import { eventApi, h } from '../api.js';
import { live } from '../live.js';
import { fairOrder, originLabel, questionStore } from './qa/store.js';
import { ensureStyles } from './qa/panel.js';

const NEXT = 4;

export async function render(main, { slug }) {
  ensureStyles();
  document.body.classList.add('projector-mode');
  const secret = location.hash.replace(/^#/, '');
  const root = h('div', { class: 'projector' });
  main.replaceChildren(root);
  const title = h('h1', { class: 'projector-title' });
  const current = h('div', { id: 'projector-current', class: 'projector-current' });
  const next = h('ol', { id: 'projector-next', class: 'projector-next' });
  const status = h('p', { class: 'projector-status small', role: 'status' });
  root.append(title, current, next, status);
  const state = { link: null, sessionId: null, ended: false, fairOrder: false };
  // the session's fair ordering (room and remote take turns), as the attendees see the list
  const store = questionStore({ onChange: () => draw(), onSettings: (qa) => { state.fairOrder = !!qa.fairOrder; draw(); },
    refetch: () => load() });

  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return stop('This projector link is incomplete: open the whole link, including the part after #.');

  async function call(path, method = 'GET') {
    const res = await fetch(eventApi(slug, path), { method, headers: { 'X-Projector-Secret': secret } });
    if (!res.ok) {
      let problem = {};
      try { problem = await res.json(); } catch { /* not JSON */ }
      const err = new Error(problem.detail || res.statusText);
      err.status = res.status;
      err.revoked = res.status === 401;
      throw err;
    }
    return res.json();
  }

  async function load() {
    if (state.ended) return;
    try {
      const view = await call('qa/projector');
      state.link = view.link;
      state.sessionId = view.session.id;
      state.fairOrder = !!view.session.fairOrder;
      title.textContent = view.session.title + (view.session.room ? ' · ' + view.session.room : '');
      store.replace(view.questions);
    } catch (e) {
      if (e.revoked) stop(e.message); else status.textContent = 'Could not load: ' + e.message;
    }
  }

  function draw() {
    const sorted = store.sorted('votes').filter((q) => !q.answered || q.pinned);
    const qs = state.fairOrder ? fairOrder(sorted) : sorted;
    const pinned = qs.find((q) => q.pinned);
    current.replaceChildren(pinned ? questionBlock(pinned, 'projector-q-large')
      : h('p', { class: 'projector-waiting' }, 'Questions appear here when the moderator puts one on screen.'));
    next.replaceChildren(...qs.filter((q) => !q.pinned).slice(0, NEXT).map((q) => h('li', {}, questionBlock(q, 'projector-q-small'))));
  }

  function questionBlock(q, cls) {
    return h('div', { class: 'projector-q ' + cls, 'data-id': String(q.id) },
      h('p', { class: 'projector-text' }, q.text),
      h('p', { class: 'projector-meta' },
        h('span', { class: 'badge qa-origin ' + (q.origin === 'remote' ? 'remote' : 'room') }, originLabel(q.origin)), ' ',
        q.author && !q.anonymous ? q.author.name : 'Anonymous', ' · ', '▲ ' + q.votes,
        q.edited ? [' · ', h('span', { class: 'badge qa-edited' }, 'edited')] : null));
  }

  function stop(message) {
    state.ended = true;
    root.classList.add('projector-ended');
    current.replaceChildren(h('p', { id: 'projector-revoked', class: 'projector-waiting error' }, message));
    next.replaceChildren();
    status.textContent = '';
    if (unsubscribe) unsubscribe();
    live().disconnect();
  }

  let unsubscribe = null;
  const connection = live();
  connection.useTicket(async () => {
    try {
      return (await call('qa/projector/ticket', 'POST')).ticket;
    } catch (e) {
      if (e.revoked) stop(e.message);
      throw e;
    }
  });
  connection.onStatus((s) => {
    if (!state.ended) status.textContent = s === 'open' ? '● Live' : s === 'closed' ? 'Reconnecting…' : 'Connecting…';
  });
  await load();
  if (state.ended) return;
  unsubscribe = connection.subscribe('session:' + state.sessionId + ':qa', (data) => {
    if (data && data.type === 'projector-revoked') { if (data.link === state.link) load(); return; }
    store.apply(data);
  }, { reload: () => load(), onError: (e) => { status.textContent = e.detail || e.code; } });
}
