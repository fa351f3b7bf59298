package dev.confday.auth;

/**
 * Every token says what it is for, and is refused anywhere else: a badge printed in a QR code
 * cannot open an API session, and an API session cannot be shown at the door.
 */
public enum TokenType {
  /** The personal link a person receives by mail; exchanged for a session. */
  LOGIN_LINK("login-link"),
  /** An API session (Bearer token) for one person. */
  SESSION("session"),
  /** Printed in the badge QR code; verified offline by scanners through the JWKS. */
  BADGE("badge"),
  /** A door scanner device. */
  SCANNER("scanner"),
  /** A personal calendar feed URL. */
  CALENDAR("calendar"),
  /** A short-lived, single-use ticket to open the realtime WebSocket. */
  WS_TICKET("ws-ticket");

  private final String wire;

  TokenType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
