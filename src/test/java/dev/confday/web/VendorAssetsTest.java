package dev.confday.web;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The front-end libraries infra/frontend.sh installs from the npm registry: served from
 * webroot/vendor/ byte for byte as the lockfile's package has them, as JavaScript, and nothing
 * else of node_modules.
 */
class VendorAssetsTest extends ServerTestBase {

  @Test
  void qrDecoderIsServedAsInstalledFromTheLockfile() throws Exception {
    HttpResponse<Buffer> r = await(server.client.get("/vendor/jsQR.js").send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).matches("(application|text)/javascript.*");
    assertThat(r.body().getBytes()).isEqualTo(Files.readAllBytes(Path.of("infra/web/node_modules/jsqr/dist/jsQR.js")));
  }

  @Test
  void hlsPlayerIsServedAsAJavaScriptModule() throws Exception {
    HttpResponse<Buffer> r = await(server.client.get("/vendor/hls.min.mjs").send());
    assertThat(r.statusCode()).isEqualTo(200);
    // a browser refuses a module script served under any other type
    assertThat(r.getHeader("Content-Type")).matches("(application|text)/javascript.*");
    assertThat(r.body().getBytes())
        .isEqualTo(Files.readAllBytes(Path.of("infra/web/node_modules/hls.js/dist/hls.min.mjs")));
  }

  @Test
  void nothingElseOfNodeModulesIsServed() {
    assertThat(await(server.client.get("/vendor/node_modules/jsqr/package.json").send()).statusCode()).isEqualTo(404);
    assertThat(await(server.client.get("/infra/web/package.json").send()).statusCode()).isEqualTo(404);
  }
}
