package dev.confday.posters;

import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonObject;

/**
 * An area to create: a name and the size of its coordinate system. Uploading an SVG plan later
 * replaces the size with the plan's viewBox, an image plan with its pixel size.
 */
public record NewArea(String name, int position, double width, double height) {

  public NewArea {
    name = name == null ? null : name.trim();
    new Validation()
        .required(name, "name", 100)
        .check(width > 0 && width <= 1e6, "width", "must be a number above 0 and at most 1000000")
        .check(height > 0 && height <= 1e6, "height", "must be a number above 0 and at most 1000000")
        .throwIfInvalid();
  }

  public static NewArea fromJson(JsonObject json) {
    try {
      return new NewArea(json.getString("name"), json.getInteger("position", 0),
          json.getNumber("width", 1000).doubleValue(), json.getNumber("height", 1000).doubleValue());
    } catch (ClassCastException e) {
      throw ApiError.badRequest("An area needs name (text), and may give position (integer), width and height "
          + "(numbers).");
    }
  }
}
