package dev.confday.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A person as an event sees them: registration (if any) and roles there. {@code admin} (the
 * deployment admin) is never shown to an event, nor exported with a login link.
 */
public record Person(long id, String email, String name, String affiliation, int tokenVersion, String attendance,
    String ticketType, String orderCode, List<String> roles, boolean admin) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("email", email).put("name", name).put("affiliation", affiliation)
        .put("attendance", attendance).put("ticketType", ticketType).put("orderCode", orderCode)
        .put("roles", new JsonArray(roles));
  }
}
