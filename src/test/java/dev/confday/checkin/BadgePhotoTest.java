package dev.confday.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.http.ApiError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Decoding a badge photo without a server. */
class BadgePhotoTest {
  @Test
  void readsABadgeTheSingleQrReaderMisses() throws Exception {
    // a 300 dpi rendering of a desk badge PDF (the CheckinDeskApiTest flake) whose QR code ZXing's
    // single reader does not find at any scale, while the code itself is intact
    byte[] png = Files.readAllBytes(Path.of("src/test/resources/checkin/desk-badge-single-reader-misses.png"));
    String token = BadgePhoto.decode(png);
    assertThat(token).startsWith("eyJ").hasSize(183);
    assertThat(token.split("\\.")).hasSize(3);
  }

  @Test
  void aBlankPictureHasNoBadge() throws Exception {
    BufferedImage blank = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(blank, "png", png);
    assertThatThrownBy(() -> BadgePhoto.decode(png.toByteArray())).isInstanceOf(ApiError.class)
        .hasMessageContaining("No QR code was found");
  }
}
