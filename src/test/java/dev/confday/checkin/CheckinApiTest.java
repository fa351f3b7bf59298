package dev.confday.checkin;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.confday.auth.TokenType;
import dev.confday.events.Event;
import dev.confday.events.Person;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CheckinApiTest extends CheckinFixture {
  static String otherSlug = "other-conf";
  static long venueList;
  static List<Person> inPerson;
  static final AtomicInteger next = new AtomicInteger();

  @BeforeAll
  static void start() {
    startCheckin(otherSlug);
    inPerson = new ArrayList<>(inPersonPeople().stream().filter(p -> !p.email().equals(ATTENDEE)).toList());
    JsonArray lists = get("/checkin/lists", door).bodyAsJsonArray();
    venueList = lists.getJsonObject(0).getLong("id");
    assertThat(lists.getJsonObject(0).getValue("roomId")).isNull();
  }

  /** A fresh in-person person for each test, so tests do not share admissions. */
  static Person fresh() {
    return inPerson.get(next.getAndIncrement());
  }

  static long personId(String email) {
    long eventId = await(server.server.events().event(slug)).id();
    return await(server.server.events().people(eventId)).stream().filter(p -> p.email().equals(email)).findFirst()
        .orElseThrow().id();
  }

  @Test
  void badgePngDecodesWithZxingAndRedeemsOnce() throws Exception {
    Person p = fresh();
    HttpResponse<Buffer> png = get("/badges/" + p.id() + ".png", door);
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.getHeader("Content-Type")).isEqualTo("image/png");
    String text = decode(png.body().getBytes());
    assertThat(text.split("\\.")).hasSize(3);
    assertThat(BadgeImage.version(text)).isLessThanOrEqualTo(10);

    JsonObject first = redeem(text, venueList, "entry", Instant.now(), nonce());
    assertThat(first.getString("status")).isEqualTo("ok");
    assertThat(first.getLong("personId")).isEqualTo(p.id());
    assertThat(first.getBoolean("late")).isFalse();
    JsonObject again = redeem(text, venueList, "entry", Instant.now(), nonce());
    assertThat(again.getString("reason")).isEqualTo("already_redeemed");
    assertThat(again.getJsonObject("previous").getLong("listId")).isEqualTo(venueList);

    // an exit lets them in again (the venue allows re-entry)
    assertThat(redeem(text, venueList, "exit", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    assertThat(redeem(text, venueList, "entry", Instant.now(), nonce()).getString("status")).isEqualTo("ok");

    String svg = get("/badges/" + p.id() + ".svg", door).bodyAsString();
    assertThat(svg).startsWith("<svg").contains("<path");
    // a live message on the check-in topic: the counts follow the answer (paced, not waited for)
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
    while (await(server.server.live().since(CheckinService.topic(slug), 0, 1000)).isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(await(server.server.live().since(CheckinService.topic(slug), 0, 1000))).isNotEmpty();
  }

  /**
   * A burst of admissions: every answer comes at once, the counts follow on the live topic exact
   * (the last one counts everyone), and their publications are paced (at most one per list every
   * COUNTS_EVERY_MS, not one per scan).
   */
  @Test
  void countsFollowABurstOfAdmissionsExactAndPaced() throws Exception {
    // an event of its own, so that these admissions touch no other test's people
    String burstSlug = "burst-" + next.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    Event burst = await(server.server.events().createEvent(new dev.confday.events.NewEvent(burstSlug, "Burst",
        "Europe/Berlin", java.time.LocalDate.now(), java.time.LocalDate.now().plusDays(1), null, null)));
    await(server.server.events().addRoom(burst.id(), new dev.confday.events.NewRoom("Hall", 100, null)));
    await(server.server.events().addPerson(burst.id(), "door@" + burstSlug + ".example.org", "Dora Door", null,
        dev.confday.auth.Role.DOOR_STAFF));
    StringBuilder csv = new StringBuilder("name,email,ticket\n");
    int n = 24;
    for (int i = 0; i < n; i++) {
      csv.append("Person ").append(i).append(",p").append(i).append('@').append(burstSlug).append(".example.org,In-person ticket\n");
    }
    await(server.server.events().importRegistrations(burst.id(), csv.toString()));
    String burstDoor = server.sessionFor(burstSlug, "door@" + burstSlug + ".example.org");
    String base = "/api/events/" + burstSlug + "/checkin";
    JsonArray lists = await(server.client.get(base + "/lists").bearerTokenAuthentication(burstDoor).send()).bodyAsJsonArray();
    long venue = lists.stream().map(o -> (JsonObject) o).filter(l -> l.getValue("roomId") == null).findFirst()
        .orElseThrow().getLong("id");
    List<Person> people = await(server.server.events().people(burst.id())).stream()
        .filter(p -> "in-person".equals(p.attendance())).toList();
    assertThat(people).hasSize(n);
    String topic = CheckinService.topic(burstSlug);
    long before = await(server.server.live().lastSeq(topic));
    long started = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> calls = people.stream().map(p -> server.client.post(base + "/redeem")
        .bearerTokenAuthentication(burstDoor).sendJsonObject(scan(server.server.tokens().issueBadge(p.id(), burstSlug, 1),
            venue, "entry", Instant.now(), nonce()))).toList();
    await(Future.all(calls));
    for (var call : calls) {
      assertThat(call.result().bodyAsJsonObject().getString("status")).as(call.result().bodyAsString()).isEqualTo("ok");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<JsonObject> counts;
    do {
      Thread.sleep(50);
      counts = await(server.server.live().since(topic, before, 10_000)).stream().map(m -> m.payload())
          .filter(m -> Long.valueOf(venue).equals(m.getLong("listId")) && m.containsKey("admitted")).toList();
    } while ((counts.isEmpty() || counts.get(counts.size() - 1).getLong("admitted") < n) && System.nanoTime() < deadline);
    double elapsedMs = (System.nanoTime() - started) / 1e6;
    assertThat(counts).isNotEmpty();
    assertThat(counts.get(counts.size() - 1).getLong("admitted")).isEqualTo(n);
    assertThat(counts.get(counts.size() - 1).getLong("inside")).isEqualTo(n);
    assertThat((double) counts.size()).as("publications of " + n + " admissions in " + elapsedMs + " ms")
        .isLessThanOrEqualTo(2 + elapsedMs / CheckinService.COUNTS_EVERY_MS);
  }

  @Test
  void badgeQrVersionAtLevelMIsAtMostTen() {
    // a million people, a 30-character slug and 99 reissues still fit version 10 (213 bytes at M)
    String longest = server.server.tokens().issueBadge(999_999L, "a-thirty-character-event-slug1", 99);
    assertThat(BadgeImage.version(server.server.tokens().issueBadge(inPerson.get(0).id(), slug, 1))).isLessThanOrEqualTo(10);
    int version = BadgeImage.version(longest);
    System.out.println("badge length " + longest.length() + " chars, QR version at M: " + version);
    assertThat(version).isLessThanOrEqualTo(10);
  }

  @Test
  void attendeeSeesOwnBadgeOnlyAndRemoteHasNone() {
    long self = personId(ATTENDEE);
    assertThat(get("/badges/" + self + ".png", attendee).statusCode()).isEqualTo(200);
    assertThat(get("/badges/" + fresh().id() + ".png", attendee).statusCode()).isEqualTo(403);
    assertThat(get("/badges/" + personId(REMOTE) + ".png", organizer).statusCode()).isEqualTo(409);
    assertThat(get("/badges/" + self + ".png", otherOrganizer).statusCode()).isEqualTo(403);
  }

  @Test
  void refusalsCarryTheirReasons() throws Exception {
    Person p = fresh();
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    // tampered: one character of the signature changed
    char last = badge.charAt(badge.length() - 2);
    String tampered = badge.substring(0, badge.length() - 2) + (last == 'A' ? 'B' : 'A') + badge.charAt(badge.length() - 1);
    assertThat(reason(tampered)).isEqualTo("invalid");
    // another claim in the payload, signature kept
    String[] parts = badge.split("\\.");
    String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonObject().put("use", "badge").put("sub", "1").put("evt", slug).put("ver", 1).encode().getBytes());
    assertThat(reason(parts[0] + "." + forgedPayload + "." + parts[2])).isEqualTo("invalid");
    // a login link and a session are no badges
    String link = server.loginLink(slug, ATTENDEE);
    assertThat(reason(link.substring(link.indexOf("#token=") + 7))).isEqualTo("invalid");
    assertThat(reason(attendee)).isEqualTo("invalid");
    assertThat(reason("not-a-token")).isEqualTo("invalid");
    // another event's badge
    assertThat(reason(server.server.tokens().issueBadge(p.id(), otherSlug, 1))).isEqualTo("invalid_event");
    // a remote registration
    assertThat(reason(server.server.tokens().issueBadge(personId(REMOTE), slug, 1))).isEqualTo("remote_ticket");
    // nobody registered
    assertThat(reason(server.server.tokens().issueBadge(987_654_321L, slug, 1))).isEqualTo("unknown_person");
    // an expired (full-form) badge
    assertThat(reason(server.server.tokens().issue(TokenType.BADGE, Long.toString(p.id()), slug, 1,
        Duration.ofSeconds(-30)))).isEqualTo("expired");

    // reissued: the old badge is revoked, the new one admits, the person's session still works
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/badges/" + p.id() + "/reissue", organizer, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("badgeVersion")).isEqualTo(2);
    assertThat(reason(badge)).isEqualTo("revoked");
    String fresh = decode(get("/badges/" + p.id() + ".png", organizer).body().getBytes());
    assertThat(redeem(fresh, venueList, "entry", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    assertThat(send(HttpMethod.POST, "/badges/" + p.id() + "/reissue", door, null).statusCode()).isEqualTo(403);

    // the history keeps refused scans, never the badge
    Set<String> reasons = new HashSet<>();
    await(server.server.pool().query("select distinct reason from checkin_scans where status = 'error'").execute())
        .forEach(row -> reasons.add(row.getString(0)));
    assertThat(reasons).contains("invalid", "invalid_event", "remote_ticket", "unknown_person", "expired", "revoked");
    long leaked = await(server.server.pool().preparedQuery(
        "select count(*) from checkin_scans where answer like '%' || $1 || '%'").execute(Tuple.of(parts[2])))
        .iterator().next().getLong(0);
    assertThat(leaked).isZero();
  }

  @Test
  void lateScanAndRoomRules() {
    Person p = fresh();
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    JsonArray lists = get("/checkin/lists", door).bodyAsJsonArray();
    assertThat(lists.size()).isGreaterThan(2);
    long roomA = lists.getJsonObject(1).getLong("id");
    long roomB = lists.getJsonObject(2).getLong("id");
    assertThat(redeem(badge, roomA, "entry", Instant.now(), nonce()).getString("reason")).isEqualTo("rules");
    JsonObject late = redeem(badge, venueList, "entry", Instant.now().minusSeconds(300), nonce());
    assertThat(late.getString("status")).isEqualTo("ok");
    assertThat(late.getBoolean("late")).isTrue();
    assertThat(redeem(badge, roomA, "entry", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    long insideA = get("/checkin/lists/" + roomA + "/counts", door).bodyAsJsonObject().getLong("inside");
    // entering room B leaves room A
    assertThat(redeem(badge, roomB, "entry", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    JsonObject countsA = get("/checkin/lists/" + roomA + "/counts", door).bodyAsJsonObject();
    assertThat(countsA.getLong("inside")).isEqualTo(insideA - 1);
    assertThat(countsA.getLong("admitted")).isGreaterThanOrEqualTo(1);
    assertThat(get("/checkin/lists/" + roomB + "/counts", door).bodyAsJsonObject().getLong("inside"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void organizersAddListsWithoutReentry() {
    JsonArray lists = get("/checkin/lists", door).bodyAsJsonArray();
    long room = lists.getJsonObject(1).getLong("roomId");
    JsonObject body = new JsonObject().put("name", "Workshop once").put("roomId", room).put("allowReentry", false);
    assertThat(send(HttpMethod.POST, "/checkin/lists", door, body).statusCode()).isEqualTo(403);
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/checkin/lists", organizer, body);
    assertThat(created.statusCode()).isEqualTo(201);
    long once = created.bodyAsJsonObject().getLong("id");
    assertThat(send(HttpMethod.POST, "/checkin/lists", organizer, body).statusCode()).isEqualTo(409);
    assertThat(send(HttpMethod.POST, "/checkin/lists", organizer, new JsonObject().put("name", "x")).statusCode())
        .isEqualTo(400);

    Person p = fresh();
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    assertThat(redeem(badge, venueList, "entry", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    assertThat(redeem(badge, once, "entry", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    assertThat(redeem(badge, once, "exit", Instant.now(), nonce()).getString("status")).isEqualTo("ok");
    JsonObject again = redeem(badge, once, "entry", Instant.now(), nonce());
    assertThat(again.getString("reason")).isEqualTo("already_redeemed");
    assertThat(again.getJsonObject("previous").getLong("listId")).isEqualTo(once);
  }

  @Test
  void theSameNonceSentConcurrentlyAdmitsOnceWithIdenticalAnswers() {
    Person p = fresh();
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    String nonce = nonce();
    JsonObject body = scan(badge, venueList, "entry", Instant.now(), nonce);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(request(HttpMethod.POST, "/checkin/redeem", door).sendJsonObject(body));
    }
    await(Future.all(all));
    Set<String> answers = new HashSet<>();
    for (Future<HttpResponse<Buffer>> f : all) {
      assertThat(f.result().statusCode()).isEqualTo(200);
      answers.add(f.result().bodyAsString());
    }
    assertThat(answers).hasSize(1);
    assertThat(new JsonObject(answers.iterator().next()).getString("status")).isEqualTo("ok");
    assertThat(count("select count(*) from checkin_scans where nonce = $1", nonce)).isEqualTo(1);
    assertThat(count("select count(*) from checkin_inside where person_id = $1", p.id())).isEqualTo(1);
  }

  @Test
  void twoNoncesForOneBadgeConcurrentlyAdmitOnce() {
    Person p = fresh();
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    var a = request(HttpMethod.POST, "/checkin/redeem", door).sendJsonObject(scan(badge, venueList, "entry", Instant.now(), nonce()));
    var b = request(HttpMethod.POST, "/checkin/redeem", door).sendJsonObject(scan(badge, venueList, "entry", Instant.now(), nonce()));
    await(Future.all(a, b));
    List<String> outcomes = new ArrayList<>(List.of(outcome(a.result()), outcome(b.result())));
    assertThat(outcomes).containsExactlyInAnyOrder("ok", "already_redeemed");
  }

  @Test
  void attendeesAndOtherEventsOrganizersAreRefused() {
    String badge = server.server.tokens().issueBadge(fresh().id(), slug, 1);
    JsonObject body = scan(badge, venueList, "entry", Instant.now(), nonce());
    for (String token : List.of(attendee, otherOrganizer)) {
      assertThat(send(HttpMethod.POST, "/checkin/redeem", token, body).statusCode()).isEqualTo(403);
      assertThat(get("/checkin/lists", token).statusCode()).isEqualTo(403);
      assertThat(get("/checkin/lists/" + venueList + "/counts", token).statusCode()).isEqualTo(403);
    }
    assertThat(send(HttpMethod.POST, "/checkin/redeem", null, body).statusCode()).isEqualTo(401);
    // nothing was stored for the refused calls
    assertThat(count("select count(*) from checkin_scans where nonce = $1", body.getString("nonce"))).isZero();
    // a list of another event is not found, a malformed scan is a 400
    assertThat(send(HttpMethod.POST, "/checkin/redeem", door, body.copy().put("listId", 999999)).statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.POST, "/checkin/redeem", door, body.copy().put("direction", "up")).statusCode()).isEqualTo(400);
  }

  @Test
  void aScannerDeviceRedeemsWithItsOwnTokenUntilRevoked() {
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/checkin/scanners", organizer, new JsonObject().put("name", "Door 1"));
    assertThat(created.statusCode()).isEqualTo(201);
    String scanner = created.bodyAsJsonObject().getString("token");
    long id = created.bodyAsJsonObject().getLong("id");
    assertThat(send(HttpMethod.POST, "/checkin/scanners", door, new JsonObject().put("name", "x")).statusCode()).isEqualTo(403);
    // a scanner token opens no session route
    assertThat(get("/checkin/lists", scanner).statusCode()).isEqualTo(403);

    String badge = server.server.tokens().issueBadge(fresh().id(), slug, 1);
    String firstNonce = nonce();
    HttpResponse<Buffer> ok = send(HttpMethod.POST, "/checkin/scanner/redeem", scanner,
        scan(badge, venueList, "entry", Instant.now(), firstNonce));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getString("status")).isEqualTo("ok");
    // a list of no event's is 404, from a live scanner
    assertThat(send(HttpMethod.POST, "/checkin/scanner/redeem", scanner,
        scan(badge, 987654321L, "entry", Instant.now(), nonce())).statusCode()).isEqualTo(404);
    // a session is no scanner token; no token at all is refused
    assertThat(send(HttpMethod.POST, "/checkin/scanner/redeem", door, scan(badge, venueList, "entry", Instant.now(), nonce()))
        .statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/checkin/scanner/redeem", null, scan(badge, venueList, "entry", Instant.now(), nonce()))
        .statusCode()).isEqualTo(401);

    HttpResponse<Buffer> revoked = send(HttpMethod.POST, "/checkin/scanners/" + id + "/revoke", organizer, null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(revoked.bodyAsJsonObject().getBoolean("revoked")).isTrue();
    HttpResponse<Buffer> refused = send(HttpMethod.POST, "/checkin/scanner/redeem", scanner,
        scan(badge, venueList, "exit", Instant.now(), nonce()));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.bodyAsJsonObject().getString("type")).contains("scanner-revoked");
    // a revoked scanner is refused before anything else: replaying its own scan, or naming no list
    HttpResponse<Buffer> replay = send(HttpMethod.POST, "/checkin/scanner/redeem", scanner,
        scan(badge, venueList, "entry", Instant.now(), firstNonce));
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.bodyAsJsonObject().getString("type")).contains("scanner-revoked");
    assertThat(send(HttpMethod.POST, "/checkin/scanner/redeem", scanner,
        scan(badge, 987654321L, "entry", Instant.now(), nonce())).statusCode()).isEqualTo(401);
    // another event's scanner
    Event other = await(server.server.events().event(otherSlug));
    String foreign = await(server.server.checkin().createScanner(other, "Elsewhere")).getString("token");
    assertThat(send(HttpMethod.POST, "/checkin/scanner/redeem", foreign, scan(badge, venueList, "exit", Instant.now(), nonce()))
        .statusCode()).isEqualTo(403);
  }

  // ---- helpers

  static HttpResponse<Buffer> upload(String token, String type, byte[] body) {
    return await(request(HttpMethod.POST, "/checkin/decode", token).putHeader("Content-Type", type)
        .sendBuffer(Buffer.buffer(body)));
  }

  @Test
  void aPhotoOfABadgeDecodesOnTheServerAndRedeems() throws Exception {
    Person p = fresh();
    String badge = decode(get("/badges/" + p.id() + ".png", door).body().getBytes());
    byte[] jpeg = PhoneSnap.photoOf(badge);
    HttpResponse<Buffer> decoded = upload(door, "image/jpeg", jpeg);
    assertThat(decoded.statusCode()).as(decoded.bodyAsString()).isEqualTo(200);
    assertThat(decoded.getHeader("Content-Type")).startsWith("application/json");
    assertThat(decoded.bodyAsJsonObject().getString("badge")).isEqualTo(badge);
    JsonObject answer = redeem(decoded.bodyAsJsonObject().getString("badge"), venueList, "entry", Instant.now(), nonce());
    assertThat(answer.getString("status")).isEqualTo("ok");
    assertThat(answer.getLong("personId")).isEqualTo(p.id());

    // organizers may decode too; the app's own PNG decodes as well
    HttpResponse<Buffer> png = upload(organizer, "image/png; charset=binary", get("/badges/" + p.id() + ".png", door).body().getBytes());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.bodyAsJsonObject().getString("badge")).isEqualTo(badge);
  }

  @Test
  void photoDecodeRefusals() throws Exception {
    java.awt.image.BufferedImage plain = new java.awt.image.BufferedImage(300, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = plain.createGraphics();
    g.setColor(java.awt.Color.LIGHT_GRAY);
    g.fillRect(0, 0, 300, 200);
    g.setColor(java.awt.Color.DARK_GRAY);
    g.fillOval(50, 40, 120, 120);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ImageIO.write(plain, "png", out);

    HttpResponse<Buffer> none = upload(door, "image/png", out.toByteArray());
    assertThat(none.statusCode()).isEqualTo(422);
    assertThat(none.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(none.bodyAsJsonObject().getString("type")).endsWith("/problems/badge-not-found");

    HttpResponse<Buffer> garbage = upload(door, "image/jpeg", "not a jpeg at all".getBytes());
    assertThat(garbage.statusCode()).isEqualTo(422);
    assertThat(garbage.bodyAsJsonObject().getString("type")).endsWith("/problems/badge-not-found");

    HttpResponse<Buffer> text = upload(door, "text/plain", "hello".getBytes());
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.bodyAsJsonObject().getString("type")).endsWith("/problems/unsupported-media-type");

    HttpResponse<Buffer> big = upload(door, "image/png", new byte[BadgePhoto.MAX_BYTES + 1]);
    assertThat(big.statusCode()).isEqualTo(413);

    byte[] photo = PhoneSnap.photoOf(server.server.tokens().issueBadge(fresh().id(), slug, 1));
    assertThat(upload(attendee, "image/jpeg", photo).statusCode()).isEqualTo(403);
    assertThat(upload(otherOrganizer, "image/jpeg", photo).statusCode()).isEqualTo(403);
    assertThat(upload(null, "image/jpeg", photo).statusCode()).isEqualTo(401);
  }

  @Test
  void badgeSheetHasSixBadgesAPageAndItsQrCodesDecode() throws Exception {
    long eventId = await(server.server.events().event(slug)).id();
    long n = count("select count(*) from registrations where event_id = $1 and attendance = 'in-person'", eventId);
    assertThat(n).isGreaterThan(6);
    HttpResponse<Buffer> sheet = get("/badges.pdf", organizer);
    assertThat(sheet.statusCode()).isEqualTo(200);
    assertThat(sheet.getHeader("Content-Type")).isEqualTo("application/pdf");
    try (var pdf = org.apache.pdfbox.Loader.loadPDF(sheet.body().getBytes())) {
      assertThat((long) pdf.getNumberOfPages()).isEqualTo((n + 5) / 6);
      java.awt.image.BufferedImage page = new org.apache.pdfbox.rendering.PDFRenderer(pdf).renderImageWithDPI(0, 150);
      // the first badge is the top left cell
      java.awt.image.BufferedImage cell = page.getSubimage(0, 0, page.getWidth() / 2, page.getHeight() / 3);
      java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
      ImageIO.write(cell, "png", png);
      // the server's photo decoder (TRY_HARDER); decode() without it gives a FormatException on this 150 dpi render
      String text = BadgePhoto.decode(png.toByteArray());
      long first = count("select person_id from registrations where event_id = $1 and attendance = 'in-person'"
          + " order by name, person_id limit 1", eventId);
      int version = (int) count("select badge_version from registrations where event_id = $1 and person_id = "
          + first, eventId);
      assertThat(text).isEqualTo(server.server.tokens().issueBadge(first, slug, version));
      String words = new org.apache.pdfbox.text.PDFTextStripper().getText(pdf);
      assertThat(words).contains(await(server.server.events().people(eventId)).stream()
          .filter(p -> p.id() == first).findFirst().orElseThrow().name());
    }
    assertThat(get("/badges.pdf", door).statusCode()).isEqualTo(403);
    assertThat(get("/badges.pdf", attendee).statusCode()).isEqualTo(403);
    assertThat(get("/badges.pdf", otherOrganizer).statusCode()).isEqualTo(403);
  }

  static String outcome(HttpResponse<Buffer> r) {
    JsonObject o = r.bodyAsJsonObject();
    return "ok".equals(o.getString("status")) ? "ok" : o.getString("reason");
  }

  static long count(String sql, Object arg) {
    return await(server.server.pool().preparedQuery(sql).execute(Tuple.of(arg))).iterator().next().getLong(0);
  }

  static String decode(byte[] png) throws Exception {
    var image = ImageIO.read(new ByteArrayInputStream(png));
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
    return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE)).getText();
  }

  static String reason(String badge) {
    JsonObject answer = redeem(badge, venueList, "entry", Instant.now(), nonce());
    assertThat(answer.getString("status")).isEqualTo("error");
    return answer.getString("reason");
  }
}
