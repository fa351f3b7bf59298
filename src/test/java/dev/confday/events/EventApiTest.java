package dev.confday.events;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventApiTest {
  static TestServer server;
  static String slug;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void demoEventIsListedWithItsRooms() {
    HttpResponse<Buffer> r = await(server.client.get("/api/events/" + slug).send());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject event = r.bodyAsJsonObject();
    assertThat(event.getString("timeZone")).isEqualTo("Pacific/Honolulu");
    assertThat(event.getJsonArray("rooms")).hasSize(2);
  }

  @Test
  void loginLinkGivesASessionWithTheEventRoles() {
    String session = server.sessionFor(slug, "maria.cohen@example.org".replace("maria", "maya"));
    HttpResponse<Buffer> me = await(server.client.get("/api/events/" + slug + "/me")
        .bearerTokenAuthentication(session).send());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getJsonArray("roles")).isEqualTo(new JsonArray().add("attendee"));
  }
}
