package dev.confday.qa;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Projector links: who may make and revoke them, what a secret reads, and the live ticket it gets. */
class ProjectorApiTest extends ServerTestBase {
  static final AtomicInteger EVENTS = new AtomicInteger();

  /** An event with one session, an organizer, a moderator and two registered attendees (one remote). */
  record Fixture(String slug, long session, String organizer, String moderator, String remote, String inPerson) {
    String base() {
      return "/api/events/" + slug + "/sessions/" + session;
    }

    String links() {
      return base() + "/qa/projector-links";
    }

    String projector() {
      return "/api/events/" + slug + "/qa/projector";
    }
  }

  static Fixture fixture(TestServer server, AtomicInteger counter) {
    String slug = "projector-" + counter.incrementAndGet();
    Event event = await(server.server.events().createEvent(new NewEvent(slug, "Projector " + slug,
        "Pacific/Honolulu", LocalDate.parse("2023-07-29"), LocalDate.parse("2023-07-29"), null, null)));
    long room = await(server.server.events().addRoom(event.id(), new NewRoom("Room A", 100, null))).id();
    String org = "org-" + slug + "@example.org";
    String mod = "mod-" + slug + "@example.org";
    await(server.server.events().addPerson(event.id(), org, "Olga Organizer", null, Role.ORGANIZER));
    await(server.server.events().addPerson(event.id(), mod, "Mona Moderator", null, Role.MODERATOR));
    await(server.server.events().importRegistrations(event.id(), "name,email,ticket\n"
        + "Rita Remote,remote-" + slug + "@example.org,Remote ticket\n"
        + "Ian Inperson,room-" + slug + "@example.org,In-person ticket\n"));
    String organizer = server.sessionFor(slug, org);
    HttpRequest<Buffer> req = server.client.request(HttpMethod.POST, "/api/events/" + slug + "/schedule/sessions")
        .bearerTokenAuthentication(organizer);
    HttpResponse<Buffer> created = await(req.sendJsonObject(new JsonObject().put("title", "Keynote on flux")
        .put("type", "invited-talk").put("roomId", room)
        .put("startsAt", "2023-07-29T09:00:00-10:00").put("endsAt", "2023-07-29T10:00:00-10:00")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return new Fixture(slug, created.bodyAsJsonObject().getLong("id"), organizer, server.sessionFor(slug, mod),
        server.sessionFor(slug, "remote-" + slug + "@example.org"),
        server.sessionFor(slug, "room-" + slug + "@example.org"));
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> req = server.client.request(method, path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static HttpResponse<Buffer> withSecret(HttpMethod method, String path, String secret) {
    return await(server.client.request(method, path).putHeader("X-Projector-Secret", secret).send());
  }

  static JsonObject ok(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.body() == null ? null : r.bodyAsJsonObject();
  }

  static String secretOf(JsonObject link) {
    String url = link.getString("url");
    return url.substring(url.indexOf('#') + 1);
  }

  static JsonObject ask(Fixture f, String token, String text, boolean anonymous) {
    return ok(call(HttpMethod.POST, f.base() + "/questions", token,
        new JsonObject().put("text", text).put("anonymous", anonymous)), 201);
  }

  @Test
  void theProjectorReadsVisibleQuestionsPinnedFirstAndNeverAnAnonymousAuthor() {
    Fixture f = fixture(server, EVENTS);
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "open")), 200);
    long anonymous = ask(f, f.remote(), "Who calibrates the flux?", true).getLong("id");
    long named = ask(f, f.inPerson(), "And the noise floor?", false).getLong("id");
    long dismissed = ask(f, f.inPerson(), "Off topic", false).getLong("id");
    ok(call(HttpMethod.POST, f.base() + "/questions/" + dismissed + "/dismiss", f.moderator(), null), 200);
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + anonymous + "/vote", f.inPerson(), null), 200);
    ok(call(HttpMethod.POST, f.base() + "/questions/" + named + "/pin", f.moderator(), null), 200);

    JsonObject link = ok(call(HttpMethod.POST, f.links(), f.moderator(), null), 201);
    assertThat(link.getString("url")).startsWith(server.baseUrl() + "/e/" + f.slug() + "/projector#");
    String secret = secretOf(link);
    // the secret is shown once: the list of links never carries it
    JsonObject listed = ok(call(HttpMethod.GET, f.links(), f.organizer(), null), 200);
    assertThat(listed.getJsonArray("links")).hasSize(1);
    assertThat(listed.encode()).doesNotContain(secret);

    JsonObject view = ok(withSecret(HttpMethod.GET, f.projector(), secret), 200);
    assertThat(view.getJsonObject("session").getString("title")).isEqualTo("Keynote on flux");
    assertThat(view.getString("topic")).isEqualTo(QaService.topic(f.session()));
    assertThat(view.getJsonArray("questions").stream().map(q -> ((JsonObject) q).getLong("id")))
        .containsExactly(named, anonymous);
    JsonObject pinned = view.getJsonArray("questions").getJsonObject(0);
    assertThat(pinned.getBoolean("pinned")).isTrue();
    assertThat(pinned.getJsonObject("author").getString("name")).isEqualTo("Ian Inperson");
    JsonObject anon = view.getJsonArray("questions").getJsonObject(1);
    assertThat(anon.getString("origin")).isEqualTo("remote");
    assertThat(anon.getLong("votes")).isEqualTo(1);
    assertThat(anon.containsKey("author")).isFalse();
    assertThat(view.encode()).doesNotContain("Rita").doesNotContain("personId");
    assertThat(view.getJsonObject("session").getBoolean("fairOrder")).isFalse();
    assertThat(anon.getBoolean("edited")).isFalse();
  }

  @Test
  void theProjectorCountsMergedVotesOnceShowsEditsAndFollowsFairOrdering() {
    Fixture f = fixture(server, EVENTS);
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "open")), 200);
    long kept = ask(f, f.remote(), "How is the PSF modelled?", false).getLong("id");
    long duplicate = ask(f, f.inPerson(), "How do you model the PSF?", false).getLong("id");
    // one vote each side, and the remote attendee on both: after the merge two people, each once
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + kept + "/vote", f.remote(), null), 200);
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + duplicate + "/vote", f.remote(), null), 200);
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + duplicate + "/vote", f.inPerson(), null), 200);
    ok(call(HttpMethod.POST, f.base() + "/questions/" + duplicate + "/merge", f.moderator(),
        new JsonObject().put("into", kept)), 200);
    ok(call(HttpMethod.PATCH, f.base() + "/questions/" + kept, f.moderator(),
        new JsonObject().put("text", "How is the PSF modelled across the field?")), 200);
    long room = ask(f, f.inPerson(), "Which bands?", false).getLong("id");
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("fairOrder", true)), 200);

    String secret = secretOf(ok(call(HttpMethod.POST, f.links(), f.moderator(), null), 201));
    JsonObject view = ok(withSecret(HttpMethod.GET, f.projector(), secret), 200);
    assertThat(view.getJsonObject("session").getBoolean("fairOrder")).isTrue();
    java.util.List<JsonObject> qs = view.getJsonArray("questions").stream().map(JsonObject.class::cast).toList();
    assertThat(qs).extracting(q -> q.getLong("id")).containsExactly(kept, room);
    // the same count as the attendees' list: two people, each once
    JsonObject listed = ok(call(HttpMethod.GET, f.base() + "/questions?sort=votes", f.inPerson(), null), 200)
        .getJsonArray("questions").stream().map(JsonObject.class::cast).filter(q -> q.getLong("id") == kept)
        .findFirst().orElseThrow();
    assertThat(qs.get(0).getLong("votes")).isEqualTo(2).isEqualTo(listed.getLong("votes"));
    assertThat(qs.get(0).getBoolean("edited")).isTrue();
    assertThat(qs.get(0).getString("text")).isEqualTo("How is the PSF modelled across the field?");
    assertThat(view.encode()).doesNotContain("How is the PSF modelled?\"");
  }

  @Test
  void onlyModeratorsAndOrganizersOfTheEventManageLinks() {
    Fixture f = fixture(server, EVENTS);
    Fixture other = fixture(server, EVENTS);
    assertThat(call(HttpMethod.POST, f.links(), f.inPerson(), null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.GET, f.links(), f.remote(), null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, f.links(), null, null).statusCode()).isEqualTo(401);
    for (String stranger : new String[] {other.moderator(), other.organizer()}) {
      assertThat(call(HttpMethod.POST, f.links(), stranger, null).statusCode()).isEqualTo(403);
      assertThat(call(HttpMethod.GET, f.links(), stranger, null).statusCode()).isEqualTo(403);
    }
    JsonObject link = ok(call(HttpMethod.POST, f.links(), f.organizer(), null), 201);
    String revoke = f.links() + "/" + link.getLong("id");
    assertThat(call(HttpMethod.DELETE, revoke, f.inPerson(), null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.DELETE, revoke, other.moderator(), null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.DELETE, revoke, other.organizer(), null).statusCode()).isEqualTo(403);
    // another event's session, or another session's link, is not found
    assertThat(call(HttpMethod.POST, "/api/events/" + f.slug() + "/sessions/" + other.session() + "/qa/projector-links",
        f.moderator(), null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.DELETE, other.links() + "/" + link.getLong("id"), other.moderator(), null).statusCode())
        .isEqualTo(404);
    // still working after all those refusals
    assertThat(withSecret(HttpMethod.GET, f.projector(), secretOf(link)).statusCode()).isEqualTo(200);
  }

  @Test
  void aWrongOrRevokedSecretReadsNothingAndGetsNoTicket() {
    Fixture f = fixture(server, EVENTS);
    Fixture other = fixture(server, EVENTS);
    JsonObject link = ok(call(HttpMethod.POST, f.links(), f.moderator(), null), 201);
    String secret = secretOf(link);
    assertThat(ok(withSecret(HttpMethod.POST, f.projector() + "/ticket", secret), 200).getString("topic"))
        .isEqualTo(QaService.topic(f.session()));
    // no secret, a made-up one, one of another event
    assertThat(call(HttpMethod.GET, f.projector(), null, null).statusCode()).isEqualTo(401);
    String wrong = secret.substring(0, 42) + (secret.charAt(42) == 'A' ? 'B' : 'A');
    assertThat(withSecret(HttpMethod.GET, f.projector(), wrong).statusCode()).isEqualTo(401);
    assertThat(withSecret(HttpMethod.POST, f.projector() + "/ticket", wrong).statusCode()).isEqualTo(401);
    assertThat(withSecret(HttpMethod.GET, other.projector(), secret).statusCode()).isEqualTo(401);
    // a session token is no projector secret
    assertThat(withSecret(HttpMethod.GET, f.projector(), f.moderator()).statusCode()).isEqualTo(401);

    assertThat(call(HttpMethod.DELETE, f.links() + "/" + link.getLong("id"), f.moderator(), null).statusCode())
        .isEqualTo(204);
    HttpResponse<Buffer> read = withSecret(HttpMethod.GET, f.projector(), secret);
    assertThat(read.statusCode()).isEqualTo(401);
    assertThat(read.bodyAsJsonObject().getString("type")).endsWith("/projector-link-revoked");
    HttpResponse<Buffer> ticket = withSecret(HttpMethod.POST, f.projector() + "/ticket", secret);
    assertThat(ticket.statusCode()).isEqualTo(401);
    assertThat(ticket.bodyAsJsonObject().getString("type")).endsWith("/projector-link-revoked");
    assertThat(ok(call(HttpMethod.GET, f.links(), f.moderator(), null), 200).getJsonArray("links")).isEmpty();
    // open projector pages hear of it
    assertThat(await(server.server.live().since(QaService.topic(f.session()), 0, 100)))
        .anySatisfy(m -> assertThat(m.payload().getString("type")).isEqualTo("projector-revoked"));
  }

  @Test
  void theProjectorTicketOpensTheSessionsQaTopicAndNothingElse() throws Exception {
    Fixture f = fixture(server, EVENTS);
    Fixture other = fixture(server, EVENTS);
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "open")), 200);
    String secret = secretOf(ok(call(HttpMethod.POST, f.links(), f.moderator(), null), 201));
    String ticket = ok(withSecret(HttpMethod.POST, f.projector() + "/ticket", secret), 200).getString("ticket");
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(server.port())
          .setURI("/live?ticket=" + ticket).addHeader("Origin", server.baseUrl())));
      BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
      ws.textMessageHandler(text -> received.add(new JsonObject(text)));
      for (String refused : new String[] {QaService.moderationTopic(f.session()), QaService.topic(other.session()),
          "event:" + f.slug() + ":schedule"}) {
        await(ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", refused).encode()));
        JsonObject error = next(received, "error");
        assertThat(error.getString("topic")).isEqualTo(refused);
        assertThat(error.getString("code")).isEqualTo("forbidden");
      }
      await(ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", QaService.topic(f.session()))
          .encode()));
      assertThat(next(received, "subscribed").getString("topic")).isEqualTo(QaService.topic(f.session()));
      ask(f, f.remote(), "Anonymous on the big screen?", true);
      JsonObject data = next(received, "message").getJsonObject("data");
      assertThat(data.getJsonObject("question").getString("text")).isEqualTo("Anonymous on the big screen?");
      assertThat(data.encode()).doesNotContain("Rita").doesNotContain("author");
    } finally {
      await(client.close());
    }
    // a ticket opens one connection only
    HttpResponse<Buffer> again = await(server.client.get("/live?ticket=" + ticket).putHeader("Upgrade", "websocket")
        .putHeader("Connection", "Upgrade").putHeader("Sec-WebSocket-Version", "13")
        .putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").send());
    assertThat(again.statusCode()).isEqualTo(401);
  }

  @Test
  void anOpenProjectorSocketIsClosedWhenItsLinkIsRevoked() throws Exception {
    Fixture f = fixture(server, EVENTS);
    JsonObject link = ok(call(HttpMethod.POST, f.links(), f.moderator(), null), 201);
    JsonObject other = ok(call(HttpMethod.POST, f.links(), f.moderator(), null), 201);
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      BlockingQueue<Short> revokedClosed = new LinkedBlockingQueue<>();
      WebSocket revoked = projectorSocket(client, f.slug(), secretOf(link), revokedClosed);
      BlockingQueue<Short> keptClosed = new LinkedBlockingQueue<>();
      WebSocket kept = projectorSocket(client, f.slug(), secretOf(other), keptClosed);
      assertThat(call(HttpMethod.DELETE, f.links() + "/" + link.getLong("id"), f.moderator(), null).statusCode())
          .isEqualTo(204);
      // checked with presence (every few seconds): wait for it with a deadline
      Short code = revokedClosed.poll(30, TimeUnit.SECONDS);
      assertThat(code).as("close code of the revoked link's socket").isEqualTo((short) 4003);
      // the other link's socket stays open
      assertThat(keptClosed).isEmpty();
      assertThat(kept.isClosed()).isFalse();
      assertThat(revoked.isClosed()).isTrue();
    } finally {
      await(client.close());
    }
  }

  private static WebSocket projectorSocket(WebSocketClient client, String slug, String secret,
      BlockingQueue<Short> closed)
      throws InterruptedException {
    String ticket = ok(withSecret(HttpMethod.POST, "/api/events/" + slug + "/qa/projector/ticket",
        secret), 200).getString("ticket");
    BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    // handlers set on the socket's own context as it opens: the server's hello may come at once
    WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(server.port())
        .setURI("/live?ticket=" + ticket).addHeader("Origin", server.baseUrl())).onSuccess(s -> {
          s.textMessageHandler(text -> received.add(new JsonObject(text)));
          s.closeHandler(v -> closed.add(s.closeStatusCode() == null ? -1 : s.closeStatusCode()));
        }));
    JsonObject hello = next(received, "hello");
    assertThat(hello.getBoolean("anonymous")).isTrue();
    return ws;
  }

  static JsonObject next(BlockingQueue<JsonObject> queue, String type) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      JsonObject m = queue.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("no '" + type + "' message within 10 s");
      }
      if (type.equals(m.getString("type"))) {
        return m;
      }
    }
  }
}
