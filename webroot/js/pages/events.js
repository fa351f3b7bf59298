import { api, h } from '../api.js';
import { eventDays } from '../dates.js';

export async function render(main) {
  const events = await api('/api/events');
  main.replaceChildren(...[
    h('h1', {}, 'Events'),
    events.length === 0 ? h('p', { class: 'muted' }, 'No events yet.') : null,
    h('div', { class: 'grid' }, events.map(e => h('a', { class: 'card', href: '/e/' + e.slug },
      h('strong', {}, e.name), h('div', { class: 'muted' }, eventDays(e, { short: true }) + (e.venue ? ' · ' + e.venue : '')))))].filter(Boolean));
}
