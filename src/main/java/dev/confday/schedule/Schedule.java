package dev.confday.schedule;

import dev.confday.events.Event;
import dev.confday.events.Room;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An event's whole schedule at one version: its days, rooms and sessions (cancelled ones
 * included) and, when asked for, the posters of each poster session by session id (sorted by
 * number; a poster session with no entry was not looked up).
 */
public record Schedule(Event event, long version, List<Room> rooms, List<Session> sessions,
    Map<Long, List<SessionPoster>> posters) {
  public Schedule {
    rooms = List.copyOf(rooms);
    sessions = List.copyOf(sessions);
    posters = Map.copyOf(posters);
  }

  public Schedule(Event event, long version, List<Room> rooms, List<Session> sessions) {
    this(event, version, rooms, sessions, Map.of());
  }

  /** The posters of a poster session, by number; empty for other sessions or when not looked up. */
  public List<SessionPoster> postersOf(Session s) {
    return posters.getOrDefault(s.id(), List.of());
  }

  Schedule withPosters(Map<Long, List<SessionPoster>> posters) {
    return new Schedule(event, version, rooms, sessions, posters);
  }

  /** The event's days, from its first to its last date. */
  public List<LocalDate> days() {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = event.startsOn(); !d.isAfter(event.endsOn()); d = d.plusDays(1)) {
      days.add(d);
    }
    return days;
  }

  /** The local date (in the event's zone) a session belongs to. */
  public LocalDate dayOf(Session s) {
    return s.startsAt().atZone(event.zone()).toLocalDate();
  }

  public JsonObject toJson() {
    ZoneId zone = event.zone();
    return new JsonObject()
        .put("event", new JsonObject().put("slug", event.slug()).put("name", event.name())
            .put("timeZone", event.timeZone()))
        .put("version", version)
        .put("days", new JsonArray(days().stream().map(LocalDate::toString).toList()))
        .put("rooms", new JsonArray(rooms.stream().map(Room::toJson).toList()))
        .put("sessions", new JsonArray(sessions.stream().map(s -> sessionJson(s, zone)).toList()));
  }

  /** A session; a poster session whose posters were looked up also lists them, with their boards. */
  private JsonObject sessionJson(Session s, ZoneId zone) {
    JsonObject json = s.toJson(zone);
    List<SessionPoster> list = posters.get(s.id());
    if (list != null) {
      json.put("posters", new JsonArray(list.stream().map(SessionPoster::toJson).toList()));
    }
    return json;
  }
}
