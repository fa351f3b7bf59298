import { h } from '../api.js';
import { eventDays } from '../dates.js';

export async function render(main, { event, me, slug }) {
  main.replaceChildren(...[
    h('h1', {}, event.name),
    h('p', { class: 'muted', id: 'event-days' }, eventDays(event) + (event.venue ? ' · ' + event.venue : '') + ' · times in ' + event.timeZone),
    event.description ? h('p', {}, event.description) : null,
    me ? h('p', { class: 'ok', id: 'welcome' }, 'Welcome, ' + me.name + '. You are logged in as ' + me.roles.join(', ') +
      (me.attendance ? ' (' + me.attendance + ')' : '') + '.')
       : h('p', {}, 'Log in through the personal link you received by mail, or ', h('a', { href: '/e/' + slug + '/login' }, 'paste it here'), '.'),
    h('h2', {}, 'Rooms'),
    h('ul', {}, event.rooms.map(r => h('li', {}, r.name + (r.capacity ? ' (' + r.capacity + ' seats)' : ''))))].filter(Boolean));
}
