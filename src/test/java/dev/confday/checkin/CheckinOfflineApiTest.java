package dev.confday.checkin;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.events.Event;
import dev.confday.events.Person;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /checkin/offline-data: what a scanner needs to check badges offline, in full or as changes. */
class CheckinOfflineApiTest extends CheckinFixture {
  static String otherSlug = "offline-other";
  static List<Person> inPerson;

  @BeforeAll
  static void start() {
    startCheckin(otherSlug);
    inPerson = inPersonPeople();
  }

  @Test
  void fullWithoutSinceThenOnlyTheReissuedPersonSinceAVersion() {
    String scanner = send(HttpMethod.POST, "/checkin/scanners", organizer, new JsonObject().put("name", "Door A"))
        .bodyAsJsonObject().getString("token");
    HttpResponse<Buffer> first = get("/checkin/offline-data", scanner);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.getHeader("Cache-Control")).contains("no-store");
    JsonObject full = first.bodyAsJsonObject();
    assertThat(full.getBoolean("full")).isTrue();
    assertThat(full.getJsonObject("jwks").getJsonArray("keys")).isNotEmpty();
    assertThat(full.getJsonObject("jwks")).isEqualTo(server.server.tokens().jwks());
    JsonArray lists = full.getJsonArray("lists");
    assertThat(lists.getJsonObject(0).getString("name")).isEqualTo("Venue entry");
    assertThat(lists.getJsonObject(0).containsKey("allowReentry")).isTrue();
    JsonArray people = full.getJsonArray("people");
    assertThat(people.size()).isGreaterThanOrEqualTo(inPerson.size());
    assertThat(ids(people)).contains(inPerson.get(0).id(), inPerson.get(1).id());
    long v = full.getLong("version");
    assertThat(v).isPositive();

    Person reissued = inPerson.get(0);
    Person untouched = inPerson.get(1);
    int newVersion = send(HttpMethod.POST, "/badges/" + reissued.id() + "/reissue", organizer, null)
        .bodyAsJsonObject().getInteger("badgeVersion");

    JsonObject delta = get("/checkin/offline-data?since=" + v, scanner).bodyAsJsonObject();
    assertThat(delta.getBoolean("full")).isFalse();
    assertThat(delta.getLong("version")).isGreaterThan(v);
    assertThat(ids(delta.getJsonArray("people"))).containsExactly(reissued.id());
    assertThat(delta.getJsonArray("people").getJsonObject(0).getInteger("badgeVersion")).isEqualTo(newVersion);
    assertThat(delta.getJsonArray("revoked")).containsExactly(
        new JsonObject().put("personId", reissued.id()).put("minBadgeVersion", newVersion));
    assertThat(ids(delta.getJsonArray("people"))).doesNotContain(untouched.id());

    // nothing changed since the newest version: empty deltas; a door-staff session reads it too
    JsonObject none = get("/checkin/offline-data?since=" + delta.getLong("version"), door).bodyAsJsonObject();
    assertThat(none.getBoolean("full")).isFalse();
    assertThat(none.getJsonArray("people")).isEmpty();
    assertThat(none.getJsonArray("revoked")).isEmpty();
    // a version this server never answered is answered in full
    assertThat(get("/checkin/offline-data?since=" + (delta.getLong("version") + 1000), organizer)
        .bodyAsJsonObject().getBoolean("full")).isTrue();
    assertThat(get("/checkin/offline-data?since=abc", door).statusCode()).isEqualTo(400);
  }

  /**
   * Two reissues in flight at once: the one that drew the smaller change number commits last. A
   * scanner that synced in between must still hear of it (V41: an event's change numbers commit in
   * the order they are drawn); before, it saw the larger number and never got the smaller one.
   */
  @Test
  void aReissueCommittedAfterALaterOneStillReachesAScannerThatSyncedInBetween() throws Exception {
    Person first = inPerson.get(2);
    Person second = inPerson.get(3);
    long v0 = get("/checkin/offline-data", door).bodyAsJsonObject().getLong("version");
    String bump = "update registrations set badge_version = badge_version + 1 where event_id = ? and person_id = ?";
    try (java.sql.Connection a = java.sql.DriverManager.getConnection(server.database.jdbcUrl(), server.database.user(),
        server.database.password());
        java.sql.Connection b = java.sql.DriverManager.getConnection(server.database.jdbcUrl(), server.database.user(),
            server.database.password())) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      try (var s = a.prepareStatement(bump)) {
        s.setLong(1, eventId);
        s.setLong(2, first.id());
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
      // the second reissue, on its own connection: it commits at once unless it has to wait for the first
      java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try (var s = b.prepareStatement(bump)) {
          s.setLong(1, eventId);
          s.setLong(2, second.id());
          s.executeUpdate();
          b.commit();
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        other.get(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException waiting) {
        // (it waits for the first transaction: its number is drawn after the first one's)
      }
      long v1 = get("/checkin/offline-data?since=" + v0, door).bodyAsJsonObject().getLong("version");
      a.commit();
      other.get(20, java.util.concurrent.TimeUnit.SECONDS);
      JsonObject later = get("/checkin/offline-data?since=" + v1, door).bodyAsJsonObject();
      // the scanner synced at v1 in between: what it asks for next holds the first reissue
      assertThat(ids(later.getJsonArray("people"))).as("changes after the version seen in between (%d)", v1)
          .contains(first.id());
      assertThat(later.getJsonArray("revoked").stream().map(o -> ((JsonObject) o).getLong("personId")))
          .contains(first.id());
      // and nothing was lost overall
      assertThat(ids(get("/checkin/offline-data?since=" + v0, door).bodyAsJsonObject().getJsonArray("people")))
          .contains(first.id(), second.id());
    }
  }

  @Test
  void attendeesOtherEventsScannersRevokedScannersAndNoTokenAreRefused() {
    assertThat(get("/checkin/offline-data", attendee).statusCode()).isEqualTo(403);
    assertThat(get("/checkin/offline-data", null).statusCode()).isEqualTo(401);
    Event other = await(server.server.events().event(otherSlug));
    String foreign = await(server.server.checkin().createScanner(other, "Elsewhere")).getString("token");
    assertThat(get("/checkin/offline-data", foreign).statusCode()).isEqualTo(403);

    JsonObject created = send(HttpMethod.POST, "/checkin/scanners", organizer, new JsonObject().put("name", "Door B"))
        .bodyAsJsonObject();
    String scanner = created.getString("token");
    assertThat(get("/checkin/offline-data", scanner).statusCode()).isEqualTo(200);
    send(HttpMethod.POST, "/checkin/scanners/" + created.getLong("id") + "/revoke", organizer, null);
    HttpResponse<Buffer> revoked = get("/checkin/offline-data", scanner);
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(revoked.bodyAsJsonObject().getString("type")).contains("scanner-revoked");
  }

  static List<Long> ids(JsonArray people) {
    return people.stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }
}
