package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.DemoTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests for the operations no feature test made, so that {@link OpenApiCoverageTest} sees
 * every JSON body checked against real traffic; each asserts what a client relies on.
 */
class ApiContractTest extends DemoTestBase {
  static String organizer;

  @BeforeAll
  static void start() {
    organizer = server.sessionFor(slug, "ada.okafor@example.org");
  }

  @Test
  void meListsMyEventsWithMyRolesThere() {
    String moderator = server.sessionFor(slug, "chiara.rossi@example.org");
    JsonObject me = await(server.client.get("/api/me").bearerTokenAuthentication(moderator).send()).bodyAsJsonObject();
    assertThat(me.getString("name")).isEqualTo("Chiara Rossi");
    assertThat(me.getBoolean("admin")).isFalse();
    JsonObject event = me.getJsonArray("events").getJsonObject(0);
    assertThat(event.getString("slug")).isEqualTo(slug);
    assertThat(event.getJsonArray("roles").getList()).contains("moderator");
  }

  @Test
  void anOrganizerAddsAPosterThatAnyoneCanRead() {
    HttpResponse<Buffer> created = await(server.client.post("/api/events/" + slug + "/posters")
        .bearerTokenAuthentication(organizer).sendJsonObject(new JsonObject().put("number", 901)
            .put("title", "Dust maps from Gaia").put("authors", new JsonArray().add("R. Ito")).put("track", "Galactic")));
    assertThat(created.statusCode()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    JsonObject read = await(server.client.get("/api/events/" + slug + "/posters/" + id).send()).bodyAsJsonObject();
    assertThat(read.getInteger("number")).isEqualTo(901);
    assertThat(read.getString("title")).isEqualTo("Dust maps from Gaia");
    assertThat(read.getJsonArray("authors").getList()).containsExactly("R. Ito");
  }

  @Test
  void aCancelledSessionIsRestoredAndReadsAsRestored() {
    JsonObject schedule = await(server.client.get("/api/events/" + slug + "/schedule").send()).bodyAsJsonObject();
    long id = schedule.getJsonArray("sessions").getJsonObject(0).getLong("id");
    String base = "/api/events/" + slug + "/schedule/sessions/" + id;
    JsonObject cancelled = await(server.client.post(base + "/cancel").bearerTokenAuthentication(organizer).send())
        .bodyAsJsonObject();
    assertThat(cancelled.getBoolean("cancelled")).isTrue();
    JsonObject restored = await(server.client.post(base + "/restore").bearerTokenAuthentication(organizer).send())
        .bodyAsJsonObject();
    assertThat(restored.getBoolean("cancelled")).isFalse();
    JsonObject read = await(server.client.get(base).send()).bodyAsJsonObject();
    assertThat(read.getBoolean("cancelled")).isFalse();
    assertThat(read.getLong("version")).isEqualTo(restored.getLong("version")).isGreaterThan(cancelled.getLong("version"));
  }
}
