package dev.confday.streaming;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.web.Axe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watch page in Chromium against a real nginx secure_link origin with a live ffmpeg
 * stream: it plays, keeps playing across token refreshes (prefixes live 6 s here), follows the
 * schedule's live status and counts viewers as people, not tabs.
 */
class WatchBrowserTest {
  static final Pattern EXPIRES = Pattern.compile("/hls/[A-Za-z0-9_-]+/([0-9]+)/");
  static StreamOrigin origin;
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    origin = StreamOrigin.start("*");
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_STREAM_SECRET", StreamOrigin.SECRET,
        "CONFDAY_STREAM_ORIGINS", origin.origin(), "CONFDAY_STREAM_TOKEN_TTL_SECONDS", "6",
        "CONFDAY_STREAM_STATUS_MS", "500", "CONFDAY_LIVE_PRESENCE_MS", "500"));
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

  static StreamApiTest.Fixture streamed() {
    StreamApiTest.Fixture f = StreamApiTest.fixture(server);
    HttpResponse<Buffer> set = await(server.client.request(HttpMethod.PUT, f.room(f.roomA()))
        .bearerTokenAuthentication(f.organizer())
        .sendJsonObject(new JsonObject().put("playbackUrl", origin.playbackUrl())));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    return f;
  }

  static Page watching(BrowserContext context, StreamApiTest.Fixture f, String email) {
    Page page = context.newPage();
    page.setDefaultTimeout(20_000);
    page.navigate(server.loginLink(f.slug(), email));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + f.slug());
    page.navigate(server.baseUrl() + "/e/" + f.slug() + "/watch");
    return page;
  }

  static BrowserContext context(int width, int height) {
    return browser.page(width, height).context();
  }

  @Test
  void playsAcrossTokenRefreshesAndShowsTheSessionStarting() {
    StreamApiTest.Fixture f = streamed();
    JsonObject keynote = StreamApiTest.session(server, f, f.roomA(), "Keynote", 60, 90);
    BrowserContext context = context(390, 844); // a phone in portrait
    Page page = watching(context, f, "remote-" + f.slug() + "@example.org");
    List<String> refused = new CopyOnWriteArrayList<>();
    Set<String> prefixes = ConcurrentHashMap.newKeySet();
    List<String> httpAccess = new CopyOnWriteArrayList<>();
    page.onRequest(r -> {
      if (r.url().endsWith("/stream/access")) {
        httpAccess.add(r.method() + " " + r.url());
      }
    });
    page.onResponse(r -> {
      Matcher m = EXPIRES.matcher(r.url());
      if (m.find() && r.url().endsWith(".ts")) {
        prefixes.add(m.group(1));
      }
      if (r.url().contains("/hls/") && r.status() != 200) {
        refused.add(r.status() + " " + r.url());
      }
    });
    assertThat(page.locator("#watch-status")).hasText("Next at " + keynote.getString("startsAt").substring(11, 16)
        + ": Keynote");
    assertThat(page.locator("#watch-title")).hasText("Keynote");
    page.waitForFunction("() => document.getElementById('watch-video').currentTime > 1");
    // hls.js, whose requests are rewritten to the newest prefix (Chromium has MSE)
    assertThat(page.locator("#watch")).hasAttribute("data-player", "hls.js");
    double before = (Double) page.evaluate("() => document.getElementById('watch-video').currentTime");
    Instant firstExpiry = Instant.now().plusSeconds(6);
    // prefixes live 6 s and are renewed after 3: two renewals outlive the first prefix
    page.waitForFunction("() => Number(document.getElementById('watch').dataset.refreshes || 0) >= 2");
    page.waitForFunction("t => document.getElementById('watch-video').currentTime > t + 3", before);
    assertThat(Instant.now()).isAfter(firstExpiry);
    assertThat(page.evaluate("() => document.getElementById('watch-video').paused")).isEqualTo(false);
    assertThat(prefixes).as("segments fetched under successive signed prefixes").hasSizeGreaterThanOrEqualTo(2);
    assertThat(refused).as("no segment or playlist refused").isEmpty();
    // renewals come over the live connection (HTTP only when it is not open or too slow: a loaded
    // machine may make one fall back, so this asks for some, not all)
    page.waitForFunction("() => Number(document.getElementById('watch').dataset.liveRenewals || 0) >= 1");
    int refreshes = Integer.parseInt(page.locator("#watch").getAttribute("data-refreshes"));
    int overLive = Integer.parseInt(page.locator("#watch").getAttribute("data-live-renewals"));
    assertThat(httpAccess.size()).as("HTTP access calls (%d renewals, %d over the socket)", refreshes, overLive)
        .isLessThanOrEqualTo(refreshes + 1 - overLive + 1);
    assertThat(page.locator("#watch-message")).isHidden();
    // the playback went on: time advanced past the first prefix's lifetime
    double after = (Double) page.evaluate("() => document.getElementById('watch-video').currentTime");
    assertThat(after).isGreaterThan(before + 3);

    // the schedule says the keynote starts now: the page follows without reload
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    HttpResponse<Buffer> moved = await(server.client.request(HttpMethod.PATCH, "/api/events/" + f.slug()
        + "/schedule/sessions/" + keynote.getLong("id")).bearerTokenAuthentication(f.organizer())
        .sendJsonObject(new JsonObject()
            .put("startsAt", now.minus(1, ChronoUnit.MINUTES).atZone(StreamApiTest.ZONE).toOffsetDateTime().toString())
            .put("endsAt", now.plus(30, ChronoUnit.MINUTES).atZone(StreamApiTest.ZONE).toOffsetDateTime().toString())));
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    assertThat(page.locator("#watch-status")).hasText("Live now: Keynote");
    assertThat(page.locator("#watch-status")).hasAttribute("data-state", "live");
    // the Q&A container is there for the running session (the panel module may not be deployed yet)
    assertThat(page.locator("#watch-qa .watch-qa-panel")).isVisible();
    // landscape: the video stays in view
    page.setViewportSize(844, 390);
    assertThat(page.locator("#watch-video")).isInViewport(new LocatorAssertions.IsInViewportOptions().setRatio(0.9));
    assertThat(page.locator("#watch-qa")).isInViewport();
    context.close();
  }

  @Test
  void viewerCountChangesForASecondPersonNotForASecondTab() {
    StreamApiTest.Fixture f = streamed();
    BrowserContext rita = context(1280, 800);
    Page first = watching(rita, f, "remote-" + f.slug() + "@example.org");
    assertThat(first.locator("#watch")).hasAttribute("data-counted", Long.toString(f.roomA()));
    assertThat(first.locator("#watch-viewers")).hasText("1 person watching");

    Page secondTab = watching(rita, f, "remote-" + f.slug() + "@example.org");
    assertThat(secondTab.locator("#watch")).hasAttribute("data-counted", Long.toString(f.roomA()));
    // both tabs are subscribed now: a presence round and a status round count them
    await(server.server.live().refreshPresence());
    await(server.server.streams().tick());
    JsonObject status = await(server.client.get(f.room(f.roomA()) + "/status").send()).bodyAsJsonObject();
    assertThat(status.getInteger("viewers")).isEqualTo(1);
    assertThat(first.locator("#watch-viewers")).hasText("1 person watching");
    assertThat(secondTab.locator("#watch-viewers")).hasText("1 person watching");

    BrowserContext ian = context(1280, 800);
    Page other = watching(ian, f, "room-" + f.slug() + "@example.org");
    assertThat(other.locator("#watch")).hasAttribute("data-counted", Long.toString(f.roomA()));
    assertThat(first.locator("#watch-viewers")).hasText("2 people watching");
    assertThat(other.locator("#watch-viewers")).hasText("2 people watching");
    rita.close();
    ian.close();
  }

  @Test
  void organizersAttendanceTableFollowsJoinsLive() {
    StreamApiTest.Fixture f = streamed();
    JsonObject running = StreamApiTest.session(server, f, f.roomA(), "Hybrid panel", -5, 25);
    BrowserContext olga = context(1280, 800);
    Page page = watching(olga, f, "org-" + f.slug() + "@example.org");
    assertThat(page.locator("#watch")).hasAttribute("data-attendance-live", "true");
    String remote = "#watch-organizer tr[data-session='" + running.getLong("id") + "'] td[data-figure='remote']";
    // the organizer's own page joined the stream
    assertThat(page.locator(remote)).hasText("1");
    // a second person gets access (joins): the table follows without a reload or a poll
    HttpResponse<Buffer> joined = await(server.client.post(f.room(f.roomA()) + "/access")
        .bearerTokenAuthentication(f.remote()).send());
    assertThat(joined.statusCode()).as(joined.bodyAsString()).isEqualTo(200);
    assertThat(page.locator(remote)).hasText("2");
    olga.close();
  }

  @Test
  void aRevokedViewerIsStoppedAndTold() {
    StreamApiTest.Fixture f = streamed();
    BrowserContext rita = context(1280, 800);
    Page page = watching(rita, f, "remote-" + f.slug() + "@example.org");
    assertThat(page.locator("#watch")).hasAttribute("data-access", "ok");
    page.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    HttpResponse<Buffer> revoke = await(server.client.request(HttpMethod.PUT, "/api/events/" + f.slug()
        + "/streams/revoked/" + f.remoteId()).bearerTokenAuthentication(f.organizer()).send());
    assertThat(revoke.statusCode()).as(revoke.bodyAsString()).isEqualTo(204);
    // the next renewal (prefixes live 6 s, renewed after 3) is refused: the player stops and says so
    assertThat(page.locator("#watch")).hasAttribute("data-access", "revoked");
    assertThat(page.locator("#watch-message")).isVisible();
    assertThat(page.locator("#watch-message")).containsText("revoked your access");
    assertThat(page.evaluate("() => document.getElementById('watch-video').getAttribute('src')")).isNull();
    rita.close();
  }

  @Test
  void playbackStopsWhenItsPrefixExpiresOfflineAndResumesOnline() {
    StreamApiTest.Fixture f = streamed();
    BrowserContext rita = context(1280, 800);
    Page page = watching(rita, f, "remote-" + f.slug() + "@example.org");
    assertThat(page.locator("#watch")).hasAttribute("data-access", "ok");
    page.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    rita.setOffline(true);
    // renewals fail and are retried; the prefix (6 s) runs out: the player stops and says so
    assertThat(page.locator("#watch")).hasAttribute("data-access", "expired",
        new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
    assertThat(page.locator("#watch-message")).containsText("could not be renewed");
    rita.setOffline(false);
    assertThat(page.locator("#watch")).hasAttribute("data-access", "ok",
        new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
    assertThat(page.locator("#watch-message")).isHidden();
    page.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    rita.close();
  }

  /** A page with its CSP bypassed, for axe-core's injection only. */
  static Page watchingForAxe(StreamApiTest.Fixture f, String email, int width, int height) {
    Page page = browser.page(new NewContextOptions().setViewportSize(width, height).setBypassCSP(true));
    page.setDefaultTimeout(20_000);
    page.navigate(server.loginLink(f.slug(), email));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + f.slug());
    page.navigate(server.baseUrl() + "/e/" + f.slug() + "/watch");
    return page;
  }

  /** axe-core: no serious or critical violation while the stream plays with its Q&A, for each kind of viewer. */
  @Test
  void theWatchPageHasNoSeriousViolationsWhilePlayingWithItsQa() {
    Axe.assertInstalled();
    StreamApiTest.Fixture f = streamed();
    StreamApiTest.session(server, f, f.roomA(), "Hybrid panel on survey pipelines", -5, 25);
    String remote = "remote-" + f.slug() + "@example.org";

    Page portrait = watchingForAxe(f, remote, 390, 844);
    assertThat(portrait.locator("#watch-status")).containsText("Live now");
    portrait.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    assertThat(portrait.locator("#watch-qa textarea, #watch-qa .qa-input").first()).isVisible();
    Axe.assertAccessible(portrait, "watch, remote attendee, phone portrait, playing with its Q&A");

    Page landscape = watchingForAxe(f, remote, 844, 390);
    assertThat(landscape.locator("#watch-status")).containsText("Live now");
    landscape.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    Axe.assertAccessible(landscape, "watch, remote attendee, phone landscape, playing");

    Page organizer = watchingForAxe(f, "org-" + f.slug() + "@example.org", 1280, 800);
    assertThat(organizer.locator("#watch-organizer table")).isVisible();
    organizer.waitForFunction("() => document.getElementById('watch-video').currentTime > 0.5");
    Axe.assertAccessible(organizer, "watch, organizer, laptop, with the attendance table");
  }
}
