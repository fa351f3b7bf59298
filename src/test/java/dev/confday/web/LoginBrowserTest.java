package dev.confday.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.confday.BrowserTestBase;
import dev.confday.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web shell in real Chromium: the home page, and logging in through a personal link. */
class LoginBrowserTest extends BrowserTestBase {
  static String slug;

  @BeforeAll
  static void seed() {
    slug = server.seedDemo();
  }

  @Test
  void homePageListsTheDemoEvent() {
    Page page = browser.page();
    page.navigate(server.baseUrl() + "/");
    assertThat(page.locator("a.card")).containsText("Machine Learning for Astrophysics");
    org.assertj.core.api.Assertions.assertThat(page.locator("main").innerText()).doesNotContain("null");
    page.locator("a.card").first().click();
    assertThat(page.locator("h1")).containsText("Machine Learning for Astrophysics");
    assertThat(page.locator("#who")).containsText("Log in");
  }

  @Test
  void personalLinkLogsInAndShowsRolesOnAPhone() {
    Page page = browser.page(390, 844);
    page.navigate(server.loginLink(slug, "chiara.rossi@example.org"));
    assertThat(page.locator("#welcome")).containsText("Chiara Rossi");
    assertThat(page.locator("#welcome")).containsText("moderator");
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug);
    // the token never stays in the address bar or history entry
    org.assertj.core.api.Assertions.assertThat(page.url()).doesNotContain("token=");
    assertThat(page.locator("#nav a", new Page.LocatorOptions().setHasText("Schedule"))).isVisible();
    assertThat(page.locator("#nav a", new Page.LocatorOptions().setHasText("Organizer"))).hasCount(0);
  }

  @Test
  void organizerSeesTheOrganizerPageWithPeople() {
    Page page = browser.page();
    page.navigate(server.loginLink(slug, "ada.okafor@example.org"));
    assertThat(page.locator("#welcome")).containsText("organizer");
    page.locator("#nav a", new Page.LocatorOptions().setHasText("Organizer")).click();
    assertThat(page.locator("table tbody tr")).hasCount(61);
  }

  @Test
  void logOutEndsTheSessionOnTheServerToo() {
    Page page = browser.page();
    page.navigate(server.loginLink(slug, "grace.kim@example.org"));
    assertThat(page.locator("#welcome")).containsText("Grace Kim");
    String token = (String) page.evaluate("() => JSON.parse(localStorage.getItem('confday.session')).token");
    page.locator("#logout").click();
    assertThat(page.locator("#who")).containsText("Log in");
    int status = dev.confday.TestServer.await(server.client.get("/api/events/" + slug + "/me")
        .bearerTokenAuthentication(token).send()).statusCode();
    org.assertj.core.api.Assertions.assertThat(status).isEqualTo(401);
  }

  @Test
  void badLinkSaysWhy() {
    Page page = browser.page();
    page.navigate(server.baseUrl() + "/e/" + slug + "/login#token=not-a-token");
    assertThat(page.locator("#login-error")).containsText("not valid");
  }
}
