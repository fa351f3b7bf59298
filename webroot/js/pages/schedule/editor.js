// The organizer's tools on the schedule: edit, move, cancel (after a yes, with an undo) and
// restore a session, add one to a room, and delay a room that is running late. Each change
// reloads the schedule when it is done; errors are told in the form's words.
import { api, h, problemInWords } from '../../api.js';
import { TYPES, TYPE_LABELS, FIELD_LABELS, inFormWords } from './format.js';

export function editing(ctx, { eventDay, dayLabel }) {
  const { state, base } = ctx;

  function formError() {
    return state.formError ? h('p', { class: 'error form-error' }, state.formError) : null;
  }

  function delayForm(room) {
    const minutes = h('input', { type: 'number', min: 1, max: 240, value: 10, name: 'minutes', class: 'minutes', 'aria-label': 'Minutes' });
    const asOf = h('input', { type: 'time', name: 'at', 'aria-label': 'As of (event time, empty for now)' });
    // the outcome outlives the redraw that the change itself causes
    const said = state.delayResult && state.delayResult.roomId === room.id ? state.delayResult : null;
    const result = h('span', { class: 'small delay-result', role: 'status' }, said ? h('span', { class: said.ok ? 'ok' : 'error' }, said.text) : null);
    // "now" is today: on another day the delay needs the time it counts from
    const today = eventDay(new Date().toISOString());
    const otherDay = state.day !== today;
    const otherDayText = dayLabel(state.day) + ' is not today (today is ' + dayLabel(today) + ' in the event\'s zone): '
      + 'give the time the room is late from in "as of".';
    return h('form', { class: 'delay', onsubmit: async (ev) => {
      ev.preventDefault();
      if (otherDay && !asOf.value) {
        state.delayResult = { roomId: room.id, ok: false, text: otherDayText };
        ctx.draw();
        return;
      }
      const body = { minutes: Number(minutes.value) };
      if (asOf.value) body.at = localIso(state.day + 'T' + asOf.value);
      try {
        const r = await api(base + '/schedule/rooms/' + room.id + '/delay', { method: 'POST', body });
        state.delayResult = { roomId: room.id, ok: true,
          text: r.sessions.length + (r.sessions.length === 1 ? ' session' : ' sessions') + ' shifted.' };
        await ctx.refresh();
      } catch (e) {
        state.delayResult = { roomId: room.id, ok: false, text: problemText(e) };
      }
      ctx.draw();
    } }, 'Running late: ', minutes, ' min ', h('span', { class: 'small muted' }, 'as of '), asOf, ' ',
    h('button', { class: 'small' }, 'Delay room'), ' ', result,
    otherDay && !said ? h('span', { class: 'small muted delay-note' }, otherDayText) : null);
  }

  // "2023-07-29T10:15" in the event's zone, with the event's offset on that day
  function localIso(local) {
    const sample = state.schedule.sessions.find(x => eventDay(x.startsAt) === local.slice(0, 10));
    const offset = sample ? sample.startsAt.slice(19) : 'Z';
    return local + ':00' + offset;
  }

  function addSession(room) {
    if (state.editing && state.editing.id === 'new' && state.editing.roomId === room.id) {
      return editor({ title: '', type: 'contributed-talk', roomId: room.id, startsAt: state.day + 'T09:00', endsAt: state.day + 'T09:30',
        track: '', abstract: '' });
    }
    return h('button', { class: 'secondary small add-session', onclick: () => {
      state.editing = { id: 'new', roomId: room.id }; state.formError = null; ctx.draw();
    } }, '+ Add session');
  }

  function openEditor(id, mode) {
    state.editing = { id, mode };
    state.formError = null;
    ctx.draw();
  }

  // The buttons under a session, the question before cancelling it, what the cancel did (with
  // an undo), and its editor while it is open.
  function sessionTools(x) {
    const path = base + '/schedule/sessions/' + x.id;
    const notice = state.notice && state.notice.id === x.id ? state.notice : null;
    const tools = h('div', { class: 'session-tools' },
      h('button', { class: 'secondary small', type: 'button', onclick: () => openEditor(x.id, 'edit') }, 'Edit'),
      h('button', { class: 'secondary small', type: 'button', onclick: () => openEditor(x.id, 'move') }, 'Move'),
      x.cancelled
        ? h('button', { class: 'secondary small', type: 'button', onclick: () => act(path + '/restore', x, null) }, 'Restore')
        : h('button', { class: 'secondary small cancel-session', type: 'button', 'aria-expanded': state.confirming === x.id ? 'true' : 'false',
          onclick: () => { state.confirming = x.id; state.notice = null; ctx.draw(); } }, 'Cancel session…'));
    const confirm = state.confirming === x.id && !x.cancelled ? h('div', { class: 'confirm-cancel', role: 'group',
      'aria-label': 'Cancel this session?' },
      h('p', {}, 'Cancel "' + x.title + '"? Everyone sees it at once: it is marked cancelled on every open schedule, in the agendas of those who starred it and in the calendar feeds.'),
      h('button', { class: 'small bad confirm-yes', type: 'button', onclick: () => act(path + '/cancel', x,
        '"' + x.title + '" is cancelled. Everyone sees it now.') }, 'Yes, cancel the session'), ' ',
      h('button', { class: 'secondary small confirm-no', type: 'button', onclick: () => { state.confirming = null; ctx.draw(); } }, 'Keep it')) : null;
    const said = notice ? h('div', { class: 'undo-notice', role: 'status' }, h('span', { class: notice.ok ? 'ok' : 'error' }, notice.text), ' ',
      notice.undo ? h('button', { class: 'secondary small undo', type: 'button', onclick: () => act(path + '/restore', x,
        '"' + x.title + '" is back on. Everyone sees it now.') }, 'Undo') : null) : null;
    return h('div', {}, tools, confirm, said);
  }

  function editor(x) {
    const isNew = x.id === undefined;
    const move = !isNew && state.editing.mode === 'move';
    const f = {
      title: h('input', { name: 'title', value: x.title, required: true }),
      type: h('select', { name: 'type' }, TYPES.map(t => h('option', { value: t, selected: t === x.type }, TYPE_LABELS[t]))),
      roomId: h('select', { name: 'roomId' }, state.schedule.rooms.map(r => h('option', { value: r.id, selected: r.id === x.roomId }, r.name))),
      startsAt: h('input', { name: 'startsAt', type: 'datetime-local', value: x.startsAt.slice(0, 16) }),
      endsAt: h('input', { name: 'endsAt', type: 'datetime-local', value: x.endsAt.slice(0, 16) }),
      track: h('input', { name: 'track', value: x.track || '' }),
      abstract: h('textarea', { name: 'abstract', rows: 3 }, x.abstract || ''),
    };
    const field = (label, el) => h('label', { class: 'field' }, h('span', {}, label), el);
    const submit = async (ev) => {
      ev.preventDefault();
      try {
        if (move) {
          await api(base + '/schedule/sessions/' + x.id + '/move', { method: 'POST',
            body: { startsAt: f.startsAt.value, roomId: Number(f.roomId.value) } });
        } else {
          const body = { title: f.title.value, type: f.type.value, roomId: Number(f.roomId.value),
            startsAt: f.startsAt.value, endsAt: f.endsAt.value, track: f.track.value, abstract: f.abstract.value };
          if (isNew) await api(base + '/schedule/sessions', { method: 'POST', body });
          else await api(base + '/schedule/sessions/' + x.id, { method: 'PATCH', body });
        }
        state.editing = null;
        state.formError = null;
        await ctx.refresh();
        // the change's live message may have come while the form was open (applied, not drawn):
        // then the refresh finds the same version and draws nothing
        ctx.draw();
      } catch (e) {
        state.formError = problemText(e);
        ctx.draw();
      }
    };
    const cancel = h('button', { type: 'button', class: 'secondary small', onclick: () => { state.editing = null; ctx.draw(); } }, 'Close');
    return h('form', { class: 'editor card', onsubmit: submit },
      h('strong', {}, isNew ? 'New session' : move ? 'Move (keeps its length)' : 'Edit session'),
      move ? [field('Starts (event time)', f.startsAt), field('Room', f.roomId)]
        : [field('Title', f.title), field('Type', f.type), field('Room', f.roomId), field('Starts (event time)', f.startsAt),
          field('Ends (event time)', f.endsAt), field('Track', f.track), field('Abstract', f.abstract)],
      formError(),
      h('div', {}, h('button', { class: 'small' }, isNew ? 'Create' : move ? 'Move' : 'Save'), ' ', cancel));
  }

  // a cancel or restore; `done` is what to tell afterwards (a cancel offers its undo)
  async function act(path, x, done) {
    state.confirming = null;
    try {
      await api(path, { method: 'POST' });
      state.notice = done ? { id: x.id, ok: true, text: done, undo: path.endsWith('/cancel') } : null;
      await ctx.refresh();
    } catch (e) {
      state.notice = { id: x.id, ok: false, text: problemText(e), undo: false };
    }
    ctx.draw();
  }

  // a refusal in the form's words: "Ends: must fall within…", never "endsAt"
  function problemText(e) {
    return problemInWords(e, FIELD_LABELS, { words: inFormWords });
  }

  return { delayForm, addSession, sessionTools, editor };
}
