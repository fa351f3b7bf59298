package dev.confday.auth;

import dev.confday.http.ApiError;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Issues and checks Ed25519-signed JWTs. Keys come from {@link SigningKeys} (shared by every
 * instance through PostgreSQL); a token signed by a key this instance has not seen yet makes
 * it reload the keys before refusing (reloads are shared and at most one a second).
 */
public final class Tokens {
  static final String TYPE_CLAIM = "use";
  static final String EVENT_CLAIM = "evt";
  static final String VERSION_CLAIM = "ver";
  private static final String ISSUER = "confday";

  private final SigningKeys keys;

  public Tokens(SigningKeys keys) {
    this.keys = keys;
  }

  /** A new token of the given type for a person (subject), optionally bound to an event. */
  public String issue(TokenType type, String subject, String eventSlug, Integer version, Duration ttl) {
    SigningKeys.KeyEntry key = keys.active();
    Instant now = Instant.now();
    var builder = Jwts.builder()
        .header().keyId(key.kid()).and()
        .issuer(ISSUER)
        .subject(subject)
        .id(UUID.randomUUID().toString())
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(ttl)))
        .claim(TYPE_CLAIM, type.wire());
    if (eventSlug != null) {
      builder.claim(EVENT_CLAIM, eventSlug);
    }
    if (version != null) {
      builder.claim(VERSION_CLAIM, version);
    }
    return builder.signWith(key.privateKey(), Jwts.SIG.EdDSA).compact();
  }

  /** Checks signature, expiry and type; fails with 401 (bad or expired) or 403 (wrong type). */
  public Future<VerifiedToken> verify(String token, TokenType expected) {
    if (token == null || token.isBlank() || token.length() > 4096) {
      return Future.failedFuture(ApiError.unauthorized("No token was given."));
    }
    String kid = peekKid(token);
    Future<Void> ready = kid != null && keys.byKid(kid) == null ? keys.reloadForUnknownKid() : Future.succeededFuture();
    return ready.map(v -> parse(token, expected));
  }

  /** What an expired token of the expected kind is, and what to do about it. */
  static String expired(TokenType expected) {
    return switch (expected) {
      case LOGIN_LINK -> "The login link has expired; ask the organizers for a new one.";
      case SESSION -> "The session has expired; log in again with your login link.";
      case BADGE -> "The badge has expired; ask at the door for a new one.";
      case SCANNER -> "The scanner token has expired; ask the organizers for a new one.";
      case CALENDAR -> "The calendar link has expired; copy a new one from your agenda.";
      case WS_TICKET -> "The live ticket has expired; ask for a new one (POST /api/live/ticket).";
    };
  }

  private VerifiedToken parse(String token, TokenType expected) {
    Claims claims;
    try {
      claims = Jwts.parser()
          .requireIssuer(ISSUER)
          .keyLocator(new LocatorAdapter<Key>() {
            @Override
            protected Key locate(ProtectedHeader header) {
              SigningKeys.KeyEntry k = header.getKeyId() == null ? null : keys.byKid(header.getKeyId());
              if (k == null) {
                throw new JwtException("unknown key");
              }
              return k.publicKey();
            }
          })
          .build()
          .parseSignedClaims(token)
          .getPayload();
    } catch (ExpiredJwtException e) {
      throw ApiError.unauthorized(expired(expected));
    } catch (JwtException | IllegalArgumentException e) {
      throw ApiError.unauthorized("The token is not valid.");
    }
    String type = claims.get(TYPE_CLAIM, String.class);
    if (!expected.wire().equals(type)) {
      throw new ApiError(403, "wrong-token-type", "Wrong kind of token",
          "A " + (type == null ? "token without a type" : type + " token") + " cannot be used where a "
              + expected.wire() + " token is expected.");
    }
    Number version = claims.get(VERSION_CLAIM, Number.class);
    return new VerifiedToken(expected, claims.getSubject(), claims.get(EVENT_CLAIM, String.class),
        version == null ? null : version.intValue(), claims.getId(), claims.getExpiration().toInstant());
  }

  private static String peekKid(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      JsonObject header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, dot)),
          java.nio.charset.StandardCharsets.UTF_8));
      return header.getString("kid");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The id of the key new tokens are signed with. */
  public String activeKid() {
    return keys.active().kid();
  }

  /**
   * Makes a new signing key when the newest is older than the rotation period, and retires keys
   * no valid token can name any more (what every instance does once a minute).
   */
  public Future<Void> rotateIfDue() {
    return keys.reload().compose(v -> keys.rotateIfDue()).compose(v -> keys.retireOld());
  }

  /** The public keys as a JSON Web Key Set (RFC 7517), for offline verification by scanners. */
  public JsonObject jwks() {
    JsonArray list = new JsonArray();
    for (SigningKeys.KeyEntry k : keys.all()) {
      PublicJwk<?> jwk = Jwks.builder().key(k.publicKey()).id(k.kid()).build();
      list.add(new JsonObject(Jwks.json(jwk)).put("use", "sig").put("alg", "EdDSA"));
    }
    return new JsonObject().put("keys", list);
  }
}
