package dev.confday.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The traffic check refuses what the document does not say, so a drift fails the test that made it. */
class ContractCheckTest {
  static final ContractCheck CHECK = ContractCheck.instance();
  static final String JSON = "application/json; charset=utf-8";
  static final JsonObject ROOM = new JsonObject().put("id", 1).put("name", "Hall A").put("capacity", null)
      .put("streamUrl", null).put("position", 0);

  @Test
  void matchesAPathToItsTemplateLiteralSegmentsFirst() {
    assertThat(CHECK.operation("POST", "/api/events/e1/posters/assign").orElseThrow().key())
        .isEqualTo("POST /api/events/{event}/posters/assign");
    assertThat(CHECK.operation("GET", "/api/events/e1/posters/7").orElseThrow().key())
        .isEqualTo("GET /api/events/{event}/posters/{poster}");
    assertThat(CHECK.operation("GET", "/api/events/e1/schedule.json").orElseThrow().key())
        .isEqualTo("GET /api/events/{event}/schedule.json");
    assertThat(CHECK.operation("GET", "/js/app.js")).isEmpty();
  }

  @Test
  void acceptsAResponseTheDocumentDescribes() {
    assertThat(CHECK.check("POST", "/api/events/e1/rooms", "application/json", new JsonObject().put("name", "Hall A"),
        201, JSON, ROOM.toBuffer())).isEmpty();
  }

  @Test
  void refusesAMissingFieldAWrongTypeAndAnUndocumentedField() {
    JsonObject drifted = ROOM.copy().put("position", "first").put("floor", 2);
    drifted.remove("name");
    assertThat(CHECK.check("GET", "/api/events/e1/schedule/sessions/3", null, null, 200, JSON,
        new JsonObject().put("id", 3).toBuffer())).isNotEmpty();
    assertThat(String.join("\n", CHECK.check("POST", "/api/events/e1/rooms", null, null, 201, JSON, drifted.toBuffer())))
        .contains("name").contains("position").contains("floor");
  }

  @Test
  void refusesAnUndocumentedSuccessStatusOrMediaType() {
    assertThat(CHECK.check("POST", "/api/events/e1/rooms", null, null, 200, JSON, ROOM.toBuffer()))
        .singleElement().asString().contains("status 200 is not documented");
    assertThat(CHECK.check("POST", "/api/events/e1/rooms", "application/json", new JsonObject().put("name", "Hall A"), 201,
        "text/html", Buffer.buffer("<p>")))
        .singleElement().asString().contains("text/html is not documented");
  }

  @Test
  void refusesAnAcceptedRequestBodyThatBreaksItsSchemaButNotARefusedOne() {
    JsonObject badRoom = new JsonObject().put("capacity", "many");
    assertThat(CHECK.check("POST", "/api/events/e1/rooms", "application/json", badRoom, 201, JSON, ROOM.toBuffer()))
        .anyMatch(p -> p.contains("request") && p.contains("capacity"));
    // the test sent it on purpose and the server said no: only the problem document is checked
    JsonObject problem = new JsonObject().put("type", "/problems/validation").put("title", "Invalid input")
        .put("status", 400).put("detail", "name: is required").put("instance", "/api/events/e1/rooms")
        .put("requestId", "r1").put("errors", new JsonArray().add(new JsonObject().put("field", "name")
            .put("message", "is required")));
    assertThat(CHECK.check("POST", "/api/events/e1/rooms", "application/json", badRoom, 400,
        Problems.CONTENT_TYPE, problem.toBuffer())).isEmpty();
  }

  @Test
  void refusesAProblemDocumentWithoutItsStandardFields() {
    JsonObject problem = new JsonObject().put("type", "not-a-problem-type").put("status", 404);
    assertThat(CHECK.check("GET", "/api/events/nope", null, null, 404, Problems.CONTENT_TYPE, problem.toBuffer()))
        .anyMatch(p -> p.contains("title")).anyMatch(p -> p.contains("type"));
    assertThat(CHECK.check("DELETE", "/api/events", null, null, 405, Problems.CONTENT_TYPE, problem.toBuffer()))
        .isNotEmpty();
  }

  @Test
  void aBodyWithoutASchemaIsReportedNotPassed() {
    JsonObject doc = OpenApi.document();
    doc.getJsonObject("paths").getJsonObject("/api/events").getJsonObject("get").getJsonObject("responses")
        .getJsonObject("200").getJsonObject("content").put("application/json", new JsonObject());
    assertThat(new ContractCheck(doc).check("GET", "/api/events", null, null, 200, JSON, Buffer.buffer("[]")))
        .singleElement().asString().contains("no schema");
  }
}
