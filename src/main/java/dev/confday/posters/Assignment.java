package dev.confday.posters;

import io.vertx.core.json.JsonObject;

/** Poster {@code posterId} hangs on board {@code boardId} during poster session {@code sessionRef}. */
public record Assignment(String sessionRef, long posterId, long boardId) {

  public JsonObject toJson() {
    return new JsonObject().put("session", sessionRef).put("posterId", posterId).put("boardId", boardId);
  }
}
