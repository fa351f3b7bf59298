package dev.confday.http;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.confday.BrowserTestBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The API page in real Chromium: Swagger UI renders the document's operations and schemas under the CSP. */
class ApiDocsBrowserTest extends BrowserTestBase {

  @Test
  void rendersEveryOperationAndTheSchemasWithoutACspViolation() {
    Page page = browser.page();
    List<String> errors = new CopyOnWriteArrayList<>();
    page.onConsoleMessage(msg -> {
      if ("error".equals(msg.type())) {
        errors.add(msg.text());
      }
    });
    page.onPageError(errors::add);
    page.onResponse(r -> {
      if (r.status() >= 400) {
        errors.add(r.status() + " " + r.url());
      }
    });
    page.navigate(server.baseUrl() + "/api/docs");
    assertThat(page.locator(".info .title")).containsText("confday API");
    int operations = 0;
    var paths = OpenApi.document().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      operations += (int) paths.getJsonObject(path).fieldNames().stream().filter(k -> !k.equals("parameters")).count();
    }
    assertThat(page.locator(".opblock")).hasCount(operations);
    assertThat(page.locator(".opblock-summary-path[data-path='/api/events/{event}/posters/{poster}/pdf']").first())
        .isVisible();
    page.locator(".opblock-summary-path[data-path='/api/events/{event}/posters/{poster}/pdf']").first().click();
    assertThat(page.locator(".opblock.is-open")).containsText("Upload a poster PDF");
    // the schema list is virtualised (only the rows in view are drawn): the first ones show it renders
    assertThat(page.locator("section.models")).containsText("Problem");
    assertThat(page.locator("section.models")).containsText("EventWithRooms");
    org.assertj.core.api.Assertions.assertThat(errors).as("console errors").isEmpty();
  }
}
