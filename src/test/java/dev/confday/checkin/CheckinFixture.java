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
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * What the check-in API tests share: a server with the demo event, sessions of its organizer,
 * door staff and an attendee, a second event with its own organizer, and requests to
 * {@code /api/events/<demo>/...}. A test class extends it and calls {@link #startCheckin} from
 * its own {@code @BeforeAll}; the server is closed after the class.
 */
abstract class CheckinFixture {
  static final String ORGANIZER = "ada.okafor@example.org";
  static final String DOOR = "elena.garcia@example.org";
  static final String ATTENDEE = "grace.kim@example.org";
  static final String REMOTE = "ines.moreau@example.org";
  static TestServer server;
  static String slug;
  static long eventId;
  static String organizer;
  static String door;
  static String attendee;
  static String otherOrganizer;

  /** Starts the server and the demo event; {@code otherSlug} names the second event, organized by Olga. */
  static void startCheckin(String otherSlug) {
    server = null;
    server = TestServer.start();
    slug = server.seedDemo();
    eventId = await(server.server.events().event(slug)).id();
    organizer = server.sessionFor(slug, ORGANIZER);
    door = server.sessionFor(slug, DOOR);
    attendee = server.sessionFor(slug, ATTENDEE);
    Event other = await(server.server.events().createEvent(new NewEvent(otherSlug, "Other", "Europe/Berlin",
        LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 2), null, null)));
    await(server.server.events().addPerson(other.id(), "olga@example.org", "Olga", null, Role.ORGANIZER));
    otherOrganizer = server.sessionFor(otherSlug, "olga@example.org");
  }

  @AfterAll
  static void stopCheckin() {
    if (server != null) {
      server.close();
    }
  }

  /** The demo event's in-person attendees. */
  static List<Person> inPersonPeople() {
    return await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance())).toList();
  }

  /** The first check-in list door staff see: the venue entry. */
  static long firstListId() {
    return get("/checkin/lists", door).bodyAsJsonArray().getJsonObject(0).getLong("id");
  }

  static String nonce() {
    return UUID.randomUUID().toString();
  }

  static JsonObject scan(String badge, long list, String direction, Instant at, String nonce) {
    return new JsonObject().put("badge", badge).put("listId", list).put("direction", direction)
        .put("scannedAt", at.toString()).put("nonce", nonce);
  }

  /** Door staff redeem a scan now; the answer (ok or a refusal) comes with 200. */
  static JsonObject redeem(String badge, long list, String direction) {
    return redeem(badge, list, direction, Instant.now(), nonce());
  }

  static JsonObject redeem(String badge, long list, String direction, Instant at, String nonce) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/checkin/redeem", door, scan(badge, list, direction, at, nonce));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** A request to {@code /api/events/<demo>} + {@code path}, with the token when there is one. */
  static HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = server.client.request(method, "/api/events/" + slug + path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  static HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = request(method, path, token);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }
}
