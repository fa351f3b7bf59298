package dev.confday.schedule;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One changelog entry: what happened to one session at one schedule version, old and new values. */
public record ScheduleChange(long version, long sessionId, Instant at, String kind, boolean notable, JsonObject oldValue,
    JsonObject newValue) {

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("sessionId", sessionId).put("at", at.toString())
        .put("kind", kind).put("notable", notable).put("old", oldValue).put("new", newValue);
  }
}
