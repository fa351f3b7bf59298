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
