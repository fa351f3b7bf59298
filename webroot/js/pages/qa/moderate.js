// The moderator's view of one session's Q&A, phone first: room and remote questions in one
// list, each with who asked (also when anonymous to attendees) and when; the pre-moderation
// queue; approve, dismiss, pin, mark answered, edit the text, merge a duplicate into another
// question, mute the asker in this session, each with undo; the Q&A state, pre-moderation and
// fair ordering; and the session's projector links. Live through session:<id>:moderation; a
// reload or reconnect re-fetches.
//
// Further actions can be registered in moderationExtras, e.g.
//   moderationExtras.push({ id: 'x', label: 'X', applies: (q) => q.status !== 'dismissed',
//     run: async (q, ctx) => { ...; await ctx.act(q, 'x', body) } });
// Each extra gets a button on every question it applies to.
import { api, eventApi, h } from '../../api.js';
import { announce, whileShown } from '../../page.js';
import { askedLabel, fairOrder, originLabel, questionStore } from './store.js';
import { ensureStyles } from './panel.js';
import { projectorLinks } from './projector-links.js';

/** Extra moderation actions registered by later features; see above. */
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
  const state = { filter: null, sort: 'votes', settings: null, error: null, live: 'connecting', undo: null,
    mutes: new Map(), open: null };
  const store = questionStore({ keepHidden: true, onChange: () => draw(), onSettings: (s) => { state.settings = s; drawSettings(); draw(); },
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
      const [data, mutes] = await Promise.all([api(base + '/questions?sort=time'), api(base + '/mutes')]);
      state.settings = data.qa;
      state.mutes = new Map(mutes.mutes.map((m) => [m.personId, m]));
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
    const fair = h('input', { type: 'checkbox', class: 'qa-fair-order', checked: !!s.fairOrder });
    fair.addEventListener('change', async () => {
      const on = fair.checked;
      if (await configure({ fairOrder: on })) {
        offerUndo((on ? 'Fair order on' : 'Fair order off'), async () => { await configure({ fairOrder: !on }); });
      }
    });
    keepFocus(settingsEl, () => settingsEl.replaceChildren(
      h('div', { class: 'qa-head' },
        h('span', { class: 'badge qa-state' + (s.open ? '' : ' bad') }, s.open ? 'Q&A open' : 'Q&A closed'),
        h('span', { class: 'live-status ' + (state.live === 'open' ? 'open' : state.live === 'closed' ? 'down' : '') },
          state.live === 'open' ? '● Live' : state.live === 'closed' ? 'Reconnecting…' : 'Connecting…')),
      h('label', { class: 'qa-setting' }, 'State ', select),
      h('label', { class: 'qa-setting' }, pre, ' Pre-moderate (new questions wait in the queue)'),
      h('label', { class: 'qa-setting' }, fair, ' Fair order (alternate room and remote questions)')));
  }

  async function configure(change) {
    try {
      state.settings = await api(base + '/qa', { method: 'PUT', body: change });
      return true;
    } catch (e) {
      say(e.message, true);
      return false;
    } finally {
      drawSettings();
      draw();
    }
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
    const filtered = store.sorted(state.sort).filter(test);
    const shown = state.settings && state.settings.fairOrder ? fairOrder(filtered) : filtered;
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
    if (q.status !== 'merged') {
      buttons.push(h('button', { type: 'button', class: 'secondary qa-act qa-act-edit', 'aria-expanded': String(state.open?.id === q.id && state.open.kind === 'edit'),
        onclick: () => toggleForm(q, 'edit') }, 'Edit'));
      if (mergeTargets(q).length) {
        buttons.push(h('button', { type: 'button', class: 'secondary qa-act qa-act-merge', 'aria-expanded': String(state.open?.id === q.id && state.open.kind === 'merge'),
          onclick: () => toggleForm(q, 'merge') }, 'Merge…'));
      }
    }
    if (q.author) {
      const muted = state.mutes.has(q.author.personId);
      buttons.push(h('button', { type: 'button', class: 'secondary qa-act qa-act-' + (muted ? 'unmute' : 'mute'),
        onclick: () => mute(q.author, !muted) }, (muted ? 'Unmute ' : 'Mute ') + q.author.name));
    }
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
        q.edited && q.originalText ? h('p', { class: 'small qa-original' }, 'Asked as: ', h('q', {}, q.originalText)) : null,
        q.author && state.mutes.has(q.author.personId) ? h('span', { class: 'badge bad qa-muted' }, 'asker muted') : null,
        h('p', { class: 'qa-meta small' },
          h('span', { class: 'badge qa-origin ' + (q.origin === 'remote' ? 'remote' : 'room') }, originLabel(q.origin)), ' ',
          h('strong', { class: 'qa-author' }, who),
          q.anonymous ? h('span', { class: 'badge qa-anon' }, 'anonymous to attendees') : null,
          ' · ', h('span', { class: 'qa-when' }, askedLabel(q.askedAt)), ' · ',
          h('span', { class: 'qa-votes' }, q.votes + (q.votes === 1 ? ' vote' : ' votes')),
          q.edited ? h('span', { class: 'badge qa-edited' }, 'edited') : null)),
      h('div', { class: 'qa-actions' }, ...buttons),
      state.open && state.open.id === q.id ? state.open.el : null);
  }

  /** Other questions this one may be merged into: not merged themselves, not dismissed. */
  function mergeTargets(q) {
    return store.sorted('votes').filter((x) => x.id !== q.id && (x.status === 'visible' || x.status === 'pending'));
  }

  /**
   * Opens (or closes) the inline edit or merge form under a question. The form element is kept
   * across redraws (live messages redraw the list) so that what is typed is not lost.
   */
  function toggleForm(q, kind) {
    if (state.open && state.open.id === q.id && state.open.kind === kind) { closeForm(); return; }
    const cancel = h('button', { type: 'button', class: 'secondary qa-form-cancel', onclick: () => closeForm() }, 'Cancel');
    let el;
    let field;
    if (kind === 'edit') {
      field = h('textarea', { class: 'qa-edit-input', rows: '3', maxlength: '500', 'aria-label': 'Question text' });
      field.value = q.text;
      el = h('form', { class: 'qa-mod-form qa-edit-form' }, field,
        h('div', { class: 'qa-actions' }, h('button', { type: 'submit', class: 'qa-edit-save' }, 'Save'), cancel));
      el.addEventListener('submit', (e) => { e.preventDefault(); edit(q.id, field.value); });
    } else {
      field = h('select', { class: 'qa-merge-into', 'aria-label': 'Merge into question' },
        ...mergeTargets(q).map((x) => h('option', { value: String(x.id) }, short(x.text) + ' (' + x.votes + ')')));
      el = h('form', { class: 'qa-mod-form qa-merge-form' }, h('label', { class: 'qa-setting' }, 'Merge into ', field),
        h('div', { class: 'qa-actions' }, h('button', { type: 'submit', class: 'qa-merge-save' }, 'Merge'), cancel));
      el.addEventListener('submit', (e) => { e.preventDefault(); merge(q.id, Number(field.value)); });
    }
    el.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeForm(); } });
    state.open = { id: q.id, kind, el };
    draw();
    field.focus();
  }

  function closeForm() {
    const id = state.open?.id;
    const kind = state.open?.kind;
    state.open = null;
    draw();
    // back to the button that opened the form
    list.querySelector('[data-id="' + id + '"] .qa-act-' + kind)?.focus();
  }

  async function edit(id, text) {
    const q = store.get(id);
    const previous = q.text;
    if (text.trim() === previous.trim()) { closeForm(); return; }
    try {
      store.update(await api(base + '/questions/' + id, { method: 'PATCH', body: { text } }));
    } catch (e) {
      say(e.message, true);
      return;
    }
    closeForm();
    // editing back to the text as asked clears the edit (server side)
    offerUndo('Edited: “' + short(text) + '”', async () => {
      store.update(await api(base + '/questions/' + id, { method: 'PATCH', body: { text: previous } }));
    });
  }

  async function merge(id, into) {
    const q = store.get(id);
    const target = store.get(into);
    try {
      store.update(await api(base + '/questions/' + id + '/merge', { method: 'POST', body: { into } }));
    } catch (e) {
      say(e.message, true);
      return;
    }
    state.open = null;
    draw();
    offerUndo('Merged “' + short(q.text) + '” into “' + short(target ? target.text : '#' + into) + '”', async () => {
      store.update(await api(base + '/questions/' + id + '/unmerge', { method: 'POST' }));
    });
  }

  async function mute(author, on) {
    const path = base + '/mutes/' + author.personId;
    const apply = async (m) => {
      const r = await api(path, { method: m ? 'PUT' : 'DELETE' });
      if (r.muted) state.mutes.set(r.personId, r); else state.mutes.delete(r.personId);
      draw();
    };
    try {
      await apply(on);
    } catch (e) {
      say(e.message, true);
      return;
    }
    offerUndo((on ? 'Muted ' : 'Unmuted ') + author.name + ' in this session', () => apply(!on));
  }

  /** Shows and announces what was done, with an Undo button running `undo`. */
  function offerUndo(label, undo) {
    state.undo = { run: undo };
    announce(label + '. Undo is offered.');
    undoBar.replaceChildren(h('span', {}, label),
      h('button', { type: 'button', class: 'secondary qa-undo-button', onclick: () => runUndo(state.undo) }, 'Undo'));
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
      if (undo.run) await undo.run();
      else for (const [id, action] of undo.steps) store.update(await api(base + '/questions/' + id + '/' + action, { method: 'POST' }));
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
    // a mute by this or another moderator
    if (data && data.type === 'mute' && data.personId !== undefined) {
      if (data.muted) state.mutes.set(data.personId, data); else state.mutes.delete(data.personId);
      draw();
      return;
    }
    store.apply(data);
  }, {
    reload: () => reload(),
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
