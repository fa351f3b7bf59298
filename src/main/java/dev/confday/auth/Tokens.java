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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Issues and checks Ed25519-signed JWTs. Keys come from {@link SigningKeys} (shared by every
 * instance through PostgreSQL); a token signed by a key this instance has not seen yet makes
 * it reload the keys before refusing (reloads are shared and at most one a second).
 */
public final class Tokens {
  static final String TYPE_CLAIM = "use";
  static final String EVENT_CLAIM = "evt";
  static final String VERSION_CLAIM = "ver";
  /** On a live ticket: the id (jti) of the session it was issued from, so a log-out ends its socket. */
  static final String SESSION_CLAIM = "sid";
  /** When the session a live ticket comes from expires (NumericDate): its socket ends then. */
  static final String SESSION_EXPIRY_CLAIM = "sxp";
  /** On an anonymous live ticket: the one topic it may subscribe to (a projector link's Q&A). */
  static final String TOPIC_CLAIM = "top";
  private static final String ISSUER = "confday";
  /** How far in the future {@code iat} and {@code nbf} may lie (clocks of instances differ a little). */
  static final long CLOCK_SKEW_SECONDS = 60;
  private static final Pattern SUBJECT = Pattern.compile("0|[1-9][0-9]{0,17}");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

  /**
   * The provider that verifies signatures: BouncyCastle's Ed25519 is 5 to 10 times faster than
   * the JDK 17 one, and every badge scan and token check runs one on the event loop. Passed
   * explicitly (not installed JVM-wide); jjwt still checks the header, key and claims as before.
   */
  static final java.security.Provider VERIFIER = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  /** How many verified session tokens {@link #verify} remembers (least recently used go first). */
  static final int VERIFIED_CACHE_SIZE = 4096;

  private final SigningKeys keys;

  /** A session token that passed {@link #parse}, with the id of the key that signed it. */
  private record Verified(VerifiedToken token, String kid) {
  }
  /**
   * Session tokens that passed {@link #parse}, by their exact text: a session token comes with
   * every request of a person, and its signature check is the costliest part of most requests.
   * A hit is used only while the token is unexpired and the key that signed it is still known
   * (a retired key's tokens are checked, and refused, again); only verified tokens get in, so
   * a forgery costs a full check every time. Revocation (log-out, a new version) is checked by
   * the callers against the database as before.
   */
  private final Map<String, Verified> verified = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
      return size() > VERIFIED_CACHE_SIZE;
    }
  };

  public Tokens(SigningKeys keys) {
    this.keys = keys;
  }

  /** A new token of the given type for a person (subject), optionally bound to an event. */
  public String issue(TokenType type, String subject, String eventSlug, Integer version, Duration ttl) {
    return issue(type, subject, eventSlug, version, null, ttl);
  }

  /** Like {@link #issue(TokenType, String, String, Integer, Duration)} naming the session it comes from (live tickets only). */
  public String issue(TokenType type, String subject, String eventSlug, Integer version, String sessionId,
      Duration ttl) {
    return issue(type, subject, eventSlug, version, sessionId, null, ttl);
  }

  /** A live ticket naming the session it comes from and when that session expires ({@code sessionExpiresAt}). */
  public String issue(TokenType type, String subject, String eventSlug, Integer version, String sessionId,
      Instant sessionExpiresAt, Duration ttl) {
    if ((sessionId != null || sessionExpiresAt != null) && type != TokenType.WS_TICKET) {
      throw new IllegalArgumentException("only a live ticket names its session");
    }
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
    if (sessionId != null) {
      builder.claim(SESSION_CLAIM, sessionId);
    }
    if (sessionExpiresAt != null) {
      builder.claim(SESSION_EXPIRY_CLAIM, sessionExpiresAt.getEpochSecond());
    }
    return builder.signWith(key.privateKey(), Jwts.SIG.EdDSA).compact();
  }

  /**
   * An anonymous live ticket (subject 0) limited to one topic of one event, for a holder of a
   * secret that grants just that topic (a projector link) and no role; {@code grant} names that
   * grant (in {@code sid}), so that its socket closes when the grant is revoked.
   */
  public String issueTopicTicket(String eventSlug, String topic, String grant, Duration ttl) {
    SigningKeys.KeyEntry key = keys.active();
    Instant now = Instant.now();
    return Jwts.builder()
        .header().keyId(key.kid()).and()
        .issuer(ISSUER)
        .subject("0")
        .id(UUID.randomUUID().toString())
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(ttl)))
        .claim(TYPE_CLAIM, TokenType.WS_TICKET.wire())
        .claim(EVENT_CLAIM, eventSlug)
        .claim(VERSION_CLAIM, 0)
        .claim(TOPIC_CLAIM, topic)
        .claim(SESSION_CLAIM, grant)
        .signWith(key.privateKey(), Jwts.SIG.EdDSA).compact();
  }

  /**
   * A badge in its minimal form, short enough for a small QR code: header {@code alg} only (no
   * kid: the verifier tries each published key), claims {@code use}, {@code sub}, {@code evt},
   * {@code ver} only (no iss, jti, iat or exp: a badge lives as long as its version in the database).
   */
  public String issueBadge(long personId, String eventSlug, int version) {
    SigningKeys.KeyEntry key = keys.active();
    String header = b64("{\"alg\":\"EdDSA\"}");
    String payload = b64(new JsonObject().put(TYPE_CLAIM, TokenType.BADGE.wire()).put("sub", Long.toString(personId))
        .put(EVENT_CLAIM, eventSlug).put(VERSION_CLAIM, version).encode());
    String input = header + "." + payload;
    try {
      java.security.Signature sig = java.security.Signature.getInstance("Ed25519");
      sig.initSign(key.privateKey());
      sig.update(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return input + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a badge", e);
    }
  }

  private static String b64(String json) {
    return java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Checks signature, expiry, type and every claim; fails with 401 (bad or expired) or 403 (wrong type). */
  public Future<VerifiedToken> verify(String token, TokenType expected) {
    return verify(token, java.util.EnumSet.of(expected));
  }

  /** Like {@link #verify(String, TokenType)} where more than one type is accepted (e.g. a login or admin link). */
  public Future<VerifiedToken> verify(String token, Set<TokenType> accepted) {
    if (token == null || token.isBlank() || token.length() > 4096) {
      return Future.failedFuture(ApiError.unauthorized("No token was given."));
    }
    boolean session = accepted.contains(TokenType.SESSION);
    if (session) {
      // a hit needs no parsing at all: its kid was read when it got in
      Verified hit;
      synchronized (verified) {
        hit = verified.get(token);
      }
      if (hit != null && accepted.contains(hit.token().type()) && Instant.now().isBefore(hit.token().expiresAt())
          && keys.byKid(hit.kid()) != null) {
        return Future.succeededFuture(hit.token());
      }
    }
    String kid = peekKid(token);
    if (kid == null && accepted.contains(TokenType.BADGE)) {
      // a minimal badge names no key: only the keys known now are tried (no reload for a forgery)
      try {
        return Future.succeededFuture(parseMinimalBadge(token));
      } catch (ApiError e) {
        return Future.failedFuture(e);
      }
    }
    Future<Void> ready = kid != null && keys.byKid(kid) == null ? keys.reloadForUnknownKid() : Future.succeededFuture();
    return ready.map(v -> {
      VerifiedToken t = parse(token, accepted);
      if (session && kid != null && t.type() == TokenType.SESSION) {
        synchronized (verified) {
          verified.put(token, new Verified(t, kid));
        }
      }
      return t;
    });
  }

  /** What an expired token of the expected kind is, and what to do about it. */
  static String expired(Set<TokenType> accepted) {
    if (accepted.size() != 1) {
      return "The token has expired; ask for a new one.";
    }
    TokenType expected = accepted.iterator().next();
    return switch (expected) {
      case LOGIN_LINK -> "The login link has expired; ask the organizers for a new one.";
      case ADMIN_LINK -> "The admin link has expired; ask the operator of this deployment for a new one.";
      case SESSION -> "The session has expired; log in again with your login link.";
      case BADGE -> "The badge has expired; ask at the door for a new one.";
      case SCANNER -> "The scanner token has expired; ask the organizers for a new one.";
      case CALENDAR -> "The calendar link has expired; copy a new one from your agenda.";
      case WS_TICKET -> "The live ticket has expired; ask for a new one (POST /api/live/ticket).";
    };
  }

  private VerifiedToken parse(String token, Set<TokenType> accepted) {
    Claims claims;
    try {
      claims = Jwts.parser()
          .provider(VERIFIER)
          .requireIssuer(ISSUER)
          .keyLocator(new LocatorAdapter<Key>() {
            @Override
            protected Key locate(ProtectedHeader header) {
              SigningKeys.KeyEntry k = header.getKeyId() == null ? null : keys.byKid(header.getKeyId());
              if (k == null || !"EdDSA".equals(header.getAlgorithm())) {
                throw new JwtException("unknown key");
              }
              return k.publicKey();
            }
          })
          .build()
          .parseSignedClaims(token)
          .getPayload();
    } catch (ExpiredJwtException e) {
      throw ApiError.unauthorized(expired(accepted));
    } catch (JwtException | IllegalArgumentException | ClassCastException e) {
      throw invalid();
    }
    // jjwt converts claims it knows (a date given as a string passes as a date): the checks below
    // read the signed payload as sent, so every claim has exactly the type it must have
    JsonObject raw = payload(token);
    Object use = raw.getValue(TYPE_CLAIM);
    TokenType type = accepted.stream().filter(t -> t.wire().equals(use)).findFirst().orElse(null);
    if (type == null) {
      String expected = String.join(" or ", accepted.stream().map(TokenType::wire).sorted().toList());
      throw new ApiError(403, "wrong-token-type", "Wrong kind of token",
          "A " + (use instanceof String u ? u + " token" : "token without a type") + " cannot be used where a "
              + expected + " token is expected.");
    }
    long now = Instant.now().getEpochSecond();
    Object sub = raw.getValue("sub");
    Object exp = raw.getValue("exp");
    Object iat = raw.getValue("iat");
    Object nbf = raw.getValue("nbf");
    Object jti = raw.getValue("jti");
    Object ver = raw.getValue(VERSION_CLAIM);
    Object evt = raw.getValue(EVENT_CLAIM);
    Object sid = raw.getValue(SESSION_CLAIM);
    Object top = raw.getValue(TOPIC_CLAIM);
    Object sxp = raw.getValue(SESSION_EXPIRY_CLAIM);
    boolean ok = sub instanceof String s && SUBJECT.matcher(s).matches()
        && isNumericDate(exp) && ((Number) exp).doubleValue() > now
        && isNumericDate(iat) && ((Number) iat).doubleValue() <= now + CLOCK_SKEW_SECONDS
        && (nbf == null || isNumericDate(nbf) && ((Number) nbf).doubleValue() <= now + CLOCK_SKEW_SECONDS)
        && jti instanceof String id && !id.isEmpty() && id.length() <= 100
        && (type.versioned() ? ver instanceof Integer : ver == null || ver instanceof Integer)
        && (sid == null || type == TokenType.WS_TICKET && sid instanceof String si && !si.isEmpty() && si.length() <= 100)
        && (top == null || type == TokenType.WS_TICKET && "0".equals(sub) && sid != null && top instanceof String to
            && !to.isEmpty() && to.length() <= 100)
        && (sxp == null || type == TokenType.WS_TICKET && top == null && sid != null && isNumericDate(sxp)
            && ((Number) sxp).doubleValue() > now)
        && switch (type.eventClaim()) {
          case REQUIRED -> evt instanceof String e && SLUG.matcher(e).matches();
          case OPTIONAL -> evt == null || evt instanceof String e && SLUG.matcher(e).matches();
          case FORBIDDEN -> evt == null;
        };
    if (!ok) {
      throw invalid();
    }
    return new VerifiedToken(type, (String) sub, (String) evt, (Integer) ver, (String) jti, (String) sid,
        claims.getExpiration().toInstant(), (String) top,
        sxp == null ? null : Instant.ofEpochSecond(((Number) sxp).longValue()));
  }

  /** A badge in the form of {@link #issueBadge}: exactly its four claims, signed by one of the keys. */
  private VerifiedToken parseMinimalBadge(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw invalid();
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[0]),
          java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw invalid();
    }
    if (!header.equals(new JsonObject().put("alg", "EdDSA"))) {
      throw invalid();
    }
    byte[] signature;
    try {
      signature = java.util.Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    byte[] input = (parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    boolean verified = false;
    for (SigningKeys.KeyEntry k : keys.all()) {
      try {
        java.security.Signature sig = java.security.Signature.getInstance("Ed25519", VERIFIER);
        sig.initVerify(k.publicKey());
        sig.update(input);
        if (sig.verify(signature)) {
          verified = true;
          break;
        }
      } catch (java.security.GeneralSecurityException e) {
        // not this key
      }
    }
    if (!verified) {
      throw invalid();
    }
    JsonObject raw = payload(token);
    Object use = raw.getValue(TYPE_CLAIM);
    if (!TokenType.BADGE.wire().equals(use)) {
      throw new ApiError(403, "wrong-token-type", "Wrong kind of token",
          "A " + (use instanceof String u ? u + " token" : "token without a type") + " cannot be used where a badge token is expected.");
    }
    Object sub = raw.getValue("sub");
    Object evt = raw.getValue(EVENT_CLAIM);
    Object ver = raw.getValue(VERSION_CLAIM);
    boolean ok = raw.size() == 4 && sub instanceof String s && SUBJECT.matcher(s).matches()
        && evt instanceof String e && SLUG.matcher(e).matches() && ver instanceof Integer;
    if (!ok) {
      throw invalid();
    }
    return new VerifiedToken(TokenType.BADGE, (String) sub, (String) evt, (Integer) ver, null, null, null);
  }

  private static boolean isNumericDate(Object value) {
    return (value instanceof Integer || value instanceof Long || value instanceof Double d && Double.isFinite(d));
  }

  private static JsonObject payload(String token) {
    String[] parts = token.split("\\.", -1);
    try {
      return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
          java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  /**
   * Whether the token's payload, unverified, names {@code type} in its {@code use} claim: a token
   * that does not could never pass {@link #verify(String, TokenType)} for that type (which reads
   * the same claim after the signature), so a caller may skip the signature check for it.
   */
  public static boolean claimsType(String token, TokenType type) {
    try {
      return token != null && type.wire().equals(payload(token).getValue(TYPE_CLAIM));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static ApiError invalid() {
    return ApiError.unauthorized("The token is not valid.");
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
