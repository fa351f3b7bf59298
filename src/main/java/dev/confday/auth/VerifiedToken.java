package dev.confday.auth;

import java.time.Instant;

/** The claims of a token that passed signature, expiry and type checks. */
public record VerifiedToken(TokenType type, String subject, String event, Integer version, String id, Instant expiresAt) {
  public long personId() {
    return Long.parseLong(subject);
  }
}
