// The questions of one session as a page holds them, kept current from REST snapshots and live
// messages (session:<id>:qa for attendees and projectors, session:<id>:moderation for
// moderators). Tolerant by design: any message that carries a question is upserted, any that
// carries a question's current vote count (one, or a batch of them) is applied, and a message
// it does not understand makes the page re-fetch (debounced), so new server message types or
// coalesced vote batches never leave the view stale.
import { timeOf } from '../../dates.js';

/** Message types whose effect is fully known here; anything else triggers a re-fetch. */
const KNOWN = new Set(['question', 'question-hidden', 'votes', 'settings']);

export function questionStore({ keepHidden = false, onChange = () => {}, onSettings = () => {}, refetch = () => {} } = {}) {
  const byId = new Map();
  let refetchTimer = null;

  const changed = () => onChange();
  const scheduleRefetch = () => {
    if (refetchTimer) return;
    refetchTimer = setTimeout(() => { refetchTimer = null; refetch(); }, 150);
  };

  /**
   * Inserts or updates a question; keeps what only this viewer knows (voted, mine): a live
   * message ({@code fromLive}) is built for every viewer, so its voted/mine say nothing here.
   */
  function upsert(q, fromLive = false) {
    if (!q || q.id === undefined || q.id === null) return;
    const old = byId.get(q.id);
    const next = { ...old, ...q };
    if (old && (fromLive || q.voted === undefined)) next.voted = old.voted;
    if (old && (fromLive || !('mine' in q)) && 'mine' in old) next.mine = old.mine;
    if (!old && fromLive) { next.voted = false; delete next.mine; }
    if (!keepHidden && next.status && next.status !== 'visible') { byId.delete(q.id); return; }
    if (next.pinned) for (const other of byId.values()) if (other.id !== next.id) other.pinned = false;
    byId.set(q.id, next);
  }

  /** Sets vote counts from whatever shape carries them; answers whether an unknown question was named. */
  function applyVotes(data) {
    let unknown = false;
    const one = (id, votes) => {
      if (id === undefined || id === null || typeof votes !== 'number') return;
      const q = byId.get(id);
      if (q) q.votes = votes; else unknown = true;
    };
    if (typeof data.votes === 'number') one(data.id ?? data.questionId, data.votes);
    for (const key of ['votes', 'counts', 'questions', 'updates']) {
      const v = data[key];
      if (Array.isArray(v)) {
        for (const e of v) if (e && typeof e === 'object' && !('text' in e)) one(e.id ?? e.questionId, e.votes ?? e.count);
      } else if (v && typeof v === 'object' && key !== 'questions') {
        for (const [id, n] of Object.entries(v)) one(Number(id), n);
      }
    }
    return unknown;
  }

  return {
    /** Replaces everything with a REST snapshot. */
    replace(list) {
      byId.clear();
      for (const q of list || []) upsert(q);
      changed();
    },

    /** Applies a REST answer about one question (e.g. after voting or moderating). */
    update(q) {
      if (q && q.text === undefined && byId.has(q.id)) Object.assign(byId.get(q.id), q);
      else upsert(q);
      changed();
    },

    get(id) { return byId.get(id); },
    all() { return [...byId.values()]; },

    /** A live message's data. */
    apply(data) {
      if (!data || typeof data !== 'object') return;
      let handled = false;
      if (data.question && typeof data.question === 'object') { upsert(data.question, true); handled = true; }
      if (Array.isArray(data.questions)) {
        for (const q of data.questions) if (q && typeof q === 'object' && 'text' in q) upsert(q, true);
      }
      if (data.type === 'question-hidden' && data.id !== undefined) {
        if (keepHidden) { const q = byId.get(data.id); if (q) q.status = 'hidden'; } else byId.delete(data.id);
        handled = true;
      }
      if (data.type === 'settings' && data.qa) { onSettings(data.qa); handled = true; }
      const unknownId = applyVotes(data);
      if (unknownId || !KNOWN.has(data.type) && !handled) scheduleRefetch();
      changed();
    },

    /** The questions in display order: the pinned one first, then by votes, time or trending. */
    sorted(sort = 'votes') {
      const now = Date.now();
      const at = (q) => Date.parse(q.askedAt) || 0;
      const trend = (q) => (q.votes || 0) / Math.pow(Math.max(0, now - at(q)) / 3600000 + 2, 1.5);
      const by = {
        votes: (a, b) => (b.votes - a.votes) || (at(a) - at(b)) || (a.id - b.id),
        time: (a, b) => (at(b) - at(a)) || (b.id - a.id),
        trending: (a, b) => (trend(b) - trend(a)) || (at(b) - at(a)) || (a.id - b.id),
      }[sort] || ((a, b) => b.votes - a.votes);
      return this.all().sort((a, b) => (b.pinned ? 1 : 0) - (a.pinned ? 1 : 0) || by(a, b));
    },
  };
}

/**
 * Fair ordering (the session's fairOrder switch), as the server orders its list: the pinned
 * question first, then room and remote questions taking turns, each side in the given order; the
 * first turn goes to the side of the first question; when one side runs out the other follows.
 */
export function fairOrder(sorted) {
  const out = [];
  const sides = { room: [], remote: [] };
  let turn = null;
  for (const q of sorted) {
    if (q.pinned) { out.push(q); continue; }
    const side = q.origin === 'remote' ? 'remote' : 'room';
    if (!turn) turn = side;
    sides[side].push(q);
  }
  while (sides.room.length || sides.remote.length) {
    const other = turn === 'remote' ? 'room' : 'remote';
    out.push((sides[turn].length ? sides[turn] : sides[other]).shift());
    turn = other;
  }
  return out;
}

/** "in the room" or "remote", as a badge. */
export function originLabel(origin) {
  return origin === 'remote' ? 'remote' : 'in the room';
}

/** A time as HH:MM in the viewer's zone, and how long ago. */
export function askedLabel(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const mins = Math.round((Date.now() - d.getTime()) / 60000);
  const ago = mins < 1 ? 'just now' : mins < 60 ? mins + ' min ago' : Math.round(mins / 60) + ' h ago';
  return timeOf(d) + ' · ' + ago;
}
