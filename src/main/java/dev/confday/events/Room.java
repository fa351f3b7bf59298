package dev.confday.events;

import io.vertx.core.json.JsonObject;

/** A room of an event, with its capacity and the link to its stream. */
public record Room(long id, String name, Integer capacity, String streamUrl, int position) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("capacity", capacity).put("streamUrl", streamUrl)
        .put("position", position);
  }
}
