package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import dev.confday.events.Event;
import dev.confday.events.Person;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revoking a person or logging out a session closes the live sockets opened from it (4003),
 * on every instance, within a few presence heartbeats; anonymous sockets and the person's other
 * sessions stay open.
 */
class LiveRevocationTest {
  /** The heartbeat is 1 s here (5 s by default): a socket must close within a few of them. */
  static final Duration CLOSES_WITHIN = Duration.ofSeconds(10);
  static Database db;
  static TestServer a;
  static TestServer b;
  static Vertx clients;
  static String slug;
  static String checkins;

  @BeforeAll
  static void start() {
    db = TestDatabase.migratedDatabase();
    Map<String, String> env = Map.of("CONFDAY_LIVE_PRESENCE_MS", "1000");
    a = TestServer.start(db, env);
    b = TestServer.start(db, env);
    clients = Vertx.vertx();
    slug = a.seedDemo();
    checkins = "event:" + slug + ":checkins";
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    a.close();
    b.close();
  }

  private static LiveClient subscribed(TestServer server, String session, String topic) {
    LiveClient live = LiveClient.connect(clients, server, session);
    assertThat(live.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
    return live;
  }

  /** The socket still answers: a ping gets its pong. */
  private static void assertOpen(LiveClient live) {
    int before = live.count();
    live.send(new JsonObject().put("type", "ping"));
    live.awaitMessage(before, m -> "pong".equals(m.getString("type")), Duration.ofSeconds(5));
  }

  @Test
  void revokingAPersonClosesTheirSocketsOnEveryInstance() {
    String email = "elena.garcia@example.org";
    Event demo = await(a.server.events().event(slug));
    Person elena = await(a.server.events().people(demo.id())).stream().filter(p -> p.email().equals(email))
        .findFirst().orElseThrow();
    String admin = a.sessionFor(slug, "admin@example.org");
    try (LiveClient onA = subscribed(a, a.sessionFor(slug, email), checkins);
        LiveClient onB = subscribed(b, a.sessionFor(slug, email), checkins);
        LiveClient anonymous = subscribed(b, null, "event:" + slug + ":schedule")) {
      assertOpen(onA);
      assertOpen(onB);

      long revokedAt = System.nanoTime();
      assertThat(await(a.client.post("/api/people/" + elena.id() + "/revoke").bearerTokenAuthentication(admin)
          .send()).statusCode()).isEqualTo(200);

      assertThat(onA.awaitClose(CLOSES_WITHIN)).isEqualTo(LiveSocket.SESSION_ENDED);
      assertThat(onB.awaitClose(CLOSES_WITHIN)).isEqualTo(LiveSocket.SESSION_ENDED);
      assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(CLOSES_WITHIN);
      assertThat(onB.closeReason()).isEqualTo("session ended");
      assertOpen(anonymous);
    }
  }

  @Test
  void loggingOutClosesThatSessionsSocketsOnlyOnEveryInstance() {
    String email = "farid.haddad@example.org";
    String phone = a.sessionFor(slug, email);
    String laptop = a.sessionFor(slug, email);
    try (LiveClient phoneOnA = subscribed(a, phone, checkins);
        LiveClient phoneOnB = subscribed(b, phone, checkins);
        LiveClient laptopOnB = subscribed(b, laptop, checkins)) {
      String unused = LiveClient.ticket(a, phone);
      assertThat(await(b.client.post("/api/auth/logout").bearerTokenAuthentication(phone).send()).statusCode())
          .isEqualTo(204);

      assertThat(phoneOnA.awaitClose(CLOSES_WITHIN)).isEqualTo(LiveSocket.SESSION_ENDED);
      assertThat(phoneOnB.awaitClose(CLOSES_WITHIN)).isEqualTo(LiveSocket.SESSION_ENDED);
      // a whole check of b (its closes done) has run with the laptop's socket open: it survived it
      await(b.server.live().closeEndedSessions());
      assertOpen(laptopOnB);
      assertThat(laptopOnB.ws.isClosed()).isFalse();
      // a ticket taken before the log-out no longer opens a socket
      assertThatThrownBy(() -> LiveClient.connect(clients, b, unused, b.baseUrl()).close())
          .hasRootCauseInstanceOf(UpgradeRejectedException.class)
          .rootCause().extracting(t -> ((UpgradeRejectedException) t).getStatus()).isEqualTo(401);
      // the ended session now gets only an anonymous ticket: restricted topics are refused
      try (LiveClient again = LiveClient.connect(clients, a, phone)) {
        assertThat(again.subscribe(checkins, null).getString("type")).isEqualTo("error");
      }
    }
  }
}
