package dev.confday.events;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The attendee app installable and offline, in real Chromium: its manifest, and a reload with
 * the server gone that shows the last known schedule and poster hall from the service worker's
 * cache (webroot/app-sw.js) under the "Offline" banner. The worker's own requests are not
 * covered by DevTools' offline emulation, so the test shuts its own server down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppOfflineBrowserTest {
  static final String ATTENDEE = "grace.kim@example.org";
  static final String PRESENTER = "uma.raman@example.org";
  static TestServer server;
  static Browser browser;
  static String slug;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_DB_CONNECT_TIMEOUT_MS", "15000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "15000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    slug = server.seedDemo();
    browser = Browser.launch();
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

  @Test
  @Order(1)
  void theManifestStartsAndIsScopedAtTheEvent() {
    HttpResponse<Buffer> r = await(server.client.get("/e/" + slug + "/app.webmanifest").send());
    Assertions.assertThat(r.statusCode()).isEqualTo(200);
    Assertions.assertThat(r.getHeader("Content-Type")).isEqualTo("application/manifest+json");
    JsonObject manifest = r.bodyAsJsonObject();
    Assertions.assertThat(manifest.getString("start_url")).isEqualTo("/e/" + slug + "/");
    Assertions.assertThat(manifest.getString("scope")).isEqualTo("/e/" + slug + "/");
    Assertions.assertThat(manifest.getString("display")).isEqualTo("standalone");
    Assertions.assertThat(manifest.getJsonArray("icons")).isNotEmpty();
    Assertions.assertThat(await(server.client.get("/e/Not_A_Slug/app.webmanifest").send()).statusCode()).isEqualTo(404);
  }

  /** Last: it shuts the server down. */
  @Test
  @Order(2)
  void aReloadWithTheServerGoneShowsTheLastKnownScheduleAndPostersMarkedOffline() {
    List<String> cspViolations = new CopyOnWriteArrayList<>();
    Page page = browser.page(390, 844);
    page.onConsoleMessage(m -> {
      if (m.text().contains("Content Security Policy")) {
        cspViolations.add(m.text());
      }
    });
    String app = server.baseUrl() + "/e/" + slug;
    page.navigate(server.loginLink(slug, ATTENDEE));
    assertThat(page).hasURL(app);
    assertThat(page.locator("link[rel=manifest]")).hasAttribute("href", "/e/" + slug + "/app.webmanifest");

    page.navigate(app + "/schedule");
    assertThat(page.locator("[data-session-id]").first()).isVisible();
    Browser.awaitControl(page);
    String firstTitle = page.locator("article[data-session-id] h3.title").first().textContent();
    int sessions = page.locator("article[data-session-id]").count();
    assertThat(page.locator("#stale-banner")).isHidden();

    page.navigate(app + "/posters");
    assertThat(page.locator(".poster-board")).hasCount(36);
    int cards = page.locator(".poster-card").count();
    Assertions.assertThat(cards).isPositive();
    page.waitForFunction("() => [...document.querySelectorAll('.poster-map img')].every(i => i.complete && i.naturalWidth > 0)");
    assertThat(page.locator("#stale-banner")).isHidden();

    // a presenter's My poster: where and when the poster hangs, from the cache too
    Page presenter = browser.page(390, 844);
    presenter.navigate(server.loginLink(slug, PRESENTER));
    assertThat(presenter).hasURL(app);
    presenter.navigate(app + "/my-poster");
    assertThat(presenter.locator(".poster-place").first()).isVisible();
    Browser.awaitControl(presenter);
    // the card's file status, once read, is kept too
    assertThat(presenter.locator("section.poster-upload .current").first()).not().isEmpty();
    String placed = presenter.locator(".poster-place").first().textContent();
    String current = presenter.locator("section.poster-upload .current").first().textContent();

    TestServer offline = server;
    server.close();
    server = null;
    page.context().setOffline(true);

    page.reload();
    assertThat(page.locator(".poster-board")).hasCount(36);
    assertThat(page.locator(".poster-card")).hasCount(cards);
    assertThat(page.locator("#stale-banner")).isVisible();
    assertThat(page.locator("#stale-banner")).hasText(
        Pattern.compile("Offline — showing what was last loaded at \\d\\d:\\d\\d; it may be out of date"));
    // the floor plan comes from the cache too
    page.waitForFunction("() => [...document.querySelectorAll('.poster-map img')].every(i => i.complete && i.naturalWidth > 0)");
    assertThat(page.locator("#who")).containsText("Grace");

    // the nav's Home (inside the scope) opens too
    page.locator("#nav a", new Page.LocatorOptions().setHasText("Home")).click();
    assertThat(page).hasURL(app + "/");
    assertThat(page.locator("#welcome")).containsText("Grace");
    assertThat(page.locator("#stale-banner")).isVisible();

    page.navigate(app + "/schedule");
    assertThat(page.locator("article[data-session-id]")).hasCount(sessions);
    assertThat(page.locator("article[data-session-id] h3.title").first()).hasText(firstTitle);
    assertThat(page.locator("#stale-banner")).containsText("Offline — showing what was last loaded at");
    Assertions.assertThat(page.evaluate("() => navigator.serviceWorker.controller !== null")).isEqualTo(true);

    // what the worker answers is marked; what it does not keep is never answered from a cache
    Assertions.assertThat(page.evaluate("() => fetch('/api/events/" + slug + "/schedule').then(r => r.headers.get('X-Confday-Offline-Copy'))"))
        .isEqualTo("v2");
    Assertions.assertThat(page.evaluate("() => fetch('/api/events/" + slug + "/checkin/lists').then(() => 'answered', () => 'failed')"))
        .isEqualTo("failed");
    Assertions.assertThat(page.evaluate("() => fetch('/api/auth/logout', { method: 'POST' }).then(() => 'answered', () => 'failed')"))
        .isEqualTo("failed");

    presenter.context().setOffline(true);
    presenter.reload();
    assertThat(presenter.locator(".poster-place").first()).hasText(placed);
    assertThat(presenter.locator("section.poster-upload .current").first()).hasText(current);
    assertThat(presenter.locator("#stale-banner")).isVisible();
    presenter.context().close();

    // the server back (same port, database and data): the live connection opens again, what came
    // from the cache is asked for again, and the banner goes
    server = TestServer.start(offline.database, Map.of("CONFDAY_HTTP_PORT", Integer.toString(offline.port()),
        "CONFDAY_DATA_DIR", offline.dataDir.toString(), "CONFDAY_DB_CONNECT_TIMEOUT_MS", "15000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "15000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    page.context().setOffline(false);
    assertThat(page.locator("#stale-banner")).isHidden();
    assertThat(page.locator("article[data-session-id]")).hasCount(sessions);
    Assertions.assertThat(cspViolations).isEmpty();
  }
}
