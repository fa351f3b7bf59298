// Session types and their labels; times in the zone the viewer chose (the event's or their own).

export const TYPES = ['opening', 'invited-talk', 'contributed-talk', 'panel', 'poster-session', 'break', 'social'];
export const TYPE_LABELS = {
  'opening': 'Opening', 'invited-talk': 'Invited talk', 'contributed-talk': 'Contributed talk', 'panel': 'Panel',
  'poster-session': 'Poster session', 'break': 'Break', 'social': 'Social',
};

/** Formatting for the page `ctx`: reads the chosen zone and the event's zone from its state. */
export function formats(ctx) {
  const { state, viewerZone } = ctx;
  function tz() { return state.zone === 'viewer' ? viewerZone : state.schedule.event.timeZone; }
  function time(iso) {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz() })
      .format(new Date(iso));
  }
  // the day in the event's zone, as YYYY-MM-DD: the day tabs and the days of the schedule
  function eventDay(iso) {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit',
      timeZone: state.schedule.event.timeZone }).format(new Date(iso));
  }
  function span(x, withDay = false) {
    const day = withDay ? new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short',
      timeZone: tz() }).format(new Date(x.startsAt)) + ' ' : '';
    return day + time(x.startsAt) + '–' + time(x.endsAt);
  }
  return { time, eventDay, span };
}
