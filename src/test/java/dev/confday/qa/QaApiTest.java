package dev.confday.qa;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.live.LiveMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QaApiTest extends ServerTestBase {
  static final AtomicInteger EVENTS = new AtomicInteger();

  /** An event with one session, an organizer, a moderator and two registered attendees (one remote). */
  record Fixture(String slug, long eventId, long session, String organizer, String moderator, String remote,
      String inPerson, long remoteId) {
    String base() {
      return "/api/events/" + slug + "/sessions/" + session;
    }
  }

  static Fixture fixture() {
    String slug = "qa-test-" + EVENTS.incrementAndGet();
    Event event = await(server.server.events().createEvent(new NewEvent(slug, "Q&A workshop " + slug,
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
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/api/events/" + slug + "/schedule/sessions", organizer,
        new JsonObject().put("title", "Keynote").put("type", "invited-talk").put("roomId", room)
            .put("startsAt", "2023-07-29T09:00:00-10:00").put("endsAt", "2023-07-29T10:00:00-10:00"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long remoteId = await(server.server.events().people(event.id())).stream()
        .filter(p -> p.email().startsWith("remote-")).findFirst().orElseThrow().id();
    return new Fixture(slug, event.id(), created.bodyAsJsonObject().getLong("id"), organizer,
        server.sessionFor(slug, mod), server.sessionFor(slug, "remote-" + slug + "@example.org"),
        server.sessionFor(slug, "room-" + slug + "@example.org"), remoteId);
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    return await(send(method, path, token, body));
  }

  static Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> req = server.client.request(method, path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return body == null ? req.send() : req.sendJsonObject(body);
  }

  static JsonObject ok(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  static void open(Fixture f, boolean premoderated) {
    JsonObject qa = ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(),
        new JsonObject().put("state", "open").put("premoderated", premoderated)), 200);
    assertThat(qa.getBoolean("open")).isTrue();
  }

  static JsonObject ask(Fixture f, String token, String text, boolean anonymous) {
    return ok(call(HttpMethod.POST, f.base() + "/questions", token,
        new JsonObject().put("text", text).put("anonymous", anonymous)), 201);
  }

  static List<JsonObject> questions(Fixture f, String token, String sort) {
    return ok(call(HttpMethod.GET, f.base() + "/questions?sort=" + sort, token, null), 200)
        .getJsonArray("questions").stream().map(JsonObject.class::cast).toList();
  }

  static List<LiveMessage> messages(String topic) {
    return await(server.server.live().since(topic, 0, 1000));
  }

  /** The vote messages of a topic once the last one for question {@code id} says {@code votes} (coalesced, so soon). */
  static List<LiveMessage> voteMessages(String topic, long id, long votes) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      List<LiveMessage> all = messages(topic).stream().filter(m -> "votes".equals(m.payload().getString("type")))
          .toList();
      List<LiveMessage> forId = all.stream().filter(m -> m.payload().getLong("id") == id).toList();
      if (!forId.isEmpty() && forId.get(forId.size() - 1).payload().getLong("votes") == votes) {
        return all;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the last vote message of question " + id + " never said " + votes + ": " + forId);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aRemoteAttendeesQuestionReachesTheRoomAndTheModeratorTaggedRemote() {
    Fixture f = fixture();
    open(f, false);
    // the client cannot choose the origin: the registration says remote
    JsonObject asked = ok(call(HttpMethod.POST, f.base() + "/questions", f.remote(),
        new JsonObject().put("text", "  How do you calibrate the flux?  ")), 201);
    assertThat(asked.getString("origin")).isEqualTo("remote");
    assertThat(asked.getString("text")).isEqualTo("How do you calibrate the flux?");
    assertThat(ask(f, f.inPerson(), "And the noise?", false).getString("origin")).isEqualTo("room");

    List<JsonObject> seen = questions(f, f.inPerson(), "time");
    JsonObject remoteQ = seen.stream().filter(q -> q.getLong("id").equals(asked.getLong("id"))).findFirst()
        .orElseThrow();
    assertThat(remoteQ.getString("origin")).isEqualTo("remote");
    assertThat(remoteQ.getJsonObject("author").getString("name")).isEqualTo("Rita Remote");
    assertThat(remoteQ.getBoolean("mine")).isFalse();
    assertThat(questions(f, f.moderator(), "votes")).extracting(q -> q.getString("origin"))
        .containsExactlyInAnyOrder("remote", "room");
    assertThat(messages(QaService.topic(f.session()))).extracting(m -> m.payload().getString("type"))
        .containsExactly("settings", "question", "question");
    assertThat(messages(QaService.topic(f.session())).get(1).payload().getJsonObject("question")
        .getString("origin")).isEqualTo("remote");
  }

  @Test
  void askingIsValidatedAndAClosedQaAnswers409() {
    Fixture f = fixture();
    // the session ran in 2023: auto means closed now
    HttpResponse<Buffer> closed = call(HttpMethod.POST, f.base() + "/questions", f.inPerson(),
        new JsonObject().put("text", "Too late?"));
    assertThat(closed.statusCode()).isEqualTo(409);
    assertThat(closed.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(closed.bodyAsJsonObject().getString("type")).endsWith("qa-closed");
    open(f, false);
    assertThat(call(HttpMethod.POST, f.base() + "/questions", f.inPerson(), new JsonObject().put("text", " "))
        .statusCode()).isEqualTo(400);
    assertThat(call(HttpMethod.POST, f.base() + "/questions", f.inPerson(),
        new JsonObject().put("text", "x".repeat(501))).statusCode()).isEqualTo(400);
    assertThat(ask(f, f.inPerson(), "x".repeat(500), false).getString("text")).hasSize(500);
    // a moderator without a registration is not a registered person
    assertThat(call(HttpMethod.POST, f.base() + "/questions", f.moderator(), new JsonObject().put("text", "Hi"))
        .statusCode()).isEqualTo(403);
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "closed")), 200);
    assertThat(call(HttpMethod.POST, f.base() + "/questions", f.inPerson(), new JsonObject().put("text", "Hm"))
        .statusCode()).isEqualTo(409);
    // a session of another event is not found through this event
    Fixture other = fixture();
    assertThat(call(HttpMethod.POST, "/api/events/" + f.slug() + "/sessions/" + other.session() + "/questions",
        f.inPerson(), new JsonObject().put("text", "Hm")).statusCode()).isEqualTo(404);
  }

  @Test
  void anAnonymousAuthorNeverReachesAttendeesButModeratorsSeeThem() throws InterruptedException {
    Fixture f = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "A shy question", true).getLong("id");
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + id + "/vote", f.inPerson(), null), 200);
    ok(call(HttpMethod.POST, f.base() + "/questions/" + id + "/pin", f.moderator(), null), 200);
    voteMessages(QaService.topic(f.session()), id, 1);
    for (String sort : List.of("votes", "time", "trending")) {
      JsonObject q = questions(f, f.inPerson(), sort).get(0);
      assertThat(q.getBoolean("anonymous")).isTrue();
      assertThat(q.containsKey("author")).isFalse();
      assertThat(q.encode()).doesNotContain("Rita").doesNotContain("\"personId\"");
    }
    // the asker sees it is theirs, without anyone else learning it
    assertThat(questions(f, f.remote(), "votes").get(0).getBoolean("mine")).isTrue();
    JsonObject forMod = questions(f, f.moderator(), "votes").get(0);
    assertThat(forMod.getJsonObject("author").getLong("personId")).isEqualTo(f.remoteId());
    assertThat(forMod.getString("askedAt")).isNotBlank();
    List<LiveMessage> attendeeLive = messages(QaService.topic(f.session()));
    assertThat(attendeeLive).extracting(m -> m.payload().getString("type")).contains("question", "votes");
    for (LiveMessage m : attendeeLive) {
      assertThat(m.payload().encode()).doesNotContain("Rita").doesNotContain("author")
          .doesNotContain(String.valueOf(f.remoteId()) + ",\"name\"");
    }
    assertThat(messages(QaService.moderationTopic(f.session())).stream()
        .anyMatch(m -> m.payload().encode().contains("Rita Remote"))).isTrue();
  }

  @Test
  void fiftyConcurrentUpvotesByOnePersonCountOnceAndByFiftyPeopleFifty() throws InterruptedException {
    Fixture f = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "Vote for me", false).getLong("id");
    String path = f.base() + "/questions/" + id + "/vote";
    List<Future<HttpResponse<Buffer>>> same = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      same.add(send(HttpMethod.PUT, path, f.inPerson(), null));
    }
    await(Future.all(same));
    same.forEach(r -> assertThat(r.result().statusCode()).isEqualTo(200));
    assertThat(questions(f, f.inPerson(), "votes").get(0).getLong("votes")).isEqualTo(1);
    assertThat(questions(f, f.inPerson(), "votes").get(0).getBoolean("voted")).isTrue();
    // withdrawing is exact too
    assertThat(ok(call(HttpMethod.DELETE, path, f.inPerson(), null), 200).getLong("votes")).isZero();

    StringBuilder csv = new StringBuilder("name,email,ticket\n");
    for (int i = 0; i < 50; i++) {
      csv.append("Voter ").append(i).append(",voter").append(i).append('-').append(f.slug())
          .append("@example.org,").append(i % 2 == 0 ? "Remote" : "In-person").append('\n');
    }
    await(server.server.events().importRegistrations(f.eventId(), csv.toString()));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tokens.add(server.sessionFor(f.slug(), "voter" + i + "-" + f.slug() + "@example.org"));
    }
    List<Future<HttpResponse<Buffer>>> many = new ArrayList<>();
    for (String t : tokens) {
      many.add(send(HttpMethod.PUT, path, t, null));
    }
    await(Future.all(many));
    many.forEach(r -> assertThat(r.result().statusCode()).as(r.result().bodyAsString()).isEqualTo(200));
    assertThat(questions(f, f.moderator(), "votes").get(0).getLong("votes")).isEqualTo(50);
    // coalesced: the last vote message says 50, after far fewer than 50 messages
    assertThat(voteMessages(QaService.topic(f.session()), id, 50)).hasSizeLessThan(50);
  }

  @Test
  void onlyThisEventsModeratorsModerate() {
    Fixture f = fixture();
    Fixture other = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "Moderate me", false).getLong("id");
    String pin = f.base() + "/questions/" + id + "/pin";
    HttpResponse<Buffer> attendee = call(HttpMethod.POST, pin, f.inPerson(), null);
    assertThat(attendee.statusCode()).isEqualTo(403);
    assertThat(attendee.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(call(HttpMethod.POST, pin, other.moderator(), null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, pin, other.organizer(), null).statusCode()).isEqualTo(403);
    // a login link's token is not a session
    String link = server.loginLink(f.slug(), "mod-" + f.slug() + "@example.org");
    HttpResponse<Buffer> wrongType = call(HttpMethod.POST, pin, link.substring(link.indexOf("#token=") + 7), null);
    assertThat(wrongType.statusCode()).isEqualTo(403);
    assertThat(wrongType.bodyAsJsonObject().getString("type")).endsWith("wrong-token-type");
    assertThat(call(HttpMethod.PUT, f.base() + "/qa", f.inPerson(), new JsonObject().put("state", "open"))
        .statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, pin, null, null).statusCode()).isEqualTo(401);
    assertThat(questions(f, f.inPerson(), "votes").get(0).getBoolean("pinned")).isFalse();
    // the organizer of this event may
    assertThat(ok(call(HttpMethod.POST, pin, f.organizer(), null), 200).getBoolean("pinned")).isTrue();
  }

  @Test
  void moderationApprovesDismissesPinsOneAndMarksAnsweredWithUndo() {
    Fixture f = fixture();
    open(f, true);
    long a = ask(f, f.remote(), "First", false).getLong("id");
    long b = ask(f, f.inPerson(), "Second", false).getLong("id");
    // pre-moderation: only moderators see the queue
    assertThat(questions(f, f.inPerson(), "votes")).isEmpty();
    assertThat(questions(f, f.moderator(), "votes")).extracting(q -> q.getString("status"))
        .containsOnly("pending");
    assertThat(messages(QaService.topic(f.session()))).extracting(m -> m.payload().getString("type"))
        .containsExactly("settings");
    assertThat(call(HttpMethod.PUT, f.base() + "/questions/" + a + "/vote", f.inPerson(), null).statusCode())
        .isEqualTo(404);
    assertThat(call(HttpMethod.POST, f.base() + "/questions/" + a + "/pin", f.moderator(), null).statusCode())
        .isEqualTo(409);
    String q = f.base() + "/questions/";
    ok(call(HttpMethod.POST, q + a + "/approve", f.moderator(), null), 200);
    ok(call(HttpMethod.POST, q + b + "/approve", f.moderator(), null), 200);
    assertThat(questions(f, f.inPerson(), "time")).hasSize(2);

    // one pinned per session: pinning b unpins a
    ok(call(HttpMethod.POST, q + a + "/pin", f.moderator(), null), 200);
    ok(call(HttpMethod.POST, q + b + "/pin", f.moderator(), null), 200);
    List<JsonObject> list = questions(f, f.inPerson(), "votes");
    assertThat(list.get(0).getLong("id")).isEqualTo(b);
    assertThat(list).filteredOn(x -> x.getBoolean("pinned")).hasSize(1);
    ok(call(HttpMethod.POST, q + b + "/unpin", f.moderator(), null), 200);
    assertThat(questions(f, f.inPerson(), "votes")).filteredOn(x -> x.getBoolean("pinned")).isEmpty();

    assertThat(ok(call(HttpMethod.POST, q + a + "/answer", f.moderator(), null), 200).getBoolean("answered")).isTrue();
    assertThat(ok(call(HttpMethod.POST, q + a + "/unanswer", f.moderator(), null), 200).getBoolean("answered"))
        .isFalse();

    ok(call(HttpMethod.POST, q + a + "/dismiss", f.moderator(), null), 200);
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id")).containsExactly(b);
    assertThat(messages(QaService.topic(f.session())).get(messages(QaService.topic(f.session())).size() - 1)
        .payload()).isEqualTo(new JsonObject().put("type", "question-hidden").put("id", a));
    ok(call(HttpMethod.POST, q + a + "/restore", f.moderator(), null), 200);
    ok(call(HttpMethod.POST, q + b + "/unapprove", f.moderator(), null), 200);
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id")).containsExactly(a);
    assertThat(call(HttpMethod.GET, f.base() + "/questions?sort=loud", f.inPerson(), null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void concurrentPinsOfTenQuestionsLeaveExactlyOnePinned() {
    Fixture f = fixture();
    open(f, false);
    List<Future<HttpResponse<Buffer>>> pins = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(ask(f, i % 2 == 0 ? f.remote() : f.inPerson(), "Question " + i, false).getLong("id"));
    }
    for (long id : ids) {
      pins.add(send(HttpMethod.POST, f.base() + "/questions/" + id + "/pin", f.moderator(), null));
    }
    await(Future.all(pins));
    pins.forEach(r -> assertThat(r.result().statusCode()).as(r.result().bodyAsString()).isEqualTo(200));
    assertThat(questions(f, f.moderator(), "time")).filteredOn(q -> q.getBoolean("pinned")).hasSize(1);
  }

  @Test
  void theDatabaseAllowsOnePinnedQuestionPerSession() {
    Fixture f = fixture();
    open(f, false);
    long a = ask(f, f.remote(), "One", false).getLong("id");
    long b = ask(f, f.inPerson(), "Two", false).getLong("id");
    await(server.server.pool().query("update qa_questions set pinned = true where id = " + a).execute());
    Throwable failure = server.server.pool().query("update qa_questions set pinned = true where id = " + b).execute()
        .toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("qa_questions_one_pinned");
  }

  @Test
  void theQaStateFollowsTheSessionsTimesUnlessAModeratorOverridesIt() {
    Fixture f = fixture();
    JsonObject qa = ok(call(HttpMethod.GET, f.base() + "/qa", f.inPerson(), null), 200);
    assertThat(qa.getString("state")).isEqualTo("auto");
    assertThat(qa.getBoolean("open")).isFalse();
    assertThat(qa.getBoolean("premoderated")).isFalse();
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("premoderated", true)), 200);
    qa = ok(call(HttpMethod.GET, f.base() + "/qa", f.inPerson(), null), 200);
    assertThat(qa.getString("state")).isEqualTo("auto");
    assertThat(qa.getBoolean("premoderated")).isTrue();
    assertThat(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "ajar"))
        .statusCode()).isEqualTo(400);
    assertThat(call(HttpMethod.GET, "/api/events/" + f.slug() + "/sessions/999999999/qa", f.inPerson(), null)
        .statusCode()).isEqualTo(404);
  }

  @Test
  void questionsSortByVotesByTimeAndByTrending() {
    Fixture f = fixture();
    open(f, false);
    long first = ask(f, f.remote(), "Old and popular", false).getLong("id");
    long second = ask(f, f.remote(), "Unloved", false).getLong("id");
    long third = ask(f, f.inPerson(), "New", false).getLong("id");
    String q = f.base() + "/questions/";
    ok(call(HttpMethod.PUT, q + first + "/vote", f.inPerson(), null), 200);
    ok(call(HttpMethod.PUT, q + first + "/vote", f.remote(), null), 200);
    ok(call(HttpMethod.PUT, q + third + "/vote", f.remote(), null), 200);
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id"))
        .containsExactly(first, third, second);
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("votes")).containsExactly(2L, 1L, 0L);
    assertThat(questions(f, f.inPerson(), "time")).extracting(x -> x.getLong("id"))
        .containsExactly(third, second, first);
    // asked within moments of each other, trending ranks by votes
    assertThat(questions(f, f.inPerson(), "trending")).extracting(x -> x.getLong("id"))
        .containsExactly(first, third, second);
    // a pinned question leads every order
    ok(call(HttpMethod.POST, q + second + "/pin", f.moderator(), null), 200);
    for (String sort : List.of("votes", "time", "trending")) {
      assertThat(questions(f, f.inPerson(), sort).get(0).getLong("id")).isEqualTo(second);
    }
  }

  @Test
  void liveSubscribersGetQuestionsAndOnlyModeratorsLearnAnAnonymousAuthor() throws Exception {
    Fixture f = fixture();
    open(f, false);
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      BlockingQueue<JsonObject> room = socket(client, f.inPerson());
      BlockingQueue<JsonObject> mod = socket(client, f.moderator());
      subscribe(room, QaService.topic(f.session()));
      subscribe(mod, QaService.moderationTopic(f.session()));
      long id = ask(f, f.remote(), "Who asked this?", true).getLong("id");

      JsonObject forRoom = next(room, "message").getJsonObject("data");
      assertThat(forRoom.getString("type")).isEqualTo("question");
      assertThat(forRoom.getJsonObject("question").getLong("id")).isEqualTo(id);
      assertThat(forRoom.getJsonObject("question").getString("origin")).isEqualTo("remote");
      assertThat(forRoom.encode()).doesNotContain("author").doesNotContain("Rita");
      JsonObject forMod = next(mod, "message").getJsonObject("data");
      assertThat(forMod.getJsonObject("question").getJsonObject("author").getString("name")).isEqualTo("Rita Remote");
    } finally {
      await(client.close());
    }
  }

  @Test
  void aQuestionAskedThroughOneInstanceReachesSubscribersOfAnotherAsStoredAndAsListed() throws Exception {
    Fixture f = fixture();
    open(f, false);
    // the safety poll ten minutes away: only the statement's NOTIFY can tell the second instance
    try (TestServer second = TestServer.start(server.database, java.util.Map.of("CONFDAY_LIVE_POLL_MS", "600000"))) {
      WebSocketClient client = second.vertx.createWebSocketClient();
      try {
        BlockingQueue<JsonObject> room = socket(client, second, f.inPerson());
        BlockingQueue<JsonObject> mod = socket(client, second, f.moderator());
        subscribe(room, QaService.topic(f.session()));
        subscribe(mod, QaService.moderationTopic(f.session()));
        // asked through the first instance; the second learns it from the statement's NOTIFY
        JsonObject asked = ask(f, f.remote(), "Seen over there?", false);

        JsonObject forRoom = next(room, "message");
        JsonObject forMod = next(mod, "message");
        // what was delivered is what the backbone stored (a reconnecting client reads the same)
        LiveMessage roomStored = messages(QaService.topic(f.session())).stream()
            .filter(m -> m.seq() == forRoom.getLong("seq")).findFirst().orElseThrow();
        assertThat(forRoom.getJsonObject("data")).isEqualTo(roomStored.payload());
        LiveMessage modStored = messages(QaService.moderationTopic(f.session())).stream()
            .filter(m -> m.seq() == forMod.getLong("seq")).findFirst().orElseThrow();
        assertThat(forMod.getJsonObject("data")).isEqualTo(modStored.payload());
        // and what the REST list says of the question, field for field (the viewer's own flags aside)
        JsonObject listed = questions(f, f.inPerson(), "time").stream()
            .filter(q -> q.getLong("id").equals(asked.getLong("id"))).findFirst().orElseThrow();
        JsonObject live = forRoom.getJsonObject("data").getJsonObject("question");
        assertThat(live.getLong("id")).isEqualTo(asked.getLong("id"));
        assertThat(live.getString("origin")).isEqualTo("remote");
        for (String field : listed.fieldNames()) {
          if (live.containsKey(field)) {
            assertThat(live.getValue(field)).as(field).isEqualTo(listed.getValue(field));
          }
        }
        assertThat(live.getString("askedAt")).isEqualTo(listed.getString("askedAt"));
      } finally {
        await(client.close());
      }
    }
  }

  @Test
  void anAttendeeCannotSubscribeToTheModerationTopic() throws Exception {
    Fixture f = fixture();
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      BlockingQueue<JsonObject> room = socket(client, f.inPerson());
      sockets.get(room).writeTextMessage(new JsonObject().put("type", "subscribe")
          .put("topic", QaService.moderationTopic(f.session())).encode());
      JsonObject error = next(room, "error");
      assertThat(error.getString("code")).isEqualTo("forbidden");
      assertThat(error.getString("topic")).isEqualTo(QaService.moderationTopic(f.session()));
    } finally {
      await(client.close());
    }
  }

  private final java.util.Map<BlockingQueue<JsonObject>, WebSocket> sockets = new java.util.HashMap<>();

  private BlockingQueue<JsonObject> socket(WebSocketClient client, String bearer) {
    return socket(client, server, bearer);
  }

  private BlockingQueue<JsonObject> socket(WebSocketClient client, TestServer via, String bearer) {
    String ticket = ok(call(HttpMethod.POST, "/api/live/ticket", bearer, null), 200).getString("ticket");
    WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(via.port())
        .setURI("/live?ticket=" + ticket).addHeader("Origin", via.baseUrl())));
    BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    ws.textMessageHandler(text -> received.add(new JsonObject(text)));
    sockets.put(received, ws);
    return received;
  }

  private void subscribe(BlockingQueue<JsonObject> queue, String topic) throws InterruptedException {
    await(sockets.get(queue).writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", topic).encode()));
    assertThat(next(queue, "subscribed").getString("topic")).isEqualTo(topic);
  }

  private static JsonObject next(BlockingQueue<JsonObject> queue, String type) throws InterruptedException {
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
