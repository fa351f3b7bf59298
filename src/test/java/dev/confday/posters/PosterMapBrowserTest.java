package dev.confday.posters;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import dev.confday.BrowserTestBase;
import dev.confday.TestServer;
import dev.confday.demo.DemoPosterFiles;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PosterMapBrowserTest extends BrowserTestBase {
  static String slug;

  @BeforeAll
  static void seed() {
    slug = server.seedDemo();
    // PDFs for the first 8 demo posters, as the demo run does; their previews are drawn afterwards
    TestServer.await(DemoPosterFiles.upload(server.server, slug, 8));
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

  /** A page at the given width whose clock stands at `instant`. */
  static Page at(int width, String instant) {
    Page page = browser.page(width, width < 600 ? 844 : 900);
    page.clock().setFixedTime(instant);
    page.navigate(server.baseUrl() + "/e/" + slug + "/posters");
    assertThat(page.locator(".poster-board")).hasCount(36);
    return page;
  }

  static boolean inViewport(Locator l, int height) {
    BoundingBox b = l.boundingBox();
    return b != null && b.y >= 0 && b.y + b.height <= height;
  }

  @Test
  void onAPhoneDuringTheSessionTheHallShowsItsPostersWithPreviewsAndKeepsTheSearchAtHand() {
    // 12:00 in Honolulu: Poster session I (11:45-13:00) is under way
    Page page = at(390, "2023-07-29T12:00:00-10:00");
    Locator first = page.locator(".poster-sessions button").nth(0);
    assertThat(first).hasAttribute("aria-pressed", "true");
    assertThat(first).containsText("11:45–13:00 · now");
    assertThat(page.locator(".poster-sessions button").nth(1)).containsText("Poster session II 16:30–17:30");

    // only that session's posters, each on a board of it; all of them on request
    int shown = page.locator(".poster-card").count();
    assertThat(page.locator(".poster-scope")).containsText(shown + " posters in Poster session I");
    assertThat(page.locator(".poster-card .poster-where")).hasCount(shown);
    page.locator(".poster-scope button").click();
    assertThat(page.locator(".poster-scope")).containsText("All ");
    assertThat(page.locator(".poster-card").count()).isGreaterThan(shown);
    page.locator(".poster-scope button").click();
    assertThat(page.locator(".poster-card")).hasCount(shown);

    // a demo poster's preview, drawn after the upload (pushed live, or looked for again while pending)
    Locator preview = page.locator(".poster-card[data-number='1'] a.poster-preview img");
    assertThat(preview).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(90_000));
    assertThat(preview).hasAttribute("src", Pattern.compile("/preview\\.png"));
    page.waitForCondition(() -> (Boolean) preview.evaluate("img => img.complete && img.naturalWidth > 0"));

    // the map is wider than the phone: said so, with zoom buttons
    assertThat(page.locator("#poster-map-hint")).isVisible();
    Locator map = page.locator(".poster-map").first();
    double before = map.boundingBox().width;
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Zoom into the map")).click();
    assertThat(map.boundingBox().width).isGreaterThan(before * 1.4);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Zoom out of the map")).click();
    assertThat(map.boundingBox().width).isEqualTo(before, org.assertj.core.data.Offset.offset(1.0));

    // jumping to a board from a card far down keeps the search box on screen, and after scrolling on
    page.locator(".poster-card").last().scrollIntoViewIfNeeded();
    page.locator(".poster-card").last().locator(".poster-where").click();
    Locator hit = page.locator(".poster-board.hit");
    assertThat(hit).hasCount(1);
    assertThat(inViewport(hit, 844)).isTrue();
    assertThat(inViewport(page.locator("#poster-search"), 844)).isTrue();
    page.locator(".poster-card").last().scrollIntoViewIfNeeded();
    assertThat(inViewport(page.locator("#poster-search"), 844)).isTrue();
    assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth")).isLessThanOrEqualTo(390);
  }

  @Test
  void onALaptopBetweenSessionsTheNextOneIsChosenAndTheMapNeedsNoHintUntilZoomed() {
    // 14:00: session I is over, II is next
    Page page = at(1280, "2023-07-29T14:00:00-10:00");
    assertThat(page.locator(".poster-sessions button").nth(1)).hasAttribute("aria-pressed", "true");
    assertThat(page.locator(".poster-sessions button").nth(0))
        .containsText("over");
    assertThat(page.locator(".poster-scope")).containsText("in Poster session II");
    assertThat(page.locator("#poster-map-hint")).isHidden();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Zoom into the map")).click();
    assertThat(page.locator("#poster-map-hint")).isVisible();
    // a poster of session I still answers a search, with where it hung
    page.locator("#poster-search").fill("Ortega");
    assertThat(page.locator(".poster-card")).hasCount(2);
    assertThat(page.locator(".poster-card img.poster-preview, .poster-card a.poster-preview img").first())
        .isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(90_000));
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
