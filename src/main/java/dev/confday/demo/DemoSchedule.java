package dev.confday.demo;

import dev.confday.events.Event;
import dev.confday.events.EventService;
import dev.confday.events.Person;
import dev.confday.events.Room;
import dev.confday.schedule.ScheduleService;
import dev.confday.schedule.Session;
import dev.confday.schedule.SessionDraft;
import dev.confday.schedule.SessionType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's programme: loaded through the same path as the API, and kept under way by moving
 * the whole programme in time ({@link ScheduleService#moveDemo}, which refuses real events).
 */
final class DemoSchedule {
  private DemoSchedule() {
  }

  /**
   * Creates the demo's sessions through the same path as the API: times are local to the
   * event on its first day, rooms by name, speakers by email.
   */
  static Future<Void> load(ScheduleService schedule, EventService events, Event event, JsonArray sessions) {
    return events.rooms(event.id()).compose(rooms -> events.people(event.id()).compose(people -> {
      Future<Void> chain = Future.succeededFuture();
      for (Object o : sessions) {
        SessionDraft draft = draft(event, (JsonObject) o, rooms, people);
        chain = chain.compose(v -> schedule.create(event, null, draft).mapEmpty());
      }
      return chain;
    }));
  }

  /**
   * Keeps the demo day under way at {@code now}: when no room runs a session now, the whole
   * programme (and the event's days) moves in time by whole minutes, its shape kept, so that
   * {@code now} falls in the first minute of the earliest moment at which as many rooms run a
   * session as ever do (in the demo: both rooms), however odd the hour. A restart while the day
   * runs (something on in some room) leaves it. One change: one version, one changelog, one
   * live message, so caches and ETags follow. Answers the shift (zero when nothing moved).
   * Refused (409) for an event not marked demo: real events are never moved.
   */
  static Future<Duration> keepUnderWay(ScheduleService schedule, Event event, Instant now) {
    return schedule.schedule(event).compose(s -> {
      List<Session> running = s.sessions().stream().filter(x -> !x.cancelled()).toList();
      Instant anchor = busiestStart(running);
      if (anchor == null || busyRooms(running, now) > 0) {
        return Future.succeededFuture(Duration.ZERO);
      }
      Duration by = Duration.between(anchor, now.truncatedTo(ChronoUnit.MINUTES));
      return schedule.moveDemo(event, s.sessions(), by).map(by);
    });
  }

  /** The earliest session start at which as many rooms run a session (for a minute at least) as ever do. */
  static Instant busiestStart(List<Session> sessions) {
    Instant best = null;
    int most = 0;
    for (Instant start : sessions.stream().map(Session::startsAt).sorted().distinct().toList()) {
      int busy = Math.min(busyRooms(sessions, start), busyRooms(sessions, start.plusSeconds(59)));
      if (busy > most) {
        most = busy;
        best = start;
      }
    }
    return best;
  }

  static int busyRooms(List<Session> sessions, Instant at) {
    return (int) sessions.stream().filter(x -> x.runsAt(at)).mapToLong(Session::roomId).distinct().count();
  }

  private static SessionDraft draft(Event event, JsonObject s, List<Room> rooms, List<Person> people) {
    LocalDate day = event.startsOn();
    ZoneId zone = event.zone();
    long roomId = rooms.stream().filter(r -> r.name().equals(s.getString("room"))).findFirst()
        .orElseThrow(() -> new IllegalStateException("demo room missing: " + s.getString("room"))).id();
    List<SessionDraft.SpeakerRef> speakers = new ArrayList<>();
    for (Object o : s.getJsonArray("speakers", new JsonArray())) {
      JsonObject sp = (JsonObject) o;
      Person p = people.stream().filter(x -> x.email().equalsIgnoreCase(sp.getString("email"))).findFirst()
          .orElseThrow(() -> new IllegalStateException("demo speaker missing: " + sp.getString("email")));
      speakers.add(new SessionDraft.SpeakerRef(p.id(), sp.getBoolean("remote", false)));
    }
    return new SessionDraft(s.getString("key"), s.getString("title"),
        SessionType.fromWire(s.getString("type")).orElseThrow(), s.getString("track"), s.getString("abstract"),
        roomId, day.atTime(LocalTime.parse(s.getString("start"))).atZone(zone).toInstant(),
        day.atTime(LocalTime.parse(s.getString("end"))).atZone(zone).toInstant(), speakers);
  }
}
