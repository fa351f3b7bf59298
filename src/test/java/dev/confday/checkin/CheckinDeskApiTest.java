package dev.confday.checkin;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.Person;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The desk: one badge as a PDF for reprinting, and deleted registrations in the offline deltas. */
class CheckinDeskApiTest {
  static TestServer server;
  static String slug;
  static long eventId;
  static String organizer;
  static String door;
  static String attendee;
  static String otherOrganizer;
  static List<Person> inPerson;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    organizer = server.sessionFor(slug, CheckinApiTest.ORGANIZER);
    door = server.sessionFor(slug, CheckinApiTest.DOOR);
    attendee = server.sessionFor(slug, CheckinApiTest.ATTENDEE);
    Event other = await(server.server.events().createEvent(new NewEvent("desk-other", "Other", "Europe/Berlin",
        LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 2), null, null)));
    await(server.server.events().addPerson(other.id(), "olga@example.org", "Olga", null, Role.ORGANIZER));
    otherOrganizer = server.sessionFor("desk-other", "olga@example.org");
    eventId = await(server.server.events().event(slug)).id();
    inPerson = await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(CheckinApiTest.ATTENDEE)
            && !p.email().equals(CheckinApiTest.DOOR) && !p.email().equals(CheckinApiTest.ORGANIZER))
        .toList();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void singleBadgePdfShowsTheNameAndAQrThatRedeems() throws Exception {
    Person p = inPerson.get(0);
    HttpResponse<Buffer> r = get("/badges/" + p.id() + ".pdf", door);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/pdf");
    assertThat(r.getHeader("Content-Disposition")).contains("badge-" + p.id() + ".pdf");
    String token;
    try (PDDocument pdf = Loader.loadPDF(r.body().getBytes())) {
      assertThat(pdf.getNumberOfPages()).isEqualTo(1);
      assertThat(new PDFTextStripper().getText(pdf)).contains(p.name());
      BufferedImage page = new PDFRenderer(pdf).renderImageWithDPI(0, 300);
      BufferedImage cell = page.getSubimage(0, 0, page.getWidth() / 2, page.getHeight() / 3);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(cell, "png", png);
      try {
        token = BadgePhoto.decode(png.toByteArray());
      } catch (RuntimeException e) {
        java.nio.file.Files.write(java.nio.file.Path.of("target/badge-desk-unread.png"), png.toByteArray());
        throw e;
      }
    }
    assertThat(token).isEqualTo(await(server.server.checkin().badge(await(server.server.events().event(slug)), p.id())));
    long venue = get("/checkin/lists", door).bodyAsJsonArray().getJsonObject(0).getLong("id");
    JsonObject scan = new JsonObject().put("badge", token).put("listId", venue).put("direction", "entry")
        .put("scannedAt", java.time.Instant.now().toString()).put("nonce", java.util.UUID.randomUUID().toString());
    assertThat(send(HttpMethod.POST, "/checkin/redeem", door, scan).bodyAsJsonObject().getString("status"))
        .isEqualTo("ok");
    // organizers print it too
    assertThat(get("/badges/" + p.id() + ".pdf", organizer).statusCode()).isEqualTo(200);
  }

  @Test
  void singleBadgePdfIsRefusedToAttendeesOtherEventsAndRemoteRegistrations() {
    Person p = inPerson.get(1);
    assertThat(get("/badges/" + p.id() + ".pdf", attendee).statusCode()).isEqualTo(403);
    assertThat(get("/badges/" + p.id() + ".pdf", otherOrganizer).statusCode()).isEqualTo(403);
    assertThat(get("/badges/" + p.id() + ".pdf", null).statusCode()).isEqualTo(401);
    long remote = await(server.server.events().people(eventId)).stream()
        .filter(x -> x.email().equals(CheckinApiTest.REMOTE)).findFirst().orElseThrow().id();
    assertThat(get("/badges/" + remote + ".pdf", door).statusCode()).isEqualTo(409);
    assertThat(get("/badges/999999.pdf", door).statusCode()).isEqualTo(404);
  }

  @Test
  void offlineDeltasReportDeletedRegistrations() {
    Person gone = inPerson.get(2);
    Person back = inPerson.get(3);
    JsonObject full = get("/checkin/offline-data", door).bodyAsJsonObject();
    assertThat(full.getJsonArray("removed")).isEmpty();
    long v = full.getLong("version");

    await(server.server.pool().preparedQuery("delete from registrations where event_id = $1 and person_id = $2")
        .execute(Tuple.of(eventId, gone.id())));
    // deleted and registered again: a change of the person, not a removal
    await(server.server.pool().preparedQuery("delete from registrations where event_id = $1 and person_id = $2")
        .execute(Tuple.of(eventId, back.id())));
    await(server.server.pool().preparedQuery("""
        insert into registrations (event_id, person_id, attendance, name) values ($1, $2, 'in-person', $3)""")
        .execute(Tuple.of(eventId, back.id(), back.name())));

    JsonObject delta = get("/checkin/offline-data?since=" + v, door).bodyAsJsonObject();
    assertThat(delta.getBoolean("full")).isFalse();
    assertThat(delta.getLong("version")).isGreaterThan(v);
    assertThat(delta.getJsonArray("removed").stream().map(o -> ((Number) o).longValue())).containsExactly(gone.id());
    assertThat(CheckinOfflineApiTest.ids(delta.getJsonArray("people"))).containsExactly(back.id());
    // nothing since: nothing removed; in full: only who is registered
    JsonObject none = get("/checkin/offline-data?since=" + delta.getLong("version"), door).bodyAsJsonObject();
    assertThat(none.getJsonArray("removed")).isEmpty();
    JsonObject again = get("/checkin/offline-data", door).bodyAsJsonObject();
    assertThat(CheckinOfflineApiTest.ids(again.getJsonArray("people"))).doesNotContain(gone.id()).contains(back.id());
    assertThat(again.getJsonArray("removed")).isEmpty();
  }

  static HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = server.client.request(method, "/api/events/" + slug + path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }
}
