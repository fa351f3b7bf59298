package dev.confday.streaming;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Page;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.web.Axe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * axe-core on the watch page while the stream plays from a real nginx origin, with the
 * session's Q&A beside the video: for a remote attendee on a phone (portrait and landscape) and
 * for an organizer with the attendance table on a laptop. No serious or critical violation.
 */
class WatchAccessibilityBrowserTest {
  static StreamOrigin origin;
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    Axe.assertInstalled();
    origin = StreamOrigin.start("*");
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_STREAM_SECRET", StreamOrigin.SECRET,
        "CONFDAY_STREAM_ORIGINS", origin.origin()));
    browser = Browser.launch(List.of("--autoplay-policy=no-user-gesture-required"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  static Page watching(StreamApiTest.Fixture f, String email, int width, int height) {
    Page page = browser.page(new NewContextOptions().setViewportSize(width, height).setBypassCSP(true));
    page.setDefaultTimeout(20_000);
    page.navigate(server.loginLink(f.slug(), email));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + f.slug());
    page.navigate(server.baseUrl() + "/e/" + f.slug() + "/watch");
    return page;
  }

  @Test
  void theWatchPageHasNoSeriousViolationsWhilePlayingWithItsQa() {
    StreamApiTest.Fixture f = StreamApiTest.fixture(server);
    HttpResponse<Buffer> set = await(server.client.request(HttpMethod.PUT, f.room(f.roomA()))
        .bearerTokenAuthentication(f.organizer())
        .sendJsonObject(new JsonObject().put("playbackUrl", origin.playbackUrl())));
    Assertions.assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    StreamApiTest.session(server, f, f.roomA(), "Hybrid panel on survey pipelines", -5, 25);
    String remote = "remote-" + f.slug() + "@example.org";

    Page portrait = watching(f, remote, 390, 844);
    assertThat(portrait.locator("#watch-status")).containsText("Live now");
    portrait.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    assertThat(portrait.locator("#watch-qa textarea, #watch-qa .qa-input").first()).isVisible();
    Axe.assertAccessible(portrait, "watch, remote attendee, phone portrait, playing with its Q&A");

    Page landscape = watching(f, remote, 844, 390);
    assertThat(landscape.locator("#watch-status")).containsText("Live now");
    landscape.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    Axe.assertAccessible(landscape, "watch, remote attendee, phone landscape, playing");

    Page organizer = watching(f, "org-" + f.slug() + "@example.org", 1280, 800);
    assertThat(organizer.locator("#watch-organizer table")).isVisible();
    organizer.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    Axe.assertAccessible(organizer, "watch, organizer, laptop, with the attendance table");
  }
}
