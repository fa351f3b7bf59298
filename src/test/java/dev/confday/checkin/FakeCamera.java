package dev.confday.checkin;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake camera feed for Chromium's {@code --use-file-for-fake-video-capture}: a YUV4MPEG2
 * (.y4m) file, 4:2:0, whose every frame is the given picture centred on a white 640 x 480 field
 * (a phone held over a badge). Y4M is a text header, then per frame {@code FRAME\n} and the raw
 * Y, U and V planes.
 */
final class FakeCamera {
  static final int WIDTH = 640;
  static final int HEIGHT = 480;

  private FakeCamera() {
  }

  /** Writes {@code frames} frames of {@code picture}, scaled to fit {@code size} pixels, to a .y4m file in dir. */
  static Path y4m(BufferedImage picture, int size, int frames, Path dir) throws IOException {
    byte[] y = new byte[WIDTH * HEIGHT];
    int x0 = (WIDTH - size) / 2;
    int y0 = (HEIGHT - size) / 2;
    for (int row = 0; row < HEIGHT; row++) {
      for (int col = 0; col < WIDTH; col++) {
        int luma = 255;
        int px = col - x0;
        int py = row - y0;
        if (px >= 0 && py >= 0 && px < size && py < size) {
          // nearest neighbour: QR modules stay sharp
          int rgb = picture.getRGB(px * picture.getWidth() / size, py * picture.getHeight() / size);
          int r = (rgb >> 16) & 0xff;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          luma = (299 * r + 587 * g + 114 * b) / 1000;
        }
        // full-range luma as 4:2:0 "jpeg" (what C420jpeg means); chroma neutral
        y[row * WIDTH + col] = (byte) luma;
      }
    }
    byte[] chroma = new byte[(WIDTH / 2) * (HEIGHT / 2)];
    java.util.Arrays.fill(chroma, (byte) 128);
    Path file = dir.resolve("badge.y4m");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      out.write(("YUV4MPEG2 W" + WIDTH + " H" + HEIGHT + " F10:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
      for (int f = 0; f < frames; f++) {
        out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
        out.write(y);
        out.write(chroma);
        out.write(chroma);
      }
    }
    return file;
  }
}
