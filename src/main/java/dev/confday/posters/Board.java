package dev.confday.posters;

import io.vertx.core.json.JsonObject;

/** A board (or wall spot) on an area's plan: its label, its rectangle in plan coordinates, its walking order. */
public record Board(long id, long areaId, String label, double x, double y, double width, double height,
    int walkOrder) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("areaId", areaId).put("label", label).put("x", x).put("y", y)
        .put("width", width).put("height", height).put("walkOrder", walkOrder);
  }
}
