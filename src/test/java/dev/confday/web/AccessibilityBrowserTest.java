package dev.confday.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Page;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
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
  static final Path AXE = Path.of("infra/web/node_modules/axe-core/axe.min.js");
  static TestServer server;
  static Browser browser;
  static String slug;

  @BeforeAll
  static void start() {
    org.assertj.core.api.Assertions.assertThat(Files.isRegularFile(AXE))
        .as("axe-core installed by infra/frontend.sh (mvn generate-resources)").isTrue();
    // patient with the database: the test machine is shared and busy (a first connection may take seconds)
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_DB_CONNECT_TIMEOUT_MS", "20000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "20000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    slug = server.seedDemo();
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

  /** The serious and critical violations axe finds on the page as it is, one line each. */
  static List<String> violations(Page page) {
    page.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
    String json = (String) page.evaluate("async () => { const r = await axe.run(document, { resultTypes: ['violations'] });"
        + " return JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        + " .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))); }");
    return new JsonArray(json).stream().map(String::valueOf).toList();
  }

  static void assertAccessible(Page page, String what) {
    // -Dconfday.shots=<dir>: a full-page screenshot of each page checked, to look at
    String shots = System.getProperty("confday.shots");
    if (shots != null) {
      page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
          .setPath(Path.of(shots, what.replaceAll("[^a-z0-9]+", "-") + ".png")));
    }
    org.assertj.core.api.Assertions.assertThat(violations(page)).as(what).isEmpty();
    page.context().close();
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
    organizer.locator("button.edit-roles").first().click();
    assertThat(organizer.locator("form.roles-form")).isVisible();
    assertAccessible(organizer, "organizer, laptop, roles open");

    Page organizerPhone = open("ada.okafor@example.org", 390, null, "/e/" + slug + "/organizer");
    assertThat(organizerPhone.locator("#people-counts")).isVisible();
    assertAccessible(organizerPhone, "organizer, phone");
  }
}
