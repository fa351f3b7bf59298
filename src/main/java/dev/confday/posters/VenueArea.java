package dev.confday.posters;

import io.vertx.core.json.JsonObject;

/**
 * A hall or corridor where posters hang, with the coordinate system of its floor plan
 * ({@code viewX viewY width height}, like an SVG viewBox) and, once uploaded, the plan file.
 */
public record VenueArea(long id, long eventId, String name, int position, double viewX, double viewY, double width,
    double height, String planPath, String planType, long planVersion) {

  public boolean hasPlan() {
    return planPath != null;
  }

  /** The JSON clients see; the plan's address carries a version so a new plan is never cached as the old. */
  public JsonObject toJson(String eventSlug) {
    return new JsonObject().put("id", id).put("name", name).put("position", position)
        .put("viewBox", new JsonObject().put("x", viewX).put("y", viewY).put("width", width).put("height", height))
        .put("plan", hasPlan() ? new JsonObject().put("contentType", planType)
            .put("url", "/api/events/" + eventSlug + "/areas/" + id + "/plan?v=" + planVersion) : null);
  }
}
