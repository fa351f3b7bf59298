// "What changed since you last looked": the changes after the tab's baseline version, listed
// with old and new values; the sessions they touched are highlighted by the view.
import { api, h } from '../../api.js';
import { TYPE_LABELS } from './format.js';

const KIND_LABELS = { moved: 'Moved', delayed: 'Delayed', updated: 'Updated' };

export function changes(ctx, { eventDay, span }) {
  const { state } = ctx;

  // The changes since the baseline, from the server: on load and after a reload of the schedule.
  // Live messages extend the list themselves, so that a change does not cost every page a request.
  // An answer older than the schedule shown (the app worker's copy, when the server was slow)
  // or none at all leaves the list marked behind; live-sync asks again.
  async function load() {
    if (state.baseline >= state.schedule.version) { state.changes = []; state.changesBehind = false; return; }
    try {
      const r = await api(ctx.base + '/schedule/changes?since=' + state.baseline);
      if (r.version < state.schedule.version) { state.changesBehind = true; return; }
      state.changes = r.changes.filter(c => c.version <= state.schedule.version);
      state.changesBehind = false;
    } catch { state.changesBehind = true; }
  }

  function sessionIds() {
    return new Set(state.changes.map(c => c.sessionId));
  }

  function card() {
    if (state.baseline >= state.schedule.version || state.changes.length === 0) return null;
    return h('section', { class: 'card changelog', id: 'changelog' },
      h('h2', {}, 'What changed since you last looked'),
      h('ul', {}, state.changes.map(c => h('li', { 'data-session-id': c.sessionId, 'data-version': c.version },
        h('a', { href: '#session-' + c.sessionId }, describe(c))))),
      h('button', { class: 'secondary small', id: 'mark-seen', onclick: () => {
        state.baseline = state.schedule.version;
        state.changes = [];
        sessionStorage.setItem(ctx.keys.baseline, String(state.baseline));
        ctx.draw();
      } }, 'Mark as seen'));
  }

  function describe(c) {
    const n = c.new;
    const o = c.old;
    switch (c.kind) {
      case 'created': return 'New: ' + n.title + ', ' + span(n, true) + ' in ' + n.room;
      case 'cancelled': return 'Cancelled: ' + n.title + ' (' + span(n) + ' in ' + n.room + ')';
      case 'restored': return 'Back on: ' + n.title + ', ' + span(n) + ' in ' + n.room;
      default: {
        const parts = differences(o, n);
        return (KIND_LABELS[c.kind] || 'Changed') + ': ' + (o ? o.title : n.title)
          + (parts.length ? ' — ' + parts.join('; ') : '');
      }
    }
  }

  // Each field a person could notice, old → new; times in the selected zone.
  function differences(o, n) {
    if (!o) return [];
    const out = [];
    const text = (v) => (v === null || v === undefined || v === '') ? '—' : v;
    const names = (x) => (x.speakers || []).map(sp => sp.name + (sp.remote ? ' (remote)' : '')).join(', ');
    if (o.title !== n.title) out.push('Title: ' + o.title + ' → ' + n.title);
    if (Date.parse(o.startsAt) !== Date.parse(n.startsAt) || Date.parse(o.endsAt) !== Date.parse(n.endsAt)) {
      const otherDay = eventDay(o.startsAt) !== eventDay(n.startsAt);
      out.push('Time: ' + span(o, otherDay) + ' → ' + span(n, otherDay));
    }
    if (o.room !== n.room) out.push('Room: ' + o.room + ' → ' + n.room);
    if (o.type !== n.type) out.push('Type: ' + (TYPE_LABELS[o.type] || o.type) + ' → ' + (TYPE_LABELS[n.type] || n.type));
    if (text(o.track) !== text(n.track)) out.push('Track: ' + text(o.track) + ' → ' + text(n.track));
    if (names(o) !== names(n)) out.push('Speakers: ' + text(names(o)) + ' → ' + text(names(n)));
    if (text(o.abstract) !== text(n.abstract)) out.push('Abstract rewritten');
    if (o.cancelled !== n.cancelled) out.push(n.cancelled ? 'Cancelled' : 'Back on');
    return out;
  }

  return { load, card, sessionIds };
}
