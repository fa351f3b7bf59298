package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.Person;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A session opened with one event's link is anonymous on the live connection for every other event. */
class LiveScopeTest {
  static TestServer server;
  static Vertx clients;
  static String slug;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    clients = Vertx.vertx();
    slug = server.seedDemo();
  }

  @AfterAll
  static void stop() {
    await(clients.close());
    server.close();
  }

  @Test
  void anotherEventsSessionCannotReadThisEventsDoorStaffTopic() {
    String topic = "event:" + slug + ":checkins";
    String email = "elena.garcia@example.org";
    // the organizer of another event registers this event's door staff there and so holds her link for it
    Event other = await(server.server.events().createEvent(NewEvent.fromJson(new JsonObject().put("slug", "side-event")
        .put("name", "Side").put("timeZone", "UTC").put("startsOn", "2024-01-01").put("endsOn", "2024-01-01"))));
    Event demo = await(server.server.events().event(slug));
    Person elena = await(server.server.events().people(demo.id())).stream().filter(p -> p.email().equals(email))
        .findFirst().orElseThrow();
    await(server.server.events().addPerson(other.id(), email, elena.name(), null, Role.DOOR_STAFF));
    String elsewhere = server.sessionFor("side-event", email);
    try (LiveClient live = LiveClient.connect(clients, server, elsewhere)) {
      assertThat(live.subscribe(topic, null).getString("type")).isEqualTo("error");
    }
    assertThat(await(server.client.get("/api/live/presence").addQueryParam("topic", topic)
        .bearerTokenAuthentication(elsewhere).send()).statusCode()).isIn(401, 403);
    try (LiveClient live = LiveClient.connect(clients, server, server.sessionFor(slug, email))) {
      assertThat(live.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
    }
  }
}
