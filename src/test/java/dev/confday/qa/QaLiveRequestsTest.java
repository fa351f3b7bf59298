package dev.confday.qa;

import static dev.confday.TestServer.await;
import static dev.confday.qa.QaApiTest.ask;
import static dev.confday.qa.QaApiTest.call;
import static dev.confday.qa.QaApiTest.fixture;
import static dev.confday.qa.QaApiTest.ok;
import static dev.confday.qa.QaApiTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import dev.confday.live.LiveClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Asking and voting over the live socket a page already holds ({@code qa.ask}, {@code qa.vote}):
 * the same answers, refusals and budget as the HTTP routes, the socket's session checked in the
 * statement (a revoked person is refused at once and the socket ends), and the ask's key making
 * an ask sent again (over the socket or by HTTP) answer the question already stored.
 */
class QaLiveRequestsTest extends ServerTestBase {

  private static JsonObject askParams(QaApiTest.Fixture f, String text, String key) {
    JsonObject p = new JsonObject().put("event", f.slug()).put("session", f.session()).put("text", text);
    return key == null ? p : p.put("key", key);
  }

  private static JsonObject voteParams(QaApiTest.Fixture f, long question, boolean up) {
    return new JsonObject().put("event", f.slug()).put("session", f.session()).put("question", question).put("up", up);
  }

  private static long stored(QaApiTest.Fixture f) {
    return await(server.server.pool().preparedQuery("select count(*) from qa_questions where session_id = $1")
        .execute(Tuple.of(f.session()))).iterator().next().getLong(0);
  }

  private static String errorType(JsonObject reply) {
    assertThat(reply.containsKey("error")).as(reply.encode()).isTrue();
    return reply.getJsonObject("error").getString("type");
  }

  private static JsonObject result(JsonObject reply) {
    assertThat(reply.containsKey("result")).as(reply.encode()).isTrue();
    return reply.getJsonObject("result");
  }

  @Test
  void aRemoteAttendeeAsksAndVotesOverTheSocketAndEveryoneSeesItLive() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    try (LiveClient rita = LiveClient.connect(server.vertx, server, f.remote());
        LiveClient ian = LiveClient.connect(server.vertx, server, f.inPerson());
        LiveClient mona = LiveClient.connect(server.vertx, server, f.moderator())) {
      assertThat(ian.subscribe(QaService.topic(f.session()), null).getString("type")).isEqualTo("subscribed");
      assertThat(mona.subscribe(QaService.moderationTopic(f.session()), null).getString("type")).isEqualTo("subscribed");

      JsonObject asked = result(rita.request("a1", "qa.ask", askParams(f, "Does the emulator extrapolate?", null)
          .put("anonymous", true)));
      assertThat(asked.getBoolean("replayed")).isFalse();
      JsonObject q = asked.getJsonObject("question");
      long id = q.getLong("id");
      assertThat(q.getString("origin")).isEqualTo("remote");
      assertThat(q.getBoolean("anonymous")).isTrue();

      // the room attendee has it, tagged remote, without its author; the moderator with the author
      JsonObject seen = ian.awaitMessage(m -> "message".equals(m.getString("type"))
          && m.getJsonObject("data").getJsonObject("question") != null
          && m.getJsonObject("data").getJsonObject("question").getLong("id") == id, Duration.ofSeconds(10))
          .getJsonObject("data").getJsonObject("question");
      assertThat(seen.getString("origin")).isEqualTo("remote");
      assertThat(seen.encode()).doesNotContain("Rita");
      JsonObject moderated = mona.awaitMessage(m -> "message".equals(m.getString("type"))
          && m.getJsonObject("data").getJsonObject("question") != null
          && m.getJsonObject("data").getJsonObject("question").getLong("id") == id, Duration.ofSeconds(10))
          .getJsonObject("data").getJsonObject("question");
      assertThat(moderated.getJsonObject("author").getString("name")).isEqualTo("Rita Remote");
      // what the REST list holds is what the socket answered
      JsonObject listed = ok(call(HttpMethod.GET, f.base() + "/questions", f.remote(), null), 200)
          .getJsonArray("questions").getJsonObject(0);
      assertThat(listed.getLong("id")).isEqualTo(id);
      assertThat(listed.getString("text")).isEqualTo(q.getString("text"));
      assertThat(listed.getString("askedAt")).isEqualTo(q.getString("askedAt"));

      // one vote per person, whichever way it comes
      assertThat(result(ian.request("v1", "qa.vote", voteParams(f, id, true))))
          .isEqualTo(new JsonObject().put("id", id).put("votes", 1).put("voted", true));
      assertThat(ok(call(HttpMethod.PUT, f.base() + "/questions/" + id + "/vote", f.inPerson(), null), 200)
          .getInteger("votes")).isEqualTo(1);
      assertThat(result(ian.request("v2", "qa.vote", voteParams(f, id, true))).getInteger("votes")).isEqualTo(1);
      assertThat(result(rita.request("v3", "qa.vote", voteParams(f, id, true))).getInteger("votes")).isEqualTo(2);
      assertThat(result(ian.request("v4", "qa.vote", voteParams(f, id, false))))
          .isEqualTo(new JsonObject().put("id", id).put("votes", 1).put("voted", false));

      // bad requests of an admitted caller say what is wrong
      assertThat(errorType(rita.request("b1", "qa.ask", askParams(f, " ", null)))).endsWith("/validation");
      assertThat(errorType(rita.request("b2", "qa.vote", voteParams(f, id, true).put("up", "yes")))).endsWith("/validation");
      assertThat(errorType(rita.request("b3", "qa.vote", voteParams(f, id, true).put("question", "x"))))
          .endsWith("/validation");
      assertThat(errorType(rita.request("b4", "qa.vote", voteParams(f, id + 1000, true)))).endsWith("/not-found");
      assertThat(errorType(rita.request("b5", "qa.ask", askParams(f, "Key?", "k".repeat(65))))).endsWith("/validation");
      assertThat(errorType(rita.request("b6", "qa.ask", askParams(f, "Key?", "two words")))).endsWith("/validation");
      assertThat(stored(f)).isEqualTo(1);
    }
  }

  @Test
  void anAskSentAgainWithItsKeyAnswersTheStoredQuestionOverTheSocketAndByHttp() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    try (LiveClient rita = LiveClient.connect(server.vertx, server, f.remote())) {
      JsonObject first = result(rita.request("a1", "qa.ask", askParams(f, "Is the prior informative?", "key-1")));
      assertThat(first.getBoolean("replayed")).isFalse();
      long id = first.getJsonObject("question").getLong("id");
      int published = QaApiTest.messages(QaService.topic(f.session())).size();

      JsonObject again = result(rita.request("a2", "qa.ask", askParams(f, "Is the prior informative?", "key-1")));
      assertThat(again.getBoolean("replayed")).isTrue();
      assertThat(again.getJsonObject("question").getLong("id")).isEqualTo(id);
      // and by HTTP, as a page falling back after its socket went quiet: 200, the same question
      HttpResponse<Buffer> byHttp = await(server.client.post(f.base() + "/questions").bearerTokenAuthentication(f.remote())
          .putHeader("Idempotency-Key", "key-1").sendJsonObject(new JsonObject().put("text", "Is the prior informative?")));
      assertThat(ok(byHttp, 200).getLong("id")).isEqualTo(id);
      assertThat(stored(f)).isEqualTo(1);
      assertThat(QaApiTest.messages(QaService.topic(f.session()))).hasSize(published);

      // a key is the asker's own: another person with the same key asks their own question
      HttpResponse<Buffer> ians = await(server.client.post(f.base() + "/questions").bearerTokenAuthentication(f.inPerson())
          .putHeader("Idempotency-Key", "key-1").sendJsonObject(new JsonObject().put("text", "Mine")));
      assertThat(ok(ians, 201).getLong("id")).isNotEqualTo(id);
      // an attendee's replay shows the question as the list shows it to them now: edited, not the original
      ok(call(HttpMethod.PATCH, f.base() + "/questions/" + id, f.moderator(),
          new JsonObject().put("text", "Is the prior informative enough?")), 200);
      JsonObject edited = result(rita.request("a3", "qa.ask", askParams(f, "Is the prior informative?", "key-1")))
          .getJsonObject("question");
      assertThat(edited.getString("text")).isEqualTo("Is the prior informative enough?");
      assertThat(edited.getBoolean("edited")).isTrue();
      assertThat(edited.containsKey("originalText")).isFalse();
      HttpResponse<Buffer> badKey = await(server.client.post(f.base() + "/questions").bearerTokenAuthentication(f.remote())
          .putHeader("Idempotency-Key", "").sendJsonObject(new JsonObject().put("text", "Empty key")));
      assertThat(badKey.statusCode()).isEqualTo(400);
      assertThat(badKey.bodyAsJsonObject().getString("type")).endsWith("/validation");

      // after the Q&A closed, or once its asker is muted, an ask sent again is still answered: it was stored before
      ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "closed")), 200);
      assertThat(result(rita.request("a4", "qa.ask", askParams(f, "Is the prior informative?", "key-1")))
          .getJsonObject("question").getLong("id")).isEqualTo(id);
      assertThat(errorType(rita.request("a5", "qa.ask", askParams(f, "New while closed", "key-2")))).endsWith("/qa-closed");
      open(f, false);
      ok(call(HttpMethod.PUT, f.base() + "/mutes/" + f.remoteId(), f.moderator(), null), 200);
      assertThat(result(rita.request("a6", "qa.ask", askParams(f, "Is the prior informative?", "key-1")))
          .getJsonObject("question").getLong("id")).isEqualTo(id);
      assertThat(errorType(rita.request("a7", "qa.ask", askParams(f, "New while muted", "key-3")))).endsWith("/muted");
      ok(call(HttpMethod.DELETE, f.base() + "/mutes/" + f.remoteId(), f.moderator(), null), 200);
      // the same key over the socket and by HTTP at the same moment: one question, both answered with it
      // (by Ian, whose budget has room for all three: past the budget a send finds only a committed ask)
      try (LiveClient ian = LiveClient.connect(server.vertx, server, f.inPerson())) {
        for (int round = 0; round < 3; round++) {
          String key = "race-" + round;
          long before = stored(f);
          Future<HttpResponse<Buffer>> http = server.client.post(f.base() + "/questions")
              .bearerTokenAuthentication(f.inPerson()).putHeader("Idempotency-Key", key)
              .sendJsonObject(new JsonObject().put("text", "Race " + round));
          JsonObject viaSocket = result(ian.request("r" + round, "qa.ask", askParams(f, "Race " + round, key)));
          HttpResponse<Buffer> viaHttp = await(http);
          assertThat(viaHttp.statusCode()).as(viaHttp.bodyAsString()).isIn(200, 201);
          assertThat(viaHttp.bodyAsJsonObject().getLong("id")).isEqualTo(viaSocket.getJsonObject("question").getLong("id"));
          assertThat(viaHttp.statusCode() == 200).isNotEqualTo(viaSocket.getBoolean("replayed"));
          assertThat(stored(f)).isEqualTo(before + 1);
        }
      }
    }
  }

  @Test
  void theSocketSharesTheAskingBudgetAndAReplayIsAnsweredPastIt() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    try (LiveClient rita = LiveClient.connect(server.vertx, server, f.remote())) {
      for (int i = 0; i < QaRoutes.ASKS_PER_MINUTE - 1; i++) {
        result(rita.request("a" + i, "qa.ask", askParams(f, "Question " + i, "k" + i)));
      }
      // the last one of the budget by HTTP, then neither way takes more
      ask(f, f.remote(), "By HTTP", false);
      JsonObject spent = rita.request("over", "qa.ask", askParams(f, "One too many", "k-over"));
      assertThat(errorType(spent)).endsWith("/too-many-questions");
      assertThat(spent.getJsonObject("error").getInteger("status")).isEqualTo(429);
      assertThat(spent.getJsonObject("error").getLong("retryAfter")).isPositive();
      HttpResponse<Buffer> overHttp = call(HttpMethod.POST, f.base() + "/questions", f.remote(),
          new JsonObject().put("text", "One too many"));
      assertThat(overHttp.statusCode()).isEqualTo(429);
      assertThat(overHttp.getHeader("Retry-After")).isNotNull();
      // a new key past the budget stores nothing, by HTTP either (with Retry-After)
      HttpResponse<Buffer> newKey = await(server.client.post(f.base() + "/questions").bearerTokenAuthentication(f.remote())
          .putHeader("Idempotency-Key", "k-new").sendJsonObject(new JsonObject().put("text", "New")));
      assertThat(newKey.statusCode()).isEqualTo(429);
      assertThat(newKey.getHeader("Retry-After")).isNotNull();
      // but an ask sent again is answered: it was stored, and its asker only lost the answer
      JsonObject replay = result(rita.request("again", "qa.ask", askParams(f, "Question 0", "k0")));
      assertThat(replay.getBoolean("replayed")).isTrue();
      assertThat(stored(f)).isEqualTo(QaRoutes.ASKS_PER_MINUTE);
      // within a budget of their own, which every keyed ask past the asking budget takes from (three
      // so far: "k-over", "k-new" and this one): past it, replays are refused too (no statement runs)
      for (int i = 3; i < QaRoutes.REPLAYS_PER_MINUTE; i++) {
        assertThat(result(rita.request("again" + i, "qa.ask", askParams(f, "Question 1", "k1"))).getBoolean("replayed"))
            .isTrue();
      }
      assertThat(errorType(rita.request("again-over", "qa.ask", askParams(f, "Question 1", "k1"))))
          .endsWith("/too-many-questions");
      assertThat(stored(f)).isEqualTo(QaRoutes.ASKS_PER_MINUTE);
    }
  }

  @Test
  void refusedSocketsAskAndVoteNothingAndARevokedPersonsSocketEnds() {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    long question = ask(f, f.inPerson(), "Already here", false).getLong("id");
    long before = stored(f);
    int published = QaApiTest.messages(QaService.moderationTopic(f.session())).size();
    // another event's moderator and organizer: their sessions are of that event
    for (String token : List.of(other.moderator(), other.organizer())) {
      try (LiveClient stranger = LiveClient.connect(server.vertx, server, token)) {
        assertThat(errorType(stranger.request("a", "qa.ask", askParams(f, "Hi", null)))).endsWith("/other-event");
        assertThat(errorType(stranger.request("v", "qa.vote", voteParams(f, question, true)))).endsWith("/other-event");
        // a bad request of a refused caller hears the refusal, not what is wrong with it
        assertThat(errorType(stranger.request("b", "qa.ask", askParams(f, "", null)))).endsWith("/other-event");
        assertThat(errorType(stranger.request("n", "qa.ask", askParams(f, "Hi", null).put("event", "no-such-event"))))
            .endsWith("/not-found");
      }
    }
    // an anonymous socket may send no requests
    try (LiveClient anonymous = LiveClient.connect(server.vertx, server, null)) {
      assertThat(anonymous.request("a", "qa.ask", askParams(f, "Hi", null)).getJsonObject("error").getInteger("status"))
          .isEqualTo(401);
    }
    // a person who holds no role in the event any more (their socket still open): 403, as by HTTP
    try (LiveClient ian = LiveClient.connect(server.vertx, server, f.inPerson())) {
      await(server.server.pool().preparedQuery(
          "delete from event_roles where event_id = $1 and person_id = (select id from people where email = $2)")
          .execute(Tuple.of(f.eventId(), "room-" + f.slug() + "@example.org")));
      assertThat(errorType(ian.request("a", "qa.ask", askParams(f, "No role", null)))).endsWith("/forbidden");
      assertThat(errorType(ian.request("v", "qa.vote", voteParams(f, question, true)))).endsWith("/forbidden");
      await(server.server.pool().preparedQuery("insert into event_roles (event_id, person_id, role) "
          + "select $1, id, 'attendee' from people where email = $2")
          .execute(Tuple.of(f.eventId(), "room-" + f.slug() + "@example.org")));
    }
    // a revoked person's open socket: refused at once (not at the next presence round), and it ends
    try (LiveClient rita = LiveClient.connect(server.vertx, server, f.remote());
        LiveClient ian = LiveClient.connect(server.vertx, server, f.inPerson())) {
      await(server.server.events().revoke(f.remoteId()));
      JsonObject refused = rita.request("a", "qa.ask", askParams(f, "After revocation", null));
      assertThat(errorType(refused)).endsWith("/session-ended");
      assertThat(rita.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 4003);
      // a logged-out session's socket: the same, for voting
      assertThat(call(HttpMethod.POST, "/api/auth/logout", f.inPerson(), null).statusCode()).isEqualTo(204);
      JsonObject vote = ian.request("v", "qa.vote", voteParams(f, question, true));
      assertThat(errorType(vote)).endsWith("/session-ended");
      assertThat(ian.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 4003);
    }
    assertThat(stored(f)).isEqualTo(before);
    assertThat(await(server.server.pool().preparedQuery("select count(*) from qa_votes where question_id = $1")
        .execute(Tuple.of(question))).iterator().next().getLong(0)).isZero();
    assertThat(QaApiTest.messages(QaService.moderationTopic(f.session()))).hasSize(published);
  }

  @Test
  void aSocketActsForNoOneOnceItsSessionExpired() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    int version = await(server.server.pool().preparedQuery("select token_version from people where id = $1")
        .execute(Tuple.of(f.remoteId()))).iterator().next().getInteger(0);
    // a session of Rita's that expires in 3 s (as every session does after CONFDAY_SESSION_TTL_MINUTES)
    String expiring = server.server.tokens().issue(dev.confday.auth.TokenType.SESSION, Long.toString(f.remoteId()),
        f.slug(), version, Duration.ofSeconds(3));
    try (LiveClient rita = LiveClient.connect(server.vertx, server, expiring)) {
      assertThat(result(rita.request("a", "qa.ask", askParams(f, "Before it expires", null))).getBoolean("replayed"))
          .isFalse();
      // once it expired, HTTP refuses the token and the socket ends (at the next heartbeat round), 4003
      assertThat(rita.awaitClose(Duration.ofSeconds(15))).isEqualTo((short) 4003);
      assertThat(call(HttpMethod.GET, f.base() + "/qa", expiring, null).statusCode()).isEqualTo(401);
    }
    assertThat(stored(f)).isEqualTo(1);
  }
}
