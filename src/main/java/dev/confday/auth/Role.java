package dev.confday.auth;

import java.util.Arrays;

/**
 * What a person may do in one event. An organizer may do everything in their event; a
 * deployment admin is an organizer of every event. {@link #PUBLIC}, {@link #SIGNED_IN} and
 * {@link #ADMIN} are not stored: they say a route needs no token, any valid session, or the
 * admin's deployment-wide session.
 */
public enum Role {
  PUBLIC("public"),
  SIGNED_IN("signed-in"),
  /** The deployment admin, through a deployment-wide session only; not stored per event. */
  ADMIN("admin"),
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
    return this != PUBLIC && this != SIGNED_IN && this != ADMIN;
  }

  private static final java.util.Map<String, Role> BY_WIRE = java.util.Map.copyOf(
      Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(Role::wire, r -> r)));

  public static Role fromWire(String wire) {
    Role role = wire == null ? null : BY_WIRE.get(wire);
    if (role == null) {
      throw new IllegalArgumentException("unknown role " + wire);
    }
    return role;
  }
}
