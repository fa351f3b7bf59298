package dev.confday.posters.files;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.confday.BrowserTestBase;
import dev.confday.posters.Poster;
import dev.confday.posters.check.PosterPdfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/** A presenter uploads their poster from a phone-sized page in real Chromium. */
class PosterUploadBrowserTest extends BrowserTestBase {
  static String slug;

  @BeforeAll
  static void seed() {
    slug = server.seedDemo();
  }

  @Test
  void presenterOnAPhoneUploadsPosterAndSeesVerdictPreviewAndItInTheHall() {
    Page page = browser.page(390, 844);
    page.navigate(server.loginLink(slug, "uma.raman@example.org"));
    assertThat(page.locator("#welcome")).containsText("Uma Raman");
    page.locator("#nav a", new Page.LocatorOptions().setHasText("My poster")).click();
    Locator card = page.locator("section.poster-upload").first();
    assertThat(card.locator("h2")).containsText("Poster 1:");
    assertThat(card.locator(".current")).containsText("No poster accepted yet");

    // first a poster that is too tall: refused in plain words, nothing stored
    card.locator("input[type=file]").setInputFiles(PosterPdfs.corpus("iso-a0-portrait.pdf"));
    assertThat(card.locator(".verdict .verdict-text")).containsText("Too large: not accepted.");
    assertThat(card.locator(".verdict")).containsText("118.9 cm");
    assertThat(card.locator(".current")).containsText("No poster accepted yet");

    card.locator("input[type=file]").setInputFiles(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"));
    assertThat(card.locator(".verdict .verdict-text")).containsText("Recommended size: accepted.");
    assertThat(card.locator(".verdict .verdict-text")).containsText("59.4 x 84.1 cm");
    assertThat(card.locator(".current")).containsText("Version 1");
    assertThat(card.locator(".current")).containsText("Recommended size.");
    // drawn after the answer and pushed on the live topic: it appears without a reload
    Locator preview = card.locator("img.poster-preview");
    assertThat(preview).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
        .setTimeout(PosterFileService.PREVIEW_TIMEOUT.plusSeconds(15).toMillis()));
    page.waitForFunction("img => img.complete && img.naturalWidth > 0", preview.elementHandle());
    org.assertj.core.api.Assertions.assertThat((Integer) page.evaluate("document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo(390);

    page.locator("#nav a", new Page.LocatorOptions().setHasText("Posters")).first().click();
    // the hall lists the session under way (or next) by default; poster 1 may hang in another one
    assertThat(page.locator(".poster-card").first()).isVisible();
    Locator showAll = page.locator(".poster-scope button", new Page.LocatorOptions().setHasText("Show all"));
    if (showAll.count() > 0) {
      showAll.click();
    }
    Locator hallPreview = page.locator("article.poster-card[data-number='1'] .poster-preview img");
    assertThat(hallPreview).isVisible();
    page.waitForFunction("img => img.complete && img.naturalWidth > 0", hallPreview.elementHandle());
  }
}
