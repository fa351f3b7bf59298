// The session's projector links in the moderator view: make one (its secret link is shown
// once, to copy or open), list the ones that work, revoke.
import { api, h } from '../../api.js';
import { dateTimeOf } from '../../dates.js';

export function projectorLinks(base) {
  const path = base + '/qa/projector-links';
  const fresh = h('div', { class: 'qa-link-fresh' });
  const list = h('ul', { class: 'qa-links' });
  const note = h('p', { class: 'small', role: 'status' });
  const create = h('button', { type: 'button', class: 'qa-link-create', onclick: () => make() }, 'New projector link');
  const el = h('details', { class: 'card qa-projector-links' },
    h('summary', {}, 'Projector links'),
    h('p', { class: 'small muted' }, 'A secret link that shows the pinned question large and the next few below, ' +
      'live and without a login: for a lectern PC or a browser source in a streaming tool. Anyone with the link sees ' +
      'the visible questions (never who asked anonymously); revoke it when done.'),
    create, fresh, note, list);

  async function load() {
    try {
      const data = await api(path);
      list.replaceChildren(...data.links.map((l) => h('li', { 'data-link': String(l.id) },
        h('span', {}, 'Link ' + l.id + ' · ' + dateTimeOf(l.createdAt, { short: true }) + (l.createdBy ? ' · ' + l.createdBy : '')),
        ' ', h('button', { type: 'button', class: 'secondary qa-link-revoke', onclick: () => revoke(l.id) }, 'Revoke'))));
      if (data.links.length === 0) list.replaceChildren(h('li', { class: 'muted' }, 'No working links.'));
    } catch (e) {
      note.textContent = e.message;
      note.className = 'small error';
    }
  }

  async function make() {
    try {
      const link = await api(path, { method: 'POST' });
      const input = h('input', { type: 'text', readonly: true, class: 'qa-link-url', value: link.url, 'aria-label': 'Projector link' });
      fresh.replaceChildren(h('p', { class: 'small' }, 'Copy it now: the secret is not shown again.'), input,
        h('button', { type: 'button', class: 'secondary', onclick: async () => {
          input.select();
          try { await navigator.clipboard.writeText(link.url); note.textContent = 'Copied.'; } catch { note.textContent = 'Select and copy the link.'; }
        } }, 'Copy'),
        h('a', { class: 'button secondary', href: link.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open'));
      await load();
    } catch (e) {
      note.textContent = e.message;
      note.className = 'small error';
    }
  }

  async function revoke(id) {
    try {
      await api(path + '/' + id, { method: 'DELETE' });
      fresh.replaceChildren();
      note.textContent = 'Link ' + id + ' revoked.';
      note.className = 'small ok';
      await load();
    } catch (e) {
      note.textContent = e.message;
      note.className = 'small error';
    }
  }

  return { el, load };
}
