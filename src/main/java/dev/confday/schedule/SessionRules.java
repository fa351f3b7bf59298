package dev.confday.schedule;

import dev.confday.events.Event;
import dev.confday.events.Person;
import dev.confday.events.Room;
import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pure rules a schedule edit is checked against before it is written: where and when a
 * session may be (the event's rooms and days), who may speak (the event's people), that a
 * published key never changes, and the 409 that names the session an edit would overlap.
 */
final class SessionRules {
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private SessionRules() {
  }

  /** A key may be given to a session that has none; an existing key is never changed or removed. */
  static void refuseKeyChange(Session old, SessionDraft draft) {
    if (old.key() != null && !old.key().equals(draft.key())) {
      throw new ApiError(409, "session-key-fixed", "A session's key never changes",
          "'" + old.title() + "' is published with the key '" + old.key() + "'; posters and links find it by that"
              + " key, so it cannot become " + (draft.key() == null ? "empty" : "'" + draft.key() + "'")
              + ". Create a new session for a new key.",
          new JsonObject().put("key", old.key()));
    }
  }

  /** Impossible places and times are 400s naming the field. */
  static void checkPlace(Event event, Map<Long, Room> rooms, SessionDraft d) {
    ZoneId zone = event.zone();
    Instant first = event.startsOn().atStartOfDay(zone).toInstant();
    String days = "must fall within the event's days, " + event.startsOn() + " to " + event.endsOn() + " ("
        + event.timeZone() + ")";
    new Validation()
        .check(rooms.containsKey(d.roomId()), "roomId", "is not a room of this event")
        .check(!d.startsAt().isBefore(first) && d.startsAt().isBefore(lastInstant(event)), "startsAt", days)
        .check(!d.endsAt().isAfter(lastInstant(event)), "endsAt", days)
        .throwIfInvalid();
  }

  static Instant lastInstant(Event event) {
    return event.endsOn().plusDays(1).atStartOfDay(event.zone()).toInstant();
  }

  static List<Speaker> speakers(SessionDraft draft, Map<Long, Person> people) {
    Validation v = new Validation();
    List<Speaker> list = new ArrayList<>();
    for (SessionDraft.SpeakerRef ref : draft.speakers()) {
      Person p = people.get(ref.personId());
      v.check(p != null, "speakers", "person " + ref.personId() + " is not a person of this event");
      if (p != null) {
        list.add(new Speaker(p.id(), p.name(), ref.remote()));
      }
    }
    v.throwIfInvalid();
    return list;
  }

  /** The 409 naming the session {@code title} (starting at {@code start}) would overlap; its date when another day. */
  static ApiError clash(Event event, Room room, String title, Instant start, Session other) {
    ZoneId zone = event.zone();
    String roomName = room == null ? "the room" : room.name();
    LocalDate otherDay = other.startsAt().atZone(zone).toLocalDate();
    String day = otherDay.equals(start.atZone(zone).toLocalDate()) ? "" : otherDay + " ";
    return new ApiError(409, "schedule-clash", "Sessions overlap",
        "'" + title + "' would overlap '" + other.title() + "' (" + day + hhmm(other.startsAt(), zone) + "–"
            + hhmm(other.endsAt(), zone) + " " + event.timeZone() + ") in " + roomName + ".",
        new JsonObject().put("clash", other.withRoomName(roomName).toJson(zone)));
  }

  static String hhmm(Instant t, ZoneId zone) {
    return HH_MM.format(t.atZone(zone));
  }
}
