package dev.confday.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The organizer page on a phone, in real Chromium: the overview of poster uploads (in, missing,
 * refused with the reason) and the people table (searched, counted by kind and role, roles edited).
 */
class OrganizerBrowserTest {
  static TestServer server;
  static Browser browser;
  static String slug;

  @BeforeAll
  static void start() {
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

  static Page organizerPage() {
    Page page = browser.page(390, 844);
    page.navigate(server.loginLink(slug, "ada.okafor@example.org"));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug);
    page.navigate(server.baseUrl() + "/e/" + slug + "/organizer");
    return page;
  }

  @Test
  void theOverviewOfPosterUploadsCountsThemAndSaysWhyOneWasRefused() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    String api = "/api/events/" + slug;
    JsonArray posters = await(server.client.get(api + "/posters").send()).bodyAsJsonArray();
    Set<Long> in = await(server.client.get(api + "/poster-files").send()).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).map(f -> f.getLong("posterId")).collect(Collectors.toSet());
    JsonObject without = posters.stream().map(JsonObject.class::cast).filter(p -> !in.contains(p.getLong("id")))
        .findFirst().orElseThrow();
    HttpResponse<Buffer> refused = await(server.client.put(api + "/posters/" + without.getLong("id") + "/pdf")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "application/pdf")
        .sendBuffer(Buffer.buffer("this is not a PDF at all")));
    org.assertj.core.api.Assertions.assertThat(refused.statusCode()).isBetween(400, 499);

    Page page = organizerPage();
    int missing = posters.size() - in.size() - 1;
    assertThat(page.locator("#upload-counts")).hasText(posters.size() + " posters: " + in.size() + " in, " + missing
        + " missing, 1 refused (no poster stored after a refused upload).");
    Locator line = page.locator(".uploads-refused li[data-poster='" + without.getLong("id") + "']");
    assertThat(line).containsText("#" + without.getInteger("number"));
    assertThat(line.locator(".refusal")).containsText("Not acceptable");
    assertThat(page.locator(".uploads-missing li")).hasCount(missing);
    assertNoSidewaysScroll(page);
  }

  @Test
  void thePeopleTableIsSearchedCountedAndItsRolesEdited() {
    JsonArray people = await(server.client.get("/api/events/" + slug + "/people")
        .bearerTokenAuthentication(server.sessionFor(slug, "ada.okafor@example.org")).send()).bodyAsJsonArray();
    long remote = people.stream().map(JsonObject.class::cast).filter(p -> "remote".equals(p.getString("attendance"))).count();
    long inPerson = people.stream().map(JsonObject.class::cast).filter(p -> "in-person".equals(p.getString("attendance"))).count();
    Page page = organizerPage();
    assertThat(page.locator("#people-counts")).containsText(people.size() + " people: " + inPerson + " in person, "
        + remote + " remote");
    assertThat(page.locator(".people-table tbody tr")).hasCount(people.size());

    page.locator("#people-search").fill("ines moreau");
    assertThat(page.locator(".people-table tbody tr")).hasCount(1);
    assertThat(page.locator("#people-shown")).hasText("1 of " + people.size() + " shown.");
    page.locator("#people-search").fill("door staff");
    assertThat(page.locator(".people-table tbody tr")).hasCount(2);

    page.locator("#people-search").fill("grace.kim@example.org");
    Locator row = page.locator(".people-table tbody tr");
    assertThat(row).hasCount(1);
    row.locator("button.edit-roles").click();
    row.locator("input[value=moderator]").check();
    row.locator("form.roles-form button", new Locator.LocatorOptions().setHasText("Save")).click();
    assertThat(row.locator("td.roles")).containsText("Moderator");
    assertThat(row).containsText("Roles saved.");
    JsonObject grace = await(server.client.get("/api/events/" + slug + "/people")
        .bearerTokenAuthentication(server.sessionFor(slug, "ada.okafor@example.org")).send()).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("email").equals("grace.kim@example.org")).findFirst().orElseThrow();
    org.assertj.core.api.Assertions.assertThat(grace.getJsonArray("roles").getList()).contains("moderator", "attendee");
    assertNoSidewaysScroll(page);
  }

  /** Streams per room, who may watch, and a person's access revoked and restored, from the organizer page on a phone. */
  @Test
  void streamsAreSetPerRoomAndAPersonsAccessRevokedAndRestored() {
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    String api = "/api/events/" + slug;
    Page page = organizerPage();
    Locator room = page.locator("#streams form.stream-room").first();
    assertThat(room.locator("[role=status]")).hasText("Not streamed yet.");
    long roomId = Long.parseLong(room.getAttribute("data-room"));
    // not a stream's directory under /hls/: refused in the form's words
    room.locator("input[type=url]").first().fill("https://video.example.org/live/room-a.m3u8");
    room.locator("button").click();
    assertThat(room.locator("[role=status]")).containsText("Playback URL must be an http(s) URL");
    room.locator("input[type=url]").first().fill("https://video.example.org/hls/room-a/index.m3u8");
    room.locator("input[type=url]").nth(1).fill("https://meet.example.org/ml4astro");
    room.locator("button").click();
    assertThat(room.locator("[role=status]")).containsText("Saved. Registered people may watch");
    JsonObject listed = await(server.client.get(api + "/streams").bearerTokenAuthentication(organizer).send())
        .bodyAsJsonObject().getJsonArray("rooms").stream().map(JsonObject.class::cast)
        .filter(r -> r.getLong("roomId") == roomId).findFirst().orElseThrow();
    org.assertj.core.api.Assertions.assertThat(listed.getString("playbackUrl"))
        .isEqualTo("https://video.example.org/hls/room-a/index.m3u8");
    org.assertj.core.api.Assertions.assertThat(listed.getString("meetingUrl")).isEqualTo("https://meet.example.org/ml4astro");
    org.assertj.core.api.Assertions.assertThat(listed.getBoolean("public")).isFalse();

    page.locator("#stream-audience").selectOption("remote");
    page.locator("form.stream-audience button").click();
    assertThat(page.locator("form.stream-audience [role=status]")).hasText("Saved: remote tickets only may watch.");
    JsonObject settings = await(server.client.get(api + "/streams/settings").bearerTokenAuthentication(organizer).send())
        .bodyAsJsonObject();
    org.assertj.core.api.Assertions.assertThat(settings.getString("audience")).isEqualTo("remote");
    page.locator("#stream-audience").selectOption("registered");
    page.locator("form.stream-audience button").click();
    assertThat(page.locator("form.stream-audience [role=status]")).containsText("everyone registered");

    // Grace (registered) may watch; revoked here, her next renewal is refused; restored, she may again
    JsonObject grace = await(server.client.get(api + "/people").bearerTokenAuthentication(organizer).send())
        .bodyAsJsonArray().stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("email").equals("grace.kim@example.org")).findFirst().orElseThrow();
    String graceSession = server.sessionFor(slug, "grace.kim@example.org");
    String access = api + "/rooms/" + roomId + "/stream/access";
    org.assertj.core.api.Assertions.assertThat(await(server.client.post(access).bearerTokenAuthentication(graceSession)
        .send()).statusCode()).isEqualTo(200);
    page.locator("#stream-revoke-person").selectOption(Long.toString(grace.getLong("id")));
    page.locator(".stream-revoked form button").click();
    Locator revoked = page.locator("#streams-revoked li[data-person='" + grace.getLong("id") + "']");
    assertThat(revoked).containsText("Grace");
    assertThat(page.locator("#streams-revoked-note")).containsText("Revoked: Grace");
    HttpResponse<Buffer> refused = await(server.client.post(access).bearerTokenAuthentication(graceSession).send());
    org.assertj.core.api.Assertions.assertThat(refused.statusCode()).isEqualTo(403);
    org.assertj.core.api.Assertions.assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/stream-access-revoked");
    revoked.locator("button").click();
    assertThat(page.locator("#streams-revoked-note")).containsText("Restored: Grace");
    assertThat(revoked).hasCount(0);
    org.assertj.core.api.Assertions.assertThat(await(server.client.post(access).bearerTokenAuthentication(graceSession)
        .send()).statusCode()).isEqualTo(200);
    assertNoSidewaysScroll(page);
  }

  /** The page is as wide as the screen: nothing makes it scroll sideways. */
  static void assertNoSidewaysScroll(Page page) {
    JsonObject widths = new JsonObject((String) page.evaluate(
        "() => JSON.stringify({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth })"));
    org.assertj.core.api.Assertions.assertThat(widths.getInteger("scroll")).as("scrollWidth")
        .isLessThanOrEqualTo(widths.getInteger("inner"));
  }
}
