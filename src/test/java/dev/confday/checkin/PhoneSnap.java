package dev.confday.checkin;

import java.util.Map;
import javax.imageio.ImageIO;

/** Test pictures of badges as a phone camera would take them. */
final class PhoneSnap {
  private PhoneSnap() {
  }

  /**
   * A badge QR drawn by ZXing's QRCodeWriter at level Q (not the app's BadgeImage, which uses
   * level M), then made to look like a phone photo: scaled up 3x, rotated 10 degrees on a grey
   * background with a margin, mild noise, saved as JPEG.
   */
  static byte[] photoOf(String text) throws Exception {
    var bits = new com.google.zxing.qrcode.QRCodeWriter().encode(text, com.google.zxing.BarcodeFormat.QR_CODE, 0, 0,
        Map.of(com.google.zxing.EncodeHintType.ERROR_CORRECTION,
            com.google.zxing.qrcode.decoder.ErrorCorrectionLevel.Q, com.google.zxing.EncodeHintType.MARGIN, 4));
    int module = 4;
    int qr = bits.getWidth() * module * 3;
    int size = qr + 400;
    java.awt.image.BufferedImage photo = new java.awt.image.BufferedImage(size, size,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = photo.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new java.awt.Color(128, 128, 128));
    g.fillRect(0, 0, size, size);
    g.rotate(Math.toRadians(10), size / 2.0, size / 2.0);
    g.translate((size - qr) / 2.0, (size - qr) / 2.0);
    g.scale(3 * module, 3 * module);
    g.setColor(new java.awt.Color(235, 235, 230));
    g.fillRect(0, 0, bits.getWidth(), bits.getHeight());
    g.setColor(new java.awt.Color(30, 30, 35));
    // one shape for all dark modules, so neighbours leave no anti-aliased seams between them
    java.awt.geom.Path2D.Double dark = new java.awt.geom.Path2D.Double();
    for (int y = 0; y < bits.getHeight(); y++) {
      for (int x = 0; x < bits.getWidth(); x++) {
        if (bits.get(x, y)) {
          dark.append(new java.awt.geom.Rectangle2D.Double(x, y, 1, 1), false);
        }
      }
    }
    g.fill(new java.awt.geom.Area(dark));
    g.dispose();
    java.util.Random noise = new java.util.Random(42);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = photo.getRGB(x, y);
        int d = (int) Math.round(noise.nextGaussian() * 12);
        int r = Math.max(0, Math.min(255, ((rgb >> 16) & 0xff) + d));
        int gr = Math.max(0, Math.min(255, ((rgb >> 8) & 0xff) + d));
        int b = Math.max(0, Math.min(255, (rgb & 0xff) + d));
        photo.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (!ImageIO.write(photo, "jpg", out)) {
      throw new IllegalStateException("no JPEG writer");
    }
    return out.toByteArray();
  }

}
