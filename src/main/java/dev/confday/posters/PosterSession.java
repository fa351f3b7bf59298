package dev.confday.posters;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A poster session: its reference (the schedule session's key, or its id when it has no key),
 * its title and times from the schedule (null for a reference the schedule does not know), and
 * how many posters hang in it.
 */
public record PosterSession(String ref, Long scheduleId, String title, Instant startsAt, Instant endsAt,
    boolean cancelled, int posters) {

  public JsonObject toJson() {
    return new JsonObject().put("ref", ref).put("scheduleId", scheduleId).put("title", title)
        .put("startsAt", startsAt == null ? null : startsAt.toString())
        .put("endsAt", endsAt == null ? null : endsAt.toString()).put("cancelled", cancelled).put("posters", posters);
  }
}
