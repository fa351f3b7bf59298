package dev.confday.posters;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import dev.confday.BrowserTestBase;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PosterMapBrowserTest extends BrowserTestBase {
  static String slug;

  @BeforeAll
  static void seed() {
    slug = server.seedDemo();
  }

  @Test
  void searchingAnAuthorOnAPhoneHighlightsTheirBoardOnTheMap() {
    Page page = browser.page(390, 844);
    page.navigate(server.baseUrl() + "/e/" + slug + "/posters");
    assertThat(page.locator(".poster-board")).hasCount(36);
    assertThat(page.locator(".poster-map img")).hasAttribute("src", Pattern.compile("/areas/\\d+/plan\\?v="));

    page.locator("#poster-search").fill("Ortega");

    // poster 2 (Viktor Novak, Carmen Ortega) hangs on board A2 in Poster session I
    Locator hit = page.locator(".poster-board.hit");
    assertThat(hit).hasCount(1);
    assertThat(hit).hasAttribute("data-label", "A2");
    assertThat(page.locator(".poster-status")).containsText("board A2");
    assertThat(page.locator(".poster-card")).hasCount(2);
    // poster 9 (Carmen Ortega's own) also matches: marked, but not the one scrolled to
    assertThat(page.locator(".poster-board.match")).hasCount(1);

    BoundingBox box = hit.boundingBox();
    assertThat(box.x).isBetween(0.0, 390.0 - box.width);
    assertThat(box.y).isBetween(0.0, 844.0 - box.height);
    String colour = (String) hit.evaluate("e => getComputedStyle(e).backgroundColor");
    String free = (String) page.locator(".poster-board.free").first().evaluate("e => getComputedStyle(e).backgroundColor");
    assertThat(colour).isNotEqualTo(free);
    // the page itself never scrolls sideways; only the map does
    assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth")).isLessThanOrEqualTo(390);
  }

  @Test
  void switchingToTheSecondSessionShowsItsBoards() {
    Page page = browser.page(390, 844);
    page.navigate(server.baseUrl() + "/e/" + slug + "/posters");
    page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Poster session II")).click();
    page.locator("#poster-search").fill("19");
    assertThat(page.locator(".poster-board.hit")).hasAttribute("data-label", "A1");
    assertThat(page.locator(".poster-board.used")).hasCount(12);
  }
}
