// The Q&A page: pick a session (by default the one running now in a room), then the
// attendee panel, or for moderators and organizers the phone-first moderator view.
// ?session=<id> and ?view=moderate|attendee keep the choice across reloads.
import { api, eventApi, h } from '../api.js';
import { dateOf, timeOf } from '../dates.js';
import { mountQaPanel } from './qa/panel.js';
import { mountModeratorView } from './qa/moderate.js';

const NOT_QA = new Set(['break', 'social']);

export async function render(main, { event, me, slug }) {
  const root = h('div', { class: 'qa-page' });
  main.replaceChildren(root);
  const params = new URLSearchParams(location.search);
  const moderator = !!(me && me.roles && (me.roles.includes('moderator') || me.roles.includes('organizer')));
  let schedule;
  try {
    schedule = await api(eventApi(slug, 'schedule'));
  } catch (e) {
    root.append(h('h1', {}, 'Q&A'), h('p', { class: 'error' }, e.message));
    return;
  }
  const sessions = schedule.sessions.filter((s) => !s.cancelled && !NOT_QA.has(s.type))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id - b.id);
  if (sessions.length === 0) {
    root.append(h('h1', {}, 'Q&A'), h('p', { class: 'muted' }, 'There are no sessions with a Q&A yet.'));
    return;
  }
  const wanted = Number(params.get('session'));
  const session = sessions.find((s) => s.id === wanted) || defaultSession(sessions);
  let view = moderator && params.get('view') !== 'attendee' ? 'moderate' : 'attendee';

  const picker = h('select', { id: 'qa-session', 'aria-label': 'Session' }, ...sessions.map((s) => h('option', {
    value: String(s.id), selected: s.id === session.id,
  }, label(s, event))));
  picker.addEventListener('change', () => { setParam('session', picker.value); show(); });
  const toggle = moderator ? h('div', { class: 'qa-views', role: 'group', 'aria-label': 'View' },
    ...[['moderate', 'Moderate'], ['attendee', 'Attendee view']].map(([id, text]) => h('button', {
      type: 'button', class: 'secondary qa-view-' + id, 'aria-pressed': String(view === id),
      onclick: () => { view = id; setParam('view', id); drawToggle(); show(); },
    }, text))) : null;
  const body = h('div', { class: 'qa-body-wrap' });
  root.append(h('div', { class: 'qa-top' }, h('h1', {}, 'Q&A'), picker, toggle), body);

  function drawToggle() {
    if (!toggle) return;
    for (const b of toggle.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.classList.contains('qa-view-' + view)));
  }

  async function show() {
    const sessionId = Number(picker.value);
    const container = h('div', { class: 'qa-mount' });
    body.replaceChildren(container);
    if (view === 'moderate') await mountModeratorView(container, { slug, event, me, sessionId });
    else await mountQaPanel(container, { slug, event, me, sessionId });
  }

  await show();
}

/** The session running now (in a room), else the next to start, else the last one. */
function defaultSession(sessions) {
  const now = Date.now();
  return sessions.find((s) => Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt))
    || sessions.find((s) => Date.parse(s.startsAt) > now)
    || sessions[sessions.length - 1];
}

function label(s, event) {
  // "Sat 08:45", 24-hour in the event's zone, like every other page
  const timeZone = event.timeZone || undefined;
  let when = '';
  try { when = dateOf(s.startsAt, { timeZone, short: true }).split(' ')[0] + ' ' + timeOf(s.startsAt, { timeZone }); } catch { when = s.startsAt; }
  return when + ' · ' + (s.room ? s.room + ' · ' : '') + s.title;
}

function setParam(key, value) {
  const url = new URL(location.href);
  url.searchParams.set(key, value);
  history.replaceState(history.state, '', url);
}
