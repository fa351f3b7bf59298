import { api, eventApi, h } from '../api.js';
import { dateTimeOf } from '../dates.js';
import { streamsSection } from './organizer/streams.js';

// Organizer tools: registration import, the schedule, scanner devices, streams, login links, the poster uploads (in,
// missing, refused and why) and the people of the event (searched, counted by kind and role,
// their roles edited).
const ROLES = ['organizer', 'moderator', 'presenter', 'attendee', 'door-staff'];
const ROLE_LABELS = { 'organizer': 'Organizer', 'moderator': 'Moderator', 'presenter': 'Presenter', 'attendee': 'Attendee', 'door-staff': 'Door staff' };
const KIND_LABELS = { 'in-person': 'In person', 'remote': 'Remote' };

export async function render(main, { event, slug }) {
  const base = eventApi(slug);
  const result = h('div', { id: 'import-result', role: 'status' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'csv', 'aria-label': 'Registrations CSV file' });
  const people = peopleSection(base);
  const streams = streamsSection(slug, event);
  const uploads = h('section', { class: 'card', id: 'poster-uploads', 'aria-labelledby': 'poster-uploads-title' },
    h('h2', { id: 'poster-uploads-title' }, 'Poster uploads'), h('p', { class: 'muted' }, 'Loading…'));
  async function upload(ev) {
    ev.preventDefault();
    if (!file.files[0]) return;
    try {
      const r = await api(base + '/registrations/import', { method: 'POST', body: await file.files[0].text(), headers: { 'Content-Type': 'text/csv' } });
      result.replaceChildren(h('p', { class: 'ok' }, r.imported + ' registrations imported.'));
      await people.load();
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
    streams.section,
    h('section', { class: 'card' }, h('h2', {}, 'Login links'),
      h('button', { class: 'secondary', onclick: download }, 'Download login links (CSV)')),
    // the people first: the uploads overview below fills in later (a request per few posters)
    // and so moves nothing a person is about to click
    people.section,
    uploads);
  await people.load();
  await streams.load(people.list());
  await posterUploads(base, uploads, event.timeZone);
}

// How many posters are in, which are missing, which were refused and why: the posters with
// each one's upload status (a few requests at a time).
async function posterUploads(base, section, zone) {
  const title = section.firstElementChild;
  let posters;
  try {
    posters = await api(base + '/posters');
  } catch (e) {
    section.replaceChildren(title, h('p', { class: 'error' }, e.message));
    return;
  }
  posters.sort((a, b) => a.number - b.number);
  const status = new Map();
  for (let i = 0; i < posters.length; i += 6) {
    const batch = posters.slice(i, i + 6);
    const answers = await Promise.all(batch.map(p => api(base + '/posters/' + p.id + '/pdf/status').catch(() => null)));
    batch.forEach((p, k) => status.set(p.id, answers[k]));
  }
  const kindOf = (p) => {
    const s = status.get(p.id);
    if (!s) return 'unknown';
    if (s.current) return 'in';
    return s.lastAttempt && !s.lastAttempt.accepted ? 'refused' : 'missing';
  };
  const groups = { in: [], missing: [], refused: [], unknown: [] };
  posters.forEach(p => groups[kindOf(p)].push(p));
  const line = (p) => {
    const s = status.get(p.id);
    const last = s && s.lastAttempt;
    const why = last && !last.accepted ? h('div', { class: 'error small refusal' },
      (last.verdictLabel || last.verdict) + (last.message ? ': ' + last.message : '')
      + (last.attemptedAt ? ' (' + dateTimeOf(last.attemptedAt, { timeZone: zone }) + ')' : '')) : null;
    return h('li', { 'data-poster': p.id, 'data-upload': kindOf(p) },
      h('strong', {}, '#' + p.number), ' ' + p.title, p.presenter ? h('span', { class: 'muted' }, ' · ' + p.presenter) : null,
      s && s.current ? h('span', { class: 'muted small' }, ' · version ' + s.current.version) : null, why);
  };
  const list = (kind, heading, open) => groups[kind].length ? h('details', { class: 'uploads-' + kind, open },
    h('summary', {}, heading + ' (' + groups[kind].length + ')'), h('ul', {}, groups[kind].map(line))) : null;
  section.replaceChildren(title,
    h('p', { id: 'upload-counts' }, posters.length + ' posters: ' + groups.in.length + ' in, ' + groups.missing.length
      + ' missing, ' + groups.refused.length + ' refused (no poster stored after a refused upload).'),
    list('refused', 'Refused, and why', true),
    list('missing', 'Missing', true),
    list('in', 'In', false),
    list('unknown', 'Status not available', false));
}

// The people of the event: a search, counts by kind of ticket and by role, and their roles edited.
function peopleSection(base) {
  let people = [];
  let editing = null; // the id of the person whose roles are open
  let said = null;    // {id, ok, text}
  const search = h('input', { type: 'search', id: 'people-search', placeholder: 'Name, email, affiliation or role',
    oninput: () => draw() });
  const counts = h('p', { id: 'people-counts', class: 'small' });
  const shown = h('p', { id: 'people-shown', class: 'muted small', role: 'status' });
  const tbody = h('tbody');
  const section = h('section', { class: 'card people', id: 'people', 'aria-labelledby': 'people-title' },
    h('h2', { id: 'people-title' }, 'People'),
    counts,
    h('label', { for: 'people-search' }, 'Search '), search, shown,
    h('div', { class: 'table-wrap' }, h('table', { class: 'people-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Email'), h('th', {}, 'Attendance'), h('th', {}, 'Roles'), h('th', {}, h('span', { class: 'visually-hidden' }, 'Edit')))),
      tbody)));

  async function load() {
    people = await api(base + '/people');
    draw();
  }

  function matches(p, q) {
    if (!q) return true;
    const text = [p.name, p.email, p.affiliation || '', KIND_LABELS[p.attendance] || '', ...p.roles.map(r => ROLE_LABELS[r] || r), ...p.roles]
      .join(' ').toLowerCase();
    return q.toLowerCase().split(/\s+/).filter(Boolean).every(w => text.includes(w));
  }

  function draw() {
    const byKind = { 'in-person': 0, remote: 0, none: 0 };
    const byRole = Object.fromEntries(ROLES.map(r => [r, 0]));
    people.forEach(p => {
      byKind[p.attendance === 'in-person' || p.attendance === 'remote' ? p.attendance : 'none']++;
      p.roles.forEach(r => { if (r in byRole) byRole[r]++; });
    });
    counts.replaceChildren(people.length + ' people: ' + byKind['in-person'] + ' in person, ' + byKind.remote + ' remote'
      + (byKind.none ? ', ' + byKind.none + ' without a ticket' : '') + '. Roles: '
      + ROLES.map(r => ROLE_LABELS[r] + ' ' + byRole[r]).join(', ') + '.');
    const q = search.value.trim();
    const list = people.filter(p => matches(p, q));
    shown.textContent = q ? list.length + ' of ' + people.length + ' shown.' : '';
    tbody.replaceChildren(...list.map(row));
  }

  function row(p) {
    const open = editing === p.id;
    const note = said && said.id === p.id ? h('div', { class: (said.ok ? 'ok' : 'error') + ' small', role: 'status' }, said.text) : null;
    return h('tr', { 'data-person': p.id },
      h('td', {}, p.name, p.affiliation ? h('div', { class: 'muted small' }, p.affiliation) : null),
      h('td', { class: 'email' }, p.email),
      h('td', {}, KIND_LABELS[p.attendance] || '—'),
      h('td', { class: 'roles' }, open ? rolesForm(p) : p.roles.map(r => ROLE_LABELS[r] || r).join(', '), note),
      h('td', {}, open ? null : h('button', { class: 'secondary small edit-roles', type: 'button', 'aria-label': 'Edit roles of ' + p.name,
        onclick: () => { editing = p.id; said = null; draw(); } }, 'Edit roles')));
  }

  function rolesForm(p) {
    const boxes = ROLES.map(r => h('label', { class: 'role-choice' },
      h('input', { type: 'checkbox', name: 'role', value: r, checked: p.roles.includes(r) }), ' ' + ROLE_LABELS[r]));
    return h('form', { class: 'roles-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const roles = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
      try {
        await api(base + '/people/' + p.id + '/roles', { method: 'PUT', body: { roles } });
        editing = null;
        said = { id: p.id, ok: true, text: 'Roles saved.' };
        await load();
      } catch (e) {
        said = { id: p.id, ok: false, text: e.message };
        draw();
      }
    } }, h('fieldset', {}, h('legend', {}, 'Roles of ' + p.name), boxes),
    h('button', { class: 'small' }, 'Save'), ' ',
    h('button', { class: 'secondary small', type: 'button', onclick: () => { editing = null; draw(); } }, 'Close'));
  }

  return { section, load, list: () => people };
}
