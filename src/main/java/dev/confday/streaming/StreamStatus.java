package dev.confday.streaming;

import dev.confday.schedule.Session;
import dev.confday.schedule.Speaker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * A room's live status, a pure function of its sessions, the organizer's switch and the
 * moment: "Live now: <title>", "Next at 14:30", "Ended", or the switch's "Technical
 * difficulties" / "Off air". Times in the event's zone.
 */
final class StreamStatus {
  static final List<String> MODES = List.of("auto", "on-air", "off-air", "technical-difficulty");
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private StreamStatus() {
  }

  /** {@code sessions}: the room's sessions (cancelled ones are skipped here). */
  static JsonObject of(long roomId, List<Session> sessions, String mode, Instant at, ZoneId zone) {
    List<Session> held = sessions.stream().filter(s -> s.roomId() == roomId && !s.cancelled())
        .sorted(Comparator.comparing(Session::startsAt)).toList();
    Session now = held.stream().filter(s -> s.runsAt(at)).findFirst().orElse(null);
    Session next = held.stream().filter(s -> s.startsAt().isAfter(at)).findFirst().orElse(null);
    String state;
    String label;
    if ("technical-difficulty".equals(mode)) {
      state = "technical-difficulty";
      label = "Technical difficulties: we will be back shortly";
    } else if ("off-air".equals(mode)) {
      state = "off-air";
      label = "Off air";
    } else if (now != null) {
      state = "live";
      label = "Live now: " + now.title();
    } else if ("on-air".equals(mode)) {
      state = "live";
      label = "On air";
    } else if (next != null) {
      state = "upcoming";
      label = "Next at " + HH_MM.format(next.startsAt().atZone(zone)) + ": " + next.title();
    } else if (!held.isEmpty()) {
      state = "ended";
      label = "Ended";
    } else {
      state = "idle";
      label = "Nothing scheduled";
    }
    return new JsonObject().put("roomId", roomId).put("state", state).put("label", label).put("mode", mode)
        .put("session", brief(now, zone)).put("next", brief(next, zone));
  }

  private static JsonObject brief(Session s, ZoneId zone) {
    if (s == null) {
      return null;
    }
    JsonObject full = s.toJson(zone);
    return new JsonObject().put("id", s.id()).put("title", s.title()).put("startsAt", full.getString("startsAt"))
        .put("endsAt", full.getString("endsAt"))
        .put("speakers", new JsonArray(s.speakers().stream().map(Speaker::toJson).toList()));
  }
}
