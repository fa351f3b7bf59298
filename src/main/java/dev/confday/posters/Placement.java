package dev.confday.posters;

import io.vertx.core.json.JsonObject;

/** Where a poster hangs in one poster session: the board and the area it is in. */
public record Placement(String sessionRef, long posterId, Board board, String areaName) {

  public JsonObject toJson() {
    return new JsonObject().put("session", sessionRef).put("boardId", board.id()).put("label", board.label())
        .put("areaId", board.areaId()).put("area", areaName).put("x", board.x()).put("y", board.y())
        .put("width", board.width()).put("height", board.height());
  }
}
