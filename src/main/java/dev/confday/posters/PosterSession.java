package dev.confday.posters;

import io.vertx.core.json.JsonObject;

/** A poster session that has posters on boards: its schedule reference and how many posters hang. */
public record PosterSession(String ref, int posters) {

  public JsonObject toJson() {
    return new JsonObject().put("ref", ref).put("posters", posters);
  }
}
