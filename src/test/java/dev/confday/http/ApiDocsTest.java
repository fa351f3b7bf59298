package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The API page is served with every file it loads, under a CSP that allows no inline script. */
class ApiDocsTest extends ServerTestBase {

  @Test
  void pageAndEveryFileItLoadsAreServedFromThisOrigin() {
    HttpResponse<Buffer> page = await(server.client.get("/api/docs").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    String csp = page.getHeader("Content-Security-Policy");
    assertThat(csp).contains("script-src 'self';").contains("connect-src 'self'").contains("default-src 'none'");
    List<String> files = new ArrayList<>();
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.bodyAsString());
    while (m.find()) {
      files.add(m.group(1));
    }
    assertThat(files).contains("/api/docs/swagger-ui/swagger-ui-bundle.js", "/api/docs/swagger-ui/swagger-ui.css",
        "/api/docs/init.js");
    for (String file : files) {
      assertThat(file).as("no other origin").startsWith("/api/docs/");
      HttpResponse<Buffer> r = await(server.client.get(file).send());
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      assertThat(r.body().length()).as(file).isGreaterThan(50);
      assertThat(r.getHeader("Content-Type")).as(file).containsAnyOf("javascript", "text/css", "image/png");
    }
    assertThat(await(server.client.get("/api/docs/init.js").send()).bodyAsString())
        .contains("'/openapi.json'").contains("validatorUrl: null");
  }

  @Test
  void anAssetThatIsNotThereIsA404Problem() {
    HttpResponse<Buffer> r = await(server.client.get("/api/docs/swagger-ui/nothing.js").send());
    assertThat(r.statusCode()).isEqualTo(404);
  }
}
