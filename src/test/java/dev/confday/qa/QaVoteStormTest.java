package dev.confday.qa;

import static dev.confday.TestServer.await;
import static dev.confday.qa.QaApiTest.ask;
import static dev.confday.qa.QaApiTest.call;
import static dev.confday.qa.QaApiTest.fixture;
import static dev.confday.qa.QaApiTest.ok;
import static dev.confday.qa.QaApiTest.open;
import static dev.confday.qa.QaApiTest.questions;
import static dev.confday.qa.QaApiTest.send;
import static dev.confday.qa.QaApiTest.voteMessages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import dev.confday.TestServer;
import dev.confday.live.LiveMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Vote storms: exact counts, few coalesced live messages, also with two instances on one database. */
class QaVoteStormTest extends ServerTestBase {

  static long count(QaApiTest.Fixture f, long id) {
    return questions(f, f.moderator(), "votes").stream().filter(q -> q.getLong("id") == id).findFirst().orElseThrow()
        .getLong("votes");
  }

  @Test
  void twoHundredConcurrentVotesFromTwoHundredPeopleGiveAHandfulOfMessagesAndExactCounts() throws Exception {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    List<String> voters = QaModerationTest.voters(f, "storm", 200);
    long id = ask(f, f.remote(), "The popular one", false).getLong("id");
    long quiet = ask(f, f.inPerson(), "The quiet one", false).getLong("id");
    String topic = QaService.topic(f.session());
    long before = QaApiTest.messages(topic).size();

    // a real subscriber sees what clients see
    TestServer server = QaApiTest.server;
    WebSocketClient client = server.vertx.createWebSocketClient();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    try {
      String ticket = ok(call(HttpMethod.POST, "/api/live/ticket", f.inPerson(), null), 200).getString("ticket");
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(server.port())
          .setURI("/live?ticket=" + ticket).addHeader("Origin", server.baseUrl())));
      ws.textMessageHandler(t -> received.add(new JsonObject(t)));
      await(ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", topic).encode()));

      // twenty requests in flight at once (more only wait for a database connection)
      WebClient wide = WebClient.create(server.vertx, new WebClientOptions().setDefaultHost("localhost")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(20));
      long t0 = System.nanoTime();
      List<Future<HttpResponse<Buffer>>> storm = new ArrayList<>();
      for (String t : voters) {
        storm.add(wide.put(f.base() + "/questions/" + id + "/vote").bearerTokenAuthentication(t).send());
      }
      await(Future.join(storm));
      long stormMs = (System.nanoTime() - t0) / 1_000_000;
      storm.forEach(r -> assertThat(r.result().statusCode()).as(r.result().bodyAsString()).isEqualTo(200));
      assertThat(count(f, id)).isEqualTo(200);

      List<LiveMessage> votes = voteMessages(topic, id, 200);
      System.out.printf("200 votes in %d ms: %d vote messages on %s%n", stormMs, votes.size(), topic);
      // at most one per flush interval while the storm lasted, plus the last ones after it
      assertThat(votes).hasSizeLessThanOrEqualTo((int) (stormMs / VoteCoalescer.INTERVAL_MS) + 3)
          .hasSizeLessThan(50);
      assertThat(votes).allMatch(m -> m.payload().getLong("id") == id);
      // nothing else was published for the storm
      assertThat(QaApiTest.messages(topic)).hasSize((int) before + votes.size());
      assertThat(voteMessages(QaService.moderationTopic(f.session()), id, 200)).hasSize(votes.size());
      wide.close();

      // withdrawing half while the other half of a second question fills: both end exact
      List<Future<HttpResponse<Buffer>>> mixed = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        mixed.add(i % 2 == 0 ? send(HttpMethod.DELETE, f.base() + "/questions/" + id + "/vote", voters.get(i), null)
            : send(HttpMethod.PUT, f.base() + "/questions/" + quiet + "/vote", voters.get(i), null));
      }
      await(Future.join(mixed));
      mixed.forEach(r -> assertThat(r.result().statusCode()).isEqualTo(200));
      assertThat(count(f, id)).isEqualTo(100);
      assertThat(count(f, quiet)).isEqualTo(100);
      voteMessages(topic, id, 100);
      voteMessages(topic, quiet, 100);
      // and the live client ended with the exact counts
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline && !(lastVotes(received, id) == 100
          && lastVotes(received, quiet) == 100)) {
        Thread.sleep(20);
      }
      assertThat(lastVotes(received, id)).isEqualTo(100);
      assertThat(lastVotes(received, quiet)).isEqualTo(100);
    } finally {
      await(client.close());
    }
  }

  @Test
  void settingsChangedDuringAVoteStormAllSucceedAndTheCountsStayExact() throws Exception {
    // a settings change publishes to the session's topic and its moderation topic, as each vote
    // flush does: they must take the topics' sequence rows in one order (a deadlock was a 500)
    QaApiTest.Fixture f = fixture();
    open(f, false);
    List<String> voters = QaModerationTest.voters(f, "mixed", 80);
    long id = ask(f, f.remote(), "Voted on while settings change", false).getLong("id");
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < voters.size(); i++) {
      calls.add(send(HttpMethod.PUT, f.base() + "/questions/" + id + "/vote", voters.get(i), null));
      if (i % 2 == 0) {
        calls.add(send(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("fairOrder", i % 4 == 0)));
      }
    }
    await(Future.join(calls));
    calls.forEach(r -> assertThat(r.result().statusCode()).as(r.result().bodyAsString()).isEqualTo(200));
    assertThat(count(f, id)).isEqualTo(80);
    voteMessages(QaService.topic(f.session()), id, 80);
  }

  private static long lastVotes(List<JsonObject> frames, long id) {
    long last = -1;
    for (JsonObject frame : frames) {
      JsonObject data = frame.getJsonObject("data");
      if ("message".equals(frame.getString("type")) && data != null && "votes".equals(data.getString("type"))
          && data.getLong("id") == id) {
        last = data.getLong("votes");
      }
    }
    return last;
  }

  @Test
  void votesThroughTwoInstancesOfOneDatabaseEndExactInTheLastMessage() throws Exception {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    List<String> voters = QaModerationTest.voters(f, "twin", 60);
    long id = ask(f, f.remote(), "Counted everywhere", false).getLong("id");
    try (TestServer second = TestServer.start(QaApiTest.server.database, Map.of())) {
      List<Future<HttpResponse<Buffer>>> storm = new ArrayList<>();
      for (int i = 0; i < voters.size(); i++) {
        TestServer via = i % 2 == 0 ? QaApiTest.server : second;
        storm.add(via.client.put(f.base() + "/questions/" + id + "/vote").bearerTokenAuthentication(voters.get(i))
            .send());
      }
      await(Future.join(storm));
      storm.forEach(r -> assertThat(r.result().statusCode()).as(r.result().bodyAsString()).isEqualTo(200));
      assertThat(count(f, id)).isEqualTo(60);
      List<LiveMessage> votes = voteMessages(QaService.topic(f.session()), id, 60);
      // flushes of one session are ordered over the instances: the counts never go back
      List<Long> counts = votes.stream().map(m -> m.payload().getLong("votes")).toList();
      assertThat(counts).isSorted();
      assertThat(counts).hasSizeLessThan(60);
    }
  }

  @Test
  void votesAnInstanceCommittedButNeverPublishedAreSweptOutWithTheExactCount() throws Exception {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "Voted on a dying instance", false).getLong("id");
    List<String> voters = QaModerationTest.voters(f, "orphan", 3);
    for (String voter : voters) {
      assertThat(QaApiTest.call(HttpMethod.PUT, f.base() + "/questions/" + id + "/vote", voter, null).statusCode())
          .isEqualTo(200);
    }
    voteMessages(QaService.topic(f.session()), id, 3);
    // what an instance killed between a vote's commit and its flush leaves: the vote and its change row
    await(QaApiTest.server.server.pool().preparedQuery("""
        with v as (insert into qa_votes (question_id, person_id) values ($1, $2))
        insert into qa_vote_changes (session_id, question_id, changed_at) values ($3, $1, now() - interval '1 minute')""")
        .execute(io.vertx.sqlclient.Tuple.of(id, f.remoteId(), f.session())));
    // no instance here was told of it: only the sweep can publish it
    List<LiveMessage> votes = voteMessages(QaService.topic(f.session()), id, 4);
    assertThat(votes.get(votes.size() - 1).payload().getLong("votes")).isEqualTo(4);
    assertThat(count(f, id)).isEqualTo(4);
  }

  @Test
  void votesTakenInTogetherGoAsOneBatchInOrderAndAFailedBatchLosesNone() throws Exception {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "Batched", false).getLong("id");
    List<String> voters = QaModerationTest.voters(f, "batch", 10);
    List<dev.confday.auth.CallerCheck> checks = new ArrayList<>();
    for (String voter : voters) {
      checks.add(dev.confday.auth.CallerCheck.of(f.slug(),
          await(QaApiTest.server.server.tokens().verify(voter, dev.confday.auth.TokenType.SESSION)),
          java.util.Set.of(dev.confday.auth.Role.ATTENDEE)));
    }
    VoteBatches batches = QaApiTest.server.server.qa().voteBatches();
    java.time.Instant now = java.time.Instant.now();
    // voter 0 ups twice, voter 1 ups then withdraws, voters 2..9 up once: 12 votes in one loop turn (and one more)
    List<io.vertx.sqlclient.Tuple> args = new ArrayList<>();
    args.add(QaRepository.voteArgs(checks.get(0), f.session(), id, true, now));
    args.add(QaRepository.voteArgs(checks.get(0), f.session(), id, true, now));
    args.add(QaRepository.voteArgs(checks.get(1), f.session(), id, true, now));
    args.add(QaRepository.voteArgs(checks.get(1), f.session(), id, false, now));
    for (int i = 2; i < 10; i++) {
      args.add(QaRepository.voteArgs(checks.get(i), f.session(), id, true, now));
    }
    // and first, a vote on a later question: the batch goes question by question (the order a
    // merge locks rows in), each vote still answered with its own row
    long later = ask(f, f.remote(), "Asked later", false).getLong("id");
    args.add(0, QaRepository.voteArgs(checks.get(0), f.session(), later, true, now));
    long before = batches.batches();
    List<io.vertx.sqlclient.Row> all = castTogether(batches, args);
    assertThat(batches.batches() - before).as("one batch").isEqualTo(1);
    assertThat(all.get(0).getLong("votes")).isEqualTo(1);
    assertThat(all.get(0).getBoolean("changed")).isTrue();
    List<io.vertx.sqlclient.Row> rows = all.subList(1, all.size());
    assertThat(rows).hasSize(12);
    // each statement saw the ones before it: the second up changed nothing, the withdrawal did
    assertThat(rows.get(0).getBoolean("changed")).isTrue();
    assertThat(rows.get(1).getBoolean("changed")).isFalse();
    assertThat(rows.get(3).getBoolean("changed")).isTrue();
    assertThat(rows.get(3).getBoolean("voted")).isFalse();
    assertThat(rows.get(11).getLong("votes")).isEqualTo(9);
    assertThat(count(f, id)).isEqualTo(9);

    // a batch PostgreSQL refuses as a whole (here one vote's arguments cannot be sent): each vote
    // goes again on its own, the good ones count, the bad one alone fails
    List<io.vertx.sqlclient.Tuple> mixed = new ArrayList<>();
    mixed.add(QaRepository.voteArgs(checks.get(1), f.session(), id, true, now));
    io.vertx.sqlclient.Tuple good = QaRepository.voteArgs(checks.get(2), f.session(), id, false, now);
    io.vertx.sqlclient.Tuple bad = io.vertx.sqlclient.Tuple.tuple().addValue("not a session id");
    for (int i = 1; i < good.size(); i++) {
      bad.addValue(good.getValue(i));
    }
    mixed.add(bad);
    mixed.add(QaRepository.voteArgs(checks.get(3), f.session(), id, false, now));
    List<Future<io.vertx.sqlclient.Row>> answers = castTogetherFutures(batches, mixed);
    await(Future.join(answers).transform(ar -> Future.succeededFuture()));
    assertThat(answers.get(0).succeeded()).isTrue();
    assertThat(answers.get(1).failed()).isTrue();
    assertThat(answers.get(2).succeeded()).isTrue();
    // voter 1 is back in, voter 2's withdrawal never happened, voter 3 is out: 9 + 1 - 1
    assertThat(count(f, id)).isEqualTo(9);
    assertThat(await(QaApiTest.server.server.pool().preparedQuery(
        "select count(*) from qa_votes where question_id = $1").execute(io.vertx.sqlclient.Tuple.of(id)))
        .iterator().next().getLong(0)).isEqualTo(9);
  }

  /** Casts all of {@code args} from one turn of one of the server's event loops, as requests read together are. */
  private static List<Future<io.vertx.sqlclient.Row>> castTogetherFutures(VoteBatches batches,
      List<io.vertx.sqlclient.Tuple> args) throws Exception {
    java.util.concurrent.CompletableFuture<List<Future<io.vertx.sqlclient.Row>>> cast =
        new java.util.concurrent.CompletableFuture<>();
    QaApiTest.server.vertx.getOrCreateContext().runOnContext(v ->
        cast.complete(args.stream().map(batches::cast).toList()));
    return cast.get(10, TimeUnit.SECONDS);
  }

  private static List<io.vertx.sqlclient.Row> castTogether(VoteBatches batches, List<io.vertx.sqlclient.Tuple> args)
      throws Exception {
    List<Future<io.vertx.sqlclient.Row>> answers = castTogetherFutures(batches, args);
    return answers.stream().map(dev.confday.TestServer::await).toList();
  }
}
