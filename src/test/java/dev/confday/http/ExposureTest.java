package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import org.junit.jupiter.api.Test;

/** What the server shows to whom: the web page's CSP on every path that serves it; /metrics only to its scraper. */
class ExposureTest {
  @Test
  void everyPathServingThePageSendsTheSameCspWithoutForeignWebSockets() {
    try (TestServer server = TestServer.start()) {
      for (String path : new String[] {"/", "/index.html", "/e/some-event/schedule"}) {
        var r = await(server.client.get(path).send());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        String csp = r.getHeader("Content-Security-Policy");
        assertThat(csp).as(path).contains("frame-ancestors 'none'").contains("connect-src 'self';")
            .doesNotContain("ws:").doesNotContain("wss:");
      }
    }
  }

  @Test
  void metricsWithoutATokenAreForADirectLocalScraperOnly() {
    try (TestServer server = TestServer.start()) {
      assertThat(await(server.client.get("/metrics").send()).statusCode()).isEqualTo(200);
      // through a proxy on this host: the proxy's forwarding header shows it is not a local scraper
      var proxied = await(server.client.get("/metrics").putHeader("X-Forwarded-For", "203.0.113.9").send());
      assertThat(proxied.statusCode()).isEqualTo(404);
      assertThat(proxied.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
  }

  @Test
  void metricsWithATokenNeedIt() {
    String token = "metrics-secret-0123456789";
    try (TestServer server = TestServer.start(TestDatabase.migratedDatabase(), java.util.Map.of(
        "CONFDAY_METRICS_TOKEN", token))) {
      assertThat(await(server.client.get("/metrics").send()).statusCode()).isEqualTo(404);
      assertThat(await(server.client.get("/metrics").bearerTokenAuthentication("wrong-" + token).send()).statusCode())
          .isEqualTo(404);
      var ok = await(server.client.get("/metrics").bearerTokenAuthentication(token).send());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.bodyAsString()).contains("vertx_http_server");
    }
  }
}
