package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.TokenType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error the API can produce leaves as RFC 9457 problem+json with a stable type. */
class ProblemApiTest {
  static TestServer server;
  static String slug;
  static String organizer;
  static String attendee;

  @BeforeAll
  static void start() {
    server = TestServer.start(dev.confday.TestDatabase.migratedDatabase(), Map.of("CONFDAY_MAX_BODY_BYTES", "4096"));
    slug = server.seedDemo();
    organizer = server.sessionFor(slug, "ada.okafor@example.org");
    attendee = server.sessionFor(slug, "grace.kim@example.org");
    // a route that fails with an unexpected exception, to see what a 500 looks like
    server.server.api().router().post("/test/boom").handler(ctx -> {
      throw new IllegalStateException("secret database password is hunter2");
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject problem(HttpResponse<Buffer> r, int status, String type) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject p = r.bodyAsJsonObject();
    assertThat(p.getString("type")).isEqualTo("/problems/" + type);
    assertThat(p.getInteger("status")).isEqualTo(status);
    assertThat(p.getString("title")).isNotBlank();
    assertThat(p.getString("detail")).isNotBlank();
    assertThat(p.getString("requestId")).isEqualTo(r.getHeader("X-Request-Id"));
    return p;
  }

  @Test
  void unknownRouteIsNotFound() {
    problem(await(server.client.get("/api/no-such-thing").send()), 404, "not-found");
    problem(await(server.client.get("/api/events/no-such-event").send()), 404, "not-found");
    // any method: an unknown API address is not found, not "method not allowed"
    problem(await(server.client.post("/api/no-such-thing").sendJsonObject(new JsonObject())), 404, "not-found");
    problem(await(server.client.request(HttpMethod.PUT, "/api/events/" + slug + "/no-such-thing").send()),
        404, "not-found");
    problem(await(server.client.get("/no-such-page.html").send()), 404, "not-found");
  }

  @Test
  void aSaneRequestIdIsKeptAndAnInsaneOneReplaced() {
    HttpResponse<Buffer> kept = await(server.client.get("/api/no-such-thing").putHeader("X-Request-Id", "nginx-4f2a9c10").send());
    assertThat(kept.getHeader("X-Request-Id")).isEqualTo("nginx-4f2a9c10");
    assertThat(kept.bodyAsJsonObject().getString("requestId")).isEqualTo("nginx-4f2a9c10");
    HttpResponse<Buffer> replaced = await(server.client.get("/api/no-such-thing").putHeader("X-Request-Id", "<script>").send());
    assertThat(replaced.getHeader("X-Request-Id")).isNotEqualTo("<script>").matches("[0-9a-f-]{36}");
    java.util.UUID given = java.util.UUID.fromString(replaced.getHeader("X-Request-Id"));
    assertThat(given.version()).isEqualTo(4);
    assertThat(given.variant()).isEqualTo(2);
    // ids of other requests differ
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      ids.add(await(server.client.get("/api/no-such-thing").send()).getHeader("X-Request-Id"));
    }
    assertThat(ids).hasSize(20);
  }

  @Test
  void metricsArePrometheusText() {
    await(server.client.get("/api/events").send());
    HttpResponse<Buffer> r = await(server.client.get("/metrics").send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(r.bodyAsString()).contains("# TYPE vertx_http_server_requests_total counter")
        .contains("vertx_sql_", "jvm_memory_used_bytes");
  }

  @Test
  void wrongMethodIsMethodNotAllowed() {
    JsonObject p = problem(await(server.client.request(HttpMethod.DELETE, "/api/events").send()), 405,
        "method-not-allowed");
    assertThat(p.getString("allow")).contains("GET").contains("POST");
  }

  @Test
  void malformedJsonIsRefused() {
    problem(await(server.client.post("/api/auth/session").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"token\": "))), 400, "malformed-json");
    problem(await(server.client.post("/api/auth/session").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("[1,2]"))), 400, "malformed-json");
  }

  @Test
  void validationListsEveryBadField() {
    String admin = server.sessionFor(slug, "admin@example.org");
    JsonObject p = problem(await(server.client.post("/api/events").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("slug", "Bad Slug!").put("name", "")
            .put("timeZone", "Mars/Olympus").put("startsOn", "2023-07-29").put("endsOn", "2023-07-28"))),
        400, "validation");
    assertThat(p.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("slug", "name", "timeZone", "endsOn");
  }

  @Test
  void missingSessionIsUnauthorized() {
    problem(await(server.client.get("/api/events/" + slug + "/people").send()), 401, "unauthorized");
    problem(await(server.client.get("/api/events/" + slug + "/people").bearerTokenAuthentication("abc.def.ghi").send()),
        401, "unauthorized");
  }

  @Test
  void attendeeCannotUseOrganizerRoutes() {
    problem(await(server.client.get("/api/events/" + slug + "/people").bearerTokenAuthentication(attendee).send()),
        403, "forbidden");
  }

  @Test
  void badgeTokenIsRefusedAsApiSession() {
    String badge = server.server.tokens().issue(TokenType.BADGE, "7", slug, null, Duration.ofDays(1));
    JsonObject p = problem(await(server.client.get("/api/events/" + slug + "/me").bearerTokenAuthentication(badge).send()),
        403, "wrong-token-type");
    assertThat(p.getString("detail")).contains("badge").contains("session");
  }

  @Test
  void sessionTokenCannotBeUsedAsLoginLink() {
    problem(await(server.client.post("/api/auth/session").sendJsonObject(new JsonObject().put("token", organizer))),
        403, "wrong-token-type");
  }

  @Test
  void duplicateIsConflict() {
    problem(await(server.client.post("/api/events/" + slug + "/rooms").bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("name", "Ballroom A"))), 409, "conflict");
  }

  @Test
  void oversizedBodyIsPayloadTooLarge() {
    problem(await(server.client.post("/api/events/" + slug + "/rooms").bearerTokenAuthentication(organizer)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"name\":\"" + "x".repeat(10_000) + "\"}"))), 413, "payload-too-large");
  }

  @Test
  void wrongContentTypeIsUnsupported() {
    problem(await(server.client.post("/api/events/" + slug + "/registrations/import").bearerTokenAuthentication(organizer)
        .putHeader("Content-Type", "application/pdf").sendBuffer(Buffer.buffer("%PDF-1.7"))), 415,
        "unsupported-media-type");
  }

  @Test
  void internalErrorNeverLeaksTheExceptionMessage() {
    HttpResponse<Buffer> r = await(server.client.post("/test/boom").send());
    problem(r, 500, "internal-error");
    assertThat(r.bodyAsString()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
  }

  @Test
  void requestsTheCodecCannotReadAreProblemsToo() {
    problem414or431(await(server.client.get("/api/events?q=" + "x".repeat(10_000)).send()), 414, "uri-too-long");
    problem414or431(await(server.client.get("/api/events").putHeader("X-Big", "y".repeat(10_000)).send()), 431,
        "headers-too-large");
  }

  private static void problem414or431(HttpResponse<Buffer> r, int status, String type) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/" + type);
  }
}
