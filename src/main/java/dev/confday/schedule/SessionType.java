package dev.confday.schedule;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of session a workshop day is made of, with their wire names. */
public enum SessionType {
  OPENING("opening"),
  INVITED_TALK("invited-talk"),
  CONTRIBUTED_TALK("contributed-talk"),
  PANEL("panel"),
  POSTER_SESSION("poster-session"),
  BREAK("break"),
  SOCIAL("social");

  private final String wire;

  SessionType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<SessionType> fromWire(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
  }

  static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(SessionType::wire).toList());
  }
}
