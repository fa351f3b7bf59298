package dev.confday.auth;

import java.time.Instant;

/**
 * The claims of a token that passed signature, expiry, type and claim-shape checks: {@code event}
 * is null for a token of no event, {@code version} null only for types that carry none;
 * {@code sessionId} is the jti of the session a live ticket was issued from (null otherwise);
 * {@code topic} is the one live topic an anonymous topic ticket opens (null otherwise), whose
 * {@code sessionId} then names the grant it was issued from (e.g. {@code projector:12});
 * {@code sessionExpiresAt} is when the session a live ticket was issued from expires (null
 * otherwise, and for tickets issued before it was carried), so that its socket ends then.
 */
public record VerifiedToken(TokenType type, String subject, String event, Integer version, String id,
    String sessionId, Instant expiresAt, String topic, Instant sessionExpiresAt) {
  public VerifiedToken(TokenType type, String subject, String event, Integer version, String id, String sessionId,
      Instant expiresAt) {
    this(type, subject, event, version, id, sessionId, expiresAt, null, null);
  }

  public long personId() {
    return Long.parseLong(subject);
  }
}
