package dev.confday.live;

import io.vertx.core.json.JsonObject;

/**
 * How many sockets are subscribed to a topic, across all instances, by kind of person:
 * registered in person, registered remote, anonymous, and signed-in people without a
 * registration (staff, organizers).
 */
public record Presence(String topic, int inPerson, int remote, int anonymous, int other) {
  public Presence {
    if (inPerson < 0 || remote < 0 || anonymous < 0 || other < 0) {
      throw new IllegalArgumentException("counts cannot be negative");
    }
  }

  public int sockets() {
    return inPerson + remote + anonymous + other;
  }

  public JsonObject toJson() {
    return new JsonObject().put("topic", topic).put("sockets", sockets()).put("inPerson", inPerson)
        .put("remote", remote).put("anonymous", anonymous).put("other", other);
  }
}
