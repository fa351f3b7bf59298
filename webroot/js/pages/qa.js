import { h } from '../api.js';

export async function render(main) {
  main.replaceChildren(h('h1', {}, 'Q&A'), h('p', { class: 'muted' },
    'Asking and upvoting questions for the session in the room or online is not available yet.'));
}
