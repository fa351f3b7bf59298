package dev.confday.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.demo.DemoPosterFiles;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * axe-core (from npm, infra/web/node_modules; injected by the test, never served) on the pages
 * people use, for each kind of person, on a phone and a laptop: no serious or critical
 * violation.
 */
class AccessibilityBrowserTest {
  static TestServer server;
  static Browser browser;
  static String slug;

  @BeforeAll
  static void start() {
    Axe.assertInstalled();
    // patient with the database: the test machine is shared and busy (a first connection may take seconds)
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_DB_CONNECT_TIMEOUT_MS", "20000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "20000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    slug = server.seedDemo();
    // PDFs for the first 8 demo posters, as the demo run does (previews drawn afterwards)
    await(DemoPosterFiles.upload(server.server, slug, 8));
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  /** A page (CSP bypassed, for axe's injection only) at the given width, its clock at `instant`, logged in when `email` is given. */
  static Page open(String email, int width, String instant, String path) {
    Page page = browser.page(new NewContextOptions().setViewportSize(width, width < 600 ? 844 : 900).setBypassCSP(true));
    if (instant != null) page.clock().setFixedTime(instant);
    if (email != null) {
      page.navigate(server.loginLink(slug, email));
      assertThat(page).hasURL(server.baseUrl() + "/e/" + slug);
    }
    page.navigate(server.baseUrl() + path);
    return page;
  }

  static void assertAccessible(Page page, String what) {
    Axe.assertAccessible(page, what);
  }

  @Test
  void theSchedulePagesHaveNoSeriousViolations() {
    String during = "2023-07-29T10:05:00-10:00";
    Page phone = open("grace.kim@example.org", 390, during, "/e/" + slug + "/schedule");
    assertThat(phone.locator("#by-time")).isVisible();
    assertAccessible(phone, "schedule, attendee, phone, by time");

    Page laptop = open(null, 1280, "2023-07-20T10:00:00-10:00", "/e/" + slug + "/schedule");
    assertThat(laptop.locator("#timetable")).isVisible();
    assertAccessible(laptop, "schedule, anonymous, laptop, grid");

    Page organizer = open("ada.okafor@example.org", 1280, during, "/e/" + slug + "/schedule");
    assertThat(organizer.locator("#timetable form.delay").first()).isVisible();
    organizer.locator("button.cancel-session").first().click();
    assertThat(organizer.locator(".confirm-cancel")).isVisible();
    assertAccessible(organizer, "schedule, organizer, laptop, grid with a cancel question");

    Page organizerPhone = open("ada.okafor@example.org", 390, during, "/e/" + slug + "/schedule");
    assertThat(organizerPhone.locator(".room-tools form.delay").first()).isVisible();
    assertAccessible(organizerPhone, "schedule, organizer, phone");

    // the agenda with two sessions that clash
    String token = server.sessionFor(slug, "ines.moreau@example.org");
    JsonObject schedule = await(server.client.get("/api/events/" + slug + "/schedule").send()).bodyAsJsonObject();
    for (Object o : schedule.getJsonArray("sessions")) {
      JsonObject s = (JsonObject) o;
      if (List.of("poster-setup", "invited-1").contains(s.getString("key"))) {
        await(server.client.put("/api/events/" + slug + "/agenda/" + s.getLong("id")).bearerTokenAuthentication(token).send());
      }
    }
    Page agenda = browser.page(new NewContextOptions().setViewportSize(390, 844).setBypassCSP(true)
        .setTimezoneId("Europe/Berlin"));
    agenda.navigate(server.loginLink(slug, "ines.moreau@example.org"));
    assertThat(agenda).hasURL(server.baseUrl() + "/e/" + slug);
    agenda.navigate(server.baseUrl() + "/e/" + slug + "/schedule?view=agenda");
    assertThat(agenda.locator("#agenda .clash-note")).hasCount(2);
    assertAccessible(agenda, "my agenda with a clash, remote attendee, phone");
  }

  @Test
  void theOtherPagesHaveNoSeriousViolations() {
    Page events = open(null, 390, null, "/");
    assertThat(events.locator("main h1")).hasText("Events");
    assertAccessible(events, "events list");

    Page login = open(null, 390, null, "/e/" + slug + "/login");
    assertThat(login.locator("#link")).isVisible();
    assertAccessible(login, "log in");

    Page home = open("grace.kim@example.org", 390, null, "/e/" + slug);
    assertThat(home.locator("#welcome")).isVisible();
    assertAccessible(home, "home, attendee, phone");

    Page poster = open("uma.raman@example.org", 390, null, "/e/" + slug + "/my-poster");
    assertThat(poster.locator("section.poster-upload").first()).isVisible();
    assertThat(poster.locator("section.poster-upload .current").first()).not().isEmpty();
    assertAccessible(poster, "my poster, presenter, phone");

    Page organizer = open("ada.okafor@example.org", 1280, null, "/e/" + slug + "/organizer");
    assertThat(organizer.locator("main table tbody tr").first()).isVisible();
    assertThat(organizer.locator("#upload-counts")).isVisible();
    assertThat(organizer.locator("#streams form.stream-room").first()).isVisible();
    organizer.locator("button.edit-roles").first().click();
    assertThat(organizer.locator("form.roles-form")).isVisible();
    assertAccessible(organizer, "organizer, laptop, roles open");

    Page organizerPhone = open("ada.okafor@example.org", 390, null, "/e/" + slug + "/organizer");
    assertThat(organizerPhone.locator("#people-counts")).isVisible();
    assertAccessible(organizerPhone, "organizer, phone");
  }

  static JsonObject call(HttpMethod method, String path, String token, JsonObject body, int status) {
    var req = server.client.request(method, path).bearerTokenAuthentication(token);
    var r = await(body == null ? req.send() : req.sendJsonObject(body));
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.body() == null || r.body().length() == 0 ? null : r.bodyAsJsonObject();
  }

  /** A demo session with its Q&A open and premoderated: one approved question and one waiting; answers its API base. */
  static String qaSession(String key) {
    JsonObject schedule = await(server.client.get("/api/events/" + slug + "/schedule").send()).bodyAsJsonObject();
    long id = schedule.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> key.equals(s.getString("key"))).findFirst().orElseThrow().getLong("id");
    String base = "/api/events/" + slug + "/sessions/" + id;
    String moderator = server.sessionFor(slug, "chiara.rossi@example.org");
    String attendee = server.sessionFor(slug, "ines.moreau@example.org");
    call(HttpMethod.PUT, base + "/qa", moderator, new JsonObject().put("state", "open").put("premoderated", true), 200);
    long asked = call(HttpMethod.POST, base + "/questions", attendee,
        new JsonObject().put("text", "Which survey gave the training labels?").put("anonymous", false), 201).getLong("id");
    call(HttpMethod.POST, base + "/questions/" + asked + "/approve", moderator, null, 200);
    call(HttpMethod.POST, base + "/questions", attendee,
        new JsonObject().put("text", "How do you handle blended sources?").put("anonymous", true), 201);
    return base;
  }

  @Test
  void thePosterQaAndProjectorPagesHaveNoSeriousViolations() {
    String during = "2023-07-29T12:00:00-10:00";
    Page hall = open(null, 390, during, "/e/" + slug + "/posters");
    assertThat(hall.locator(".poster-card").first()).isVisible();
    hall.locator("#poster-search").fill("Ortega");
    assertThat(hall.locator(".poster-board.hit")).hasCount(1);
    assertAccessible(hall, "posters, anonymous, phone, a search");

    Page hallAttendee = open("grace.kim@example.org", 1280, during, "/e/" + slug + "/posters");
    assertThat(hallAttendee.locator(".poster-card a.poster-preview img").first())
        .isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(90_000));
    assertAccessible(hallAttendee, "posters, attendee, laptop, with previews");

    Page hallOrganizer = open("ada.okafor@example.org", 1280, during, "/e/" + slug + "/posters");
    assertThat(hallOrganizer.locator(".poster-move select").first()).isVisible();
    hallOrganizer.locator(".poster-tools summary").click();
    assertAccessible(hallOrganizer, "posters, organizer, laptop, tools open");

    String base = qaSession("invited-1");
    String session = base.substring(base.lastIndexOf('/') + 1);
    String qa = "/e/" + slug + "/qa?session=" + session;
    Page anonymous = open(null, 390, during, qa);
    assertThat(anonymous.locator(".qa-login")).isVisible();
    assertAccessible(anonymous, "q&a, anonymous, phone");

    Page attendee = open("grace.kim@example.org", 390, during, qa);
    assertThat(attendee.locator(".qa-question")).hasCount(1);
    assertAccessible(attendee, "q&a, attendee, phone");

    Page moderator = open("chiara.rossi@example.org", 390, during, qa + "&view=moderate");
    assertThat(moderator.locator(".qa-question").first()).isVisible();
    assertAccessible(moderator, "q&a, moderator, phone");
    // the inline edit and merge forms (each check closes its page)
    Page editing = open("chiara.rossi@example.org", 390, during, qa + "&view=moderate");
    editing.locator(".qa-question .qa-act-edit").first().click();
    assertThat(editing.locator(".qa-edit-input")).isFocused();
    assertAccessible(editing, "q&a, moderator, phone, editing a question");
    Page merging = open("chiara.rossi@example.org", 390, during, qa + "&view=moderate");
    merging.locator(".qa-question .qa-act-merge").first().click();
    assertThat(merging.locator(".qa-merge-into")).isFocused();
    assertAccessible(merging, "q&a, moderator, phone, merging a question");

    Page organizer = open("ada.okafor@example.org", 1280, during, qa + "&view=moderate");
    assertThat(organizer.locator(".qa-question").first()).isVisible();
    organizer.locator(".qa-projector-links summary").click();
    // times in 24-hour style, as on every other page
    assertThat(organizer.locator("main")).not().containsText(java.util.regex.Pattern.compile("\\b(AM|PM)\\b"));
    assertThat(organizer.locator("#qa-session option:checked")).hasText(java.util.regex.Pattern.compile("^Sat \\d{2}:\\d{2} · "));
    assertAccessible(organizer, "q&a, organizer, laptop, moderating with projector links open");

    Page organizerAttendee = open("ada.okafor@example.org", 1280, during, qa + "&view=attendee");
    assertThat(organizerAttendee.locator(".qa-question")).hasCount(1);
    assertAccessible(organizerAttendee, "q&a, organizer, laptop, attendee view");

    String url = call(HttpMethod.POST, base + "/qa/projector-links", server.sessionFor(slug, "chiara.rossi@example.org"),
        null, 201).getString("url");
    Page projector = browser.page(new NewContextOptions().setViewportSize(1280, 720).setBypassCSP(true));
    projector.navigate(url);
    assertThat(projector.locator("#projector-next")).containsText("Which survey gave the training labels?");
    assertAccessible(projector, "projector");
  }

  @Test
  void theScannerPageHasNoSeriousViolationsIdleAdmittingOrRefusing() throws Exception {
    // door staff on a phone: the page as it opens (no camera in this browser), then a green and a red verdict
    String door = "elena.garcia@example.org";
    long eventId = await(server.server.events().event(slug)).id();
    var person = await(server.server.events().people(eventId)).stream()
        .filter(p -> "in-person".equals(p.attendance()) && !p.email().equals(door)).findFirst().orElseThrow();
    var remote = await(server.server.events().people(eventId)).stream()
        .filter(p -> "remote".equals(p.attendance())).findFirst().orElseThrow();
    String scanner = "/e/" + slug + "/scanner";
    Page idle = open(door, 390, null, scanner);
    assertThat(idle.locator("#data-status")).containsText("Offline data:");
    assertThat(idle.locator("#verdict")).hasAttribute("data-status", "idle");
    assertAccessible(idle, "scanner, door staff, phone, ready");

    Page admitted = open(door, 390, null, scanner);
    assertThat(admitted.locator("#data-status")).containsText("Offline data:");
    admitted.locator("#wedge").fill(server.server.tokens().issueBadge(person.id(), slug, 1));
    admitted.locator("#wedge").press("Enter");
    assertThat(admitted.locator("#verdict")).hasAttribute("data-status", "ok");
    assertAccessible(admitted, "scanner, door staff, phone, admitted");

    // and, on the laptop, an offline duplicate for the supervisor to check
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    String api = "/api/events/" + slug;
    long room = await(server.client.get(api + "/checkin/lists").bearerTokenAuthentication(organizer).send())
        .bodyAsJsonArray().stream().map(JsonObject.class::cast).filter(l -> l.getValue("roomId") != null)
        .findFirst().orElseThrow().getLong("roomId");
    long once = call(HttpMethod.POST, api + "/checkin/lists", organizer, new JsonObject().put("name", "Tutorial (once)")
        .put("roomId", room).put("allowReentry", false), 201).getLong("id");
    java.time.Instant t = java.time.Instant.now().minusSeconds(300);
    for (String door2 : List.of("North door", "South door")) {
      String device = call(HttpMethod.POST, api + "/checkin/scanners", organizer, new JsonObject().put("name", door2), 201)
          .getString("token");
      JsonObject scan = new JsonObject().put("badge", server.server.tokens().issueBadge(person.id(), slug, 1))
          .put("listId", once).put("direction", "entry").put("scannedAt", t.toString())
          .put("nonce", java.util.UUID.randomUUID().toString()).put("offline", true);
      call(HttpMethod.POST, api + "/checkin/scanner/upload", device,
          new JsonObject().put("scans", new io.vertx.core.json.JsonArray().add(scan)), 200);
      t = t.plusSeconds(30);
    }
    Page refused = open(door, 1280, null, scanner);
    assertThat(refused.locator("#conflicts-summary")).hasText("Offline duplicates: 1 to check");
    assertThat(refused.locator("#data-status")).containsText("Offline data:");
    refused.locator("#wedge").fill(server.server.tokens().issueBadge(remote.id(), slug, 1));
    refused.locator("#wedge").press("Enter");
    assertThat(refused.locator("#verdict")).hasAttribute("data-status", "error");
    assertAccessible(refused, "scanner, door staff, laptop, refused");
  }

  /** Presses Tab until the focused element matches `selector` (at most 150 times). */
  static void tabTo(Page page, String selector) {
    for (int i = 0; i < 150; i++) {
      page.keyboard().press("Tab");
      if ((Boolean) page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)) {
        return;
      }
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  static String focused(Page page, String attribute) {
    return (String) page.evaluate("a => document.activeElement && document.activeElement.getAttribute(a)", attribute);
  }

  @Test
  void theMainControlsWorkWithTheKeyboard() {
    String during = "2023-07-29T12:00:00-10:00";
    // the poster search, then a card's board button: Enter and Space
    Page hall = open(null, 390, during, "/e/" + slug + "/posters");
    assertThat(hall.locator(".poster-card").first()).isVisible();
    tabTo(hall, "#poster-search");
    hall.keyboard().type("Ortega");
    hall.keyboard().press("Enter");
    assertThat(hall.locator(".poster-board.hit")).hasAttribute("data-label", "A2");
    tabTo(hall, ".poster-card[data-number='9'] .poster-where");
    hall.keyboard().press("Space");
    Locator hit = hall.locator(".poster-board.hit");
    assertThat(hit).hasCount(1);
    // focus follows to the board jumped to, so the next Tab goes on from there
    org.assertj.core.api.Assertions.assertThat(focused(hall, "data-label")).isEqualTo(hit.getAttribute("data-label"));
    hall.context().close();

    // the schedule's star: Space stars, Enter unstars, focus stays on it
    Page schedule = open("grace.kim@example.org", 390, during, "/e/" + slug + "/schedule");
    assertThat(schedule.locator("#by-time")).isVisible();
    tabTo(schedule, "button.star[aria-pressed='false']");
    String label = focused(schedule, "aria-label");
    schedule.keyboard().press("Space");
    assertThat(schedule.locator("button.star[aria-pressed='true']").first()).isVisible();
    schedule.waitForCondition(() -> "true".equals(focused(schedule, "aria-pressed")));
    schedule.keyboard().press("Enter");
    schedule.waitForCondition(() -> "false".equals(focused(schedule, "aria-pressed")));
    org.assertj.core.api.Assertions.assertThat(label).isNotNull();
    schedule.context().close();

    // the Q&A upvote: Enter votes, Space takes it back; the question is sent with the keyboard too
    String base = qaSession("invited-2");
    Page qa = open("grace.kim@example.org", 390, during, "/e/" + slug + "/qa?session=" + base.substring(base.lastIndexOf('/') + 1));
    assertThat(qa.locator(".qa-question")).hasCount(1);
    tabTo(qa, ".qa-vote");
    qa.keyboard().press("Enter");
    assertThat(qa.locator(".qa-vote")).hasAttribute("aria-pressed", "true");
    qa.waitForCondition(() -> "true".equals(focused(qa, "aria-pressed")));
    assertThat(qa.locator("#announce")).containsText("Upvoted: 1 vote.");
    qa.keyboard().press("Space");
    assertThat(qa.locator(".qa-vote")).hasAttribute("aria-pressed", "false");
    qa.waitForCondition(() -> "false".equals(focused(qa, "aria-pressed")));
    tabTo(qa, ".qa-input");
    qa.keyboard().type("Does the method transfer to radio data?");
    tabTo(qa, ".qa-send");
    qa.keyboard().press("Enter");
    assertThat(qa.locator("#announce")).containsText("waits for a moderator");
    // the moderator's verdict reaches the asker live, and is said
    String moderator = server.sessionFor(slug, "chiara.rossi@example.org");
    long sent = call(HttpMethod.GET, base + "/questions", moderator, null, 200).getJsonArray("questions").stream()
        .map(JsonObject.class::cast).filter(q -> q.getString("text").startsWith("Does the method transfer"))
        .findFirst().orElseThrow().getLong("id");
    call(HttpMethod.POST, base + "/questions/" + sent + "/approve", moderator, null, 200);
    assertThat(qa.locator("#announce")).containsText("Your question was approved and is in the list.");
    assertThat(qa.locator(".qa-question")).hasCount(2);
    qa.context().close();
  }
}
