package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notify delay as a throttle with a leading edge: a change after a quiet window goes out at
 * once, the changes close behind it share one flush at the window's end. The window is set to
 * its longest (1 s) and the safety poll to a minute, so what arrives sooner came from the
 * leading edge.
 */
class LiveNotifyThrottleTest {
  private static TestServer server;
  private static Vertx clients;
  private static String slug;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of(
        "CONFDAY_LIVE_NOTIFY_DELAY_MS", "1000",
        "CONFDAY_LIVE_POLL_MS", "60000",
        "CONFDAY_LIVE_PRESENCE_MS", "60000"));
    // an event of its own, without the demo's posters (whose previews publish as they are drawn)
    slug = "throttle";
    await(server.server.events().createEvent(new dev.confday.events.NewEvent(slug, "Throttle", "UTC",
        java.time.LocalDate.now(), java.time.LocalDate.now(), null, null)));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    server.close();
  }

  @Test
  void aLoneChangeGoesOutAtOnceAndABurstBehindItSharesOneFlush() throws InterruptedException {
    String topic = "event:" + slug + ":schedule";
    LiveClient c = LiveClient.connect(clients, server, null);
    try {
      c.subscribe(topic, null);
      Thread.sleep(1200); // a quiet window: nothing flushed within the last second
      long notifies = server.server.live().stats().notifies();
      long first = await(server.publish(topic, new JsonObject().put("i", 0)));
      // not held for the 1 s window (half of it is a wide margin on a loaded machine)
      c.awaitSeq(topic, first, Duration.ofMillis(500));
      assertThat(server.server.live().stats().notifies() - notifies).isEqualTo(1);

      // ten more at once: within the window that the first opened, so they share one flush at its end
      long last = 0;
      for (int i = 1; i <= 10; i++) {
        last = await(server.publish(topic, new JsonObject().put("i", i)));
      }
      c.awaitSeq(topic, last, Duration.ofSeconds(3));
      assertThat(server.server.live().stats().notifies() - notifies).isEqualTo(2);
    } finally {
      c.close();
    }
  }
}
