package dev.confday.auth;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.Person;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The forgery matrix. Tokens are signed with the real private key read from the database (what
 * an attacker holding a database dump could do), so each case tests the claim checks
 * themselves: a claim missing or of the wrong type, a date in the future, a wrong event, a
 * wrong type. Every case is refused with 401 or 403 problem+json, never a 500 and never a 2xx.
 */
class TokenForgeryTest {
  static TestServer server;
  static String slug;
  static long organizerId;
  static long adminId;
  static String kid;
  static PrivateKey key;

  /** One forged token and where it is presented. */
  record Case(String name, String token, boolean loginExchange, Set<Integer> refusedWith) {
  }

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    slug = server.seedDemo();
    Event event = await(server.server.events().event(slug));
    List<Person> people = await(server.server.events().people(event.id()));
    organizerId = people.stream().filter(p -> p.email().equals("ada.okafor@example.org")).findFirst().orElseThrow().id();
    adminId = people.stream().filter(Person::admin).findFirst().orElseThrow().id();
    await(server.server.events().createEvent(NewEvent.fromJson(new JsonObject().put("slug", "elsewhere-2024")
        .put("name", "Elsewhere").put("timeZone", "UTC").put("startsOn", "2024-01-01").put("endsOn", "2024-01-01"))));
    Row row = await(server.server.pool().query("select kid, private_key from signing_keys order by created_at desc limit 1")
        .execute()).iterator().next();
    kid = row.getString("kid");
    key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(row.getBuffer("private_key").getBytes()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject session() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", "confday").put("sub", Long.toString(organizerId)).put("jti", "j-" + System.nanoTime())
        .put("iat", now).put("exp", now + 3600).put("use", "session").put("evt", slug).put("ver", 1);
  }

  static JsonObject loginLink() {
    return session().put("use", "login-link");
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sign(JsonObject header, JsonObject claims) {
    try {
      String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
          + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(s.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String signed(JsonObject claims) {
    return sign(new JsonObject().put("alg", "EdDSA").put("kid", kid), claims);
  }

  static String with(Consumer<JsonObject> change) {
    JsonObject c = session();
    change.accept(c);
    return signed(c);
  }

  static String link(Consumer<JsonObject> change) {
    JsonObject c = loginLink();
    change.accept(c);
    return signed(c);
  }

  static final Set<Integer> UNAUTHORIZED = Set.of(401);
  static final Set<Integer> WRONG_TYPE = Set.of(403);

  static List<Case> cases() throws Exception {
    long now = Instant.now().getEpochSecond();
    long year = 365L * 24 * 3600;
    List<Case> list = new ArrayList<>();
    // sessions, presented as Bearer on an event route
    list.add(new Case("exp missing", with(c -> c.remove("exp")), false, UNAUTHORIZED));
    list.add(new Case("exp as a date string", with(c -> c.put("exp", "2099-01-01T00:00:00Z")), false, UNAUTHORIZED));
    list.add(new Case("exp as a numeric string", with(c -> c.put("exp", Long.toString(now + 3600))), false, UNAUTHORIZED));
    list.add(new Case("exp in the past", with(c -> c.put("exp", now - 10)), false, UNAUTHORIZED));
    list.add(new Case("exp as an object", with(c -> c.put("exp", new JsonObject())), false, UNAUTHORIZED));
    list.add(new Case("sub missing", with(c -> c.remove("sub")), false, UNAUTHORIZED));
    list.add(new Case("sub not numeric", with(c -> c.put("sub", "ada")), false, UNAUTHORIZED));
    list.add(new Case("sub as a number", with(c -> c.put("sub", organizerId)), false, UNAUTHORIZED));
    list.add(new Case("sub negative", with(c -> c.put("sub", "-" + organizerId)), false, UNAUTHORIZED));
    list.add(new Case("sub beyond a long", with(c -> c.put("sub", "99999999999999999999")), false, UNAUTHORIZED));
    list.add(new Case("sub with a leading zero", with(c -> c.put("sub", "0" + organizerId)), false, UNAUTHORIZED));
    list.add(new Case("ver missing", with(c -> c.remove("ver")), false, UNAUTHORIZED));
    list.add(new Case("ver as a string", with(c -> c.put("ver", "1")), false, UNAUTHORIZED));
    list.add(new Case("ver as a fraction", with(c -> c.put("ver", 1.5)), false, UNAUTHORIZED));
    list.add(new Case("ver stale", with(c -> c.put("ver", 0)), false, UNAUTHORIZED));
    list.add(new Case("iat a year ahead", with(c -> c.put("iat", now + year).put("exp", now + 2 * year)), false,
        UNAUTHORIZED));
    list.add(new Case("iat two minutes ahead", with(c -> c.put("iat", now + 120)), false, UNAUTHORIZED));
    list.add(new Case("iat missing", with(c -> c.remove("iat")), false, UNAUTHORIZED));
    list.add(new Case("iat as a string", with(c -> c.put("iat", Long.toString(now))), false, UNAUTHORIZED));
    list.add(new Case("nbf a year ahead", with(c -> c.put("nbf", now + year)), false, UNAUTHORIZED));
    list.add(new Case("nbf as a string", with(c -> c.put("nbf", "now")), false, UNAUTHORIZED));
    list.add(new Case("jti missing", with(c -> c.remove("jti")), false, UNAUTHORIZED));
    list.add(new Case("jti as a number", with(c -> c.put("jti", 7)), false, UNAUTHORIZED));
    list.add(new Case("sid on a session (only live tickets name a session)", with(c -> c.put("sid", "j-1")), false,
        UNAUTHORIZED));
    list.add(new Case("iss missing", with(c -> c.remove("iss")), false, UNAUTHORIZED));
    list.add(new Case("iss foreign", with(c -> c.put("iss", "evil")), false, UNAUTHORIZED));
    list.add(new Case("use missing", with(c -> c.remove("use")), false, WRONG_TYPE));
    list.add(new Case("use as a number", with(c -> c.put("use", 1)), false, WRONG_TYPE));
    list.add(new Case("use badge", with(c -> c.put("use", "badge")), false, WRONG_TYPE));
    list.add(new Case("evt as a number", with(c -> c.put("evt", 5)), false, UNAUTHORIZED));
    list.add(new Case("evt empty", with(c -> c.put("evt", "")), false, UNAUTHORIZED));
    list.add(new Case("evt of another event", with(c -> c.put("evt", "elsewhere-2024")), false, Set.of(403)));
    list.add(new Case("claims an array", sign(new JsonObject().put("alg", "EdDSA").put("kid", kid),
        new JsonObject().put("x", 1)).replaceFirst("\\.[^.]+\\.", "." + b64(new JsonArray().add(1).encode()
        .getBytes(StandardCharsets.UTF_8)) + "."), false, UNAUTHORIZED));
    list.add(new Case("alg none", b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64(session().encode().getBytes(StandardCharsets.UTF_8)) + ".", false, UNAUTHORIZED));
    list.add(new Case("HS256 with the public key as secret", hs256(), false, UNAUTHORIZED));
    list.add(new Case("unknown kid", sign(new JsonObject().put("alg", "EdDSA").put("kid", "forged"), session()), false,
        UNAUTHORIZED));
    list.add(new Case("no kid, own jwk in the header", sign(new JsonObject().put("alg", "EdDSA")
        .put("jwk", new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", "AAAA")), session()), false,
        UNAUTHORIZED));
    // login links and admin links, presented to the login exchange
    list.add(new Case("login link without evt", link(c -> c.remove("evt")), true, UNAUTHORIZED));
    list.add(new Case("login link of an unknown event", link(c -> c.put("evt", "nowhere-2099")), true, UNAUTHORIZED));
    list.add(new Case("login link of an event the person is not of", link(c -> c.put("evt", "elsewhere-2024")), true,
        UNAUTHORIZED));
    list.add(new Case("login link with ver as a string", link(c -> c.put("ver", "1")), true, UNAUTHORIZED));
    list.add(new Case("login link without exp", link(c -> c.remove("exp")), true, UNAUTHORIZED));
    list.add(new Case("admin link for a non-admin", link(c -> c.put("use", "admin-link").remove("evt")), true,
        UNAUTHORIZED));
    list.add(new Case("admin link carrying an event", link(c -> c.put("use", "admin-link")
        .put("sub", Long.toString(adminId))), true, UNAUTHORIZED));
    list.add(new Case("session offered as a login link", with(c -> { }), true, WRONG_TYPE));
    return list;
  }

  static String hs256() throws Exception {
    String input = b64("{\"alg\":\"HS256\",\"kid\":\"".concat(kid).concat("\"}").getBytes(StandardCharsets.UTF_8)) + "."
        + b64(session().encode().getBytes(StandardCharsets.UTF_8));
    byte[] publicKey = await(server.server.pool().query("select public_key from signing_keys where kid = '" + kid + "'")
        .execute()).iterator().next().getBuffer(0).getBytes();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
    return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void theControlsPass() {
    // the well-formed forgeries are accepted: every refusal below is down to the one claim changed
    assertThat(await(server.client.get("/api/events/" + slug + "/me").bearerTokenAuthentication(signed(session()))
        .send()).statusCode()).isEqualTo(200);
    assertThat(await(server.client.post("/api/auth/session").sendJsonObject(new JsonObject()
        .put("token", signed(loginLink())))).statusCode()).isEqualTo(200);
    assertThat(await(server.client.post("/api/auth/session").sendJsonObject(new JsonObject().put("token",
        signed(loginLink().put("use", "admin-link").put("sub", Long.toString(adminId)).putNull("evt"))))).statusCode())
        .as("an admin link (a JSON null evt is no evt)").isEqualTo(200);
  }

  @TestFactory
  Stream<DynamicTest> everyForgedTokenIsRefusedWithAProblem() throws Exception {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      HttpResponse<Buffer> r = c.loginExchange()
          ? await(server.client.post("/api/auth/session").sendJsonObject(new JsonObject().put("token", c.token())))
          : await(server.client.get("/api/events/" + slug + "/me").bearerTokenAuthentication(c.token()).send());
      assertThat(r.statusCode()).as(c.name() + ": " + r.bodyAsString()).isIn(c.refusedWith());
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }));
  }
}
