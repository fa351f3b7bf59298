package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realtime backbone end to end: server instances on one PostgreSQL database, real
 * WebSocket clients (and a raw socket for a client that stops reading). Instances a and b poll
 * for missed notifications only once a minute, so whatever reaches their clients within seconds
 * came through NOTIFY and the feeds; instance c polls twice a second, for the lost-NOTIFY case.
 */
class LiveBackboneTest {
  private static final Map<String, String> ENV = Map.of(
      "CONFDAY_LIVE_RETENTION_MESSAGES", "50",
      "CONFDAY_LIVE_PRUNE_SECONDS", "3600",
      "CONFDAY_LIVE_SLOW_CONSUMER_MS", "1000",
      "CONFDAY_LIVE_POLL_MS", "60000",
      "CONFDAY_LIVE_PRESENCE_MS", "60000");
  private static Database db;
  private static TestServer a;
  private static TestServer b;
  private static TestServer c;
  private static Vertx clients;
  private static String slug;

  @BeforeAll
  static void start() {
    db = TestDatabase.migratedDatabase();
    a = TestServer.start(db, ENV);
    b = TestServer.start(db, ENV);
    Map<String, String> polling = new HashMap<>(ENV);
    polling.put("CONFDAY_LIVE_POLL_MS", "500");
    c = TestServer.start(db, polling);
    slug = a.seedDemo();
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    c.close();
    b.close();
    a.close();
  }

  private static long publish(TestServer server, String topic, JsonObject payload) {
    return await(server.publish(topic, payload));
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  @Test
  void messagePublishedThroughOneInstanceReachesClientsOfBothWithinSecondsThroughNotify() {
    String topic = "event:" + slug + ":schedule";
    try (LiveClient onA = LiveClient.connect(clients, a, null); LiveClient onB = LiveClient.connect(clients, b, null)) {
      assertThat(onA.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      assertThat(onB.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      long notifiesBefore = a.server.live().stats().notifies();

      long seq = publish(a, topic, new JsonObject().put("change", "talk moved").put("room", "Ballroom A"));

      // b polls once a minute: only a's NOTIFY can bring this within 3 s
      JsonObject got = onB.awaitMessage(m -> "message".equals(m.getString("type")) && m.getLong("seq") == seq,
          Duration.ofSeconds(3));
      assertThat(got.getString("topic")).isEqualTo(topic);
      assertThat(got.getJsonObject("data")).isEqualTo(new JsonObject().put("change", "talk moved").put("room", "Ballroom A"));
      onA.awaitSeq(topic, seq, Duration.ofSeconds(3));
      assertThat(a.server.live().stats().notifies()).isGreaterThan(notifiesBefore);
    }
  }

  @Test
  void messageWhoseNotificationWasLostStillArrivesThroughThePoll() {
    String topic = "event:" + slug + ":schedule";
    try (LiveClient onB = LiveClient.connect(clients, c, null)) {
      long start = onB.subscribe(topic, null).getLong("seq");
      // written behind the backbone's back: no NOTIFY at all
      await(a.server.pool().withTransaction(tx -> tx.preparedQuery(
              "update live_topics set last_seq = last_seq + 1 where topic = $1 returning last_seq")
          .execute(Tuple.of(topic)).compose(rows -> tx.preparedQuery(
              "insert into live_messages (topic, seq, payload) values ($1, $2, $3)")
              .execute(Tuple.of(topic, rows.iterator().next().getLong(0), new JsonObject().put("silent", true))))));

      onB.awaitSeq(topic, start + 1, Duration.ofSeconds(10));
      assertThat(onB.seqs(topic)).containsExactly(start + 1);
    }
  }

  @Test
  void clientThatDropsMidStreamAndResumesElsewhereEndsContiguousWithoutDuplicates() throws Exception {
    String topic = "event:" + slug + ":schedule";
    int total = 300;
    LiveClient first = LiveClient.connect(clients, a, null);
    long start = first.subscribe(topic, null).getLong("seq");
    CompletableFuture<Long> publishing = CompletableFuture.supplyAsync(() -> {
      long last = 0;
      for (int i = 0; i < total; i++) {
        last = publish(i % 2 == 0 ? a : b, topic, new JsonObject().put("i", i));
      }
      return last;
    });
    first.awaitSeq(topic, start + 40, Duration.ofSeconds(20));
    first.ws.close().toCompletionStage().toCompletableFuture().get(); // the drop, mid-stream
    List<Long> before = first.seqs(topic);
    long lastSeen = before.get(before.size() - 1);

    try (LiveClient second = LiveClient.connect(clients, b, null)) {
      JsonObject reply = second.subscribe(topic, lastSeen);
      assertThat(reply.getString("type")).isEqualTo("subscribed");
      assertThat(reply.getLong("seq")).isEqualTo(lastSeen);
      long end = publishing.get(60, java.util.concurrent.TimeUnit.SECONDS);
      second.awaitSeq(topic, end, Duration.ofSeconds(20));

      List<Long> all = new ArrayList<>(before);
      all.addAll(second.seqs(topic));
      assertThat(end - start).isGreaterThanOrEqualTo(total);
      assertThat(all).containsExactlyElementsOf(range(start + 1, end));
      assertThat(lastSeen).isLessThan(end);
    } finally {
      first.close();
    }
  }

  @Test
  void resumeFromBeyondWhatIsKeptGetsResyncAndRecentResumeGetsTheRest() {
    String topic = "event:" + slug + ":posters";
    long last = 0;
    for (int i = 0; i < 80; i++) {
      last = publish(a, topic, new JsonObject().put("poster", i));
    }
    assertThat(await(a.server.live().prune())).isGreaterThanOrEqualTo(30);

    try (LiveClient old = LiveClient.connect(clients, b, null); LiveClient recent = LiveClient.connect(clients, a, null)) {
      JsonObject reply = old.subscribe(topic, last - 75);
      assertThat(reply.getString("type")).isEqualTo("resync");
      assertThat(reply.getLong("seq")).isEqualTo(last);

      JsonObject ok = recent.subscribe(topic, last - 10);
      assertThat(ok.getString("type")).isEqualTo("subscribed");
      recent.awaitSeq(topic, last, Duration.ofSeconds(10));
      assertThat(recent.seqs(topic)).containsExactlyElementsOf(range(last - 9, last));

      long next = publish(b, topic, new JsonObject().put("poster", "after resync"));
      old.awaitSeq(topic, next, Duration.ofSeconds(10));
      assertThat(old.seqs(topic)).containsExactly(next);
    }
  }

  @Test
  void pageFromForeignOriginIsRefusedBeforeTheUpgrade() {
    var response = await(a.client.get("/live?ticket=" + LiveClient.ticket(a, null))
        .putHeader("Origin", "https://evil.example").putHeader("Upgrade", "websocket")
        .putHeader("Connection", "Upgrade").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .putHeader("Sec-WebSocket-Version", "13").send());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/origin-not-allowed");

    assertThatThrownBy(() -> LiveClient.connect(clients, a, LiveClient.ticket(a, null), "https://evil.example"))
        .hasRootCauseInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootCause(e)).getStatus()).isEqualTo(403));
  }

  @Test
  void ticketOpensOneConnectionOnlyEvenOnAnotherInstance() {
    String ticket = LiveClient.ticket(a, null);
    try (LiveClient first = LiveClient.connect(clients, a, ticket, a.baseUrl())) {
      assertThat(first.received().get(0).getBoolean("anonymous")).isTrue();
      assertThatThrownBy(() -> LiveClient.connect(clients, b, ticket, b.baseUrl()))
          .satisfies(e -> assertThat(((UpgradeRejectedException) rootCause(e)).getStatus()).isEqualTo(401));
    }
    assertThatThrownBy(() -> LiveClient.connect(clients, a, "not-a-ticket", a.baseUrl()))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootCause(e)).getStatus()).isEqualTo(401));
  }

  @Test
  void moderationQueueIsForModeratorsOnly() {
    String topic = "session:3:moderation";
    try (LiveClient attendee = LiveClient.connect(clients, a, a.sessionFor(slug, "grace.kim@example.org"));
        LiveClient moderator = LiveClient.connect(clients, b, b.sessionFor(slug, "chiara.rossi@example.org"));
        LiveClient anonymous = LiveClient.connect(clients, a, null)) {
      JsonObject refused = attendee.subscribe(topic, null);
      assertThat(refused.getString("type")).isEqualTo("error");
      assertThat(refused.getString("code")).isEqualTo("forbidden");
      assertThat(attendee.subscribe("session:3:qa", null).getString("type")).isEqualTo("subscribed");
      assertThat(anonymous.subscribe("session:3:qa", null).getString("code")).isEqualTo("unauthorized");
      assertThat(anonymous.subscribe("event:" + slug + ":checkins", null).getString("code")).isEqualTo("unauthorized");
      assertThat(anonymous.subscribe("event:no-such-event:schedule", null).getString("code")).isEqualTo("not-found");
      assertThat(anonymous.subscribe("nonsense", null).getString("code")).isEqualTo("unknown-topic");

      assertThat(moderator.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      long seq = publish(a, topic, new JsonObject().put("question", "pending"));
      moderator.awaitSeq(topic, seq, Duration.ofSeconds(10));
      assertThat(attendee.seqs(topic)).isEmpty();
    }
  }

  @Test
  void oversizedFrameClosesWith1009() {
    try (LiveClient client = LiveClient.connect(clients, a, null)) {
      client.ws.writeFinalTextFrame("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
      assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1009);
    }
  }

  @Test
  void floodOfMessagesIsCutWithPolicyViolation() {
    try (LiveClient client = LiveClient.connect(clients, a, null)) {
      for (int i = 0; i < 100 && !client.ws.isClosed(); i++) {
        client.ws.writeTextMessage("{\"type\":\"ping\"}");
      }
      assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1008);
      assertThat(client.received()).anySatisfy(m -> assertThat(m.getString("code")).isEqualTo("rate-limited"));
    }
  }

  @Test
  void clientThatStopsReadingIsDroppedWithinSecondsWhileOthersKeepReceiving() throws Exception {
    String topic = "event:" + slug + ":schedule";
    long slowBefore = a.server.live().stats().slowConsumers();
    String pad = "y".repeat(8000);
    try (LiveClient good = LiveClient.connect(clients, a, null);
        RawWebSocket stalled = new RawWebSocket(a.port(), "/live?ticket=" + LiveClient.ticket(a, null), 4096)) {
      long start = good.subscribe(topic, null).getLong("seq");
      stalled.sendText(new JsonObject().put("type", "subscribe").put("topic", topic).encode());
      // the stalled socket never reads again from here on; its write queue is full for 1 s at most
      long began = System.nanoTime();
      long deadline = began + Duration.ofSeconds(8).toNanos();
      long last = start;
      while (a.server.live().stats().slowConsumers() == slowBefore && System.nanoTime() < deadline) {
        List<Future<Long>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(a.server.pool().withTransaction(tx -> a.server.live().publish(tx, topic, new JsonObject().put("pad", pad))));
        }
        await(Future.all(batch));
        last = batch.stream().mapToLong(Future::result).max().orElseThrow();
        // meanwhile the good client keeps up
        good.awaitSeq(topic, last, Duration.ofSeconds(2));
      }
      long droppedAfterMs = (System.nanoTime() - began) / 1_000_000;
      assertThat(a.server.live().stats().slowConsumers()).as("dropped within 8 s").isEqualTo(slowBefore + 1);
      assertThat(droppedAfterMs).isLessThan(8_000);
      // the others are unaffected: everything, in order
      for (int i = 0; i < 20; i++) {
        last = publish(a, topic, new JsonObject().put("after", i));
      }
      good.awaitSeq(topic, last, Duration.ofSeconds(30));
      assertThat(good.seqs(topic)).containsExactlyElementsOf(range(start + 1, last));
      // and the stalled client, once it reads, finds the reason at the end of its stream
      List<RawWebSocket.Frame> frames = stalled.readUntilEnd(10_000);
      RawWebSocket.Frame lastFrame = frames.get(frames.size() - 1);
      assertThat(lastFrame.opcode()).isEqualTo(0x8);
      assertThat(lastFrame.closeCode()).isEqualTo(4001);
    }
  }

  @Test
  void burstOfPublishesWakesOtherInstancesWithFewNotifications() {
    String topic = "event:" + slug + ":checkins";
    PgConnection listener = await(PgConnection.connect(clients, db.connectOptions()));
    AtomicInteger notifications = new AtomicInteger();
    listener.notificationHandler(n -> notifications.incrementAndGet());
    await(listener.query("listen confday_live").execute());
    try (LiveClient door = LiveClient.connect(clients, b, b.sessionFor(slug, "elena.garcia@example.org"))) {
      long start = door.subscribe(topic, null).getLong("seq");
      List<Future<Long>> burst = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        burst.add(a.server.pool().withTransaction(tx -> a.server.live().publish(tx, topic, new JsonObject().put("badge", 1))));
      }
      await(Future.all(burst));
      door.awaitSeq(topic, start + 200, Duration.ofSeconds(20));
      assertThat(door.seqs(topic)).containsExactlyElementsOf(range(start + 1, start + 200));
      assertThat(notifications.get()).isBetween(1, 40);
    } finally {
      await(listener.close());
    }
  }

  @Test
  void presenceCountsSubscribersOfEveryInstanceByKind() {
    String topic = "room:1:stream";
    try (LiveClient inPerson = LiveClient.connect(clients, a, a.sessionFor(slug, "grace.kim@example.org"));
        LiveClient remote = LiveClient.connect(clients, b, b.sessionFor(slug, "ines.moreau@example.org"));
        LiveClient anonymous = LiveClient.connect(clients, b, null)) {
      assertThat(inPerson.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      assertThat(remote.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      assertThat(anonymous.subscribe("event:" + slug + ":schedule", null).getString("type")).isEqualTo("subscribed");
      await(a.server.live().refreshPresence());
      await(b.server.live().refreshPresence());

      Presence p = await(a.server.live().presence(topic));
      assertThat(p.sockets()).isEqualTo(2);
      assertThat(p.inPerson()).isEqualTo(1);
      assertThat(p.remote()).isEqualTo(1);

      String bearer = a.sessionFor(slug, "grace.kim@example.org");
      var response = await(a.client.get("/api/live/presence?topic=" + topic).bearerTokenAuthentication(bearer).send());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getInteger("sockets")).isEqualTo(2);
      var refused = await(a.client.get("/api/live/presence?topic=" + topic).send());
      assertThat(refused.statusCode()).isEqualTo(401);
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
