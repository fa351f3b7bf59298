package dev.confday.auth;

import java.util.Arrays;

/**
 * What a person may do in one event. An organizer may do everything in their event; a
 * deployment admin is an organizer of every event. {@link #PUBLIC} and {@link #SIGNED_IN} are
 * not stored: they say a route needs no token, or any valid session.
 */
public enum Role {
  PUBLIC("public"),
  SIGNED_IN("signed-in"),
  ORGANIZER("organizer"),
  MODERATOR("moderator"),
  PRESENTER("presenter"),
  ATTENDEE("attendee"),
  DOOR_STAFF("door-staff");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean storedPerEvent() {
    return this != PUBLIC && this != SIGNED_IN;
  }

  public static Role fromWire(String wire) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role " + wire));
  }
}
