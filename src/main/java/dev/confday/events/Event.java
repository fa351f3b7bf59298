package dev.confday.events;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;

/** One workshop or conference day(s), addressed by its slug. */
public record Event(long id, String slug, String name, String timeZone, LocalDate startsOn, LocalDate endsOn,
    String venue, String description) {

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("slug", slug).put("name", name).put("timeZone", timeZone)
        .put("startsOn", startsOn.toString()).put("endsOn", endsOn.toString()).put("venue", venue)
        .put("description", description);
  }
}
