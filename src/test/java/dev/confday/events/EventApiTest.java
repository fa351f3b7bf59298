package dev.confday.events;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.DemoTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

class EventApiTest extends DemoTestBase {

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

  @Test
  void importWithABadRowImportsNothingAndNamesTheLine() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    int before = people(organizer).size();
    String csv = "name,email,ticket type\nNew One,new.one@example.org,In-person\nBroken,broken,Remote\n";
    HttpResponse<Buffer> r = await(server.client.post("/api/events/" + slug + "/registrations/import")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(csv)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/csv-invalid");
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getInteger("line")).isEqualTo(3);
    assertThat(people(organizer)).hasSize(before);
  }

  @Test
  void importAddsRegistrationsAndTheirLoginLinksWork() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    String csv = "\uFEFFOrder code,Ticket type,Attendee name,Attendee email,Company\n"
        + "Z1,Remote ticket,\"Nova, Star\",star.nova@example.org,ESO\n";
    HttpResponse<Buffer> r = await(server.client.post("/api/events/" + slug + "/registrations/import")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(csv)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("imported")).isEqualTo(1);
    JsonObject star = people(organizer).stream().map(o -> (JsonObject) o)
        .filter(p -> p.getString("email").equals("star.nova@example.org")).findFirst().orElseThrow();
    assertThat(star.getString("attendance")).isEqualTo("remote");
    assertThat(star.getString("name")).isEqualTo("Nova, Star");

    HttpResponse<Buffer> links = await(server.client.get("/api/events/" + slug + "/login-links.csv")
        .bearerTokenAuthentication(organizer).send());
    assertThat(links.getHeader("Content-Type")).startsWith("text/csv");
    String line = links.bodyAsString().lines().filter(l -> l.contains("star.nova@example.org")).findFirst().orElseThrow();
    String token = line.substring(line.indexOf("#token=") + 7).trim();
    HttpResponse<Buffer> session = await(server.client.post("/api/auth/session")
        .sendJsonObject(new JsonObject().put("token", token)));
    assertThat(session.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> me = await(server.client.get("/api/events/" + slug + "/me")
        .bearerTokenAuthentication(session.bodyAsJsonObject().getString("token")).send());
    assertThat(me.bodyAsJsonObject().getString("email")).isEqualTo("star.nova@example.org");
  }

  @Test
  void organizerSetsRolesAndTheyTakeEffect() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    String attendee = server.sessionFor(slug, "ines.moreau@example.org");
    JsonObject ines = people(organizer).stream().map(o -> (JsonObject) o)
        .filter(p -> p.getString("email").equals("ines.moreau@example.org")).findFirst().orElseThrow();
    assertThat(await(server.client.get("/api/events/" + slug + "/people").bearerTokenAuthentication(attendee).send())
        .statusCode()).isEqualTo(403);
    HttpResponse<Buffer> r = await(server.client.put("/api/events/" + slug + "/people/" + ines.getLong("id") + "/roles")
        .bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("roles", new JsonArray().add("attendee").add("door-staff"))));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonArray("roles")).containsExactly("attendee", "door-staff");
    assertThat(await(server.client.put("/api/events/" + slug + "/people/" + ines.getLong("id") + "/roles")
        .bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("roles", new JsonArray().add("king")))).statusCode()).isEqualTo(400);
  }

  @Test
  void aStaleSessionDoesNotLockAnyoneOutOfPublicPages() {
    String expired = server.server.tokens().issue(dev.confday.auth.TokenType.SESSION, "1", null, null,
        java.time.Duration.ofMinutes(-5));
    assertThat(await(server.client.get("/api/events/" + slug).bearerTokenAuthentication(expired).send()).statusCode())
        .isEqualTo(200);
    assertThat(await(server.client.get("/api/events/" + slug + "/me").bearerTokenAuthentication(expired).send())
        .statusCode()).isEqualTo(401);
  }

  @Test
  void onlyAnAdminCreatesEventsAndSlugsAreUnique() {
    JsonObject event = new JsonObject().put("slug", "ml4physics-2024").put("name", "ML for Physics")
        .put("timeZone", "Europe/Vienna").put("startsOn", "2024-07-26").put("endsOn", "2024-07-27");
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    assertThat(await(server.client.post("/api/events").bearerTokenAuthentication(organizer).sendJsonObject(event))
        .statusCode()).isEqualTo(403);
    String admin = server.sessionFor(slug, "admin@example.org");
    HttpResponse<Buffer> created = await(server.client.post("/api/events").bearerTokenAuthentication(admin)
        .sendJsonObject(event));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("timeZone")).isEqualTo("Europe/Vienna");
    assertThat(await(server.client.post("/api/events").bearerTokenAuthentication(admin).sendJsonObject(event))
        .statusCode()).isEqualTo(409);
    HttpResponse<Buffer> room = await(server.client.post("/api/events/ml4physics-2024/rooms")
        .bearerTokenAuthentication(admin).sendJsonObject(new JsonObject().put("name", "Hall A").put("capacity", 200)));
    assertThat(room.statusCode()).isEqualTo(201);
    // the organizer of another event has no say here
    assertThat(await(server.client.post("/api/events/ml4physics-2024/rooms").bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("name", "Hall B"))).statusCode()).isEqualTo(403);
  }

  private static JsonArray people(String organizer) {
    HttpResponse<Buffer> r = await(server.client.get("/api/events/" + slug + "/people")
        .bearerTokenAuthentication(organizer).send());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonArray();
  }

  @Test
  void anOrderCodeOfAnotherRegistrationIsRefusedByLineAndNothingIsImported() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    int before = people(organizer).size();
    String first = "name,email,ticket type,order code\nOrder Owner,owner.q7@example.org,Remote,Q7\n";
    assertThat(await(server.client.post("/api/events/" + slug + "/registrations/import").bearerTokenAuthentication(organizer)
        .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(first))).statusCode()).isEqualTo(200);
    String clash = "name,email,ticket type,order code\nFresh Face,fresh.face@example.org,Remote,F1\n"
        + "Someone Else,someone.else@example.org,In person,Q7\n";
    HttpResponse<Buffer> r = await(server.client.post("/api/events/" + slug + "/registrations/import")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(clash)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject error = r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("line")).isEqualTo(3);
    assertThat(error.getString("message")).contains("Q7");
    assertThat(people(organizer)).hasSize(before + 1);
  }

  @Test
  void loginLinkExportDefusesSpreadsheetFormulasInNames() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    String csv = "name,email,ticket type\n\"=HYPERLINK(\"\"http://evil\"\")\",formula.fan@example.org,Remote\n";
    assertThat(await(server.client.post("/api/events/" + slug + "/registrations/import").bearerTokenAuthentication(organizer)
        .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(csv))).statusCode()).isEqualTo(200);
    String links = await(server.client.get("/api/events/" + slug + "/login-links.csv")
        .bearerTokenAuthentication(organizer).send()).bodyAsString();
    String line = links.lines().filter(l -> l.contains("formula.fan@example.org")).findFirst().orElseThrow();
    assertThat(line).startsWith("\"'=HYPERLINK(");
  }

  @Test
  void anImportDoesNotRenamePeopleWhoBelongToAnotherEvent() {
    String admin = server.sessionFor(slug, "admin@example.org");
    assertThat(await(server.client.post("/api/events").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("slug", "other-workshop").put("name", "Other workshop")
            .put("timeZone", "Europe/Berlin").put("startsOn", "2023-07-28").put("endsOn", "2023-07-28")))
        .statusCode()).isEqualTo(201);
    String csv = "name,email,ticket type\nSomebody Else,grace.kim@example.org,Remote\n";
    assertThat(await(server.client.post("/api/events/other-workshop/registrations/import").bearerTokenAuthentication(admin)
        .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(csv))).statusCode()).isEqualTo(200);
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    JsonObject grace = people(organizer).stream().map(o -> (JsonObject) o)
        .filter(p -> p.getString("email").equals("grace.kim@example.org")).findFirst().orElseThrow();
    assertThat(grace.getString("name")).isNotEqualTo("Somebody Else");
  }
}
