package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.Server;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fan-out on one instance with one event loop (so one hub): what is built per message, what a
 * rolled-back publish leaves, and a feed whose read from PostgreSQL fails. The safety poll is
 * set to a minute, so anything delivered within seconds came through the wake-up path.
 */
class LiveFanOutTest {
  private static TestServer server;
  private static Vertx clients;
  private static String slug;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of(
        "CONFDAY_LIVE_POLL_MS", "60000",
        "CONFDAY_LIVE_SLOW_CONSUMER_MS", "1000",
        "CONFDAY_LIVE_PRESENCE_MS", "60000",
        "CONFDAY_LIVE_PRUNE_SECONDS", "3600"), Server.vertxOptions().setEventLoopPoolSize(1));
    slug = server.seedDemo();
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    server.close();
  }

  private static long publish(String topic, JsonObject payload) {
    return await(server.publish(topic, payload));
  }

  /** Checks {@code condition} every few milliseconds until it holds; fails at the deadline. */
  private static void pollUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      LockSupport.parkNanos(5_000_000);
    }
  }

  @Test
  void eachMessageIsSerializedOnceAndTheSameFrameWrittenToEverySubscriber() {
    String topic = "event:" + slug + ":schedule";
    int subscribers = 8;
    int messages = 12;
    List<LiveClient> all = new ArrayList<>();
    try {
      long start = subscribe(all, topic, subscribers);
      LiveService.Stats before = server.server.live().stats();
      long last = 0;
      for (int i = 0; i < messages; i++) {
        last = publish(topic, new JsonObject().put("i", i));
      }
      for (LiveClient c : all) {
        c.awaitSeq(topic, last, Duration.ofSeconds(5));
        assertThat(c.seqs(topic)).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, last).boxed().toList());
      }
      LiveService.Stats after = server.server.live().stats();

      assertThat(after.framesBuilt() - before.framesBuilt()).isEqualTo(messages);
      assertThat(after.framesSent() - before.framesSent()).isEqualTo((long) messages * subscribers);
      // each as a duplicate of the one frame encoded for all (SharedFrames), none through the per-socket API
      assertThat(after.framesShared() - before.framesShared()).isEqualTo((long) messages * subscribers);
      assertThat(after.catchUpFrames() - before.catchUpFrames()).isZero();
    } finally {
      all.forEach(LiveClient::close);
    }
  }

  /**
   * A message committed on this instance reaches a feed that is in step without being read
   * back (it comes with the flush); a hundred transactions publishing at once, whose commit
   * callbacks need not come in sequence order, still reach every subscriber once each and in
   * order; and a late subscriber, catching up from the database, reads the same messages.
   */
  @Test
  void messagesCommittedHereAreSentWithoutReadingThemBackAndConcurrentOnesStillArriveOnceInOrder() {
    String topic = "event:" + slug + ":schedule";
    List<LiveClient> all = new ArrayList<>();
    try {
      subscribe(all, topic, 3);
      // the feed's first read (when it was created) is over once a message has come through
      long start = publish(topic, new JsonObject().put("i", -1));
      all.forEach(c -> c.awaitSeq(topic, start, Duration.ofSeconds(5)));
      LiveService.Stats before = server.server.live().stats();
      for (int i = 0; i < 5; i++) {
        publish(topic, new JsonObject().put("i", i));
      }
      all.forEach(c -> c.awaitSeq(topic, start + 5, Duration.ofSeconds(5)));
      LiveService.Stats sequential = server.server.live().stats();
      assertThat(sequential.framesHandedOff() - before.framesHandedOff()).isEqualTo(5);
      assertThat(sequential.framesBuilt() - before.framesBuilt()).isEqualTo(5);

      List<Future<Long>> batch = new ArrayList<>();
      for (int i = 5; i < 105; i++) {
        batch.add(server.publish(topic, new JsonObject().put("i", i)));
      }
      await(Future.all(batch));
      long last = start + 105;
      for (LiveClient c : all) {
        c.awaitSeq(topic, last, Duration.ofSeconds(10));
        assertThat(c.seqs(topic)).containsExactlyElementsOf(LongStream.rangeClosed(start, last).boxed().toList());
        assertThat(c.received()).filteredOn(m -> "message".equals(m.getString("type")))
            .extracting(m -> m.getJsonObject("data").getInteger("i"))
            .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(-1, 105).boxed().toList());
      }
      // each built once, whether handed off or read
      assertThat(server.server.live().stats().framesBuilt() - before.framesBuilt()).isEqualTo(105);

      try (LiveClient late = LiveClient.connect(clients, server, null)) {
        late.subscribe(topic, start - 1);
        late.awaitSeq(topic, last, Duration.ofSeconds(10));
        assertThat(data(late, topic)).isEqualTo(data(all.get(0), topic));
      }
    } finally {
      all.forEach(LiveClient::close);
    }
  }

  /** Connects {@code n} anonymous clients (added to {@code all}, for closing) subscribed to {@code topic}; answers where the last started. */
  private static long subscribe(List<LiveClient> all, String topic, int n) {
    long start = 0;
    for (int i = 0; i < n; i++) {
      LiveClient c = LiveClient.connect(clients, server, null);
      all.add(c);
      start = c.subscribe(topic, null).getLong("seq");
    }
    return start;
  }

  private static Map<Long, JsonObject> data(LiveClient client, String topic) {
    Map<Long, JsonObject> bySeq = new java.util.TreeMap<>();
    client.received().stream().filter(m -> "message".equals(m.getString("type")) && topic.equals(m.getString("topic")))
        .forEach(m -> bySeq.put(m.getLong("seq"), m.getJsonObject("data")));
    return bySeq;
  }

  /**
   * A frame encoded once must read as the same text on every socket, whatever its length: a
   * payload under 126 bytes, one needing the 16-bit length (and Netty's encoder giving header
   * and payload apart, over 1 KB), with characters of two, three and four UTF-8 bytes.
   */
  @Test
  void aSharedFrameReadsAsTheSameTextOnEverySocketWhateverItsLength() {
    String topic = "event:" + slug + ":schedule";
    List<LiveClient> all = new ArrayList<>();
    try {
      subscribe(all, topic, 3);
      // frames of every length from about 100 to 150 bytes (RFC 6455's 7-bit length ends at 125),
      // over Netty's 1 KB gathering threshold, and near the 32 KiB payload limit (16-bit length;
      // the 64-bit form lies beyond what a live message may be)
      List<String> texts = new ArrayList<>();
      for (int n = 40; n <= 90; n++) {
        texts.add("a".repeat(n));
      }
      texts.addAll(List.of("Schrödinger ☃ 𝛼 ".repeat(120), "é".repeat(3000), "𝛼".repeat(2000)));
      LiveService.Stats before = server.server.live().stats();
      long last = 0;
      for (String text : texts) {
        last = publish(topic, new JsonObject().put("text", text));
      }
      long first = last - texts.size();
      for (LiveClient c : all) {
        c.awaitSeq(topic, last, Duration.ofSeconds(5));
        List<String> got = c.received().stream()
            .filter(m -> "message".equals(m.getString("type")) && m.getLong("seq") > first)
            .map(m -> m.getJsonObject("data").getString("text")).toList();
        assertThat(got).containsExactlyElementsOf(texts);
      }
      assertThat(server.server.live().stats().framesShared() - before.framesShared()).isEqualTo(3L * texts.size());
    } finally {
      all.forEach(LiveClient::close);
    }
  }

  @Test
  void publishInATransactionThatRollsBackLeavesNoMessageAndNoGap() {
    String topic = "event:" + slug + ":posters";
    try (LiveClient client = LiveClient.connect(clients, server, null)) {
      long start = client.subscribe(topic, null).getLong("seq");
      AtomicLong rolledBack = new AtomicLong();
      assertThatThrownBy(() -> await(server.server.pool().withTransaction(tx -> server.server.live()
          .publish(tx, topic, new JsonObject().put("board", "rolled back"))
          .compose(seq -> {
            rolledBack.set(seq);
            return Future.failedFuture(new IllegalStateException("the change failed"));
          })))).hasMessageContaining("the change failed");
      assertThat(rolledBack.get()).isEqualTo(start + 1);

      long kept = publish(topic, new JsonObject().put("board", "kept"));

      assertThat(kept).isEqualTo(start + 1);
      client.awaitSeq(topic, kept, Duration.ofSeconds(5));
      assertThat(client.seqs(topic)).containsExactly(kept);
      assertThat(client.received()).filteredOn(m -> "message".equals(m.getString("type")))
          .extracting(m -> m.getJsonObject("data").getString("board")).containsExactly("kept");
      List<LiveMessage> stored = await(server.server.live().since(topic, start, 10));
      assertThat(stored).extracting(LiveMessage::seq).containsExactly(kept);
    }
  }

  @Test
  void catchUpForAReaderThatStoppedWritesOnlyWhatItsQueueTakes() throws Exception {
    String topic = "event:" + slug + ":schedule";
    long start = await(server.server.live().lastSeq(topic));
    // large frames, so that what socket buffers take is far less than one catch-up batch
    String pad = "z".repeat(30_000);
    for (int sent = 0; sent < LiveHub.BATCH + 20; sent += 20) {
      List<Future<Long>> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(server.publish(topic, new JsonObject().put("pad", pad)));
      }
      await(Future.all(batch));
    }
    LiveService.Stats before = server.server.live().stats();
    try (RawWebSocket stalled = new RawWebSocket(server.port(), "/live?ticket=" + LiveClient.ticket(server, null), 4096)) {
      // resumes 520 messages (15 MB) back, then never reads
      stalled.sendText(new JsonObject().put("type", "subscribe").put("topic", topic).put("since", start).encode());
      pollUntil(() -> server.server.live().stats().slowConsumers() > before.slowConsumers(), Duration.ofSeconds(10));

      long written = server.server.live().stats().catchUpFrames() - before.catchUpFrames();
      // what the socket's buffers took, not the whole first batch of the catch-up
      assertThat(written).isPositive().isLessThan(LiveHub.BATCH);
    }
  }

  @Test
  void feedWhoseReadFailedReadsAgainWithoutWaitingForThePoll() {
    String topic = "event:" + slug + ":checkins";
    String door = server.sessionFor(slug, "elena.garcia@example.org");
    try (LiveClient client = LiveClient.connect(clients, server, door)) {
      long start = client.subscribe(topic, null).getLong("seq");
      long failuresBefore = server.server.live().stats().readFailures();
      // the feed's reads fail while the message table is away
      await(server.server.pool().query("alter table live_messages rename to live_messages_away").execute());
      try {
        await(server.server.pool().preparedQuery(LiveSql.APPEND.replace("into live_messages ", "into live_messages_away "))
            .execute(Tuple.of(topic, new JsonObject().put("badge", 7))));
        // a wake-up as another instance would send it after such a commit
        await(server.server.pool().preparedQuery("select pg_notify('confday_live', $1)")
            .execute(Tuple.of("another-instance\n" + topic)));
        pollUntil(() -> server.server.live().stats().readFailures() > failuresBefore, Duration.ofSeconds(10));
      } finally {
        await(server.server.pool().query("alter table live_messages_away rename to live_messages").execute());
      }

      // no further wake-up comes, and the poll is a minute away
      client.awaitSeq(topic, start + 1, Duration.ofSeconds(5));
      assertThat(client.seqs(topic)).containsExactly(start + 1);
    }
  }
}
