package dev.confday.schedule;

import dev.confday.events.Event;
import dev.confday.events.Room;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** An event's whole schedule at one version: its days, rooms and sessions (cancelled ones included). */
public record Schedule(Event event, long version, List<Room> rooms, List<Session> sessions) {
  public Schedule {
    rooms = List.copyOf(rooms);
    sessions = List.copyOf(sessions);
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
        .put("sessions", new JsonArray(sessions.stream().map(s -> s.toJson(zone)).toList()));
  }
}
