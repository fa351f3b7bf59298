// The attendee's Q&A of one session: ask (length limit shown, optionally anonymous), upvote
// (a toggle; one vote per person, whatever the tabs or devices), sort by votes, time or
// trending, each question tagged "in the room" or "remote". Live through session:<id>:qa; a
// reload or a reconnect re-fetches, so nothing is lost. Self-contained so that other pages
// (the watch page, beside the video) can embed it:
//
//   import { mountQaPanel } from './qa/panel.js';
//   await mountQaPanel(container, { slug, event, me, sessionId });
import { api, ApiProblem, eventApi, h } from '../../api.js';
import { announce, whileShown } from '../../page.js';
import { askedLabel, fairOrder, originLabel, questionStore } from './store.js';

const MAX_TEXT = 500;
const SORTS = [['votes', 'Top'], ['time', 'Newest'], ['trending', 'Trending']];

export async function mountQaPanel(container, { slug, event, me, sessionId }) {
  ensureStyles();
  const base = eventApi(slug, 'sessions/' + encodeURIComponent(sessionId));
  const root = h('section', { class: 'qa-panel', 'data-session': String(sessionId) });
  container.replaceChildren(root);
  const signedIn = !!(me && me.roles && me.roles.length > 0);
  if (!signedIn) {
    root.append(h('p', { class: 'muted qa-login' }, 'Log in with your personal link to see, ask and upvote questions. ',
      h('a', { href: '/e/' + encodeURIComponent(slug) + '/login' }, 'Log in')));
    return { stop() {} };
  }
  const sortKey = 'confday.qa.sort';
  const state = { sort: SORTS.some(([k]) => k === localStorage.getItem(sortKey)) ? localStorage.getItem(sortKey) : 'votes',
    settings: null, error: null, live: 'connecting' };
  // my questions waiting for a moderator: their verdict is announced when it arrives
  const waiting = new Set();
  const store = questionStore({ onChange: () => { drawList(); verdicts(); }, onSettings: (s) => { state.settings = s; drawHead(); drawList(); },
    refetch: () => reload() });

  const head = h('div', { class: 'qa-head' });
  const form = askForm();
  const sortBar = h('div', { class: 'qa-sort', role: 'group', 'aria-label': 'Sort questions' });
  const list = h('ol', { class: 'qa-list' });
  root.append(head, form.el, sortBar, list);

  function verdicts() {
    for (const id of [...waiting]) {
      const q = store.get(id);
      if (q && (!q.status || q.status === 'visible')) { waiting.delete(id); announce('Your question was approved and is in the list.'); }
    }
  }

  async function reload() {
    try {
      const data = await api(base + '/questions?sort=' + state.sort);
      state.settings = data.qa;
      state.error = null;
      store.replace(data.questions);
    } catch (e) {
      state.error = e.message;
      drawList();
    }
    drawHead();
  }

  function drawHead() {
    const s = state.settings;
    const open = s ? s.open : false;
    head.replaceChildren(
      h('span', { class: 'badge qa-state' + (open ? '' : ' bad') }, s ? (open ? 'Q&A open' : 'Q&A closed') : '…'),
      h('span', { class: 'live-status ' + (state.live === 'open' ? 'open' : state.live === 'closed' ? 'down' : '') },
        state.live === 'open' ? '● Live' : state.live === 'closed' ? 'Reconnecting…' : 'Connecting…'));
    form.setOpen(open);
  }

  function drawSort() {
    sortBar.replaceChildren(...SORTS.map(([key, label]) => h('button', {
      type: 'button', class: 'secondary qa-sort-' + key, 'aria-pressed': String(state.sort === key),
      onclick: () => { state.sort = key; localStorage.setItem(sortKey, key); drawSort(); drawList(); },
    }, label)));
  }

  function drawList() {
    const sorted = store.sorted(state.sort);
    const qs = state.settings && state.settings.fairOrder ? fairOrder(sorted) : sorted;
    const items = qs.map(questionItem);
    if (state.error) items.unshift(h('li', { class: 'error' }, state.error));
    if (qs.length === 0 && !state.error) items.push(h('li', { class: 'muted qa-empty' }, 'No questions yet. Ask the first one.'));
    // a redraw (a vote, a live message) keeps the keyboard focus on the same question's button
    const active = document.activeElement;
    const focusId = active && list.contains(active) ? active.closest('.qa-question')?.dataset.id : null;
    list.replaceChildren(...items);
    if (focusId) list.querySelector('.qa-question[data-id="' + focusId + '"] .qa-vote')?.focus();
  }

  function questionItem(q) {
    const who = q.author ? q.author.name : 'Anonymous';
    return h('li', { class: 'qa-question' + (q.pinned ? ' pinned' : '') + (q.answered ? ' answered' : ''), 'data-id': String(q.id) },
      h('div', { class: 'qa-body' },
        q.pinned ? h('span', { class: 'badge qa-pinned' }, 'On screen now') : null,
        h('p', { class: 'qa-text' }, q.text),
        h('p', { class: 'qa-meta small muted' },
          h('span', { class: 'badge qa-origin ' + (q.origin === 'remote' ? 'remote' : 'room') }, originLabel(q.origin)), ' ',
          who + (q.mine ? ' (you)' : ''), ' · ', askedLabel(q.askedAt),
          q.answered ? h('span', { class: 'badge qa-answered' }, 'answered') : null,
          q.edited ? h('span', { class: 'badge qa-edited' }, 'edited') : null)),
      h('button', {
        // named by its words, the visible count among them ("Upvote, 3 votes"); pressed when it is yours
        type: 'button', class: 'qa-vote' + (q.voted ? ' voted' : ''), 'aria-pressed': String(!!q.voted),
        onclick: () => vote(q),
      }, h('span', { class: 'visually-hidden' }, 'Upvote, '), h('span', { class: 'qa-arrow', 'aria-hidden': 'true' }, '▲'),
      h('span', { class: 'qa-count' }, String(q.votes)), h('span', { class: 'visually-hidden' }, q.votes === 1 ? ' vote' : ' votes')));
  }

  /**
   * A Q&A request over the page's live connection when it is open (src/main/java/dev/confday/qa/QaRoutes.java,
   * mountLive: no HTTP request of its own), else, or when it gets no answer in time, by HTTP: the
   * same answer and the same refusals. A refusal of this person or of what they sent is final;
   * anything else (the socket's own session, too many requests on it, a request this server does
   * not know yet, a server error, no reply) goes by HTTP, which an ask may do safely because it
   * carries its key. data-sent-via says which answered last.
   */
  async function request(name, params, http) {
    const connection = await import('../../live.js').then((m) => m.live()).catch(() => null);
    if (connection && connection.state === 'open') {
      try {
        const r = await connection.request(name, { event: slug, session: Number(sessionId), ...params }, { timeoutMs: 4000 });
        root.setAttribute('data-sent-via', 'live');
        return r;
      } catch (e) {
        const type = e instanceof ApiProblem ? String(e.type) : '';
        const final = e instanceof ApiProblem && ([403, 404, 409].includes(e.status)
          || (e.status === 400 && type.endsWith('/validation'))
          || (e.status === 429 && type.endsWith('/too-many-questions')));
        if (final) throw e;
      }
    }
    const r = await http();
    root.setAttribute('data-sent-via', 'http');
    return r;
  }

  async function vote(q) {
    const up = !q.voted;
    try {
      const r = await request('qa.vote', { question: q.id, up },
        () => api(base + '/questions/' + q.id + '/vote', { method: up ? 'PUT' : 'DELETE' }));
      store.update({ id: r.id, votes: r.votes, voted: r.voted });
      announce((r.voted ? 'Upvoted: ' : 'Upvote removed: ') + r.votes + (r.votes === 1 ? ' vote.' : ' votes.'));
    } catch (e) {
      form.say(e.message, true);
    }
  }

  function askForm() {
    const text = h('textarea', { class: 'qa-input', rows: '3', maxlength: String(MAX_TEXT), 'aria-label': 'Your question',
      placeholder: 'Your question for the speaker' });
    const count = h('span', { class: 'small muted qa-count-chars' }, '0 / ' + MAX_TEXT);
    const anon = h('input', { type: 'checkbox', class: 'qa-anonymous' });
    const send = h('button', { type: 'submit', class: 'qa-send' }, 'Ask');
    const note = h('p', { class: 'small qa-note' });
    const el = h('form', { class: 'qa-ask card' }, text,
      h('div', { class: 'qa-ask-row' },
        h('label', { class: 'qa-anon-label' }, anon, ' Ask anonymously',
          h('span', { class: 'small muted qa-hint' }, 'Hidden from other attendees; moderators still see who asked.')),
        count, send), note);
    const chars = () => [...text.value.trim()].length;
    /** The question being sent and its key, kept until it is answered as stored. */
    let draft = null;
    text.addEventListener('input', () => {
      count.textContent = chars() + ' / ' + MAX_TEXT;
      count.classList.toggle('error', chars() > MAX_TEXT);
    });
    el.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (chars() === 0) { say('Write a question first.', true); return; }
      send.disabled = true;
      try {
        // one key per question: sent again (by HTTP after a socket that went quiet, or by the person
        // after an error, the text unchanged), it answers the question stored the first time
        if (!draft || draft.text !== text.value || draft.anonymous !== anon.checked) {
          draft = { text: text.value, anonymous: anon.checked, key: askKey() };
        }
        const { key } = draft;
        const body = { text: text.value, anonymous: anon.checked };
        const q = await request('qa.ask', { ...body, key },
          () => api(base + '/questions', { method: 'POST', body, headers: { 'Idempotency-Key': key } }))
          .then((r) => (r && r.question ? r.question : r));
        draft = null;
        if (q.status === 'pending') waiting.add(q.id);
        store.update(q);
        text.value = '';
        count.textContent = '0 / ' + MAX_TEXT;
        say(q.status === 'pending' ? 'Thanks! Your question waits for a moderator.' : 'Thanks! Your question is in the list.', false);
      } catch (err) {
        say(err.message, true);
      } finally {
        send.disabled = false;
      }
    });
    // shown under the form and said once through the shell's live region
    function say(message, bad) { note.textContent = message; note.className = 'small qa-note ' + (bad ? 'error' : 'ok'); announce(message); }
    return {
      el,
      say,
      setOpen(open) {
        text.disabled = !open;
        send.disabled = !open;
        text.placeholder = open ? 'Your question for the speaker' : 'The Q&A of this session is closed.';
      },
    };
  }

  /** A fresh key for one ask (crypto.randomUUID needs a secure context; plain http on a LAN has none). */
  function askKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  drawSort();
  drawHead();
  drawList();
  const page = whileShown(document.getElementById('main') || container, root);
  // "3 min ago" moves on
  const tick = setInterval(() => drawList(), 30000);
  page.onLeave(() => clearInterval(tick));
  await page.onLiveStatus((s) => { state.live = s; drawHead(); });
  const subscribed = await page.subscribe('session:' + sessionId + ':qa', (data) => store.apply(data), {
    reload: () => reload(),
    onError: (e) => { state.error = e.detail || e.code; drawList(); },
  });
  if (!subscribed) await reload();
  return { stop() { root.remove(); } };
}

/** The Q&A style sheet, once per document. */
export function ensureStyles() {
  if (!document.getElementById('qa-css')) {
    document.head.append(h('link', { id: 'qa-css', rel: 'stylesheet', href: '/css/qa.css' }));
  }
}
