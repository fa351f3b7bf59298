package dev.confday.auth;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.security.Key;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed Ed25519 tokens shared by instances, verifiable offline from the published JWKS. */
class TokensTest {
  static Database db;
  static TestServer a;
  static TestServer b;

  @BeforeAll
  static void start() {
    db = TestDatabase.migratedDatabase();
    a = TestServer.start(db, Map.of());
    b = TestServer.start(db, Map.of());
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
  }

  @Test
  void aTokenIssuedByOneInstanceIsAcceptedByAnother() {
    String token = a.server.tokens().issue(TokenType.SESSION, "42", null, 1, Duration.ofMinutes(5));
    VerifiedToken verified = await(b.server.tokens().verify(token, TokenType.SESSION));
    assertThat(verified.personId()).isEqualTo(42);
  }

  @Test
  void everyTypeIsRefusedWhereAnotherIsExpected() {
    for (TokenType issued : TokenType.values()) {
      // every claim a type requires (evt only where it may appear, a version everywhere)
      String token = a.server.tokens().issue(issued, "1",
          issued.eventClaim() == TokenType.EventClaim.FORBIDDEN ? null : "ev", 1, Duration.ofMinutes(5));
      for (TokenType expected : TokenType.values()) {
        var result = a.server.tokens().verify(token, expected).toCompletionStage().toCompletableFuture();
        if (issued == expected) {
          assertThat(result.join().type()).isEqualTo(expected);
        } else {
          assertThat(result).isCompletedExceptionally();
          assertThat(result.handle((v, t) -> ((dev.confday.http.ApiError) t.getCause() == null
              ? (dev.confday.http.ApiError) t : (dev.confday.http.ApiError) t.getCause()).status()).join())
              .isEqualTo(403);
        }
      }
    }
  }

  @Test
  void expiredAndTamperedTokensAreUnauthorized() {
    String expired = a.server.tokens().issue(TokenType.SESSION, "1", null, null, Duration.ofSeconds(-120));
    String good = a.server.tokens().issue(TokenType.SESSION, "1", null, null, Duration.ofMinutes(5));
    String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
    for (String t : new String[] {expired, tampered, "nonsense"}) {
      var result = a.server.tokens().verify(t, TokenType.SESSION).toCompletionStage().toCompletableFuture();
      assertThat(result).isCompletedExceptionally();
    }
  }

  @Test
  void badgeVerifiesOfflineWithThePublishedJwks() {
    String badge = a.server.tokens().issue(TokenType.BADGE, "7", "ml4astro-2023", 1, Duration.ofDays(2));
    HttpResponse<Buffer> r = await(b.client.get("/.well-known/jwks.json").send());
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/jwk-set+json");
    // what a scanner does offline: parse the JWKS once, then check badges with no server
    JwkSet set = Jwks.setParser().build().parse(r.bodyAsString());
    assertThat(set.getKeys()).isNotEmpty().allMatch(k -> k.getAlgorithm().equals("EdDSA"));
    assertThat(r.bodyAsString()).doesNotContain("\"d\"");
    Claims claims = Jwts.parser().keyLocator(header -> {
      String kid = ((io.jsonwebtoken.ProtectedHeader) header).getKeyId();
      return set.getKeys().stream().filter(k -> k.getId().equals(kid)).map(Jwk::toKey).map(k -> (Key) k)
          .findFirst().orElseThrow();
    }).build().parseSignedClaims(badge).getPayload();
    assertThat(claims.get("use", String.class)).isEqualTo("badge");
    assertThat(claims.getSubject()).isEqualTo("7");
  }

  @Test
  void rotationAddsANewSigningKeyAndOldTokensStillVerify() {
    String before = a.server.tokens().issue(TokenType.SESSION, "5", null, 1, Duration.ofMinutes(5));
    String oldKid = a.server.tokens().activeKid();
    // age every key beyond the rotation period, as if 30 days had passed, then let the instance check
    await(a.server.pool().query("update signing_keys set created_at = created_at - interval '31 days'").execute());
    await(a.server.tokens().rotateIfDue());
    assertThat(a.server.tokens().activeKid()).isNotEqualTo(oldKid);
    String after = a.server.tokens().issue(TokenType.SESSION, "5", null, 1, Duration.ofMinutes(5));
    // instance b has not seen the new key yet: it reloads on the unknown kid
    assertThat(await(b.server.tokens().verify(after, TokenType.SESSION)).personId()).isEqualTo(5);
    assertThat(await(b.server.tokens().verify(before, TokenType.SESSION)).personId()).isEqualTo(5);
    HttpResponse<Buffer> jwks = await(b.client.get("/.well-known/jwks.json").send());
    assertThat(jwks.bodyAsString()).contains(oldKid).contains(a.server.tokens().activeKid());
  }

  @Test
  void aKeyIsRetiredOnceNoTokenItSignedCanStillBeValid() {
    String oldKid = a.server.tokens().activeKid();
    String signedByOld = a.server.tokens().issue(TokenType.SESSION, "5", null, 1, Duration.ofMinutes(5));
    assertThat(await(a.server.tokens().verify(signedByOld, TokenType.SESSION)).personId()).isEqualTo(5);
    // every key far in the past: the next check makes a new key; the old one still verifies
    // the tokens it signed until then
    await(a.server.pool().query("update signing_keys set created_at = created_at - interval '500 days'").execute());
    await(a.server.tokens().rotateIfDue());
    String newKid = a.server.tokens().activeKid();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(await(a.client.get("/.well-known/jwks.json").send()).bodyAsString()).contains(oldKid).contains(newKid);
    // the new key took over longer ago than any token lives (400 days + the 30-day rotation)
    await(a.server.pool().query("update signing_keys set created_at = now() - interval '440 days' where kid = '"
        + newKid + "'").execute());
    await(a.server.tokens().rotateIfDue());
    String jwks = await(a.client.get("/.well-known/jwks.json").send()).bodyAsString();
    assertThat(jwks).contains(newKid).doesNotContain(oldKid);
    // verified (and remembered) before, refused once its key is retired
    assertThat(await(a.server.tokens().verify(signedByOld, TokenType.SESSION).map("accepted").otherwise("refused")))
        .isEqualTo("refused");
  }

  @Test
  void aRememberedSessionTokenIsStillRefusedOnceExpiredOrWhereAnotherTypeIsExpected() throws InterruptedException {
    String token = a.server.tokens().issue(TokenType.SESSION, "6", null, 1, Duration.ofSeconds(2));
    VerifiedToken first = await(a.server.tokens().verify(token, TokenType.SESSION));
    assertThat(await(a.server.tokens().verify(token, TokenType.SESSION))).isEqualTo(first);
    for (TokenType other : java.util.EnumSet.complementOf(java.util.EnumSet.of(TokenType.SESSION))) {
      assertThat(await(a.server.tokens().verify(token, other).map("accepted").otherwise("refused")))
          .isEqualTo("refused");
    }
    // a tampered copy is not the remembered token
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    assertThat(await(a.server.tokens().verify(tampered, TokenType.SESSION).map("accepted").otherwise("refused")))
        .isEqualTo("refused");
    Thread.sleep(Math.max(0, first.expiresAt().toEpochMilli() - System.currentTimeMillis()) + 50);
    assertThat(await(a.server.tokens().verify(token, TokenType.SESSION).map("accepted")
        .otherwise(Throwable::getMessage))).contains("expired");
  }

  @Test
  void forgedKidsAreRefusedAndARealNewKeyIsStillFoundRightAfter() {
    String good = a.server.tokens().issue(TokenType.SESSION, "3", null, 1, Duration.ofMinutes(5));
    String[] parts = good.split("\\.");
    java.util.List<io.vertx.core.Future<?>> forged = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          ("{\"kid\":\"forged-" + i + "\",\"alg\":\"EdDSA\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      forged.add(b.server.tokens().verify(header + "." + parts[1] + "." + parts[2], TokenType.SESSION));
    }
    await(io.vertx.core.Future.join(forged).otherwise((io.vertx.core.CompositeFuture) null));
    assertThat(forged).allMatch(io.vertx.core.Future::failed);
    // right after the flood, another instance rotates: its new key is found, not refused
    await(a.server.pool().query("update signing_keys set created_at = created_at - interval '31 days'").execute());
    await(a.server.tokens().rotateIfDue());
    String fresh = a.server.tokens().issue(TokenType.SESSION, "3", null, 1, Duration.ofMinutes(5));
    assertThat(await(b.server.tokens().verify(fresh, TokenType.SESSION)).personId()).isEqualTo(3);
  }
}
