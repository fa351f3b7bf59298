import { api, h, saveSession } from '../api.js';

// The personal link carries its token in the URL fragment (#token=...), which browsers never send to servers.
export async function render(main, { slug }) {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    history.replaceState(null, '', location.pathname);
    try {
      const s = await api('/api/auth/session', { method: 'POST', body: { token } });
      saveSession(s);
      location.replace('/e/' + slug);
      return;
    } catch (e) {
      main.replaceChildren(h('p', { class: 'error', id: 'login-error' }, e.message));
      return;
    }
  }
  const input = h('input', { id: 'link', type: 'url', placeholder: 'https://…/login#token=…', size: 50 });
  main.replaceChildren(h('h1', {}, 'Log in'),
    h('p', {}, 'Open the personal link from your invitation mail, or paste it here.'),
    h('form', { onsubmit: ev => { ev.preventDefault(); location.href = input.value; location.reload(); } },
      h('label', { for: 'link' }, 'Your personal link '), input, ' ', h('button', {}, 'Log in')));
}
