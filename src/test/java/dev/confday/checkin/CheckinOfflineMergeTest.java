package dev.confday.checkin;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.Person;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offline scans and their merge: on a list without re-entry exactly one admitted entry of a
 * person is first (earliest scan time, ties by nonce), every other is an offline duplicate on the
 * conflicts list, whatever the order of the uploads, across two server instances too.
 */
class CheckinOfflineMergeTest {
  static final int PEOPLE = 40;
  static TestServer server;
  static String slug;
  static String organizer;
  static String door;
  static String attendee;
  static String otherDoor;
  static String otherScanner;
  static String scannerA;
  static String scannerB;
  static long venue;
  static long once;
  static List<Person> people;
  static final AtomicInteger next = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    organizer = server.sessionFor(slug, CheckinApiTest.ORGANIZER);
    door = server.sessionFor(slug, CheckinApiTest.DOOR);
    attendee = server.sessionFor(slug, CheckinApiTest.ATTENDEE);
    Event event = await(server.server.events().event(slug));
    StringBuilder csv = new StringBuilder("Order code,Order date,Status,Ticket type,Attendee name,Attendee email,Company\n");
    for (int i = 0; i < PEOPLE; i++) {
      csv.append("MERGE").append(i).append(",2023-07-01,paid,In-person ticket,Merge Person ").append(i)
          .append(",merge").append(i).append("@example.org,Lab\n");
    }
    await(server.server.events().importRegistrations(event.id(), csv.toString()));
    people = await(server.server.events().people(event.id())).stream()
        .filter(p -> p.email().startsWith("merge")).toList();
    assertThat(people).hasSize(PEOPLE);

    Event other = await(server.server.events().createEvent(new NewEvent("merge-other", "Other", "Europe/Berlin",
        LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 2), null, null)));
    await(server.server.events().addPerson(other.id(), "otto@example.org", "Otto", null, Role.DOOR_STAFF));
    otherDoor = server.sessionFor("merge-other", "otto@example.org");
    otherScanner = await(server.server.checkin().createScanner(other, "Elsewhere")).getString("token");

    scannerA = scanner("Door A").getString("token");
    scannerB = scanner("Door B").getString("token");
    JsonArray lists = get("/checkin/lists", door).bodyAsJsonArray();
    venue = lists.getJsonObject(0).getLong("id");
    long room = lists.stream().map(o -> (JsonObject) o).filter(l -> l.getValue("roomId") != null).findFirst()
        .orElseThrow().getLong("roomId");
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/checkin/lists", organizer, new JsonObject()
        .put("name", "Workshop (once)").put("roomId", room).put("allowReentry", false));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    once = created.bodyAsJsonObject().getLong("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void offlineMergeInBothOrdersGivesTheSameResult() {
    Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    Person p1 = fresh();
    Person p2 = fresh();
    // door B scanned 30 s before door A; p1: A syncs first, p2: B syncs first
    JsonObject p1a = upload(scannerA, offline(p1, once, t, "a-" + p1.id())).getJsonObject(0);
    JsonObject p1b = upload(scannerB, offline(p1, once, t.minusSeconds(30), "b-" + p1.id())).getJsonObject(0);
    JsonObject p2b = upload(scannerB, offline(p2, once, t.minusSeconds(30), "b-" + p2.id())).getJsonObject(0);
    JsonObject p2a = upload(scannerA, offline(p2, once, t, "a-" + p2.id())).getJsonObject(0);

    // every offline scan is admitted (it was shown at the door already)
    for (JsonObject a : List.of(p1a, p1b, p2a, p2b)) {
      assertThat(a.getString("status")).as(a.encode()).isEqualTo("ok");
      assertThat(a.getBoolean("offline")).isTrue();
    }
    assertThat(p1a.getBoolean("conflict")).isFalse();
    assertThat(p2b.getBoolean("conflict")).isFalse();
    // the later upload learns of the conflict and which scan is first: B's, the earlier one, both times
    assertThat(p1b.getBoolean("conflict")).isTrue();
    assertThat(p1b.getBoolean("offlineDuplicate")).isFalse();
    assertThat(p1b.getJsonObject("first").getString("scannedAt")).isEqualTo(t.minusSeconds(30).toString());
    assertThat(p1b.getJsonObject("first").getJsonObject("device").getString("name")).isEqualTo("Door B");
    assertThat(p2a.getBoolean("conflict")).isTrue();
    assertThat(p2a.getBoolean("offlineDuplicate")).isTrue();
    assertThat(p2a.getJsonObject("first").getString("scannedAt")).isEqualTo(t.minusSeconds(30).toString());
    assertThat(p2a.getJsonObject("first").getJsonObject("device").getString("name")).isEqualTo("Door B");

    // the merged result: the same for both people, whatever synced first
    Map<Long, JsonObject> conflicts = conflictsByPerson(get("/checkin/conflicts", door));
    assertThat(outcome(conflicts.get(p1.id()))).isEqualTo(outcome(conflicts.get(p2.id())))
        .isEqualTo(List.of(t.minusSeconds(30).toString(), "Door B", t.toString(), "Door A", "true", "true"));
    assertThat(conflicts.get(p1.id()).getJsonObject("list")).isEqualTo(
        new JsonObject().put("id", once).put("name", "Workshop (once)"));
    assertThat(conflicts.get(p1.id()).getJsonObject("person").getString("name")).isEqualTo(p1.name());
    // admitted once per person on the list
    assertThat(get("/checkin/lists/" + once + "/counts", door).bodyAsJsonObject().getLong("admitted"))
        .isGreaterThanOrEqualTo(2);

    // ties on the scan time: the smaller nonce is first, in both orders
    Person p3 = fresh();
    Person p4 = fresh();
    upload(scannerA, offline(p3, once, t, "z-" + p3.id()));
    upload(scannerB, offline(p3, once, t, "m-" + p3.id()));
    upload(scannerB, offline(p4, once, t, "m-" + p4.id()));
    upload(scannerA, offline(p4, once, t, "z-" + p4.id()));
    conflicts = conflictsByPerson(get("/checkin/conflicts", door));
    assertThat(outcome(conflicts.get(p3.id()))).isEqualTo(outcome(conflicts.get(p4.id())))
        .isEqualTo(List.of(t.toString(), "Door B", t.toString(), "Door A", "true", "true"));

    // the door supervisor hears of each conflict live
    List<JsonObject> live = await(server.server.live().since(CheckinService.topic(slug), 0, 10_000)).stream()
        .map(m -> m.payload()).filter(m -> m.containsKey("conflict")).toList();
    assertThat(live.stream().map(m -> m.getJsonObject("conflict").getJsonObject("person").getLong("id")))
        .contains(p1.id(), p2.id(), p3.id(), p4.id());

    // marking one seen takes it off the unseen list, not off the list
    long dup = conflicts.get(p1.id()).getLong("id");
    HttpResponse<Buffer> seen = send(HttpMethod.POST, "/checkin/conflicts/" + dup + "/seen", door, null);
    assertThat(seen.statusCode()).as(seen.bodyAsString()).isEqualTo(200);
    assertThat(seen.bodyAsJsonObject().getString("seenAt")).isNotNull();
    assertThat(conflictsByPerson(get("/checkin/conflicts?unseen=true", door))).doesNotContainKey(p1.id())
        .containsKey(p2.id());
    assertThat(conflictsByPerson(get("/checkin/conflicts", door)).get(p1.id()).getString("seenAt")).isNotNull();
    // a first scan is no duplicate
    long firstScan = conflicts.get(p1.id()).getJsonObject("first").getLong("scanId");
    assertThat(send(HttpMethod.POST, "/checkin/conflicts/" + firstScan + "/seen", door, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void reuploadChangesNothing() {
    Instant t = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    Person p = fresh();
    JsonArray batch = new JsonArray()
        .add(offline(p, venue, t.minusSeconds(60), nonce()))
        .add(offline(p, once, t, nonce()))
        .add(offline(p, once, t.plusSeconds(5), nonce()));
    HttpResponse<Buffer> first = uploadRaw(scannerA, batch);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    JsonArray answers = first.bodyAsJsonObject().getJsonArray("answers");
    assertThat(answers).hasSize(3);
    assertThat(answers.getJsonObject(2).getBoolean("offlineDuplicate")).isTrue();
    Map<Long, JsonObject> conflictsBefore = conflictsByPerson(get("/checkin/conflicts", door));
    JsonObject scansBefore = get("/checkin/scans?limit=500", door).bodyAsJsonObject();
    JsonObject countsBefore = get("/checkin/lists/" + once + "/counts", door).bodyAsJsonObject();

    // the same queue again (say, the page did not see the answer), from the other device too
    HttpResponse<Buffer> again = uploadRaw(scannerA, batch);
    HttpResponse<Buffer> other = uploadRaw(scannerB, batch);
    assertThat(again.bodyAsString()).isEqualTo(first.bodyAsString());
    assertThat(other.bodyAsString()).isEqualTo(first.bodyAsString());
    // one at a time through the single call: the stored answer, byte for byte
    HttpResponse<Buffer> single = sendAs(HttpMethod.POST, "/checkin/scanner/redeem", scannerB, batch.getJsonObject(1));
    assertThat(single.bodyAsString()).isEqualTo(answers.getJsonObject(1).encode());

    assertThat(conflictsByPerson(get("/checkin/conflicts", door)).get(p.id())).isEqualTo(conflictsBefore.get(p.id()));
    assertThat(get("/checkin/scans?limit=500", door).bodyAsJsonObject()).isEqualTo(scansBefore);
    assertThat(get("/checkin/lists/" + once + "/counts", door).bodyAsJsonObject()).isEqualTo(countsBefore);
  }

  @Test
  void concurrentUploadsOfConflictingScansOnTwoInstancesKeepOneFirst() {
    // a second server instance on the same database: the lock and the unique index are in PostgreSQL
    try (TestServer second = TestServer.start(server.database, Map.of())) {
      Instant t = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
      List<Person> batch = IntStream.range(0, 8).mapToObj(i -> fresh()).toList();
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (Person p : batch) {
        // A scanned 2 s later than B; both upload at the same moment, to different instances
        sent.add(uploadRequest(server, scannerA).sendJsonObject(new JsonObject().put("scans",
            new JsonArray().add(offline(p, once, t.plusSeconds(2), nonce())))));
        sent.add(uploadRequest(second, scannerB).sendJsonObject(new JsonObject().put("scans",
            new JsonArray().add(offline(p, once, t, nonce())))));
      }
      await(Future.all(sent));
      for (Future<HttpResponse<Buffer>> f : sent) {
        assertThat(f.result().statusCode()).as(f.result().bodyAsString()).isEqualTo(200);
        assertThat(f.result().bodyAsJsonObject().getJsonArray("answers").getJsonObject(0).getString("status"))
            .isEqualTo("ok");
      }
      List<JsonObject> all = all(get("/checkin/conflicts?limit=500", door));
      for (Person p : batch) {
        List<JsonObject> mine = all.stream().filter(c -> c.getJsonObject("person").getLong("id") == p.id()).toList();
        assertThat(mine).as("person " + p.id()).hasSize(1);
        assertThat(outcome(mine.get(0))).isEqualTo(
            List.of(t.toString(), "Door B", t.plusSeconds(2).toString(), "Door A", "true", "true"));
      }
    }
  }

  @Test
  void onlineAndOfflineScansMergeAndOnlineIsStillRefusedWhenAdmitted() {
    Person p = fresh();
    String badge = badge(p, 1);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    assertThat(redeem(door, badge, venue, now, nonce(), false).getString("status")).isEqualTo("ok");
    JsonObject online = redeem(door, badge, once, now, nonce(), false);
    assertThat(online.getString("status")).isEqualTo("ok");
    assertThat(online.getBoolean("conflict")).isFalse();
    assertThat(online.getBoolean("offline")).isFalse();
    // online, a second entry is refused as before
    assertThat(redeem(door, badge, once, now.plusSeconds(1), nonce(), false).getString("reason"))
        .isEqualTo("already_redeemed");
    // an offline scan made a minute earlier at another door is admitted, and is now the first
    JsonObject earlier = upload(scannerA, offline(p, once, now.minusSeconds(60), nonce())).getJsonObject(0);
    assertThat(earlier.getString("status")).isEqualTo("ok");
    assertThat(earlier.getBoolean("conflict")).isTrue();
    assertThat(earlier.getBoolean("offlineDuplicate")).isFalse();
    assertThat(earlier.getJsonObject("first").getJsonObject("device")).isEqualTo(
        new JsonObject().put("kind", "scanner").put("id", earlier.getJsonObject("first").getJsonObject("device")
            .getLong("id")).put("name", "Door A"));
    JsonObject c = conflictsByPerson(get("/checkin/conflicts", door)).get(p.id());
    assertThat(c.getJsonObject("duplicate").getBoolean("offline")).isFalse();
    assertThat(c.getJsonObject("duplicate").getJsonObject("device").getString("kind")).isEqualTo("staff");
    assertThat(c.getJsonObject("duplicate").getJsonObject("device").getString("name")).isEqualTo("Elena Garcia");
    assertThat(c.getJsonObject("first").getBoolean("offline")).isTrue();
    // a third, later offline scan: still the earliest is first, two duplicates
    upload(scannerB, offline(p, once, now.plusSeconds(30), nonce()));
    List<JsonObject> mine = all(get("/checkin/conflicts", door)).stream()
        .filter(x -> x.getJsonObject("person").getLong("id") == p.id()).toList();
    assertThat(mine).hasSize(2);
    assertThat(mine).allSatisfy(x -> assertThat(x.getJsonObject("first").getString("scannedAt"))
        .isEqualTo(now.minusSeconds(60).toString()));
  }

  @Test
  void offlineScansOfARevokedBadgeCountOnlyBeforeTheReissue() {
    Person p = fresh();
    String old = badge(p, 1);
    Instant before = Instant.now().minusSeconds(120);
    int version = send(HttpMethod.POST, "/badges/" + p.id() + "/reissue", organizer, null).bodyAsJsonObject()
        .getInteger("badgeVersion");
    // scanned offline before the reissue: valid then, admitted
    JsonObject early = upload(scannerA, scanOf(old, venue, before, nonce(), true)).getJsonObject(0);
    assertThat(early.getString("status")).as(early.encode()).isEqualTo("ok");
    // scanned offline after it (the device had an old revocation list): stored with its reason
    String late = nonce();
    JsonObject after = upload(scannerA, scanOf(old, venue, Instant.now(), late, true)).getJsonObject(0);
    assertThat(after.getString("status")).isEqualTo("error");
    assertThat(after.getString("reason")).isEqualTo("revoked");
    // online the old badge is refused whatever its scan time
    assertThat(redeem(door, old, venue, before, nonce(), false).getString("reason")).isEqualTo("revoked");
    // a forged badge offline is refused too, and the new badge is admitted offline although inside already
    assertThat(upload(scannerA, scanOf(old + "x", venue, before, nonce(), true)).getJsonObject(0).getString("reason"))
        .isEqualTo("invalid");
    assertThat(upload(scannerA, scanOf(badge(p, version), venue, Instant.now(), nonce(), true)).getJsonObject(0)
        .getString("status")).isEqualTo("ok");
    List<JsonObject> history = get("/checkin/scans?limit=500", door).bodyAsJsonObject().getJsonArray("scans").stream()
        .map(o -> (JsonObject) o).filter(s -> s.getJsonObject("person") != null
            && s.getJsonObject("person").getLong("id") == p.id()).toList();
    assertThat(history.stream().map(s -> s.getString("reason")).filter(r -> r != null))
        .containsExactlyInAnyOrder("revoked", "revoked");
  }

  @Test
  void refusesAttendeesOtherEventsRevokedScannersAndBadBatches() {
    JsonObject item = offline(fresh(), once, Instant.now(), nonce());
    JsonArray one = new JsonArray().add(item);
    assertThat(get("/checkin/conflicts", attendee).statusCode()).isEqualTo(403);
    assertThat(get("/checkin/conflicts", otherDoor).statusCode()).isEqualTo(403);
    assertThat(get("/checkin/conflicts", null).statusCode()).isEqualTo(401);
    assertThat(send(HttpMethod.POST, "/checkin/conflicts/1/seen", attendee, null).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/checkin/conflicts/1/seen", otherDoor, null).statusCode()).isEqualTo(403);
    assertThat(uploadRaw(attendee, one).statusCode()).isEqualTo(403);
    assertThat(uploadRaw(otherDoor, one).statusCode()).isEqualTo(403);
    assertThat(uploadRaw(otherScanner, one).statusCode()).isEqualTo(403);
    assertThat(uploadRaw(null, one).statusCode()).isEqualTo(401);
    assertThat(sendAs(HttpMethod.POST, "/checkin/scanner/redeem", otherScanner, item).statusCode()).isEqualTo(403);

    JsonObject created = scanner("Lost phone");
    String lost = created.getString("token");
    assertThat(uploadRaw(lost, new JsonArray().add(offline(fresh(), once, Instant.now(), nonce()))).statusCode())
        .isEqualTo(200);
    send(HttpMethod.POST, "/checkin/scanners/" + created.getLong("id") + "/revoke", organizer, null);
    HttpResponse<Buffer> revoked = uploadRaw(lost, one);
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(revoked.bodyAsJsonObject().getString("type")).contains("scanner-revoked");

    // a door-staff session may upload too; bad batches are refused whole, nothing stored
    JsonArray tooMany = new JsonArray();
    IntStream.range(0, CheckinRoutes.MAX_UPLOAD + 1).forEach(i -> tooMany.add(item));
    assertThat(uploadRaw(door, tooMany).statusCode()).isEqualTo(400);
    assertThat(uploadRaw(door, new JsonArray()).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> bad = uploadRaw(door, new JsonArray().add(item).add(item.copy().put("offline", "yes")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("scans[1].offline");
    assertThat(uploadRaw(door, one).bodyAsJsonObject().getJsonArray("answers").getJsonObject(0).getString("status"))
        .isEqualTo("ok");
  }

  // ---- helpers

  static Person fresh() {
    return people.get(next.getAndIncrement());
  }

  static String nonce() {
    return UUID.randomUUID().toString();
  }

  static String badge(Person p, int version) {
    return server.server.tokens().issueBadge(p.id(), slug, version);
  }

  static JsonObject offline(Person p, long list, Instant at, String nonce) {
    return scanOf(badge(p, 1), list, at, nonce, true);
  }

  static JsonObject scanOf(String badge, long list, Instant at, String nonce, boolean offline) {
    return new JsonObject().put("badge", badge).put("listId", list).put("direction", "entry")
        .put("scannedAt", at.toString()).put("nonce", nonce).put("offline", offline);
  }

  static JsonObject redeem(String token, String badge, long list, Instant at, String nonce, boolean offline) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/checkin/redeem", token, scanOf(badge, list, at, nonce, offline));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static JsonArray upload(String token, JsonObject scan) {
    HttpResponse<Buffer> r = uploadRaw(token, new JsonArray().add(scan));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("answers");
  }

  static HttpResponse<Buffer> uploadRaw(String token, JsonArray scans) {
    return sendAs(HttpMethod.POST, "/checkin/scanner/upload", token, new JsonObject().put("scans", scans));
  }

  static HttpRequest<Buffer> uploadRequest(TestServer on, String token) {
    return on.client.request(HttpMethod.POST, "/api/events/" + slug + "/checkin/scanner/upload")
        .bearerTokenAuthentication(token);
  }

  static JsonObject scanner(String name) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/checkin/scanners", organizer, new JsonObject().put("name", name));
    assertThat(r.statusCode()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  static List<JsonObject> all(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("conflicts").stream().map(o -> (JsonObject) o).toList();
  }

  /** The conflicts by person (each test's people have at most one conflict unless said otherwise). */
  static Map<Long, JsonObject> conflictsByPerson(HttpResponse<Buffer> r) {
    return all(r).stream().collect(Collectors.toMap(c -> c.getJsonObject("person").getLong("id"), c -> c,
        (a, b) -> a));
  }

  /** What the merge decided: first's time and device, the duplicate's, and that both were offline. */
  static List<String> outcome(JsonObject c) {
    JsonObject f = c.getJsonObject("first");
    JsonObject d = c.getJsonObject("duplicate");
    return List.of(f.getString("scannedAt"), f.getJsonObject("device").getString("name"), d.getString("scannedAt"),
        d.getJsonObject("device").getString("name"), f.getBoolean("offline").toString(),
        d.getBoolean("offline").toString());
  }

  static HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    return sendAs(method, path, token, body);
  }

  static HttpResponse<Buffer> sendAs(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = server.client.request(method, "/api/events/" + slug + path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }
}
