package dev.confday.auth;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.Person;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may act as whom, probed as the organizer of one event (B) attacking another (A, the demo)
 * would: an organizer's power ends at their event, the admin is never exported, and revoking
 * or logging out ends a session at once on every instance.
 */
class IdentityTest {
  static Database db;
  static TestServer a;
  static TestServer b;
  static String eventA;
  static final String EVENT_B = "rival-workshop";
  static String organizerB;

  @BeforeAll
  static void start() {
    db = TestDatabase.migratedDatabase();
    a = TestServer.start(db, Map.of());
    b = TestServer.start(db, Map.of());
    eventA = a.seedDemo();
    Event rival = await(a.server.events().createEvent(NewEvent.fromJson(new JsonObject().put("slug", EVENT_B)
        .put("name", "Rival workshop").put("timeZone", "UTC").put("startsOn", "2023-07-29").put("endsOn", "2023-07-29"))));
    await(a.server.events().addPerson(rival.id(), "boris.b@example.org", "Boris B", null, Role.ORGANIZER));
    organizerB = a.sessionFor(EVENT_B, "boris.b@example.org");
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
  }

  private static HttpResponse<Buffer> get(TestServer s, String path, String session) {
    return await(s.client.get(path).bearerTokenAuthentication(session).send());
  }

  private static void importInto(String slug, String organizer, String csv) {
    HttpResponse<Buffer> r = await(a.client.post("/api/events/" + slug + "/registrations/import")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(csv)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  /** The login links of an event's CSV export, by email. */
  private static Map<String, String> exportedLinks(String slug, String organizer) {
    String csv = get(a, "/api/events/" + slug + "/login-links.csv", organizer).bodyAsString();
    Map<String, String> links = new java.util.HashMap<>();
    csv.lines().skip(1).forEach(line -> {
      String[] cells = line.split(",");
      String link = cells[cells.length - 1];
      String email = line.replaceAll(".*?([\\w.+-]+@[\\w.-]+).*", "$1");
      links.put(email, link.substring(link.indexOf("#token=") + 7));
    });
    return links;
  }

  private static HttpResponse<Buffer> exchange(String token) {
    return await(a.client.post("/api/auth/session").sendJsonObject(new JsonObject().put("token", token)));
  }

  private static JsonObject claims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
  }

  @Test
  void anOrganizersExportNeverListsTheAdminAndEveryLinkIsForThatEvent() {
    String organizerA = a.sessionFor(eventA, "ada.okafor@example.org");
    Map<String, String> links = exportedLinks(eventA, organizerA);
    assertThat(links).hasSizeGreaterThan(50).doesNotContainKey("admin@example.org");
    for (String token : links.values()) {
      assertThat(claims(token).getString("evt")).isEqualTo(eventA);
      assertThat(claims(token).getString("use")).isEqualTo("login-link");
    }
  }

  @Test
  void importingAnotherEventsOrganizerAndTheAdminHandsOutNoLoginThatWorksThere() {
    importInto(EVENT_B, organizerB, "name,email,ticket type\nAda Lookalike,ada.okafor@example.org,Remote\n"
        + "Admin Lookalike,admin@example.org,Remote\n");
    Map<String, String> links = exportedLinks(EVENT_B, organizerB);
    assertThat(links).doesNotContainKey("admin@example.org").containsKey("ada.okafor@example.org");
    HttpResponse<Buffer> session = exchange(links.get("ada.okafor@example.org"));
    assertThat(session.statusCode()).isEqualTo(200);
    String asAda = session.bodyAsJsonObject().getString("token");
    // acting as Ada works in B (B registered her) and nowhere else
    assertThat(get(a, "/api/events/" + EVENT_B + "/me", asAda).statusCode()).isEqualTo(200);
    for (String path : List.of("/people", "/login-links.csv", "/me")) {
      HttpResponse<Buffer> r = get(a, "/api/events/" + eventA + path, asAda);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/other-event");
    }
    assertThat(await(a.client.post("/api/events").bearerTokenAuthentication(asAda).sendJsonObject(new JsonObject()))
        .statusCode()).isEqualTo(403);
    // and what B sees of her is what B imported: not A's name, not A as one of her events
    JsonObject me = get(a, "/api/me", asAda).bodyAsJsonObject();
    assertThat(me.getString("name")).isEqualTo("Ada Lookalike");
    assertThat(me.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("slug")).toList())
        .containsExactly(EVENT_B);
    String organizerA = a.sessionFor(eventA, "ada.okafor@example.org");
    assertThat(get(a, "/api/events/" + eventA + "/me", organizerA).bodyAsJsonObject().getString("name"))
        .isEqualTo("Ada Okafor");
  }

  @Test
  void anImportRevealsNothingAnotherEventKnowsOfAPerson() {
    importInto(EVENT_B, organizerB, "name,email,ticket type\nWho Is This,grace.kim@example.org,Remote\n");
    JsonArray people = get(a, "/api/events/" + EVENT_B + "/people", organizerB).bodyAsJsonArray();
    JsonObject grace = people.stream().map(o -> (JsonObject) o)
        .filter(p -> p.getString("email").equals("grace.kim@example.org")).findFirst().orElseThrow();
    assertThat(grace.getString("name")).isEqualTo("Who Is This");
    assertThat(grace.getString("affiliation")).isNull();
    assertThat(people.encode()).doesNotContain("Grace Kim");
  }

  @Test
  void rolesCanBeSetOnlyOnPeopleOfTheEventAndARefusalRevealsNothing() {
    Event demo = await(a.server.events().event(eventA));
    Person chiara = await(a.server.events().people(demo.id())).stream()
        .filter(p -> p.email().equals("chiara.rossi@example.org")).findFirst().orElseThrow();
    HttpResponse<Buffer> r = await(a.client.put("/api/events/" + EVENT_B + "/people/" + chiara.id() + "/roles")
        .bearerTokenAuthentication(organizerB).sendJsonObject(new JsonObject().put("roles", new JsonArray().add("attendee"))));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsString()).doesNotContain("chiara").doesNotContain("Chiara").doesNotContain(chiara.name());
    // she did not become a person of B, so B's export has no link for her
    assertThat(exportedLinks(EVENT_B, organizerB)).doesNotContainKey("chiara.rossi@example.org");
  }

  @Test
  void theAdminsEventLinkGivesNoAdminPower() {
    String adminInA = a.eventSessionFor(eventA, "admin@example.org");
    assertThat(get(a, "/api/me", adminInA).bodyAsJsonObject().getBoolean("admin")).isFalse();
    assertThat(await(a.client.post("/api/events").bearerTokenAuthentication(adminInA).sendJsonObject(new JsonObject()
        .put("slug", "by-event-admin").put("name", "x").put("timeZone", "UTC").put("startsOn", "2024-01-01")
        .put("endsOn", "2024-01-01"))).statusCode()).isEqualTo(403);
    assertThat(get(a, "/api/events/" + EVENT_B + "/people", adminInA).statusCode()).isEqualTo(403);
    String admin = a.sessionFor(eventA, "admin@example.org");
    assertThat(get(a, "/api/events/" + EVENT_B + "/people", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void revokingAPersonEndsTheirSessionsLinksFeedsAndTicketsAtOnceOnEveryInstance() throws Exception {
    Event demo = await(a.server.events().event(eventA));
    String email = "uma.raman@example.org";
    Person uma = await(a.server.events().people(demo.id())).stream().filter(p -> p.email().equals(email))
        .findFirst().orElseThrow();
    String link = a.loginLink(eventA, email);
    String session = a.sessionFor(eventA, email);
    String feed = await(a.server.agenda().calendarLink(demo, uma.id()));
    String feedPath = feed.substring(feed.indexOf("/api/"));
    String ticket = await(a.client.post("/api/live/ticket").bearerTokenAuthentication(session).send())
        .bodyAsJsonObject().getString("ticket");
    assertThat(get(b, "/api/events/" + eventA + "/me", session).statusCode()).isEqualTo(200);
    assertThat(await(b.client.get(feedPath).send()).statusCode()).isEqualTo(200);

    await(a.server.events().revoke(uma.id()));

    HttpResponse<Buffer> refused = get(b, "/api/events/" + eventA + "/me", session);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("/problems/session-ended");
    assertThat(get(a, "/api/me", session).statusCode()).isEqualTo(401);
    assertThat(exchange(link.substring(link.indexOf("#token=") + 7)).statusCode()).isEqualTo(401);
    assertThat(await(b.client.get(feedPath).send()).statusCode()).isEqualTo(401);
    WebSocketClient ws = b.vertx.createWebSocketClient();
    try {
      var opened = ws.connect(new WebSocketConnectOptions().setHost("localhost").setPort(b.port())
          .setURI("/live?ticket=" + ticket).addHeader("Origin", b.baseUrl()));
      Throwable failure = opened.toCompletionStage().toCompletableFuture().handle((v, t) -> t).get(30,
          java.util.concurrent.TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(UpgradeRejectedException.class);
      assertThat(((UpgradeRejectedException) failure).getStatus()).isEqualTo(401);
    } finally {
      await(ws.close());
    }
    // a fresh link works again
    assertThat(get(a, "/api/events/" + eventA + "/me", a.sessionFor(eventA, email)).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyTheAdminRevokesThroughTheApi() {
    Event demo = await(a.server.events().event(eventA));
    Person ines = await(a.server.events().people(demo.id())).stream()
        .filter(p -> p.email().equals("ines.moreau@example.org")).findFirst().orElseThrow();
    String session = a.sessionFor(eventA, ines.email());
    String organizerA = a.sessionFor(eventA, "ada.okafor@example.org");
    assertThat(await(a.client.post("/api/people/" + ines.id() + "/revoke").bearerTokenAuthentication(organizerA).send())
        .statusCode()).isEqualTo(403);
    assertThat(get(b, "/api/events/" + eventA + "/me", session).statusCode()).isEqualTo(200);
    String admin = a.sessionFor(eventA, "admin@example.org");
    HttpResponse<Buffer> r = await(a.client.post("/api/people/" + ines.id() + "/revoke").bearerTokenAuthentication(admin)
        .send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(get(b, "/api/events/" + eventA + "/me", session).statusCode()).isEqualTo(401);
    assertThat(await(a.client.post("/api/people/999999/revoke").bearerTokenAuthentication(admin).send()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aSessionWorksWhateverThePersonsTokenVersion() {
    // versions are compared by value, not as boxed identities (which would differ beyond 127)
    await(a.server.pool().query("update people set token_version = 500 where email = 'ben.lindqvist@example.org'")
        .execute());
    assertThat(get(b, "/api/events/" + eventA + "/me", a.sessionFor(eventA, "ben.lindqvist@example.org")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void logOutEndsThatSessionOnEveryInstanceAndNoOther() {
    String email = "elena.garcia@example.org";
    String phone = a.sessionFor(eventA, email);
    String laptop = a.sessionFor(eventA, email);
    HttpResponse<Buffer> out = await(a.client.post("/api/auth/logout").bearerTokenAuthentication(phone).send());
    assertThat(out.statusCode()).isEqualTo(204);
    for (TestServer s : List.of(a, b)) {
      HttpResponse<Buffer> r = get(s, "/api/events/" + eventA + "/me", phone);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/session-ended");
    }
    assertThat(await(a.client.post("/api/auth/logout").bearerTokenAuthentication(phone).send()).statusCode())
        .isEqualTo(401);
    assertThat(get(b, "/api/events/" + eventA + "/me", laptop).statusCode()).isEqualTo(200);
    // public pages still open with the ended session, as anonymous
    assertThat(get(a, "/api/events/" + eventA, phone).statusCode()).isEqualTo(200);
  }
}
