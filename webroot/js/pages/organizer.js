import { api, eventApi, h } from '../api.js';

// Organizer tools: people and roles, registration import, login links for a mail merge.
export async function render(main, { slug }) {
  const base = eventApi(slug);
  const result = h('div', { id: 'import-result' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'csv' });
  const tbody = h('tbody');
  async function load() {
    const people = await api(base + '/people');
    tbody.replaceChildren(...people.map(p => h('tr', {}, h('td', {}, p.name), h('td', {}, p.email),
      h('td', {}, p.attendance || ''), h('td', {}, p.roles.join(', ')))));
  }
  async function upload(ev) {
    ev.preventDefault();
    if (!file.files[0]) return;
    try {
      const r = await api(base + '/registrations/import', { method: 'POST', body: await file.files[0].text(), headers: { 'Content-Type': 'text/csv' } });
      result.replaceChildren(h('p', { class: 'ok' }, r.imported + ' registrations imported.'));
      await load();
    } catch (e) {
      const errs = (e.problem && e.problem.errors) || [];
      result.replaceChildren(h('p', { class: 'error' }, e.message),
        h('ul', {}, errs.map(x => h('li', {}, 'Line ' + x.line + ': ' + x.message))));
    }
  }
  async function download() {
    const res = await api(base + '/login-links.csv', { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: slug + '-login-links.csv' });
    document.body.append(a); a.click(); a.remove();
  }
  // a scanner device (a phone or laptop at a door) gets its own revocable token, carried in the
  // link's fragment (#scanner=...), which browsers never send to servers; the scanner page keeps it
  const scannerName = h('input', { id: 'scanner-name', placeholder: 'Device name, e.g. Door 1 phone', maxlength: 200 });
  const scannerResult = h('div', { id: 'scanner-result' });
  async function addScanner(ev) {
    ev.preventDefault();
    try {
      const d = await api(base + '/checkin/scanners', { method: 'POST', body: { name: scannerName.value } });
      const link = location.origin + '/e/' + encodeURIComponent(slug) + '/scanner#scanner=' + d.token;
      scannerResult.replaceChildren(h('p', { class: 'ok' }, 'Scanner "' + d.name + '" (id ' + d.id + ') added. Open this link on the device (valid 30 days, revocable):'),
        h('input', { id: 'scanner-link', readonly: true, value: link, size: 60, onfocus: (e) => e.target.select() }));
      scannerName.value = '';
    } catch (e) {
      scannerResult.replaceChildren(h('p', { class: 'error' }, e.message));
    }
  }
  main.replaceChildren(h('h1', {}, 'Organizer'),
    h('section', { class: 'card' }, h('h2', {}, 'Import registrations'),
      h('p', { class: 'muted' }, 'A CSV export from your ticketing system: name, email, affiliation, ticket type (in-person or remote), order code. A file with any bad row imports nothing.'),
      h('form', { onsubmit: upload }, file, ' ', h('button', {}, 'Import')), result),
    h('section', { class: 'card', id: 'schedule-tools' }, h('h2', {}, 'Schedule'),
      h('p', { class: 'muted' }, 'Edit, move, cancel and add sessions, and delay a room that is running late, right on the schedule page: organizers see the tools there. Everyone with the page open sees each change within a second.'),
      h('a', { class: 'button', href: '/e/' + slug + '/schedule' }, 'Edit the schedule')),
    h('section', { class: 'card', id: 'scanner-devices' }, h('h2', {}, 'Scanner devices'),
      h('p', { class: 'muted' }, 'A phone, tablet or laptop at a door scans badges without a personal login: add it here and open its link on it once. It keeps working offline.'),
      h('form', { onsubmit: addScanner }, scannerName, ' ', h('button', {}, 'Add scanner')), scannerResult),
    h('section', { class: 'card' }, h('h2', {}, 'Login links'),
      h('button', { class: 'secondary', onclick: download }, 'Download login links (CSV)')),
    h('section', { class: 'card' }, h('h2', {}, 'People'),
      h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Email'), h('th', {}, 'Attendance'), h('th', {}, 'Roles'))), tbody))));
  await load();
}
