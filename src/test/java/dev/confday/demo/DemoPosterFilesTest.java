package dev.confday.demo;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.DemoTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** The demo's first posters get real PDFs through the upload path, so the hall shows previews. */
class DemoPosterFilesTest extends DemoTestBase {

  @Test
  void drawnDemoPostersPassTheCheckAndGetPreviewsOnce() {
    assertThat(await(DemoPosterFiles.upload(server.server, slug, 4))).isEqualTo(4);
    // a second run finds them there and uploads nothing
    assertThat(await(DemoPosterFiles.upload(server.server, slug, 4))).isZero();
    // previews are drawn after the upload is stored: wait (bounded) until none is pending
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
    JsonArray files = await(server.client.get("/api/events/" + slug + "/poster-files").send()).bodyAsJsonArray();
    while (files.stream().anyMatch(o -> "PENDING".equals(((JsonObject) o).getString("preview")))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      files = await(server.client.get("/api/events/" + slug + "/poster-files").send()).bodyAsJsonArray();
    }
    assertThat(files).hasSize(4);
    for (Object o : files) {
      JsonObject f = (JsonObject) o;
      assertThat(f.encode()).containsAnyOf("RECOMMENDED_SIZE", "FITS", "recommended", "fits");
      HttpResponse<Buffer> png = await(server.client.get(f.getString("previewUrl")).send());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.getHeader("Content-Type")).isEqualTo("image/png");
      assertThat(png.body().getBytes(1, 4)).isEqualTo("PNG".getBytes());
    }
  }
}
