package dev.confday.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.confday.BrowserTestBase;
import dev.confday.TestServer;
import org.junit.jupiter.api.Test;

/** In real Chromium: the page's CSP lets it open WebSockets to its own host ('self') and to no other. */
class CspBrowserTest extends BrowserTestBase {

  /** Opens a WebSocket from the page; answers "open", "error:<message>" or "blocked:<message>". */
  private static String tryWebSocket(Page page, String url) {
    return (String) page.evaluate("url => new Promise(done => {"
        + " document.addEventListener('securitypolicyviolation', e => done('blocked:' + e.blockedURI), { once: true });"
        + " try { const ws = new WebSocket(url);"
        + "   ws.onopen = () => { ws.close(); done('open'); };"
        + "   ws.onerror = () => setTimeout(() => done('error'), 200);"
        + " } catch (e) { done('blocked:' + e.name); } })", url);
  }

  @Test
  void webSocketsGoToTheOwnHostOnly() {
    for (String path : new String[] {"/", "/index.html"}) {
      Page page = browser.page();
      page.navigate(server.baseUrl() + path);
      String ticket = TestServer.await(server.client.post("/api/live/ticket").send()).bodyAsJsonObject().getString("ticket");
      assertThat(tryWebSocket(page, "ws://localhost:" + server.port() + "/live?ticket=" + ticket)).as(path)
          .isEqualTo("open");
      assertThat(tryWebSocket(page, "ws://127.0.0.2:" + server.port() + "/live")).as(path).startsWith("blocked:");
      page.close();
    }
  }
}
