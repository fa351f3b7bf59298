package dev.confday.schedule;

import io.vertx.core.json.JsonObject;

/** A person speaking in a session, in the room or remotely. */
public record Speaker(long personId, String name, boolean remote) {
  public JsonObject toJson() {
    return new JsonObject().put("personId", personId).put("name", name).put("remote", remote);
  }
}
