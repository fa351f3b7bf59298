package dev.confday.qa;

import static dev.confday.qa.QaApiTest.ask;
import static dev.confday.qa.QaApiTest.call;
import static dev.confday.qa.QaApiTest.fixture;
import static dev.confday.qa.QaApiTest.ok;
import static dev.confday.qa.QaApiTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class QaExportApiTest extends ServerTestBase {
  static final String TRICKY = "Is a, \"b\"\nreally c?";

  static List<CSVRecord> csv(HttpResponse<Buffer> r) throws Exception {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/csv");
    try (CSVParser parser = CSVParser.parse(new StringReader(r.bodyAsString()),
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      assertThat(parser.getHeaderNames()).containsExactly(QaExport.HEADER);
      return parser.getRecords();
    }
  }

  @Test
  void moderatorsExportEveryQuestionWithAuthorsAndTheCsvRoundTrips() throws Exception {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    long tricky = ask(f, f.remote(), TRICKY, true).getLong("id");
    long formula = ask(f, f.inPerson(), "=HYPERLINK(\"http://evil\")", false).getLong("id");
    long dismissed = ask(f, f.inPerson(), "-1 for this talk", false).getLong("id");
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + tricky + "/vote", f.inPerson(), null), 200);
    ok(call(HttpMethod.POST, f.base() + "/questions/" + tricky + "/pin", f.moderator(), null), 200);
    ok(call(HttpMethod.POST, f.base() + "/questions/" + tricky + "/answer", f.moderator(), null), 200);
    ok(call(HttpMethod.POST, f.base() + "/questions/" + dismissed + "/dismiss", f.moderator(), null), 200);

    Map<Long, CSVRecord> rows = csv(call(HttpMethod.GET, f.base() + "/questions/export.csv", f.moderator(), null))
        .stream().collect(Collectors.toMap(r -> Long.parseLong(r.get("id")), Function.identity()));
    assertThat(rows).containsOnlyKeys(tricky, formula, dismissed);
    CSVRecord t = rows.get(tricky);
    assertThat(t.get("text")).isEqualTo(TRICKY);
    assertThat(t.get("votes")).isEqualTo("1");
    assertThat(t.get("origin")).isEqualTo("remote");
    assertThat(t.get("status")).isEqualTo("visible");
    assertThat(t.get("pinned")).isEqualTo("true");
    assertThat(t.get("answered")).isEqualTo("true");
    assertThat(t.get("anonymous")).isEqualTo("true");
    assertThat(t.get("author")).isEqualTo("Rita Remote");
    assertThat(t.get("asked_at")).isNotBlank();
    assertThat(rows.get(formula).get("text")).isEqualTo("'=HYPERLINK(\"http://evil\")");
    assertThat(rows.get(formula).get("origin")).isEqualTo("room");
    assertThat(rows.get(formula).get("author")).isEqualTo("Ian Inperson");
    assertThat(rows.get(dismissed).get("text")).isEqualTo("'-1 for this talk");
    assertThat(rows.get(dismissed).get("status")).isEqualTo("dismissed");

    // the organizer too; JSON has the raw text (no spreadsheet there)
    JsonObject json = ok(call(HttpMethod.GET, f.base() + "/questions/export.json", f.organizer(), null), 200);
    JsonArray questions = json.getJsonArray("questions");
    assertThat(questions).hasSize(3);
    JsonObject tj = questions.stream().map(JsonObject.class::cast).filter(q -> q.getLong("id") == tricky)
        .findFirst().orElseThrow();
    assertThat(tj.getString("text")).isEqualTo(TRICKY);
    assertThat(tj.getBoolean("anonymous")).isTrue();
    assertThat(tj.getJsonObject("author").getLong("personId")).isEqualTo(f.remoteId());
  }

  @Test
  void aSpeakerGetsTheVisibleQuestionsWithoutAnonymousAuthors() throws Exception {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    long anon = ask(f, f.remote(), "+ who am I?", true).getLong("id");
    long named = ask(f, f.remote(), "Named", false).getLong("id");
    long hidden = ask(f, f.remote(), "Hidden", false).getLong("id");
    ok(call(HttpMethod.POST, f.base() + "/questions/" + hidden + "/dismiss", f.moderator(), null), 200);
    // before being a speaker, the attendee is refused
    assertThat(call(HttpMethod.GET, f.base() + "/questions/export.csv", f.inPerson(), null).statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> patched = call(HttpMethod.PATCH, "/api/events/" + f.slug() + "/schedule/sessions/"
        + f.session(), f.organizer(), new JsonObject().put("speakers",
        new JsonArray().add(new JsonObject().put("personId", f.remoteId()).put("remote", true))));
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);

    Map<Long, CSVRecord> rows = csv(call(HttpMethod.GET, f.base() + "/questions/export.csv", f.remote(), null))
        .stream().collect(Collectors.toMap(r -> Long.parseLong(r.get("id")), Function.identity()));
    assertThat(rows).containsOnlyKeys(anon, named);
    assertThat(rows.get(anon).get("author")).isEmpty();
    assertThat(rows.get(anon).get("anonymous")).isEqualTo("true");
    assertThat(rows.get(anon).get("text")).isEqualTo("'+ who am I?");
    assertThat(rows.get(named).get("author")).isEqualTo("Rita Remote");
    JsonObject json = ok(call(HttpMethod.GET, f.base() + "/questions/export.json", f.remote(), null), 200);
    JsonObject aj = json.getJsonArray("questions").stream().map(JsonObject.class::cast)
        .filter(q -> q.getLong("id") == anon).findFirst().orElseThrow();
    assertThat(aj.containsKey("author")).isFalse();
    assertThat(json.encode()).doesNotContain("Hidden");
  }

  @Test
  void attendeesAndAnotherEventsModeratorAreRefused() {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    ask(f, f.remote(), "Secret", true);
    for (String path : List.of("/questions/export.csv", "/questions/export.json")) {
      HttpResponse<Buffer> attendee = call(HttpMethod.GET, f.base() + path, f.inPerson(), null);
      assertThat(attendee.statusCode()).isEqualTo(403);
      assertThat(attendee.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(attendee.bodyAsString()).doesNotContain("Secret");
      assertThat(call(HttpMethod.GET, f.base() + path, other.moderator(), null).statusCode()).isEqualTo(403);
      assertThat(call(HttpMethod.GET, f.base() + path, other.organizer(), null).statusCode()).isEqualTo(403);
      assertThat(call(HttpMethod.GET, f.base() + path, null, null).statusCode()).isEqualTo(401);
    }
  }
}
