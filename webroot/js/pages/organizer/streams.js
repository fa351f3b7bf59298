import { api, eventApi, h, problemInWords } from '../../api.js';

// The organizer page's Streams card: per room, the HLS playback URL on the video origin or CDN,
// the meeting link for remote speakers and whether anyone may watch without logging in; who may
// watch (everyone registered, or remote tickets only); and whose stream access is revoked
// (revoked and restored here: the person's next renewal is refused). The on-air switch and the
// hybrid attendance are on the watch page, beside the video.
const FIELD_LABELS = { playbackUrl: 'Playback URL', meetingUrl: 'Meeting link', public: 'Public', audience: 'Who may watch' };

/** The error in the form's words: "Playback URL must be …" rather than "playbackUrl: must be …". */
function said(e) {
  return problemInWords(e, FIELD_LABELS, { separator: ' ' });
}

export function streamsSection(slug, event) {
  const base = eventApi(slug);
  const title = h('h2', { id: 'streams-title' }, 'Streams');
  const section = h('section', { class: 'card', id: 'streams', 'aria-labelledby': 'streams-title' }, title,
    h('p', { class: 'muted' }, 'Loading…'));

  let people = [];

  /** Reads the streams and their settings; {@code everyone} is the event's people as the page read them. */
  async function load(everyone = people) {
    people = everyone;
    let list; let settings;
    try {
      [list, settings] = await Promise.all([api(base + '/streams'), api(base + '/streams/settings')]);
    } catch (e) {
      section.replaceChildren(title, h('p', { class: 'error' }, e.message));
      return;
    }
    const byRoom = new Map(list.rooms.map((r) => [r.roomId, r]));
    section.replaceChildren(title,
      h('p', { class: 'muted' }, 'Each room streams from an HLS playlist on your video origin or CDN (for example nginx with secure_link, see the README). '
        + 'Registered people get signed links that expire and are renewed while they watch.'),
      audienceForm(settings.audience),
      ...event.rooms.map((room) => roomForm(room, byRoom.get(room.id))),
      revokedPart(settings.revoked, people));
  }

  function status() {
    return h('p', { class: 'small', role: 'status' });
  }

  function audienceForm(audience) {
    const select = h('select', { id: 'stream-audience' },
      h('option', { value: 'registered', selected: audience === 'registered' }, 'Everyone registered (in the room or remote)'),
      h('option', { value: 'remote', selected: audience === 'remote' }, 'Remote tickets only'));
    const note = status();
    return h('form', { class: 'stream-audience', onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api(base + '/streams/settings', { method: 'PUT', body: { audience: select.value } });
        note.className = 'small ok';
        note.textContent = 'Saved: ' + select.selectedOptions[0].textContent.toLowerCase() + ' may watch.';
      } catch (e) {
        note.className = 'small error';
        note.textContent = said(e);
      }
    } }, h('label', { for: 'stream-audience' }, 'Who may watch '), select, ' ', h('button', { class: 'small' }, 'Save'), note);
  }

  function roomForm(room, stream) {
    const id = 'stream-' + room.id;
    const playback = h('input', { id: id + '-playback', type: 'url', required: true, value: stream ? stream.playbackUrl || '' : '',
      placeholder: 'https://video.example.org/hls/room-a/index.m3u8' });
    const meeting = h('input', { id: id + '-meeting', type: 'url', value: stream ? stream.meetingUrl || '' : '',
      placeholder: 'https://meet.example.org/…' });
    const open = h('input', { id: id + '-public', type: 'checkbox', checked: !!(stream && stream.public) });
    const note = status();
    if (!stream) note.textContent = 'Not streamed yet.';
    return h('form', { class: 'stream-room', 'data-room': room.id, onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const saved = await api(base + '/rooms/' + room.id + '/stream', { method: 'PUT',
          body: { playbackUrl: playback.value.trim(), meetingUrl: meeting.value.trim() || null, public: open.checked } });
        note.className = 'small ok';
        note.textContent = 'Saved. ' + (saved.public ? 'Anyone may watch ' : 'Registered people may watch ') + room.name + ' on the watch page.';
      } catch (e) {
        note.className = 'small error';
        note.textContent = said(e);
      }
    } }, h('fieldset', {}, h('legend', {}, room.name),
      h('label', { for: id + '-playback' }, 'Playback URL (HLS playlist)'), playback,
      h('label', { for: id + '-meeting' }, 'Meeting link for remote speakers (optional)'), meeting,
      h('label', { class: 'role-choice' }, open, ' Public: anyone may watch without logging in'),
      h('button', { class: 'small' }, 'Save'), note));
  }

  function revokedPart(revoked, people) {
    const names = new Map(people.map((p) => [p.id, p.name + ' (' + p.email + ')']));
    const note = status();
    const choice = h('select', { id: 'stream-revoke-person' },
      h('option', { value: '' }, 'Choose a person'),
      ...people.filter((p) => !revoked.includes(p.id)).map((p) => h('option', { value: p.id }, p.name + ' (' + p.email + ')')));
    async function change(personId, revoke) {
      try {
        await api(base + '/streams/revoked/' + personId, { method: revoke ? 'PUT' : 'DELETE' });
        await load();
        const again = document.querySelector('#streams-revoked-note');
        if (again) {
          again.className = 'small ok';
          again.textContent = (revoke ? 'Revoked: ' : 'Restored: ') + (names.get(personId) || 'person ' + personId)
            + (revoke ? '. Their player stops at its next renewal.' : '.');
        }
      } catch (e) {
        note.className = 'small error';
        note.textContent = said(e);
      }
    }
    note.id = 'streams-revoked-note';
    return h('div', { class: 'stream-revoked' }, h('h3', {}, 'Revoked stream access'),
      revoked.length === 0 ? h('p', { class: 'muted small' }, 'Nobody.')
        : h('ul', { id: 'streams-revoked' }, revoked.map((personId) => h('li', { 'data-person': personId },
          names.get(personId) || 'Person ' + personId, ' ',
          h('button', { class: 'secondary small', type: 'button', 'aria-label': 'Restore stream access of ' + (names.get(personId) || personId),
            onclick: () => change(personId, false) }, 'Restore')))),
      h('form', { onsubmit: (ev) => { ev.preventDefault(); if (choice.value) change(Number(choice.value), true); } },
        h('label', { for: 'stream-revoke-person' }, 'Revoke a person\'s access '), choice, ' ',
        h('button', { class: 'small' }, 'Revoke')),
      note);
  }

  return { section, load };
}
