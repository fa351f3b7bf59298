// Dates and times as people read them on every page: the weekday with the date, 24-hour times,
// in a given zone (the event's, or the browser's when none is given).

function parts(date, options) {
  return Object.fromEntries(new Intl.DateTimeFormat('en-GB', options).formatToParts(date).map(p => [p.type, p.value]));
}

/** "Saturday 29 July 2023" (or "Sat 29 Jul 2023" short) of an instant in `timeZone`. */
export function dateOf(instant, { timeZone, short = false } = {}) {
  const p = parts(new Date(instant), { weekday: short ? 'short' : 'long', day: 'numeric', month: short ? 'short' : 'long',
    year: 'numeric', timeZone });
  return [p.weekday, p.day, p.month, p.year].join(' ');
}

/** "14:05" of an instant in `timeZone`. */
export function timeOf(instant, { timeZone } = {}) {
  const p = parts(new Date(instant), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return p.hour + ':' + p.minute;
}

/** "Saturday 29 July 2023, 14:05" of an instant in `timeZone`. */
export function dateTimeOf(instant, options = {}) {
  return dateOf(instant, options) + ', ' + timeOf(instant, options);
}

/** A calendar day "2023-07-29" as "Saturday 29 July 2023" (short: "Sat 29 Jul 2023"). */
export function dayOf(day, { short = false } = {}) {
  return dateOf(day + 'T12:00:00Z', { timeZone: 'UTC', short });
}

/** An event's days: "Saturday 29 July 2023", or "Friday 28 July 2023 – Saturday 29 July 2023". */
export function eventDays(event, { short = false } = {}) {
  return dayOf(event.startsOn, { short }) + (event.endsOn && event.endsOn !== event.startsOn ? ' – ' + dayOf(event.endsOn, { short }) : '');
}
