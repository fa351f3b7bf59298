import { api, eventApi, session, h } from '../api.js';
import { dateOf, timeOf, dateTimeOf } from '../dates.js';
import { announce } from '../page.js';

// A presenter's poster: where and when it hangs (board, area, poster session) and until when it
// can be uploaded, the event's size rules, upload with a progress bar, the verdict in plain
// words, the preview and the current accepted version (a refused upload never replaces it).
export async function render(main, { event, me, slug }) {
  const base = eventApi(slug);
  if (!me || !me.roles.some(r => r === 'presenter' || r === 'organizer')) {
    main.replaceChildren(h('h1', {}, 'My poster'), h('p', { class: 'muted' }, 'Log in with your personal link as a presenter to upload your poster.'));
    return;
  }
  const [limits, posters, sessions] = await Promise.all([api(base + '/poster-limits'), api(base + '/my-posters'),
    api(base + '/poster-sessions').catch(() => [])]);
  const zone = event.timeZone;
  main.replaceChildren(h('h1', {}, 'My poster'),
    ...posters.map(p => whereAndWhen(p, sessions, limits, zone)),
    h('section', { class: 'card' }, h('h2', {}, 'What fits'),
      h('p', {}, 'Recommended: ' + (limits.recommendedSize || limits.recommendedLabel) + '. Largest allowed: ' + (limits.maxSize || limits.maxLabel) + '.'),
      h('p', { class: 'muted' }, 'One page, PDF, at most ' + megabytes(limits.maxUploadBytes) + '. Keep the page upright: it is never turned to fit.')),
    ...(posters.length ? posters.map(p => posterCard(base, p, limits, zone)) : [h('p', { class: 'muted' }, 'You present no poster in this event.')]));
  follow(main, slug);
}

// Where and when the poster hangs: its board and area in each poster session, with the
// session's day and time in the event's zone; and the upload deadline.
function whereAndWhen(poster, sessions, limits, zone) {
  const byRef = new Map(sessions.map(s => [s.ref, s]));
  const placements = (poster.boards || []).map(b => {
    const s = byRef.get(b.session);
    const when = s && s.startsAt ? ' during ' + (s.title || 'the poster session') + ', ' + dateOf(s.startsAt, { timeZone: zone })
      + ', ' + timeOf(s.startsAt, { timeZone: zone }) + '–' + timeOf(s.endsAt, { timeZone: zone })
      + (s.cancelled ? ' (cancelled)' : '') : '';
    return h('li', { 'data-session': b.session },
      h('strong', {}, 'Board ' + b.label), ' in ' + b.area + when + '.');
  });
  const first = (poster.boards || []).map(b => byRef.get(b.session)).filter(s => s && s.startsAt && !s.cancelled)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0];
  // a deadline when the server states one; otherwise say that none is set
  const deadline = limits.uploadDeadline || poster.uploadDeadline || null;
  return h('section', { class: 'card poster-place', 'data-poster': poster.id },
    h('h2', {}, 'Where and when: poster ' + poster.number),
    placements.length ? h('ul', { class: 'placements' }, placements)
      : h('p', { class: 'muted no-board' }, 'No board yet: the organizers place the posters on boards before the poster session. This page shows the board once it is set.'),
    h('p', { class: 'upload-deadline' }, ...(deadline
      ? ['Upload deadline: ', h('strong', {}, dateTimeOf(deadline, { timeZone: zone })), '.']
      : first ? ['The organizers have set no upload deadline: upload before your poster session starts, ',
        h('strong', {}, dateTimeOf(first.startsAt, { timeZone: zone })), '.']
        : ['The organizers have set no upload deadline.'])),
    h('p', { class: 'muted small' }, 'Times in the event\'s zone (' + zone + ').'));
}

// Live: a poster-preview (or poster-file) message for a poster on this page refreshes its card,
// so a preview drawn after the upload answer appears without a reload.
async function follow(main, slug) {
  const liveModule = await import('../live.js').catch(() => null);
  if (!liveModule || typeof liveModule.subscribe !== 'function') return;
  const refreshAll = () => main.querySelectorAll('section.poster-upload').forEach(c => c.refresh && c.refresh().catch(() => {}));
  const unsubscribe = liveModule.subscribe('event:' + slug + ':posters', data => {
    if (!data || (data.type !== 'poster-preview' && data.type !== 'poster-file')) return;
    const card = main.querySelector('section.poster-upload[data-poster="' + data.posterId + '"]');
    if (card && card.refresh) card.refresh().catch(() => {});
  }, { reload: refreshAll });
  const page = main.firstElementChild;
  new MutationObserver((_, obs) => {
    if (!main.contains(page)) { unsubscribe(); obs.disconnect(); }
  }).observe(main, { childList: true });
}

function posterCard(base, poster, limits, zone) {
  const posterBase = base + '/posters/' + poster.id;
  const current = h('div', { class: 'current' });
  // the verdict is said through the shell's live region (announce), not by reading this whole block
  const verdict = h('div', { class: 'verdict' });
  const progress = h('progress', { max: 100, value: 0, hidden: true, style: 'width:100%' });
  const input = h('input', { type: 'file', accept: 'application/pdf,.pdf', 'aria-label': 'Poster PDF for poster ' + poster.number });
  let stored = poster.file || null; // the accepted version shown, as far as this page knows

  async function refresh() {
    const status = await api(posterBase + '/pdf/status');
    stored = status.current || null;
    drawCurrent(current, posterBase, status.current, zone);
    const last = status.lastAttempt;
    if (last && !last.accepted && !verdict.hasChildNodes()) {
      verdict.replaceChildren(h('p', { class: 'error' }, h('strong', {}, 'Your last upload was refused (' + verdictLabel(last) + '). '), last.message));
    }
  }

  input.addEventListener('change', () => {
    const file = input.files[0];
    if (!file) return;
    if (file.size > limits.maxUploadBytes) {
      verdict.replaceChildren(h('p', { class: 'error' }, 'This file is ' + megabytes(file.size) + '; the largest accepted is ' + megabytes(limits.maxUploadBytes) + '.'));
      return;
    }
    verdict.replaceChildren(h('p', { class: 'muted' }, 'Uploading ' + file.name + '…'));
    progress.hidden = false;
    progress.value = 0;
    input.disabled = true;
    upload(posterBase + '/pdf', file, fraction => {
      progress.value = Math.round(fraction * 100);
      if (fraction >= 1) verdict.replaceChildren(h('p', { class: 'muted' }, 'Checking your poster…'));
    }).then(answer => {
      verdict.replaceChildren(...describe(answer.check, true));
      announce('Upload accepted. ' + (verdict.firstElementChild ? verdict.firstElementChild.textContent : ''));
    }).catch(problem => {
      verdict.replaceChildren(...(problem.check ? describe(problem.check, false) : [h('p', { class: 'error' }, problem.detail || problem.title || 'The upload failed.')]),
        h('p', { class: 'muted unchanged' }, stored
          ? 'Your current poster (version ' + stored.version + ', uploaded ' + dateTimeOf(stored.uploadedAt, { timeZone: zone }) + ') is unchanged.'
          : 'You have no accepted poster yet: upload a PDF that fits.'));
      announce('Upload refused. ' + (verdict.firstElementChild ? verdict.firstElementChild.textContent : ''));
    }).finally(() => {
      progress.hidden = true;
      input.disabled = false;
      input.value = '';
      refresh().catch(() => {});
    });
  });

  refresh().catch(e => current.replaceChildren(h('p', { class: 'error' }, e.message)));
  const card = h('section', { class: 'card poster-upload', 'data-poster': poster.id },
    h('h2', {}, 'Poster ' + poster.number + ': ' + poster.title),
    h('label', {}, h('span', {}, 'Upload a PDF '), input),
    progress, verdict, current);
  card.refresh = refresh;
  return card;
}

// The check's verdict in words; checks stored before verdictLabel existed carry only the name.
const VERDICT_LABELS = { RECOMMENDED_SIZE: 'Recommended size', FITS: 'Fits', TOO_LARGE: 'Too large', NOT_ACCEPTABLE: 'Not acceptable' };

function verdictLabel(check) {
  return check.verdictLabel || VERDICT_LABELS[check.verdict] || check.verdict;
}

function describe(check, accepted) {
  const cls = !accepted ? 'error' : (check.warnings && check.warnings.length ? 'warn' : 'ok');
  // "Not acceptable" says it all; the size verdicts say whether the poster was taken.
  const head = verdictLabel(check) + (check.verdict === 'NOT_ACCEPTABLE' ? '.' : accepted ? ': accepted.' : ': not accepted.');
  return [h('p', { class: cls + ' verdict-text' }, h('strong', {}, head + ' '), check.message),
    ...(check.warnings || []).map(w => h('p', { class: 'warn' }, w))];
}

function drawCurrent(el, posterBase, file, zone) {
  if (!file) {
    el.replaceChildren(h('p', { class: 'muted' }, 'No poster accepted yet.'));
    return;
  }
  const download = h('button', { class: 'secondary', type: 'button' }, 'Download version ' + file.version);
  download.addEventListener('click', async () => {
    const res = await api(posterBase + '/pdf', { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: 'poster-v' + file.version + '.pdf' });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  el.replaceChildren(h('h3', {}, 'Current poster'),
    h('p', { class: 'uploaded' }, 'Version ' + file.version + ', ' + megabytes(file.sizeBytes) + ', uploaded '
      + dateTimeOf(file.uploadedAt, { timeZone: zone }) + ' (' + zone + ').'),
    h('p', { class: 'ok' }, h('strong', {}, verdictLabel(file) + '. '), file.message),
    previewOf(posterBase, file),
    h('p', {}, download));
}

// The preview is drawn after the upload is answered: PENDING until then (the live topic says when
// it is ready). FAILED is a fault of the file; SERVER_ERROR and TIMED_OUT are not blamed on it.
const PREVIEW_TEXT = {
  PENDING: 'Drawing the preview… it appears here when it is ready.',
  FAILED: 'No preview could be made of this PDF (it could not be drawn); it is stored and will be printed as it is.',
  TIMED_OUT: 'The preview took too long to draw (the server may have been busy). Your poster is accepted and stored; '
    + 'it will be printed as it is.',
  SERVER_ERROR: 'The preview failed because of a problem on our side, not with your file. Your poster is accepted '
    + 'and stored; the organizers have been notified and the preview is drawn again once it is fixed.',
};

function previewOf(posterBase, file) {
  if (file.preview === 'OK') {
    return h('img', { class: 'poster-preview', src: posterBase + '/preview.png?v=' + file.sha256.slice(0, 16), alt: 'Preview of your poster', style: 'max-width:100%;max-height:70vh;border:1px solid #dde1e8' });
  }
  return h('p', { class: file.preview === 'SERVER_ERROR' ? 'warn preview-state' : 'muted preview-state', 'data-preview': file.preview },
    PREVIEW_TEXT[file.preview] || PREVIEW_TEXT.SERVER_ERROR);
}

// XHR rather than fetch: only XHR reports upload progress. The file is sent as the raw body.
function upload(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    const s = session();
    if (s && s.token) xhr.setRequestHeader('Authorization', 'Bearer ' + s.token);
    xhr.setRequestHeader('Content-Type', 'application/pdf');
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(body || { status: xhr.status, title: xhr.statusText });
    };
    xhr.onerror = () => reject({ detail: 'The connection was lost during the upload. Please try again.' });
    xhr.send(file);
  });
}

function megabytes(bytes) {
  return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '') + ' MB' : Math.ceil(bytes / 1024) + ' KB';
}
