package dev.confday.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.posters.check.PosterPdfs;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The My poster page on a phone, in real Chromium: where and when the poster hangs (board,
 * area, poster session's day and time), the upload deadline, 24-hour upload times, and what a
 * refused upload says about the poster already stored.
 */
class MyPosterBrowserTest {
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

  @Test
  void aPresenterSeesWhereAndWhenTheirPosterHangsAndThatARefusedUploadLeavesTheirPosterAsItIs() throws IOException {
    String email = "uma.raman@example.org";
    String token = server.sessionFor(slug, email);
    long posterId = await(server.client.get("/api/events/" + slug + "/my-posters").bearerTokenAuthentication(token)
        .send()).bodyAsJsonArray().getJsonObject(0).getLong("id");
    // a poster that fits is stored first: the refused upload below must leave it as it is
    HttpResponse<Buffer> stored = await(server.client.put("/api/events/" + slug + "/posters/" + posterId + "/pdf")
        .bearerTokenAuthentication(token).putHeader("Content-Type", "application/pdf")
        .sendBuffer(Buffer.buffer(Files.readAllBytes(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf")))));
    org.assertj.core.api.Assertions.assertThat(stored.statusCode()).as(stored.bodyAsString()).isBetween(200, 201);
    JsonObject mine = await(server.client.get("/api/events/" + slug + "/my-posters")
        .bearerTokenAuthentication(token).send()).bodyAsJsonArray().getJsonObject(0);
    org.assertj.core.api.Assertions.assertThat(mine.getValue("file")).isNotNull();
    JsonObject board = mine.getJsonArray("boards").stream().map(JsonObject.class::cast)
        .filter(b -> b.getString("session").equals("posters-1")).findFirst().orElseThrow();
    JsonArray sessions = await(server.client.get("/api/events/" + slug + "/poster-sessions").send()).bodyAsJsonArray();
    org.assertj.core.api.Assertions.assertThat(sessions.stream().map(JsonObject.class::cast)
        .anyMatch(s -> s.getString("ref").equals("posters-1"))).isTrue();

    Page page = browser.page(390, 844);
    page.navigate(server.loginLink(slug, email));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug);
    page.navigate(server.baseUrl() + "/e/" + slug + "/my-poster");
    Locator place = page.locator("section.poster-place[data-poster='" + mine.getLong("id") + "']");
    assertThat(place.locator("li[data-session='posters-1']")).hasText("Board " + board.getString("label") + " in "
        + board.getString("area") + " during Poster session I, Saturday 29 July 2023, 11:45–13:00.");
    assertThat(place.locator(".upload-deadline")).hasText("The organizers have set no upload deadline: upload before"
        + " your poster session starts, Saturday 29 July 2023, 11:45.");

    Locator card = page.locator("section.poster-upload[data-poster='" + mine.getLong("id") + "']");
    card.locator("input[type=file]").setInputFiles(new FilePayload("poster.pdf", "application/pdf",
        "this is not a PDF at all".getBytes(StandardCharsets.US_ASCII)));
    Locator unchanged = card.locator(".verdict .unchanged");
    int version = mine.getJsonObject("file").getInteger("version");
    // the stored version, its upload time in 24-hour style with the weekday
    assertThat(unchanged).hasText(Pattern.compile("^Your current poster \\(version " + version
        + ", uploaded [A-Z][a-z]+day \\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2}\\) is unchanged\\.$"));
    // the verdict is said to a screen reader through the shell's live region
    assertThat(page.locator("#announce")).containsText("Upload refused.");
    assertThat(card.locator(".current .uploaded")).hasText(Pattern.compile(
        "uploaded [A-Z][a-z]+day \\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2} \\(Pacific/Honolulu\\)\\.$"));
    assertThat(page.locator("main")).not().containsText(Pattern.compile("\\b(AM|PM|am|pm)\\b"));
    assertThat(page.locator("main")).not().containsText("if any");
  }
}
