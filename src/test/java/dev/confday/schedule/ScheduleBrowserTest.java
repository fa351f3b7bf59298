package dev.confday.schedule;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.confday.Browser;
import dev.confday.TestServer;
import dev.confday.events.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schedule page in real Chromium: live updates without reload, on a phone, and the organizer's tools. */
class ScheduleBrowserTest {
  static TestServer server;
  static Browser browser;
  static String slug;
  static Event event;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    event = await(server.server.events().event(slug));
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  static Session demoSession(String key) {
    List<Session> sessions = await(server.server.schedule().schedule(event)).sessions();
    return sessions.stream().filter(s -> key.equals(s.key())).findFirst().orElseThrow();
  }

  static Page loggedIn(String email, int width, int height) {
    Page page = browser.page(width, height);
    page.navigate(server.loginLink(slug, email));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug);
    page.navigate(server.baseUrl() + "/e/" + slug + "/schedule");
    return page;
  }

  @Test
  void anAttendeesOpenPageShowsAnOrganizersDelayWithinASecondWithoutReload() {
    Page page = loggedIn("grace.kim@example.org", 390, 844);
    Session contrib2 = demoSession("contrib-2");
    Locator time = page.locator("[data-session-id='" + contrib2.id() + "'] .time");
    assertThat(time).hasText("09:45–10:00");
    page.evaluate("() => { window.noReload = true; }");

    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    long roomId = contrib2.roomId();
    HttpResponse<Buffer> r = await(server.client.post("/api/events/" + slug + "/schedule/rooms/" + roomId + "/delay")
        .bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("minutes", 10).put("at", "2023-07-29T09:35:00-10:00")));
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(200);

    assertThat(time).hasText("09:55–10:10", new LocatorAssertions.HasTextOptions().setTimeout(1000));
    assertThat(page.locator("[data-session-id='" + demoSession("break-1").id() + "'] .time"))
        .hasText("10:10–10:30");
    org.assertj.core.api.Assertions.assertThat(page.evaluate("() => window.noReload === true")).isEqualTo(true);
    assertThat(page.locator("#changelog")).containsText("Delayed: Contributed talk: Foundation models for light curves");
    // nothing wider than the phone
    org.assertj.core.api.Assertions.assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo(390);
  }

  @Test
  void theTimeZoneToggleShowsTheTimesInTheViewersZone() {
    Page page = browser.page(390, 844, "Europe/Berlin");
    page.navigate(server.baseUrl() + "/e/" + slug + "/schedule");
    Locator opening = page.locator("[data-session-id='" + demoSession("opening").id() + "'] .time");
    Locator toggle = page.locator("#zone-toggle");
    assertThat(opening).hasText("08:30–08:45");
    assertThat(toggle).containsText("Times in the event's zone (Pacific/Honolulu)");
    toggle.click();
    // 08:30 in Honolulu (UTC-10) is 20:30 in Berlin (UTC+2 in summer)
    assertThat(toggle).containsText("Times in your zone (Europe/Berlin)");
    assertThat(opening).hasText("20:30–20:45");
    toggle.click();
    assertThat(opening).hasText("08:30–08:45");
  }

  @Test
  void anOrganizerCancelsAndMovesSessionsFromThePage() {
    Page page = loggedIn("ada.okafor@example.org", 390, 844);
    Session contrib3 = demoSession("contrib-3");
    Locator card = page.locator("#session-" + contrib3.id());
    card.locator("button", new Locator.LocatorOptions().setHasText("Cancel")).click();
    assertThat(card).hasClass(java.util.regex.Pattern.compile("\\bcancelled\\b"));
    assertThat(card.locator(".badge.bad")).hasText("Cancelled");

    Session social = demoSession("social");
    Locator socialCard = page.locator("#session-" + social.id());
    socialCard.locator("button", new Locator.LocatorOptions().setHasText("Move")).click();
    socialCard.locator("input[name=startsAt]").fill("2023-07-29T17:30");
    socialCard.locator("form.editor button", new Locator.LocatorOptions().setHasText("Move")).click();
    assertThat(page.locator("#session-" + social.id() + " .time")).hasText("17:30–19:00");

    Locator posters = page.locator("#session-" + demoSession("posters-2").id());
    posters.locator("button", new Locator.LocatorOptions().setHasText("Move")).click();
    posters.locator("input[name=startsAt]").fill("2023-07-29T17:00");
    posters.locator("form.editor button", new Locator.LocatorOptions().setHasText("Move")).click();
    assertThat(posters.locator(".form-error")).containsText("overlap");
    assertThat(posters.locator(".form-error")).containsText("'Workshop social' (17:30–19:00");
  }

  @Test
  void aPosterSessionListsItsPostersWithBoardsThatFollowAMoveAndLinkToTheMap() {
    Session session = demoSession("posters-1");
    String base = "/api/events/" + slug;
    JsonObject schedule = await(server.client.get(base + "/schedule").send()).bodyAsJsonObject();
    List<JsonObject> posters = schedule.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getLong("id") == session.id()).findFirst().orElseThrow().getJsonArray("posters").stream()
        .map(JsonObject.class::cast).toList();
    String board1 = posters.get(0).getString("board");
    String board2 = posters.get(1).getString("board");

    Page page = loggedIn("grace.kim@example.org", 390, 844);
    Locator list = page.locator("#session-" + session.id() + " .session-posters");
    assertThat(list.locator("summary")).hasText(posters.size() + " posters");
    list.locator("summary").click();
    Locator first = list.locator("li[data-number='1']");
    assertThat(first).containsText("board " + board1);
    org.assertj.core.api.Assertions.assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo(390);

    // an organizer puts poster 1 on poster 2's board: the two swap, and the open page follows
    long posterId = await(server.client.get(base + "/posters?q=1").send()).bodyAsJsonArray().getJsonObject(0)
        .getLong("id");
    long boardId = await(server.client.get(base + "/areas").send()).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).flatMap(a -> a.getJsonArray("boards").stream().map(JsonObject.class::cast))
        .filter(b -> b.getString("label").equals(board2)).findFirst().orElseThrow().getLong("id");
    HttpResponse<Buffer> moved = await(server.client.put(base + "/poster-sessions/posters-1/assignments/" + posterId)
        .bearerTokenAuthentication(server.sessionFor(slug, "ada.okafor@example.org"))
        .sendJsonObject(new JsonObject().put("board", boardId)));
    org.assertj.core.api.Assertions.assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(first).containsText("board " + board2);
    assertThat(list).hasAttribute("open", "");

    first.locator("a").click();
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug + "/posters?q=1&session=posters-1");
    assertThat(page.locator("#poster-search")).hasValue("1");
    assertThat(page.locator(".poster-board.hit")).hasAttribute("data-label", board2);
    assertThat(page.locator(".poster-status")).containsText("board " + board2);
  }
}
