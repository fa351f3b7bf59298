package dev.confday.auth;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.TestServer;
import dev.confday.http.ApiError;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The minimal badge form (no kid, no iss/jti/iat/exp) verifies as a badge and as nothing else. */
class BadgeTokenTest {
  static TestServer server;
  static PrivateKey key;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    Row row = await(server.server.pool().query("select private_key from signing_keys order by created_at desc limit 1")
        .execute()).iterator().next();
    key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(row.getBuffer("private_key").getBytes()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String sign(JsonObject header, JsonObject claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64.encodeToString(s.sign());
  }

  static JsonObject badge() {
    return new JsonObject().put("use", "badge").put("sub", "7").put("evt", "ml4astro-2023").put("ver", 2);
  }

  static ApiError refusal(String token, TokenType type) {
    try {
      await(server.server.tokens().verify(token, type));
    } catch (IllegalStateException e) {
      return (ApiError) e.getCause();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aMinimalBadgeVerifiesWithItsClaims() {
    String token = server.server.tokens().issueBadge(7, "ml4astro-2023", 2);
    assertThat(token.split("\\.")[0]).isEqualTo("eyJhbGciOiJFZERTQSJ9");
    VerifiedToken t = await(server.server.tokens().verify(token, TokenType.BADGE));
    assertThat(t.type()).isEqualTo(TokenType.BADGE);
    assertThat(t.personId()).isEqualTo(7);
    assertThat(t.event()).isEqualTo("ml4astro-2023");
    assertThat(t.version()).isEqualTo(2);
    // a badge opens nothing else
    assertThat(refusal(token, TokenType.SESSION).status()).isEqualTo(401);
    assertThat(refusal(token, TokenType.LOGIN_LINK).status()).isEqualTo(401);
  }

  @Test
  void theMinimalFormIsRefusedForEveryOtherShape() throws Exception {
    JsonObject alg = new JsonObject().put("alg", "EdDSA");
    long now = Instant.now().getEpochSecond();
    // a kid-less session, even signed with the real key, is no session and no badge
    JsonObject session = new JsonObject().put("use", "session").put("sub", "7").put("evt", "ml4astro-2023").put("ver", 1)
        .put("iss", "confday").put("jti", "x").put("iat", now).put("exp", now + 600);
    assertThat(refusal(sign(alg, session), TokenType.SESSION).status()).isEqualTo(401);
    assertThat(refusal(sign(alg, session), TokenType.BADGE).type()).contains("wrong-token-type");
    // any claim more, or one missing or of the wrong type
    assertThat(refusal(sign(alg, badge().put("exp", now + 60)), TokenType.BADGE).status()).isEqualTo(401);
    assertThat(refusal(sign(alg, badge().put("admin", true)), TokenType.BADGE).status()).isEqualTo(401);
    JsonObject noVersion = badge();
    noVersion.remove("ver");
    assertThat(refusal(sign(alg, noVersion), TokenType.BADGE).status()).isEqualTo(401);
    assertThat(refusal(sign(alg, badge().put("ver", "2")), TokenType.BADGE).status()).isEqualTo(401);
    assertThat(refusal(sign(alg, badge().put("evt", "Not A Slug")), TokenType.BADGE).status()).isEqualTo(401);
    // another algorithm or an extra header field
    assertThat(refusal(sign(new JsonObject().put("alg", "none"), badge()), TokenType.BADGE).status()).isEqualTo(401);
    assertThat(refusal(sign(alg.copy().put("jwk", "x"), badge()), TokenType.BADGE).status()).isEqualTo(401);
    // signed by a key that is not ours
    var other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    PrivateKey ours = key;
    key = other.getPrivate();
    try {
      assertThat(refusal(sign(alg, badge()), TokenType.BADGE).status()).isEqualTo(401);
    } finally {
      key = ours;
    }
    assertThatThrownBy(() -> await(server.server.tokens().verify("a.b", TokenType.BADGE)))
        .hasCauseInstanceOf(ApiError.class);
  }
}
