package dev.confday.events;

import dev.confday.http.Validation;
import io.vertx.core.json.JsonObject;

/** A request to add a room; validates itself. */
public record NewRoom(String name, Integer capacity, String streamUrl) {
  public NewRoom {
    new Validation()
        .required(name, "name", 100)
        .check(capacity == null || capacity > 0, "capacity", "must be a positive number")
        .check(streamUrl == null || streamUrl.startsWith("https://") || streamUrl.startsWith("http://"), "streamUrl",
            "must be an http(s) URL")
        .throwIfInvalid();
  }

  public static NewRoom fromJson(JsonObject o) {
    return new NewRoom(o.getString("name"), o.getInteger("capacity"), o.getString("streamUrl"));
  }
}
