package dev.confday.web;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The icon a browser asks for on every first load: /favicon.ico and the SVG the page names. */
class FaviconTest extends ServerTestBase {

  @Test
  void faviconIcoIsARealIconHoldingA32PixelPng() throws Exception {
    HttpResponse<Buffer> r = await(server.client.get("/favicon.ico").send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).matches("image/(x-icon|vnd\\.microsoft\\.icon)");
    byte[] ico = r.body().getBytes();
    // ICONDIR: reserved 0, type 1 (icon), one image; the image is a PNG at the offset of its entry
    assertThat(Arrays.copyOfRange(ico, 0, 6)).containsExactly(0, 0, 1, 0, 1, 0);
    int offset = (ico[18] & 0xff) | (ico[19] & 0xff) << 8;
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(ico, offset, ico.length - offset));
    assertThat(png.getWidth()).isEqualTo(32);
    assertThat(png.getHeight()).isEqualTo(32);
  }

  @Test
  void pageNamesAnSvgIconThatIsServed() {
    String page = await(server.client.get("/").send()).bodyAsString();
    assertThat(page).contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">")
        .contains("<link rel=\"icon\" href=\"/favicon.ico\"");
    HttpResponse<Buffer> svg = await(server.client.get("/favicon.svg").send());
    assertThat(svg.statusCode()).isEqualTo(200);
    assertThat(svg.getHeader("Content-Type")).startsWith("image/svg+xml");
    assertThat(svg.bodyAsString()).startsWith("<svg ");
  }
}
