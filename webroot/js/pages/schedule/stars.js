// A signed-in person's stars ("moved or cancelled since you starred it") and the calendar feeds.
import { api, h, ApiProblem } from '../../api.js';

export function stars(ctx) {
  const { state, base, signedIn } = ctx;

  async function load() {
    if (!signedIn) return;
    let agenda;
    try {
      agenda = await api(base + '/agenda');
    } catch (e) {
      if (e instanceof ApiProblem) throw e;
      return; // no network and no copy kept (app-sw.js): the schedule shows without the stars
    }
    state.stars = new Map(agenda.sessions.map(s => [s.id, s.changedSinceStarred]));
  }

  async function toggle(x) {
    const starred = state.stars.has(x.id);
    await api(base + '/agenda/' + x.id, { method: starred ? 'DELETE' : 'PUT' });
    if (starred) state.stars.delete(x.id); else state.stars.set(x.id, false);
    const hadFocus = document.activeElement && document.activeElement.classList.contains('star');
    ctx.draw();
    // the redraw replaces the button: a keyboard user stays on this session's star
    if (hadFocus) document.querySelector('[data-session-id="' + x.id + '"] button.star')?.focus({ preventScroll: true });
  }

  async function acknowledge(x) {
    await api(base + '/agenda/' + x.id, { method: 'PUT' });
    state.stars.set(x.id, false);
    ctx.draw();
  }

  async function calendarLink(out) {
    const r = await api(base + '/agenda/calendar-link', { method: 'POST' });
    out.replaceChildren(h('input', { readonly: true, value: r.url, class: 'calendar-url', onfocus: (e) => e.target.select() }),
      h('div', { class: 'small muted' }, 'Add this address to your calendar app as a subscription. It is personal: do not share it.'));
  }

  function feeds() {
    const out = h('div');
    return h('section', { class: 'card feeds' }, h('h2', {}, 'Calendars and exports'),
      h('p', {}, h('a', { href: base + '/schedule.ics' }, 'Whole event (iCalendar)'), ' · ',
        h('a', { href: base + '/schedule.xml' }, 'frab schedule.xml'), ' · ',
        h('a', { href: base + '/schedule.json' }, 'schedule.json')),
      signedIn ? h('p', {}, h('button', { class: 'secondary small', onclick: () => calendarLink(out) }, 'My starred sessions as a calendar feed'), out) : null);
  }

  return { load, toggle, acknowledge, feeds };
}
