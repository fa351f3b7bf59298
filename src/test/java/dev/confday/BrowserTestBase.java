package dev.confday;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A {@link ServerTestBase} with real Chromium ({@link Browser}) for the class's tests; closed before the server. */
public abstract class BrowserTestBase extends ServerTestBase {
  protected static Browser browser;

  @BeforeAll
  static void launchBrowser() {
    browser = Browser.launch();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }
}
