import { h } from '../api.js';

export async function render(main) {
  main.replaceChildren(h('h1', {}, 'Watch'), h('p', { class: 'muted' }, 'This part of confday is not available yet.'));
}
