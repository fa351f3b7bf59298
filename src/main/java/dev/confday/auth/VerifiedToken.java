package dev.confday.auth;

import java.time.Instant;

/**
 * The claims of a token that passed signature, expiry, type and claim-shape checks: {@code event}
 * is null for a token of no event, {@code version} null only for types that carry none.
 */
public record VerifiedToken(TokenType type, String subject, String event, Integer version, String id, Instant expiresAt) {
  public long personId() {
    return Long.parseLong(subject);
  }
}
