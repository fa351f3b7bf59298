package dev.confday.checkin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.events.Person;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scanner page in real Chromium: a badge QR rendered by the server, played as a fake camera
 * feed (a .y4m file), is read by the page (jsQR; Linux Chromium has no BarcodeDetector) and
 * admitted; with the network gone (DevTools network emulation) a valid badge is still admitted
 * and a reissued one refused by the page's own checks, and both reach the server when the
 * network is back. And the page opens from its service worker's cache with no network.
 */
class ScannerPageBrowserTest {
  static final String DOOR = "elena.garcia@example.org";
  static final String ORGANIZER = "ada.okafor@example.org";
  static TestServer server;
  static Browser browser;
  static String slug;
  static String door;
  static long venueList;
  static Person camera;
  static Person valid;
  static Person reissued;
  static Person remote;
  static String validBadge;
  static String oldBadge;

  @BeforeAll
  static void start() throws Exception {
    // generous database waits: a browser test shares a busy machine
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_DB_CONNECT_TIMEOUT_MS", "15000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "15000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    slug = server.seedDemo();
    door = server.sessionFor(slug, DOOR);
    String organizer = server.sessionFor(slug, ORGANIZER);
    long eventId = await(server.server.events().event(slug)).id();
    List<Person> inPerson = await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(DOOR)).toList();
    camera = inPerson.get(0);
    valid = inPerson.get(1);
    reissued = inPerson.get(2);
    remote = await(server.server.events().people(eventId)).stream()
        .filter(p -> "remote".equals(p.attendance())).findFirst().orElseThrow();
    byte[] cameraPng = get("/badges/" + camera.id() + ".png").body().getBytes();
    validBadge = CheckinApiTest.decode(get("/badges/" + valid.id() + ".png").body().getBytes());
    oldBadge = CheckinApiTest.decode(get("/badges/" + reissued.id() + ".png").body().getBytes());
    // a lost badge: reissued before the scanner loads its data, so the old one is revoked for it
    Assertions.assertThat(await(server.client.post("/api/events/" + slug + "/badges/" + reissued.id() + "/reissue")
        .bearerTokenAuthentication(organizer).send()).statusCode()).isEqualTo(200);
    venueList = get("/checkin/lists").bodyAsJsonArray().getJsonObject(0).getLong("id");

    Path dir = Files.createTempDirectory("confday-camera");
    Path feed = FakeCamera.y4m(ImageIO.read(new ByteArrayInputStream(cameraPng)), 440, 3, dir);
    browser = Browser.launch(List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        "--use-file-for-fake-video-capture=" + feed));
    // the camera, the decoder and the sync take their time on a busy machine
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<Buffer> get(String path) {
    HttpResponse<Buffer> r = await(server.client.get("/api/events/" + slug + path).bearerTokenAuthentication(door).send());
    Assertions.assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r;
  }

  /** The venue list's scan of a person: {status, reason}, newest first; null when none. */
  static JsonObject lastScan(long personId) {
    JsonArray scans = get("/checkin/scans?list=" + venueList + "&limit=500").bodyAsJsonObject().getJsonArray("scans");
    return scans.stream().map(o -> (JsonObject) o)
        .filter(s -> s.getJsonObject("person") != null && s.getJsonObject("person").getLong("id") == personId)
        .findFirst().orElse(null);
  }

  /** Content-Security-Policy complaints seen in the scanner pages' consoles. */
  static final List<String> cspViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

  Page scannerPage(boolean cameraOn) {
    Page page = browser.page(390, 844);
    page.onConsoleMessage(m -> {
      if (m.text().contains("Content Security Policy")) {
        cspViolations.add(m.text());
      }
    });
    page.context().grantPermissions(List.of("camera"));
    if (!cameraOn) {
      page.addInitScript("localStorage.setItem('confday.scanner." + slug + ".camera', 'false')");
    }
    page.navigate(server.loginLink(slug, DOOR));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug);
    page.navigate(server.baseUrl() + "/e/" + slug + "/scanner");
    assertThat(page.locator("#data-status")).containsText("Offline data:");
    return page;
  }

  static void wedge(Page page, String code) {
    page.locator("#wedge").fill(code);
    page.locator("#wedge").press("Enter");
  }

  @Test
  void cameraScanAdmitsThenOfflineAdmitsAndRefusesThenSyncs() {
    Page page = scannerPage(true);
    // the fake camera shows the first badge: read and redeemed online
    assertThat(page.locator("#verdict")).hasAttribute("data-status", "ok");
    assertThat(page.locator("#verdict")).containsText(camera.name());
    assertThat(page.locator("#verdict")).containsText("Admitted");
    assertThat(page.locator("#verdict .verdict-kind")).not().isEmpty();
    // for a look at the phone layout (target/ is the build's own directory)
    page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "scanner-phone.png")));
    assertThat(page.locator("#offline-banner")).isHidden();
    Assertions.assertThat(lastScan(camera.id()).getString("status")).isEqualTo("ok");

    // installable: the manifest starts at and is scoped to this event's scanner page
    Assertions.assertThat(page.evaluate("() => fetch(document.querySelector('link[rel=manifest]').href)"
        + ".then(r => r.json()).then(m => m.start_url + ' ' + m.scope + ' ' + m.display)"))
        .isEqualTo("/e/" + slug + "/scanner /e/" + slug + "/scanner standalone");

    page.context().setOffline(true);
    // a valid badge from the USB scanner: checked on the device, admitted, queued
    wedge(page, validBadge);
    assertThat(page.locator("#verdict")).containsText(valid.name());
    assertThat(page.locator("#verdict")).hasAttribute("data-status", "ok");
    assertThat(page.locator("#verdict .verdict-note")).containsText("offline");
    assertThat(page.locator("#offline-banner")).containsText("1 scan waiting");
    Assertions.assertThat(lastScan(valid.id())).isNull();
    // the lost badge: its version is below the one the offline data knows
    wedge(page, oldBadge);
    assertThat(page.locator("#verdict")).hasAttribute("data-status", "error");
    assertThat(page.locator("#verdict")).containsText("revoked");
    assertThat(page.locator("#verdict")).containsText(reissued.name());
    assertThat(page.locator("#offline-banner")).containsText("2 scans waiting");
    // a tampered badge fails the signature check here
    String tampered = validBadge.substring(0, validBadge.length() - 4) + (validBadge.endsWith("AAAA") ? "BBBB" : "AAAA");
    wedge(page, tampered);
    assertThat(page.locator("#verdict")).containsText("Not a valid badge");
    assertThat(page.locator("#offline-banner")).containsText("3 scans waiting");
    // a remote registration at the in-person venue entry, and a genuine badge of another event
    wedge(page, server.server.tokens().issueBadge(remote.id(), slug, 1));
    assertThat(page.locator("#verdict")).containsText("Remote registration");
    assertThat(page.locator("#verdict")).containsText(remote.name());
    wedge(page, server.server.tokens().issueBadge(valid.id(), "other-conf", 1));
    assertThat(page.locator("#verdict")).containsText("Badge of another event");
    assertThat(page.locator("#offline-banner")).containsText("5 scans waiting");
    page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "scanner-phone-offline.png")));

    // back online: the queue is uploaded with the scans' own nonces and times
    java.time.Instant backOnline = java.time.Instant.now();
    List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    page.onRequest(r -> {
      if (r.method().equals("POST")) {
        posted.add(java.net.URI.create(r.url()).getPath());
      }
    });
    page.context().setOffline(false);
    assertThat(page.locator("#offline-banner")).isHidden();
    assertThat(page.locator("#synced")).containsText("5 offline scans uploaded");
    // in one batch upload, not a call per scan
    Assertions.assertThat(posted).filteredOn(u -> u.contains("/checkin/"))
        .containsExactly("/api/events/" + slug + "/checkin/scanner/upload");
    JsonObject admitted = lastScan(valid.id());
    Assertions.assertThat(admitted.getString("status")).isEqualTo("ok");
    Assertions.assertThat(admitted.getString("direction")).isEqualTo("entry");
    // kept with the time it was scanned at the door, not the time it arrived
    Assertions.assertThat(java.time.Instant.parse(admitted.getString("scannedAt"))).isBefore(backOnline);
    Assertions.assertThat(java.time.Instant.parse(admitted.getString("receivedAt"))).isAfter(backOnline);
    JsonObject refused = lastScan(reissued.id());
    Assertions.assertThat(refused.getString("status")).isEqualTo("error");
    Assertions.assertThat(refused.getString("reason")).isEqualTo("revoked");
    Assertions.assertThat(lastScan(remote.id()).getString("reason")).isEqualTo("remote_ticket");
    // the camera badge, still in view all along, was redeemed once
    long cameraScans = get("/checkin/scans?list=" + venueList + "&limit=500").bodyAsJsonObject().getJsonArray("scans")
        .stream().map(o -> (JsonObject) o)
        .filter(s -> s.getJsonObject("person") != null && s.getJsonObject("person").getLong("id") == camera.id()).count();
    Assertions.assertThat(cameraScans).isEqualTo(1);
    // jsQR, the service worker and the manifest all load under the page's CSP
    Assertions.assertThat(cspViolations).isEmpty();
  }

  /**
   * The service worker's own requests are not covered by DevTools' offline emulation, so this
   * test runs against a server of its own and shuts that server down: nothing answers at all.
   */
  @Test
  void opensFromItsServiceWorkerWithNoServerAndKeepsTheQueueAcrossReloads() throws Exception {
    TestServer alone = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_DB_CONNECT_TIMEOUT_MS", "15000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "15000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    String aloneSlug = alone.seedDemo();
    long eventId = await(alone.server.events().event(aloneSlug)).id();
    Person person = await(alone.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(DOOR)).findFirst().orElseThrow();
    String badge = alone.server.tokens().issueBadge(person.id(), aloneSlug, 1);
    Page page = browser.page(390, 844);
    page.addInitScript("localStorage.setItem('confday.scanner." + aloneSlug + ".camera', 'false')");
    String scanner = alone.baseUrl() + "/e/" + aloneSlug + "/scanner";
    try {
      page.navigate(alone.loginLink(aloneSlug, DOOR));
      assertThat(page).hasURL(alone.baseUrl() + "/e/" + aloneSlug);
      page.navigate(scanner);
      assertThat(page.locator("#data-status")).containsText("Offline data:");
      // the scanner's own worker (the attendee app's, registered on the home page, has the shorter scope /e/<slug>/)
      Browser.awaitWorker(page, "() => navigator.serviceWorker.getRegistration(location.href)"
          + ".then(r => !!r && r.active !== null && r.scope.endsWith('/scanner') && navigator.serviceWorker.controller !== null"
          + " && navigator.serviceWorker.controller.scriptURL.endsWith('/sw.js'))");
      // and its copy of the page is there (CI once failed the offline navigation below)
      Browser.awaitWorker(page, "() => caches.open('confday-scanner-v2').then(c => c.match(location.origin + location.pathname))"
          + ".then(r => !!r && r.ok)");
    } finally {
      alone.close();
    }
    page.context().setOffline(true);
    page.navigate(scanner);
    assertThat(page.locator("#verdict")).containsText("Ready to scan");
    Assertions.assertThat(page.evaluate("() => navigator.serviceWorker.controller !== null")).isEqualTo(true);
    // what the worker answers is its cached copy, marked so
    Assertions.assertThat(page.evaluate("() => fetch('/js/pages/scanner.js').then(r => r.headers.get('X-Confday-Offline-Copy'))"))
        .isEqualTo("v2");
    // and the API is never answered from a cache
    Assertions.assertThat(page.evaluate("() => fetch('/api/events/" + aloneSlug + "').then(() => 'answered', () => 'failed')"))
        .isEqualTo("failed");
    assertThat(page.locator("#data-status")).containsText("Offline data:");
    wedge(page, badge);
    assertThat(page.locator("#verdict")).hasAttribute("data-status", "ok");
    assertThat(page.locator("#verdict")).containsText(person.name());
    assertThat(page.locator("#offline-banner")).containsText("1 scan waiting");
    // nothing lost across a reload with no network
    page.reload();
    assertThat(page.locator("#offline-banner")).containsText("1 scan waiting");
    Assertions.assertThat(page.evaluate("() => JSON.parse(localStorage.getItem('confday.scanner." + aloneSlug
        + ".queue')).map(q => q.badge)")).isEqualTo(List.of(badge));
  }

  @Test
  void anOrganizerAddsAScannerDeviceWhoseLinkScansWithoutASession() {
    Page organizerPage = browser.page();
    organizerPage.navigate(server.loginLink(slug, ORGANIZER));
    assertThat(organizerPage).hasURL(server.baseUrl() + "/e/" + slug);
    organizerPage.navigate(server.baseUrl() + "/e/" + slug + "/organizer");
    organizerPage.locator("#scanner-name").fill("Door 2 phone");
    organizerPage.locator("#scanner-devices button").click();
    assertThat(organizerPage.locator("#scanner-result")).containsText("Door 2 phone");
    String link = organizerPage.locator("#scanner-link").inputValue();
    Assertions.assertThat(link).startsWith(server.baseUrl() + "/e/" + slug + "/scanner#scanner=");

    // a device with no session at all: the link's token is kept, and leaves the address bar
    Page device = browser.page(390, 844);
    device.addInitScript("localStorage.setItem('confday.scanner." + slug + ".camera', 'false')");
    device.navigate(link);
    assertThat(device.locator("#data-status")).containsText("Offline data:");
    Assertions.assertThat(device.url()).doesNotContain("scanner=");
    Assertions.assertThat(device.evaluate("() => localStorage.getItem('confday.session')")).isNull();
    assertThat(device.locator(".scanner")).containsText("scanner device");
    Person person = deviceGuest();
    wedge(device, server.server.tokens().issueBadge(person.id(), slug, 1));
    assertThat(device.locator("#verdict")).hasAttribute("data-status", "ok");
    assertThat(device.locator("#verdict")).containsText(person.name());
    assertThat(device.locator("#verdict .verdict-note")).hasCount(0);
    Assertions.assertThat(lastScan(person.id()).getString("status")).isEqualTo("ok");
    // a scanner device has no session: it is not shown the supervisor's list of offline duplicates
    assertThat(device.locator("#conflicts")).hasCount(0);
  }

  static JsonObject call(HttpMethod method, String path, String token, JsonObject body, int status) {
    var req = server.client.request(method, "/api/events/" + slug + path).bearerTokenAuthentication(token);
    HttpResponse<Buffer> r = await(body == null ? req.send() : req.sendJsonObject(body));
    Assertions.assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  /** Two scanner devices admit `p` offline on `list`, B 30 s before A: A's scan is the flagged duplicate. */
  static void admittedTwiceOffline(Person p, long list, String scannerA, String scannerB) {
    Instant t = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    String badge = server.server.tokens().issueBadge(p.id(), slug, 1);
    for (var scan : List.of(Map.entry(scannerA, t), Map.entry(scannerB, t.minusSeconds(30)))) {
      JsonObject item = new JsonObject().put("badge", badge).put("listId", list).put("direction", "entry")
          .put("scannedAt", scan.getValue().toString()).put("nonce", UUID.randomUUID().toString()).put("offline", true);
      Assertions.assertThat(call(HttpMethod.POST, "/checkin/scanner/upload", scan.getKey(),
          new JsonObject().put("scans", new JsonArray().add(item)), 200).getJsonArray("answers").getJsonObject(0)
          .getString("status")).isEqualTo("ok");
    }
  }

  @Test
  void theDoorSupervisorSeesOfflineDuplicatesLiveAndMarksThemSeen() {
    String organizer = server.sessionFor(slug, ORGANIZER);
    long room = get("/checkin/lists").bodyAsJsonArray().stream().map(o -> (JsonObject) o)
        .filter(l -> l.getValue("roomId") != null).findFirst().orElseThrow().getLong("roomId");
    long once = call(HttpMethod.POST, "/checkin/lists", organizer, new JsonObject().put("name", "Tutorial (once)")
        .put("roomId", room).put("allowReentry", false), 201).getLong("id");
    String doorA = call(HttpMethod.POST, "/checkin/scanners", organizer, new JsonObject().put("name", "North door"), 201)
        .getString("token");
    String doorB = call(HttpMethod.POST, "/checkin/scanners", organizer, new JsonObject().put("name", "South door"), 201)
        .getString("token");
    long eventId = await(server.server.events().event(slug)).id();
    List<Person> guests = await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(DOOR)).toList();
    Person first = guests.get(6);
    Person second = guests.get(7);
    admittedTwiceOffline(first, once, doorA, doorB);

    Page page = scannerPage(false);
    assertThat(page.locator("#conflicts-summary")).hasText("Offline duplicates: 1 to check");
    assertThat(page.locator("#conflicts")).hasAttribute("open", "");
    Locator item = page.locator(".conflict[data-scan]").first();
    assertThat(item).containsText(first.name());
    assertThat(item).containsText("Tutorial (once)");
    // the earlier scan (South door, 30 s before) is the admission; the North door's is flagged
    assertThat(item.locator("div").nth(0)).containsText("Admitted:");
    assertThat(item.locator("div").nth(0)).containsText("South door (offline)");
    assertThat(item.locator("div").nth(1)).containsText("North door (offline)");

    // a new duplicate while the page is open: listed and said, without a reload
    admittedTwiceOffline(second, once, doorA, doorB);
    assertThat(page.locator("#conflicts-summary")).hasText("Offline duplicates: 2 to check");
    assertThat(page.locator("#announce")).containsText("Offline duplicate: " + second.name() + " admitted twice.");

    // marked seen: kept, below the unseen one, and seen by the API too
    page.locator(".conflict", new Page.LocatorOptions().setHasText(first.name())).locator("button.conflict-seen").click();
    assertThat(page.locator("#conflicts-summary")).hasText("Offline duplicates: 1 to check (1 seen)");
    assertThat(page.locator(".conflict.seen")).containsText(first.name());
    assertThat(page.locator(".conflict").first()).containsText(second.name());
    JsonArray unseen = get("/checkin/conflicts?unseen=true").bodyAsJsonObject().getJsonArray("conflicts");
    Assertions.assertThat(unseen.stream().map(o -> ((JsonObject) o).getJsonObject("person").getLong("id")).toList())
        .contains(second.id()).doesNotContain(first.id());
  }

  @Test
  void aMalformedScanInTheQueueDoesNotHoldBackTheOthers() {
    long eventId = await(server.server.events().event(slug)).id();
    Person guest = await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(DOOR)).toList().get(8);
    Page page = scannerPage(false);
    page.context().setOffline(true);
    wedge(page, server.server.tokens().issueBadge(guest.id(), slug, 1));
    assertThat(page.locator("#verdict")).hasAttribute("data-status", "ok");
    // longer than any badge the server takes (4,096 characters): the batch holding it is refused (400)
    wedge(page, "x".repeat(5000));
    assertThat(page.locator("#verdict")).containsText("Not a valid badge");
    assertThat(page.locator("#offline-banner")).containsText("2 scans waiting");
    List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    page.onResponse(r -> {
      if (r.request().method().equals("POST")) {
        posted.add(java.net.URI.create(r.url()).getPath() + " " + r.status());
      }
    });
    page.context().setOffline(false);
    assertThat(page.locator("#offline-banner")).isHidden();
    assertThat(page.locator("#synced")).containsText("2 offline scans uploaded");
    // the batch refused as a whole, then each scan on its own: the guest admitted, the junk refused
    String api = "/api/events/" + slug + "/checkin/";
    Assertions.assertThat(posted).filteredOn(u -> u.contains("/checkin/"))
        .containsExactly(api + "scanner/upload 400", api + "redeem 200", api + "redeem 400");
    Assertions.assertThat(lastScan(guest.id()).getString("status")).isEqualTo("ok");
  }

  /** An in-person guest no other test scans. */
  static Person deviceGuest() {
    long eventId = await(server.server.events().event(slug)).id();
    return await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(DOOR)).toList().get(5);
  }
}
