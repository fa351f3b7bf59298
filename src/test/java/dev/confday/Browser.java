package dev.confday;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium (/usr/bin/chromium) driven by Playwright, headless, never downloading a
 * browser. One per test class; {@link #page()} opens a fresh context, like a new visitor.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CONFDAY_CHROMIUM", "/usr/bin/chromium"));
  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;

  private Browser(List<String> extraArgs) {
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    List<String> args = new java.util.ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync"));
    args.addAll(extraArgs);
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(args));
  }

  public static Browser launch() {
    return new Browser(List.of());
  }

  /**
   * With extra Chromium switches, e.g. a fake camera: {@code --use-fake-device-for-media-stream},
   * {@code --use-fake-ui-for-media-stream}, {@code --use-file-for-fake-video-capture=<y4m file>}.
   */
  public static Browser launch(List<String> extraArgs) {
    return new Browser(extraArgs);
  }

  /** A new, empty browser context (no cookies, no storage) and a page in it. */
  public Page page() {
    return page(1280, 900);
  }

  /** A page with the given viewport, e.g. 390 x 844 for a phone. */
  public Page page(int width, int height) {
    return page(new NewContextOptions().setViewportSize(width, height));
  }

  /** A page with the given viewport whose browser is in the given time zone, e.g. Europe/Berlin. */
  public Page page(int width, int height, String timezoneId) {
    return page(new NewContextOptions().setViewportSize(width, height).setTimezoneId(timezoneId));
  }

  /**
   * A page in a context with the given options, e.g. {@code setBypassCSP(true)} so that a test
   * can inject axe-core with {@code page.addScriptTag}.
   */
  public Page page(NewContextOptions options) {
    BrowserContext context = browser.newContext(options);
    Page page = context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  /**
   * Waits until the page's JavaScript expression is true, for up to 30 s rather than the page's
   * 10: a service worker's install fetches its whole shell and first data, which on a loaded
   * two-core CI machine (poster previews rendering in child JVMs) took longer than 10 s.
   */
  public static void awaitWorker(Page page, String expression) {
    try {
      page.waitForFunction(expression, null, new Page.WaitForFunctionOptions().setTimeout(30_000));
    } catch (com.microsoft.playwright.TimeoutError e) {
      // say what the browser has: registrations and their workers' states, the controller, the caches
      Object state = page.evaluate("async () => JSON.stringify({ url: location.href,"
          + " controller: navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL,"
          + " registrations: (await navigator.serviceWorker.getRegistrations()).map(r => ({ scope: r.scope,"
          + " installing: r.installing && r.installing.state, waiting: r.waiting && r.waiting.state,"
          + " active: r.active && r.active.state })),"
          + " caches: await Promise.all((await caches.keys()).map(async k => k + ': '"
          + " + (await (await caches.open(k)).keys()).length)) })");
      throw new AssertionError("no service worker state " + expression + " within 30 s: " + state, e);
    }
  }

  /**
   * Waits until the page is controlled by its service worker. A page whose navigation began before
   * the worker activated can miss the worker's clients.claim() (Chromium: the document was not
   * yet a client), and then stays uncontrolled until its next load, as it would for a visitor:
   * so once the worker is active, an uncontrolled page is loaded again.
   */
  public static void awaitControl(Page page) {
    awaitWorker(page, "() => navigator.serviceWorker.ready.then(() => true)");
    if (!Boolean.TRUE.equals(page.evaluate("() => navigator.serviceWorker.controller !== null"))) {
      page.reload();
    }
    awaitWorker(page, "() => navigator.serviceWorker.controller !== null");
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
