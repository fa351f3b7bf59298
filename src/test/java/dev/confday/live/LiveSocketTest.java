package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds of one live connection, against a real server: how many topics it may hold, what
 * it may send, the heartbeat, and topic ids that name nothing.
 */
class LiveSocketTest {
  private static final int MAX_TOPICS = 3;
  private static TestServer server;
  private static Vertx clients;
  private static String slug;
  private static String attendee;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of(
        "CONFDAY_LIVE_MAX_TOPICS", Integer.toString(MAX_TOPICS),
        "CONFDAY_LIVE_PING_SECONDS", "1",
        "CONFDAY_LIVE_SLOW_CONSUMER_MS", "1000",
        "CONFDAY_LIVE_POLL_MS", "60000",
        "CONFDAY_LIVE_PRESENCE_MS", "60000"));
    slug = server.seedDemo();
    attendee = server.sessionFor(slug, "grace.kim@example.org");
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    server.close();
  }

  @Test
  void topicBeyondTheLimitIsRefusedWithTooManyTopicsUntilOneIsLeft() {
    try (LiveClient client = LiveClient.connect(clients, server, attendee)) {
      assertThat(client.received().get(0).getInteger("maxTopics")).isEqualTo(MAX_TOPICS);
      for (String topic : List.of("event:" + slug + ":schedule", "event:" + slug + ":posters", "room:1:stream")) {
        assertThat(client.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      }

      JsonObject refused = client.subscribe("session:3:qa", null);
      assertThat(refused.getString("type")).isEqualTo("error");
      assertThat(refused.getString("code")).isEqualTo("too-many-topics");

      client.send(new JsonObject().put("type", "unsubscribe").put("topic", "room:1:stream"));
      client.awaitMessage(m -> "unsubscribed".equals(m.getString("type")), Duration.ofSeconds(5));
      assertThat(client.subscribe("session:3:qa", null).getString("type")).isEqualTo("subscribed");
    }
  }

  @Test
  void binaryFrameClosesWith1003() {
    try (LiveClient client = LiveClient.connect(clients, server, null)) {
      client.ws.writeBinaryMessage(Buffer.buffer("{\"type\":\"ping\"}"));
      assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1003);
    }
  }

  @Test
  void clientThatNeverAnswersPingsIsClosedWith4002() throws Exception {
    try (RawWebSocket silent = new RawWebSocket(server.port(), "/live?ticket=" + LiveClient.ticket(server, null), 65536)) {
      long began = System.nanoTime();
      List<RawWebSocket.Frame> frames = silent.readUntilClose(1000);
      long closedAfterMs = (System.nanoTime() - began) / 1_000_000;

      assertThat(frames).anySatisfy(f -> assertThat(f.opcode()).isEqualTo(0x9)); // it was pinged
      RawWebSocket.Frame last = frames.get(frames.size() - 1);
      assertThat(last.opcode()).isEqualTo(0x8);
      assertThat(last.closeCode()).isEqualTo(4002);
      // no pong for twice the ping interval (1 s), checked a few times a second
      assertThat(closedAfterMs).isBetween(1500L, 5000L);
    }
  }

  @Test
  void clientThatAnswersPingsStaysConnectedPastTheHeartbeatTimeout() {
    try (LiveClient client = LiveClient.connect(clients, server, null)) {
      // the Vert.x client answers pings by itself; 3 s is more than the 2 s without a pong that close
      assertThat(client.awaitClose(Duration.ofSeconds(3))).isNull();
      client.send(new JsonObject().put("type", "ping"));
      client.awaitMessage(m -> "pong".equals(m.getString("type")), Duration.ofSeconds(5));
    }
  }

  @Test
  void topicIdsThatAreNotNumbersAnswerNotFoundAndLeaveTheirSlotFree() {
    List<String> malformed = List.of("room:abc:stream", "session:abc:qa", "room:0123:stream",
        "session:99999999999999999999:qa", "room:1-2:stream");
    try (LiveClient client = LiveClient.connect(clients, server, attendee)) {
      // more refusals than the connection has topic slots, twice over
      for (int round = 0; round < 2; round++) {
        for (String topic : malformed) {
          JsonObject reply = client.subscribe(topic, null);
          assertThat(reply.getString("type")).as(topic).isEqualTo("error");
          assertThat(reply.getString("code")).as(topic).isEqualTo("not-found");
        }
      }
      for (String topic : List.of("event:" + slug + ":schedule", "room:1:stream", "session:3:qa")) {
        assertThat(client.subscribe(topic, null).getString("type")).as(topic).isEqualTo("subscribed");
      }
    }

    for (String topic : malformed) {
      var response = await(server.client.get("/api/live/presence").addQueryParam("topic", topic)
          .bearerTokenAuthentication(attendee).send());
      assertThat(response.statusCode()).as(topic).isEqualTo(404);
      assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/not-found");
    }
  }
}
