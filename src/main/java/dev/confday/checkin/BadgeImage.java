package dev.confday.checkin;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** The QR code of a badge (error correction M), as PNG or SVG. */
public final class BadgeImage {
  /** Light modules around the code, as the QR specification asks. */
  static final int QUIET_ZONE = 4;
  static final int PNG_MODULE_PIXELS = 8;

  private BadgeImage() {
  }

  public static QRCode encode(String content) {
    try {
      return Encoder.encode(content, ErrorCorrectionLevel.M, Map.of(EncodeHintType.CHARACTER_SET, "ISO-8859-1"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode a badge", e);
    }
  }

  /** The QR version (1..40) the content needs at level M. */
  public static int version(String content) {
    return encode(content).getVersion().getVersionNumber();
  }

  public static byte[] png(String content) {
    ByteMatrix m = encode(content).getMatrix();
    int size = (m.getWidth() + 2 * QUIET_ZONE) * PNG_MODULE_PIXELS;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int mx = x / PNG_MODULE_PIXELS - QUIET_ZONE;
        int my = y / PNG_MODULE_PIXELS - QUIET_ZONE;
        boolean dark = mx >= 0 && my >= 0 && mx < m.getWidth() && my < m.getHeight() && m.get(mx, my) == 1;
        image.setRGB(x, y, dark ? 0xFF000000 : 0xFFFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String svg(String content) {
    ByteMatrix m = encode(content).getMatrix();
    int size = m.getWidth() + 2 * QUIET_ZONE;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        if (m.get(x, y) == 1) {
          path.append('M').append(x + QUIET_ZONE).append(' ').append(y + QUIET_ZONE).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\""
        + path + "\"/></svg>";
  }
}
