package dev.confday.auth;

/**
 * Every token says what it is for, and is refused anywhere else: a badge printed in a QR code
 * cannot open an API session, and an API session cannot be shown at the door. Each type also
 * says which claims it must carry: whether it belongs to one event ({@code evt}) and whether it
 * names the person's token version ({@code ver}, checked against the database to revoke).
 */
public enum TokenType {
  /** The personal link to one event, handed out by its organizers; exchanged for a session in that event. */
  LOGIN_LINK("login-link", EventClaim.REQUIRED, true),
  /** The deployment admin's own link (never in an organizer's export); exchanged for a deployment-wide session. */
  ADMIN_LINK("admin-link", EventClaim.FORBIDDEN, true),
  /** An API session (Bearer token) for one person: in one event ({@code evt}), or deployment-wide for an admin. */
  SESSION("session", EventClaim.OPTIONAL, true),
  /** Printed in the badge QR code; verified offline by scanners through the JWKS. */
  BADGE("badge", EventClaim.REQUIRED, true),
  /** A door scanner device. */
  SCANNER("scanner", EventClaim.REQUIRED, false),
  /** A personal calendar feed URL. */
  CALENDAR("calendar", EventClaim.REQUIRED, true),
  /** A short-lived, single-use ticket to open the realtime WebSocket; carries the session's event, if any. */
  WS_TICKET("ws-ticket", EventClaim.OPTIONAL, true);

  /** Whether a type carries the {@code evt} claim. */
  public enum EventClaim { REQUIRED, OPTIONAL, FORBIDDEN }

  private final String wire;
  private final EventClaim eventClaim;
  private final boolean versioned;

  TokenType(String wire, EventClaim eventClaim, boolean versioned) {
    this.wire = wire;
    this.eventClaim = eventClaim;
    this.versioned = versioned;
  }

  public String wire() {
    return wire;
  }

  public EventClaim eventClaim() {
    return eventClaim;
  }

  /** True when the token must carry {@code ver}, the person's token version when it was issued. */
  public boolean versioned() {
    return versioned;
  }
}
