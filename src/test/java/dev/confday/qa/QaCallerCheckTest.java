package dev.confday.qa;

import static dev.confday.TestServer.await;
import static dev.confday.qa.QaApiTest.ask;
import static dev.confday.qa.QaApiTest.call;
import static dev.confday.qa.QaApiTest.fixture;
import static dev.confday.qa.QaApiTest.ok;
import static dev.confday.qa.QaApiTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Asking and voting check the caller inside their own statement (no query of the access check's
 * own): every refusal is the one the access check gives on a route it guards (the Q&A settings of
 * the same session, asked with the same token), and a refused caller stores nothing, publishes
 * nothing and keeps their asking budget.
 */
class QaCallerCheckTest extends ServerTestBase {

  /** What a refused caller meets when asking and voting, next to what the access check says. */
  private record Refusal(int status, String type) {
    static Refusal of(HttpResponse<Buffer> r) {
      String type = r.statusCode() >= 400 ? r.bodyAsJsonObject().getString("type") : null;
      return new Refusal(r.statusCode(), type);
    }
  }

  private static void refusedLikeTheAccessCheck(QaApiTest.Fixture f, String token, long question, int status,
      String typeEnd) {
    Refusal gate = Refusal.of(call(HttpMethod.GET, f.base() + "/qa", token, null));
    assertThat(gate.status()).as("the access check's own answer").isEqualTo(status);
    if (typeEnd != null) {
      assertThat(gate.type()).endsWith(typeEnd);
    }
    HttpResponse<Buffer> asked = call(HttpMethod.POST, f.base() + "/questions", token,
        new JsonObject().put("text", "Refused?").put("anonymous", false));
    assertThat(Refusal.of(asked)).as(asked.bodyAsString()).isEqualTo(gate);
    assertThat(asked.getHeader("Content-Type")).startsWith("application/problem+json");
    for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.DELETE)) {
      HttpResponse<Buffer> voted = call(method, f.base() + "/questions/" + question + "/vote", token, null);
      assertThat(Refusal.of(voted)).as(method + " vote: " + voted.bodyAsString()).isEqualTo(gate);
      // a request that is wrong besides (a path that names no question) is refused all the same
      HttpResponse<Buffer> badPath = call(method, f.base() + "/questions/not-a-number/vote", token, null);
      assertThat(Refusal.of(badPath)).as(method + " vote, bad path: " + badPath.bodyAsString()).isEqualTo(gate);
    }
    // and an ask with a bad body: the refusal, not what was wrong with the body
    for (JsonObject bad : List.of(new JsonObject().put("text", ""), new JsonObject().put("text", "x").put("anonymous", 1))) {
      HttpResponse<Buffer> r = call(HttpMethod.POST, f.base() + "/questions", token, bad);
      assertThat(Refusal.of(r)).as("ask " + bad.encode() + ": " + r.bodyAsString()).isEqualTo(gate);
    }
  }

  private static long stored(QaApiTest.Fixture f, String table) {
    String sql = table.equals("qa_questions")
        ? "select count(*) from qa_questions where session_id = $1"
        : "select count(*) from qa_votes v join qa_questions q on q.id = v.question_id where q.session_id = $1";
    return await(server.server.pool().preparedQuery(sql).execute(Tuple.of(f.session()))).iterator().next().getLong(0);
  }

  private static int messages(QaApiTest.Fixture f) {
    return QaApiTest.messages(QaService.moderationTopic(f.session())).size();
  }

  @Test
  void everyRefusalOfTheAccessCheckHoldsForAskingAndVotingAndLeavesNothing() throws Exception {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    long question = ask(f, f.remote(), "Already here", false).getLong("id");
    long questions = stored(f, "qa_questions");
    long votes = stored(f, "qa_votes");
    int published = messages(f);

    // no token, a token that is no token, a token of another type (a live ticket)
    refusedLikeTheAccessCheck(f, null, question, 401, null);
    refusedLikeTheAccessCheck(f, "not.a.token", question, 401, null);
    String ticket = ok(call(HttpMethod.POST, "/api/live/ticket", f.inPerson(), null), 200).getString("ticket");
    Refusal wrongType = Refusal.of(call(HttpMethod.GET, f.base() + "/qa", ticket, null));
    assertThat(wrongType.status()).isIn(401, 403);
    refusedLikeTheAccessCheck(f, ticket, question, wrongType.status(), wrongType.type());
    // another event's organizer and moderator: sessions of that event
    refusedLikeTheAccessCheck(f, other.organizer(), question, 403, "/other-event");
    refusedLikeTheAccessCheck(f, other.moderator(), question, 403, "/other-event");
    // an event that does not exist
    QaApiTest.Fixture nowhere = new QaApiTest.Fixture("no-such-event", 0, f.session(), null, null, null, null, 0);
    refusedLikeTheAccessCheck(nowhere, f.inPerson(), question, 404, null);

    // a person who holds no role in the event any more
    String roomEmail = "room-" + f.slug() + "@example.org";
    await(server.server.pool().preparedQuery(
        "delete from event_roles where event_id = $1 and person_id = (select id from people where email = $2)")
        .execute(Tuple.of(f.eventId(), roomEmail)));
    refusedLikeTheAccessCheck(f, f.inPerson(), question, 403, null);

    // a session that was logged out
    String second = server.sessionFor(f.slug(), "remote-" + f.slug() + "@example.org");
    assertThat(call(HttpMethod.POST, "/api/auth/logout", second, null).statusCode()).isEqualTo(204);
    refusedLikeTheAccessCheck(f, second, question, 401, "/session-ended");
    // a revoked person: every session of theirs ends at once
    await(server.server.events().revoke(f.remoteId()));
    refusedLikeTheAccessCheck(f, f.remote(), question, 401, "/session-ended");

    // nothing was stored, voted or published by any of them
    assertThat(stored(f, "qa_questions")).isEqualTo(questions);
    assertThat(stored(f, "qa_votes")).isEqualTo(votes);
    assertThat(messages(f)).isEqualTo(published);

  }

  @Test
  void anAdmittedCallerWithABadRequestHearsWhatIsWrongWithIt() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    HttpResponse<Buffer> empty = call(HttpMethod.POST, f.base() + "/questions", f.inPerson(),
        new JsonObject().put("text", " "));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.bodyAsJsonObject().getString("type")).endsWith("/validation");
    HttpResponse<Buffer> badPath = call(HttpMethod.PUT, f.base() + "/questions/x/vote", f.inPerson(), null);
    assertThat(badPath.statusCode()).isEqualTo(404);
    assertThat(badPath.bodyAsJsonObject().getString("detail")).contains("question 'x'");
    // and the bad ask spent none of the budget: five good ones still go through
    for (int i = 0; i < QaRoutes.ASKS_PER_MINUTE; i++) {
      ask(f, f.inPerson(), "Good " + i, false);
    }
  }

  @Test
  void refusedAsksDoNotSpendThePersonsAskingBudget() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    String stale = f.remote();
    await(server.server.events().revoke(f.remoteId()));
    for (int i = 0; i < QaRoutes.ASKS_PER_MINUTE + 3; i++) {
      // a well-formed ask and one with a bad body: neither spends anything
      HttpResponse<Buffer> r = call(HttpMethod.POST, f.base() + "/questions", stale,
          new JsonObject().put("text", "Stale " + i).put("anonymous", false));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(401);
      HttpResponse<Buffer> bad = call(HttpMethod.POST, f.base() + "/questions", stale, new JsonObject().put("text", ""));
      assertThat(bad.statusCode()).as(bad.bodyAsString()).isEqualTo(401);
    }
    // nor does another event's session of the same person (what that event's organizers could hand out)
    QaApiTest.Fixture other = fixture();
    String elsewhere = other.organizer();
    for (int i = 0; i < QaRoutes.ASKS_PER_MINUTE + 3; i++) {
      HttpResponse<Buffer> r = call(HttpMethod.POST, f.base() + "/questions", elsewhere,
          new JsonObject().put("text", "Elsewhere " + i));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(403);
    }
    // the person logs in again: their whole budget is there, and then it is spent
    String fresh = server.sessionFor(f.slug(), "remote-" + f.slug() + "@example.org");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < QaRoutes.ASKS_PER_MINUTE; i++) {
      ids.add(ask(f, fresh, "Fresh " + i, false).getLong("id"));
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(QaRoutes.ASKS_PER_MINUTE);
    HttpResponse<Buffer> over = call(HttpMethod.POST, f.base() + "/questions", fresh,
        new JsonObject().put("text", "One too many").put("anonymous", false));
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.bodyAsJsonObject().getString("type")).endsWith("/too-many-questions");
  }
}
