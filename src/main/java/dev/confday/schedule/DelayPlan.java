package dev.confday.schedule;

import dev.confday.events.Event;
import dev.confday.events.Room;
import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "Running late" as a pure computation: from a room's sessions, the moment and the delay, the
 * new times of the sessions that shift, or the refusal. The session running at that moment
 * ends later, the sessions after it that day shift by as much up to the next break, and the
 * break absorbs the delay (it starts later and so gets shorter). Refused: nothing to delay, a
 * delay that leaves nothing of the break, one that runs past the event's last day or into a
 * session the shift does not move (the next day's first one, past midnight). No database here.
 *
 * @param shifts the new times, in the order to write them: the break first, then the shifted
 *     sessions latest first, so that no intermediate state overlaps
 */
record DelayPlan(List<Shift> shifts) {

  /** A session and its new times. */
  record Shift(Session session, Instant startsAt, Instant endsAt) {
    boolean overlaps(Session other) {
      return startsAt.isBefore(other.endsAt()) && other.startsAt().isBefore(endsAt);
    }
  }

  DelayPlan {
    shifts = List.copyOf(shifts);
  }

  /**
   * The plan for delaying {@code room} by {@code delay} as of {@code at}; {@code sessions} are the
   * room's sessions that are not cancelled, in start order. Throws the refusal as an {@link ApiError}.
   */
  static DelayPlan of(Event event, Room room, List<Session> sessions, Instant at, Duration delay) {
    ZoneId zone = event.zone();
    Instant dayEnd = at.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    Session running = sessions.stream().filter(s -> s.runsAt(at)).findFirst().orElse(null);
    List<Shift> moved = new ArrayList<>();
    if (running != null) {
      moved.add(new Shift(running, running.startsAt(), running.endsAt().plus(delay)));
    }
    Session breakAfter = null;
    for (Session s : sessions) {
      if (s == running || s.startsAt().isBefore(at) || !s.startsAt().isBefore(dayEnd)) {
        continue;
      }
      if (s.type() == SessionType.BREAK) {
        breakAfter = s;
        break;
      }
      moved.add(new Shift(s, s.startsAt().plus(delay), s.endsAt().plus(delay)));
    }
    if (moved.isEmpty()) {
      throw new ApiError(409, "nothing-to-delay", "Nothing to delay", "No session of " + room.name() + " runs at "
          + SessionRules.hhmm(at, zone) + " or follows it before the next break.");
    }
    Instant lastEnd = moved.stream().map(Shift::endsAt).max(Comparator.naturalOrder()).orElseThrow();
    new Validation()
        .check(!lastEnd.isAfter(SessionRules.lastInstant(event)), "minutes",
            "would push '" + moved.get(moved.size() - 1).session().title() + "' past the end of the event's last day")
        .throwIfInvalid();
    // the shift stops at the day's end: a session pushed past it must not run into the next day's sessions
    refuseClash(event, room, sessions, moved, breakAfter);
    List<Shift> shifts = new ArrayList<>();
    if (breakAfter != null && lastEnd.isAfter(breakAfter.startsAt())) {
      Session b = breakAfter;
      if (!lastEnd.isBefore(b.endsAt())) {
        throw new ApiError(409, "delay-swallows-break", "Delay swallows the break",
            "A delay of " + delay.toMinutes() + " minutes would leave nothing of '" + b.title() + "' ("
                + SessionRules.hhmm(b.startsAt(), zone) + "–" + SessionRules.hhmm(b.endsAt(), zone) + ") in "
                + room.name() + "; delay by less, or move sessions one by one.",
            new JsonObject().put("clash", b.toJson(zone).put("room", room.name())));
      }
      // the break absorbs the delay: it starts when the last shifted session ends
      shifts.add(new Shift(b, lastEnd, b.endsAt()));
    }
    for (int i = moved.size() - 1; i >= 0; i--) {
      shifts.add(moved.get(i));
    }
    return new DelayPlan(shifts);
  }

  /** Refuses naming the first session of the room, neither shifted nor the absorbing break, that a shifted one would overlap. */
  private static void refuseClash(Event event, Room room, List<Session> sessions, List<Shift> moved,
      Session breakAfter) {
    Map<Long, Shift> byId = new HashMap<>();
    moved.forEach(m -> byId.put(m.session().id(), m));
    for (Session other : sessions) {
      if (byId.containsKey(other.id()) || other == breakAfter) {
        continue;
      }
      for (Shift pushed : moved) {
        if (pushed.overlaps(other)) {
          throw SessionRules.clash(event, room, pushed.session().title(), pushed.startsAt(), other);
        }
      }
    }
  }
}
