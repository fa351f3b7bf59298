package dev.confday.schedule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * One session of the schedule as stored: its never-changing id and guid, what it is, where
 * and when, and whether it was cancelled (a cancelled session stays in the schedule).
 */
public record Session(long id, UUID guid, String key, String title, SessionType type, String track, String abstractText,
    long roomId, String roomName, Instant startsAt, Instant endsAt, boolean cancelled, long version, int sequence,
    Instant updatedAt, List<Speaker> speakers) {

  public Session {
    speakers = List.copyOf(speakers);
  }

  Session withRoomName(String name) {
    return new Session(id, guid, key, title, type, track, abstractText, roomId, name, startsAt, endsAt, cancelled,
        version, sequence, updatedAt, speakers);
  }

  /** The session as the API and live messages show it, times in the event's zone. */
  public JsonObject toJson(ZoneId zone) {
    return new JsonObject().put("id", id).put("guid", guid.toString()).put("key", key).put("title", title)
        .put("type", type.wire()).put("track", track).put("abstract", abstractText)
        .put("roomId", roomId).put("room", roomName)
        .put("startsAt", iso(startsAt, zone))
        .put("endsAt", iso(endsAt, zone))
        .put("cancelled", cancelled).put("version", version)
        .put("speakers", new JsonArray(speakers.stream().map(Speaker::toJson).toList()));
  }

  /** What the changelog keeps of a session: the fields a person could notice changing. */
  JsonObject snapshot(ZoneId zone) {
    JsonObject o = toJson(zone);
    o.remove("id");
    o.remove("guid");
    o.remove("key");
    o.remove("version");
    return o;
  }

  /** Moved in time or room, or cancelled or restored: what a person who starred it must notice. */
  boolean notablyDifferentFrom(Session old) {
    return old == null || !startsAt.equals(old.startsAt) || !endsAt.equals(old.endsAt) || roomId != old.roomId
        || cancelled != old.cancelled;
  }

  /** RFC 3339 with seconds and the zone's offset, e.g. 2023-07-29T08:30:00-10:00. */
  static String iso(Instant t, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone).toOffsetDateTime());
  }

  /** Whether the session runs at {@code at} (from its start, up to but not including its end). */
  public boolean runsAt(Instant at) {
    return !startsAt.isAfter(at) && endsAt.isAfter(at);
  }
}
