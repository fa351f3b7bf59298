package dev.confday.checkin;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.events.Person;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /checkin/scans (the scan history) and scans surviving a deleted room. */
class ScanHistoryApiTest extends CheckinFixture {
  static long venueList;
  static List<Person> inPerson;

  @BeforeAll
  static void start() {
    startCheckin("other-history");
    inPerson = new ArrayList<>(inPersonPeople());
    venueList = firstListId();
  }

  @Test
  void refusedScanShowsItsReasonAndNoToken() {
    Person p = inPerson.get(0);
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    assertThat(redeem(badge, venueList, "entry").getString("status")).isEqualTo("ok");
    char last = badge.charAt(badge.length() - 2);
    String tampered = badge.substring(0, badge.length() - 2) + (last == 'A' ? 'B' : 'A') + badge.charAt(badge.length() - 1);
    assertThat(redeem(tampered, venueList, "entry").getString("reason")).isEqualTo("invalid");

    HttpResponse<Buffer> r = get("/checkin/scans?list=" + venueList + "&limit=2", door);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray scans = r.bodyAsJsonObject().getJsonArray("scans");
    JsonObject refused = scans.getJsonObject(0);
    assertThat(refused.getString("status")).isEqualTo("error");
    assertThat(refused.getString("reason")).isEqualTo("invalid");
    assertThat(refused.getValue("person")).isNull();
    assertThat(refused.getLong("listId")).isEqualTo(venueList);
    assertThat(refused.getString("listName")).isEqualTo("Venue entry");
    assertThat(refused.getBoolean("late")).isFalse();
    JsonObject admitted = scans.getJsonObject(1);
    assertThat(admitted.getString("status")).isEqualTo("ok");
    assertThat(admitted.getJsonObject("person").getLong("id")).isEqualTo(p.id());
    assertThat(admitted.getJsonObject("person").getString("name")).isNotBlank();
    assertThat(admitted.getString("direction")).isEqualTo("entry");
    // no token text anywhere: neither badge, nor any of their three parts
    String body = r.bodyAsString();
    for (String token : List.of(badge, tampered)) {
      for (String part : token.split("\\.")) {
        assertThat(body).doesNotContain(part);
      }
    }
    assertThat(get("/checkin/scans", organizer).statusCode()).isEqualTo(200);
  }

  @Test
  void pagesWithBefore() {
    String badge = server.server.tokens().issueBadge(inPerson.get(1).id(), slug, 1);
    for (int i = 0; i < 3; i++) {
      redeem(badge, venueList, "entry");
      redeem(badge, venueList, "exit");
    }
    JsonArray all = get("/checkin/scans?limit=6", door).bodyAsJsonObject().getJsonArray("scans");
    assertThat(all).hasSize(6);
    JsonObject first = get("/checkin/scans?limit=3", door).bodyAsJsonObject();
    long next = first.getLong("next");
    JsonObject second = get("/checkin/scans?limit=3&before=" + next, door).bodyAsJsonObject();
    List<Long> paged = new ArrayList<>();
    first.getJsonArray("scans").forEach(o -> paged.add(((JsonObject) o).getLong("id")));
    second.getJsonArray("scans").forEach(o -> paged.add(((JsonObject) o).getLong("id")));
    List<Long> expected = new ArrayList<>();
    all.forEach(o -> expected.add(((JsonObject) o).getLong("id")));
    assertThat(paged).isEqualTo(expected);
    assertThat(expected).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(get("/checkin/scans?limit=501", door).statusCode()).isEqualTo(400);
    assertThat(get("/checkin/scans?before=x", door).statusCode()).isEqualTo(400);
  }

  @Test
  void attendeeAndAnotherEventsOrganizerAreRefused() {
    assertThat(get("/checkin/scans", attendee).statusCode()).isEqualTo(403);
    assertThat(get("/checkin/scans", otherOrganizer).statusCode()).isEqualTo(403);
  }

  /** Rooms cannot be deleted through the API, so the room is added and deleted in SQL. */
  @Test
  void scansSurviveDeletingTheRoom() {
    await(server.server.pool().preparedQuery("insert into rooms (event_id, name) values ($1, 'Annex')")
        .execute(Tuple.of(eventId)));
    long annexList = get("/checkin/lists", door).bodyAsJsonArray().stream().map(o -> (JsonObject) o)
        .filter(l -> "Room: Annex".equals(l.getString("name"))).findFirst().orElseThrow().getLong("id");
    Person p = inPerson.get(2);
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    redeem(badge, venueList, "entry");
    assertThat(redeem(badge, annexList, "entry").getString("status")).isEqualTo("ok");
    await(server.server.pool().preparedQuery("delete from rooms where event_id = $1 and name = 'Annex'")
        .execute(Tuple.of(eventId)));

    JsonArray scans = get("/checkin/scans?limit=500", door).bodyAsJsonObject().getJsonArray("scans");
    JsonObject kept = scans.stream().map(o -> (JsonObject) o)
        .filter(s -> "Room: Annex".equals(s.getString("listName"))).findFirst().orElseThrow();
    assertThat(kept.getValue("listId")).isNull();
    assertThat(kept.getString("status")).isEqualTo("ok");
    assertThat(kept.getJsonObject("person").getLong("id")).isEqualTo(p.id());
    assertThat(get("/checkin/lists", door).bodyAsString()).doesNotContain("Room: Annex");
  }
}
