// The moderator's view of one session's Q&A, phone first: room and remote questions in one
// list, each with who asked (also when anonymous to attendees) and when; the pre-moderation
// queue; approve, dismiss, pin, mark answered, each with undo; the Q&A state; and the
// session's projector links. Live through session:<id>:moderation; a reload or reconnect
// re-fetches.
//
// Edit, merge and mute are not on the server yet: register them here when they land, e.g.
//   moderationExtras.push({ id: 'edit', label: 'Edit', applies: (q) => q.status !== 'dismissed',
//     run: async (q, ctx) => { ...; await ctx.act(q, 'edit', body) } });
// Each extra gets a button on every question it applies to.
import { api, eventApi, h } from '../../api.js';
import { announce, whileShown } from '../../page.js';
import { askedLabel, originLabel, questionStore } from './store.js';
import { ensureStyles } from './panel.js';
import { projectorLinks } from './projector-links.js';

/** Extra moderation actions (edit, merge, mute) registered by later features; see above. */
export const moderationExtras = [];

const FILTERS = [
  ['queue', 'Queue', (q) => q.status === 'pending'],
  ['live', 'Live', (q) => q.status === 'visible' && !q.answered],
  ['answered', 'Answered', (q) => q.status === 'visible' && q.answered],
  ['dismissed', 'Dismissed', (q) => q.status === 'dismissed'],
];
const LABELS = { approve: 'Approved', unapprove: 'Back to the queue', dismiss: 'Dismissed', restore: 'Restored',
  pin: 'Pinned', unpin: 'Unpinned', answer: 'Marked answered', unanswer: 'Marked not answered' };

export async function mountModeratorView(container, { slug, event, me, sessionId }) {
  ensureStyles();
  const base = eventApi(slug, 'sessions/' + encodeURIComponent(sessionId));
  const root = h('section', { class: 'qa-moderate', 'data-session': String(sessionId) });
  container.replaceChildren(root);
  const state = { filter: null, sort: 'votes', settings: null, error: null, live: 'connecting', undo: null };
  const store = questionStore({ keepHidden: true, onChange: () => draw(), onSettings: (s) => { state.settings = s; drawSettings(); },
    refetch: () => reload() });

  const settingsEl = h('div', { class: 'qa-settings card' });
  const tabs = h('div', { class: 'qa-filters', role: 'tablist', 'aria-label': 'Questions to show' });
  // the sort button sits beside the tabs, not among them (a tablist holds only tabs)
  const sortSlot = h('div', { class: 'qa-filters qa-mod-sort-slot' });
  const undoBar = h('div', { class: 'qa-undo' });
  const list = h('ol', { class: 'qa-list qa-mod-list' });
  const links = projectorLinks(base);
  root.append(settingsEl, h('div', { class: 'qa-filter-row' }, tabs, sortSlot), undoBar, list, links.el);

  async function reload() {
    try {
      const data = await api(base + '/questions?sort=time');
      state.settings = data.qa;
      state.error = null;
      state.loaded = true;
      store.replace(data.questions);
    } catch (e) {
      state.error = e.message;
      draw();
    }
    drawSettings();
  }

  function drawSettings() {
    const s = state.settings || { state: 'auto', premoderated: false, open: false };
    const select = h('select', { class: 'qa-state-select', 'aria-label': 'Q&A state' },
      ...[['auto', 'Open while the session runs'], ['open', 'Open now'], ['closed', 'Closed']]
        .map(([v, t]) => h('option', { value: v, selected: s.state === v }, t)));
    select.addEventListener('change', () => configure({ state: select.value }));
    const pre = h('input', { type: 'checkbox', class: 'qa-premoderated', checked: !!s.premoderated });
    pre.addEventListener('change', () => configure({ premoderated: pre.checked }));
    keepFocus(settingsEl, () => settingsEl.replaceChildren(
      h('div', { class: 'qa-head' },
        h('span', { class: 'badge qa-state' + (s.open ? '' : ' bad') }, s.open ? 'Q&A open' : 'Q&A closed'),
        h('span', { class: 'live-status ' + (state.live === 'open' ? 'open' : state.live === 'closed' ? 'down' : '') },
          state.live === 'open' ? '● Live' : state.live === 'closed' ? 'Reconnecting…' : 'Connecting…')),
      h('label', { class: 'qa-setting' }, 'State ', select),
      h('label', { class: 'qa-setting' }, pre, ' Pre-moderate (new questions wait in the queue)')));
  }

  async function configure(change) {
    try {
      state.settings = await api(base + '/qa', { method: 'PUT', body: change });
    } catch (e) {
      say(e.message, true);
    }
    drawSettings();
  }

  function draw() {
    const all = store.all();
    // the queue first when something waits in it, decided once the questions are in
    if (!state.filter && state.loaded) state.filter = all.some(FILTERS[0][2]) ? 'queue' : 'live';
    const filter = state.filter || 'live';
    keepFocus(tabs, () => tabs.replaceChildren(...FILTERS.map(([id, text, test]) => h('button', {
      type: 'button', role: 'tab', class: 'secondary qa-filter-' + id, 'aria-selected': String(filter === id),
      onclick: () => { state.filter = id; draw(); },
    }, text + ' (' + all.filter(test).length + ')'))));
    keepFocus(sortSlot, () => sortSlot.replaceChildren(
      h('button', { type: 'button', class: 'secondary qa-mod-sort', onclick: () => { state.sort = state.sort === 'votes' ? 'time' : 'votes'; draw(); } },
        state.sort === 'votes' ? 'Sort: top' : 'Sort: newest')));
    const test = FILTERS.find(([id]) => id === filter)[2];
    const shown = store.sorted(state.sort).filter(test);
    const items = shown.map(item);
    if (state.error) items.unshift(h('li', { class: 'error' }, state.error));
    if (shown.length === 0) items.push(h('li', { class: 'muted qa-empty' }, 'Nothing here.'));
    keepFocus(list, () => list.replaceChildren(...items));
  }

  function item(q) {
    const who = q.author ? q.author.name : 'Unknown';
    const buttons = [];
    const b = (action, text, cls = '') => buttons.push(h('button', {
      type: 'button', class: 'qa-act qa-act-' + action + ' ' + cls, onclick: () => act(q, action),
    }, text));
    if (q.status === 'pending') { b('approve', 'Approve'); b('dismiss', 'Dismiss', 'secondary'); }
    if (q.status === 'visible') {
      if (q.pinned) b('unpin', 'Unpin', 'secondary'); else b('pin', 'Pin');
      if (q.answered) b('unanswer', 'Not answered', 'secondary'); else b('answer', 'Answered', 'secondary');
      b('dismiss', 'Dismiss', 'secondary');
    }
    if (q.status === 'dismissed') b('restore', 'Restore', 'secondary');
    for (const extra of moderationExtras) {
      if (!extra.applies || extra.applies(q)) {
        buttons.push(h('button', { type: 'button', class: 'secondary qa-act qa-act-' + extra.id,
          onclick: () => extra.run(q, { base, store, reload, act }) }, extra.label));
      }
    }
    return h('li', { class: 'qa-question qa-mod-question' + (q.pinned ? ' pinned' : ''), 'data-id': String(q.id) },
      h('div', { class: 'qa-body' },
        q.pinned ? h('span', { class: 'badge qa-pinned' }, 'On screen now') : null,
        h('p', { class: 'qa-text' }, q.text),
        h('p', { class: 'qa-meta small' },
          h('span', { class: 'badge qa-origin ' + (q.origin === 'remote' ? 'remote' : 'room') }, originLabel(q.origin)), ' ',
          h('strong', { class: 'qa-author' }, who),
          q.anonymous ? h('span', { class: 'badge qa-anon' }, 'anonymous to attendees') : null,
          ' · ', h('span', { class: 'qa-when' }, askedLabel(q.askedAt)), ' · ',
          h('span', { class: 'qa-votes' }, q.votes + (q.votes === 1 ? ' vote' : ' votes')))),
      h('div', { class: 'qa-actions' }, ...buttons));
  }

  /** Runs an action and offers its undo (the inverse, restoring the previous pin or the queue). */
  async function act(q, action, body) {
    const before = { status: q.status, pinned: q.pinned };
    const previousPin = action === 'pin' ? store.all().find((x) => x.pinned && x.id !== q.id) : null;
    try {
      const updated = await api(base + '/questions/' + q.id + '/' + action, { method: 'POST', body });
      store.update(updated);
    } catch (e) {
      say(e.message, true);
      return;
    }
    const undo = undoSteps(action, q.id, before, previousPin);
    if (!undo.length) { say(LABELS[action] || 'Done', false); return; }
    state.undo = { id: q.id, steps: undo };
    announce((LABELS[action] || 'Done') + ': “' + short(q.text) + '”. Undo is offered.');
    undoBar.replaceChildren(h('span', {}, (LABELS[action] || 'Done') + ': “' + short(q.text) + '”'),
      h('button', { type: 'button', class: 'secondary qa-undo-button', onclick: () => runUndo(state.undo) }, 'Undo'));
  }

  async function runUndo(undo) {
    if (!undo) return;
    state.undo = null;
    undoBar.replaceChildren();
    try {
      for (const [id, action] of undo.steps) store.update(await api(base + '/questions/' + id + '/' + action, { method: 'POST' }));
      say('Undone.', false);
    } catch (e) {
      say(e.message, true);
    }
  }

  function undoSteps(action, id, before, previousPin) {
    switch (action) {
      case 'approve': return [[id, 'unapprove']];
      case 'unapprove': return [[id, 'approve']];
      case 'restore': return [[id, 'dismiss']];
      case 'dismiss': {
        const steps = [[id, 'restore']];
        if (before.status === 'pending') steps.push([id, 'unapprove']);
        if (before.pinned) steps.push([id, 'pin']);
        return steps;
      }
      case 'pin': return previousPin ? [[previousPin.id, 'pin']] : [[id, 'unpin']];
      case 'unpin': return [[id, 'pin']];
      case 'answer': return [[id, 'unanswer']];
      case 'unanswer': return [[id, 'answer']];
      default: return [];
    }
  }

  function say(message, bad) {
    undoBar.replaceChildren(h('span', { class: bad ? 'error' : 'ok' }, message));
    announce(message);
  }

  drawSettings();
  draw();
  const page = whileShown(document.getElementById('main') || container, root);
  // "3 min ago" moves on
  const tick = setInterval(() => draw(), 30000);
  page.onLeave(() => clearInterval(tick));
  await page.onLiveStatus((s) => { state.live = s; drawSettings(); });
  const subscribed = await page.subscribe('session:' + sessionId + ':moderation', (data) => {
    // a new question in the queue is said aloud: the moderator may be looking elsewhere
    const q = data && data.question;
    if (q && q.status === 'pending' && !store.get(q.id)) announce('New question waiting for approval: “' + short(q.text) + '”');
    store.apply(data);
  }, {
    onSubscribed: () => reload(),
    onResync: () => reload(),
    onError: (e) => { state.error = e.detail || e.code; draw(); },
  });
  if (!subscribed) await reload();
  await links.load();
  return { stop() { root.remove(); } };
}

function short(text) {
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}

/**
 * Redraws `container` with `redraw` keeping the keyboard focus: on the same control (by its
 * most specific qa- class) of the same question when it is still shown, else on the list's first control,
 * so that a keyboard user is never thrown back to the top of the page.
 */
function keepFocus(container, redraw) {
  const active = document.activeElement;
  if (!active || !container.contains(active)) { redraw(); return; }
  const id = active.closest('[data-id]')?.dataset.id;
  const cls = [...active.classList].filter((c) => c.startsWith('qa-')).sort((a, b) => b.length - a.length)[0] || null;
  redraw();
  const same = (id ? container.querySelector('[data-id="' + id + '"]') : container) || null;
  const target = (same && cls && same.querySelector('.' + cls)) || (same && same.querySelector('button, select, input'))
    || container.querySelector('button, select, input');
  if (target) target.focus();
}
