package dev.confday.checkin;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.Result;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import dev.confday.http.ApiError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the badge QR code in a photo (PNG or JPEG) of a badge. Blocking and CPU-bound: call it
 * on a worker thread, never on the event loop.
 */
public final class BadgePhoto {
  /** Largest photo accepted, in bytes. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;
  /** Largest photo accepted, in pixels (a decompression bomb stays small in bytes). */
  public static final long MAX_PIXELS = 24_000_000L;
  public static final List<String> TYPES = List.of("image/png", "image/jpeg");

  private static final Map<DecodeHintType, Object> HINTS = Map.of(
      DecodeHintType.TRY_HARDER, Boolean.TRUE,
      DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));

  private BadgePhoto() {
  }

  /** The media type of a Content-Type header without parameters, lower case; null if absent. */
  public static String mediaType(String header) {
    if (header == null) {
      return null;
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  public static ApiError unsupported() {
    return new ApiError(415, "unsupported-media-type", "Unsupported media type",
        "Send the photo as image/png or image/jpeg.");
  }

  public static ApiError tooLarge() {
    return ApiError.tooLarge("A badge photo may have at most " + MAX_BYTES + " bytes.");
  }

  public static ApiError notFound(String detail) {
    return new ApiError(422, "badge-not-found", "No badge QR code found", detail);
  }

  /** The text of the QR code in the photo, or an {@link ApiError} 422 {@code badge-not-found}. */
  public static String decode(byte[] bytes) {
    BufferedImage image = read(bytes);
    int w = image.getWidth();
    int h = image.getHeight();
    LuminanceSource source = new RGBLuminanceSource(w, h, image.getRGB(0, 0, w, h, null, 0, w));
    try {
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), HINTS).getText();
    } catch (ReaderException first) {
      // The single reader tries one triple of finder patterns; on some badges (seen on a crisp
      // 300 dpi rendering of our own PDF) it picks a wrong one and gives up. The multi reader
      // weighs every plausible triple: slower, so only when the first attempt failed.
      try {
        Result[] found = new QRCodeMultiReader().decodeMultiple(new BinaryBitmap(new HybridBinarizer(source)), HINTS);
        return found[0].getText();
      } catch (NotFoundException e) {
        throw first instanceof NotFoundException ? notFound("No QR code was found in the photo.")
            : notFound("A QR code was found but could not be read; take the photo again.");
      }
    }
  }

  private static BufferedImage read(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw notFound("The body is not a PNG or JPEG image.");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw notFound("The photo has more than " + MAX_PIXELS + " pixels.");
        }
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw notFound("The image could not be decoded.");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiError a) {
        throw a;
      }
      throw notFound("The image could not be decoded.");
    }
  }
}
