// Session types and their labels; dates and times in the zone the viewer chose (the event's or
// their own), always 24-hour and dates with their weekday; where the viewer is in the day.

export const TYPES = ['opening', 'invited-talk', 'contributed-talk', 'panel', 'poster-session', 'break', 'social'];
export const TYPE_LABELS = {
  'opening': 'Opening', 'invited-talk': 'Invited talk', 'contributed-talk': 'Contributed talk', 'panel': 'Panel',
  'poster-session': 'Poster session', 'break': 'Break', 'social': 'Social',
};

/**
 * The badge of a session: its type's label, except that the plenary type ("opening") of a
 * session titled as a closing (closing remarks, closing keynote) is badged "Closing".
 */
export function typeLabel(x) {
  if (x.type === 'opening' && /^\s*clos/i.test(x.title || '')) return 'Closing';
  return TYPE_LABELS[x.type] || x.type;
}

/** Sessions that take no star: breaks (everyone has them anyway). */
export function starrable(x) {
  return x.type !== 'break';
}

// The form's own words for the API's field names, in problem details and field errors.
export const FIELD_LABELS = { title: 'Title', type: 'Type', roomId: 'Room', startsAt: 'Starts', endsAt: 'Ends',
  track: 'Track', abstract: 'Abstract', speakers: 'Speakers', minutes: 'Minutes', at: 'As of', key: 'Key' };

/** A problem's message in the form's words: "endsAt must be…" becomes "Ends must be…". */
export function inFormWords(text) {
  return String(text).replace(/\b(roomId|startsAt|endsAt)\b/g, (m) => FIELD_LABELS[m]);
}

/** Formatting for the page `ctx`: reads the chosen zone and the event's zone from its state. */
export function formats(ctx) {
  const { state, viewerZone } = ctx;
  const cache = new Map();
  function formatter(key, options) {
    const zone = options.timeZone;
    const id = key + '|' + zone;
    if (!cache.has(id)) cache.set(id, new Intl.DateTimeFormat(key === 'ymd' ? 'en-CA' : 'en-GB', options));
    return cache.get(id);
  }
  function tz() { return state.zone === 'viewer' ? viewerZone : state.schedule.event.timeZone; }
  function time(iso) {
    return formatter('hm', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz() }).format(new Date(iso));
  }
  function ymd(iso, zone) {
    return formatter('ymd', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(new Date(iso));
  }
  // the day in the event's zone, as YYYY-MM-DD: the day tabs and the days of the schedule
  function eventDay(iso) { return ymd(iso, state.schedule.event.timeZone); }
  // the day in the shown zone, as YYYY-MM-DD
  function shownDay(iso) { return ymd(iso, tz()); }
  // "Saturday 29 July 2023" (long) or "Sat 29 Jul" (short) of an instant in the shown zone,
  // put together from its parts (ICU versions differ on the comma after the weekday)
  function date(iso, style = 'long', zone = tz()) {
    const options = style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
      : { weekday: 'short', day: 'numeric', month: 'short' };
    const parts = Object.fromEntries(formatter('d' + style, { ...options, timeZone: zone })
      .formatToParts(new Date(iso)).map(p => [p.type, p.value]));
    return [parts.weekday, parts.day, parts.month, parts.year].filter(Boolean).join(' ');
  }
  // a calendar day "2023-07-29" as "Saturday 29 July 2023" (or short), whatever the zone
  function dayLabel(day, style = 'long') {
    if (!day) return '';
    return date(day + 'T12:00:00Z', style, 'UTC');
  }
  /** True when a session ends on a later day than it starts, in the shown zone. */
  function crossesMidnight(x) {
    return shownDay(x.startsAt) !== shownDay(new Date(Date.parse(x.endsAt) - 1).toISOString());
  }
  // "09:00–09:30", with the day when asked for, and "(ends Sun 30 Jul)" past midnight
  function span(x, withDay = false) {
    const day = withDay ? date(x.startsAt, 'short') + ' ' : '';
    return day + time(x.startsAt) + '–' + time(x.endsAt) + (crossesMidnight(x) ? ' (ends ' + date(x.endsAt, 'short') + ')' : '');
  }
  return { tz, time, eventDay, shownDay, date, dayLabel, crossesMidnight, span };
}

/**
 * Where `now` is in a list of sessions: the ones running (current), the ones starting next
 * (the earliest start after now, all rooms; none before the event has begun), and whether a
 * session is over.
 */
export function phase(sessions, now) {
  const live = sessions.filter(x => !x.cancelled);
  const current = new Set(live.filter(x => Date.parse(x.startsAt) <= now && Date.parse(x.endsAt) > now).map(x => x.id));
  const begun = live.some(x => Date.parse(x.startsAt) <= now);
  const upcoming = begun ? live.filter(x => Date.parse(x.startsAt) > now) : [];
  const nextStart = upcoming.length ? Math.min(...upcoming.map(x => Date.parse(x.startsAt))) : null;
  const next = new Set(upcoming.filter(x => Date.parse(x.startsAt) === nextStart).map(x => x.id));
  const of = (x) => current.has(x.id) ? 'current' : next.has(x.id) ? 'next'
    : Date.parse(x.endsAt) <= now ? 'past' : 'later';
  return { current, next, of };
}
