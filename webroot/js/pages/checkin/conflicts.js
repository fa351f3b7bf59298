// The door supervisor's list of offline duplicates: the same badge admitted on one list by two
// scanners while they were offline. Both scans are kept; the earlier is the admission, the later
// is flagged (see the README's "QR check-in"). Newest first, unseen ones first; each new one
// arrives live on event:<slug>:checkins and is announced (as is one that came while the page
// connected, which only the reload on a confirmed subscription finds); "Seen" marks one dealt with.
import { api, eventApi, h } from '../../api.js';
import { announce } from '../../page.js';

const LIMIT = 50;

/** Fills `container` and keeps it current while `page` is shown; for door staff and organizers (a session). */
export async function mountConflicts(container, { slug, zone, page }) {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit',
    second: '2-digit', hourCycle: 'h23' });
  const summary = h('summary', { id: 'conflicts-summary' }, 'Offline duplicates');
  const list = h('ul', { class: 'conflicts-list', id: 'conflicts-list' });
  const note = h('p', { class: 'muted small', id: 'conflicts-note' });
  const details = h('details', { class: 'card conflicts', id: 'conflicts' }, summary,
    h('p', { class: 'muted small' }, 'A badge admitted by two scanners while they were offline: the earlier scan counts, '
      + 'the later is flagged here. Check the person at the door if needed, then mark it seen.'),
    note, list);
  container.replaceChildren(details);
  let conflicts = [];

  function where(scan) {
    const device = scan.device ? scan.device.name || (scan.device.kind === 'scanner' ? 'a scanner device' : 'door staff') : 'unknown device';
    return time.format(new Date(scan.scannedAt)) + ' · ' + device + (scan.offline ? ' (offline)' : '');
  }

  function draw() {
    const unseen = conflicts.filter(c => !c.seenAt).length;
    summary.textContent = 'Offline duplicates: ' + (unseen ? unseen + ' to check' : 'none to check')
      + (conflicts.length > unseen ? ' (' + (conflicts.length - unseen) + ' seen)' : '');
    details.classList.toggle('attention', unseen > 0);
    if (unseen > 0) details.open = true;
    note.textContent = conflicts.length ? '' : 'None: no badge was admitted twice.';
    const ordered = [...conflicts].sort((a, b) => (!!a.seenAt - !!b.seenAt) || (b.id - a.id));
    list.replaceChildren(...ordered.map(c => h('li', { class: 'conflict' + (c.seenAt ? ' seen' : ''), 'data-scan': c.id },
      h('strong', {}, c.person && c.person.name ? c.person.name : 'Unknown person'), ' · ', c.list && c.list.name ? c.list.name : 'a removed list',
      h('div', { class: 'small' }, 'Admitted: ' + where(c.first)),
      h('div', { class: 'small' }, 'Again: ' + where(c.duplicate)),
      c.seenAt ? h('div', { class: 'muted small' }, 'Seen ' + time.format(new Date(c.seenAt)))
        : h('button', { type: 'button', class: 'secondary small conflict-seen', 'aria-label': 'Mark the duplicate of ' + (c.person ? c.person.name : 'this badge') + ' seen',
          onclick: () => seen(c) }, 'Seen'))));
  }

  // conflicts already said (or there at the first load): one that first shows up in a later load
  // (it came while the connection was being made) is said then, and only once
  const told = new Set();
  let loaded = false;
  function tell(c) {
    if (told.has(c.id)) return;
    told.add(c.id);
    announce('Offline duplicate: ' + (c.person && c.person.name ? c.person.name : 'a badge') + ' admitted twice.');
  }

  async function load() {
    try {
      conflicts = (await api(eventApi(slug, 'checkin/conflicts?limit=' + LIMIT))).conflicts;
      conflicts.forEach(c => { if (!loaded || c.seenAt) told.add(c.id); else tell(c); });
      loaded = true;
      draw();
    } catch (e) {
      note.textContent = 'Could not load the offline duplicates: ' + e.message;
    }
  }

  async function seen(c) {
    try {
      const r = await api(eventApi(slug, 'checkin/conflicts/' + c.id + '/seen'), { method: 'POST' });
      c.seenAt = r.seenAt;
      draw();
      announce('Marked seen.');
      const next = list.querySelector('.conflict-seen');
      if (next) next.focus();
    } catch (e) {
      note.textContent = e.message;
    }
  }

  await load();
  let pending = null;
  const soon = () => { clearTimeout(pending); pending = setTimeout(load, 200); };
  await page.subscribe('event:' + slug + ':checkins', data => {
    if (!data || !data.conflict) return;
    tell(data.conflict);
    soon();
  }, { reload: soon });
  page.onLeave(() => clearTimeout(pending));
}
