package dev.confday.web;

import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;

/**
 * axe-core (from npm, infra/web/node_modules; injected by the test into a page opened with its
 * CSP bypassed, never served by the product): the serious and critical violations of a page.
 */
public final class Axe {
  static final Path SCRIPT = Path.of("infra/web/node_modules/axe-core/axe.min.js");

  private Axe() {
  }

  /** Fails when axe-core is not installed (infra/frontend.sh, run by mvn generate-resources). */
  public static void assertInstalled() {
    Assertions.assertThat(Files.isRegularFile(SCRIPT))
        .as("axe-core installed by infra/frontend.sh (mvn generate-resources)").isTrue();
  }

  /** The serious and critical violations axe finds on the page as it is, one line each. */
  public static List<String> violations(Page page) {
    page.addScriptTag(new Page.AddScriptTagOptions().setPath(SCRIPT));
    String json = (String) page.evaluate("async () => { const r = await axe.run(document, { resultTypes: ['violations'] });"
        + " return JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        + " .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))); }");
    return new JsonArray(json).stream().map(String::valueOf).toList();
  }

  /**
   * No serious or critical violation on the page, then its context is closed;
   * {@code -Dconfday.shots=<dir>} keeps a full-page screenshot of each page checked.
   */
  public static void assertAccessible(Page page, String what) {
    String shots = System.getProperty("confday.shots");
    if (shots != null) {
      page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
          .setPath(Path.of(shots, what.replaceAll("[^a-z0-9]+", "-") + ".png")));
    }
    Assertions.assertThat(violations(page)).as(what).isEmpty();
    page.context().close();
  }
}
