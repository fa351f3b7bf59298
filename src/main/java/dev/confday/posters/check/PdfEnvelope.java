package dev.confday.posters.check;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * What surrounds the PDF in an uploaded file: the bytes before {@code %PDF-} and after the
 * last {@code %%EOF}. A polyglot (an HTML page with a PDF after it, a PDF with a ZIP archive
 * appended) opens as a PDF and as something else, so it is refused with the other format named.
 *
 * <p>Padding stays fine: whitespace, NUL and a byte-order mark anywhere around the PDF. Before
 * {@code %PDF-}, unrecognised bytes (a printer's PJL header from "print to file", a MacBinary
 * header) stay fine too: readers skip them and they are no format a program opens. After the
 * last {@code %%EOF}, at most {@link #MAX_TRAILING_JUNK} bytes of anything else are tolerated
 * (a stray Ctrl-Z, a line of text); more is another file appended.
 */
final class PdfEnvelope {
  /** Bytes other than padding tolerated after the last {@code %%EOF}. */
  static final int MAX_TRAILING_JUNK = 256;
  /** A ZIP reader looks for the archive's end record this far from the end of the file. */
  static final int ZIP_END_SEARCH = 65_535 + 22;

  private PdfEnvelope() {
  }

  /**
   * Why the file is refused, in words for the presenter; empty when nothing of another format
   * surrounds the PDF. {@code head} is the start of the file, {@code pdfStart} the offset of
   * {@code %PDF-} in it; {@code tail} the end of the file, {@code eofEnd} the offset just past
   * the last {@code %%EOF} in it.
   */
  static Optional<String> foreignContent(byte[] head, int pdfStart, byte[] tail, int eofEnd) {
    String before = formatOf(head, 0, pdfStart);
    if (before != null) {
      return Optional.of("This file is " + before + " with a PDF after it, not a plain PDF: "
          + "something other than your poster comes before the PDF starts.");
    }
    String after = formatOf(tail, eofEnd, tail.length);
    if (after == null && zipEndRecord(tail)) {
      after = "a ZIP archive";
    }
    if (after != null) {
      return Optional.of("This PDF has " + after + " appended after its end: the file holds "
          + "something other than your poster.");
    }
    int junk = nonPadding(tail, eofEnd, tail.length);
    if (junk > MAX_TRAILING_JUNK) {
      return Optional.of("This PDF has " + junk + " bytes of other data appended after its end "
          + "(only blank padding may follow a PDF): the file holds something other than your "
          + "poster.");
    }
    return Optional.empty();
  }

  /** The format whose content lies in {@code data[from, to)}, or null for padding and junk. */
  static String formatOf(byte[] data, int from, int to) {
    int start = skipPadding(data, from, to);
    if (start >= to) {
      return null;
    }
    if (at(data, start, to, 0x89, 'P', 'N', 'G')) {
      return "a PNG image";
    }
    if (at(data, start, to, 0xFF, 0xD8, 0xFF)) {
      return "a JPEG image";
    }
    if (at(data, start, to, 'G', 'I', 'F', '8')) {
      return "a GIF image";
    }
    if (at(data, start, to, 'I', 'I', '*', 0) || at(data, start, to, 'M', 'M', 0, '*')) {
      return "a TIFF image";
    }
    if (at(data, start, to, 'R', 'I', 'F', 'F')) {
      return "a RIFF file (such as a WebP image or a WAV sound)";
    }
    if (at(data, start, to, '%', '!')) {
      return "a PostScript file";
    }
    if (at(data, start, to, 0x7F, 'E', 'L', 'F') || at(data, start, to, 'M', 'Z')) {
      return "a program";
    }
    if (at(data, start, to, '7', 'z', 0xBC, 0xAF) || at(data, start, to, 'R', 'a', 'r', '!')
        || at(data, start, to, 0x1F, 0x8B)) {
      return "a compressed archive";
    }
    // a ZIP's local file header anywhere: an archive whose start is hidden behind junk
    for (int i = start; i + 4 <= to; i++) {
      if (at(data, i, to, 'P', 'K', 3, 4)) {
        return "a ZIP archive";
      }
    }
    String text = new String(data, start, to - start, StandardCharsets.ISO_8859_1)
        .toLowerCase(Locale.ROOT);
    if (text.startsWith("<svg") || text.contains("<svg")) {
      return "an SVG image";
    }
    if (text.startsWith("<?xml")) {
      return "an XML document";
    }
    if (text.charAt(0) == '<' || HTML.matcher(text).find()) {
      return "an HTML page";
    }
    return null;
  }

  /** Tags no binary junk spells by chance but every HTML polyglot needs. */
  private static final java.util.regex.Pattern HTML = java.util.regex.Pattern.compile(
      "<(!doctype|html|head|body|script|iframe|meta|object|embed|img|style|title|div|a\\s)");

  /**
   * A ZIP end-of-central-directory record near the end whose central directory is where it
   * says (a real archive, found by ZIP readers wherever it is appended), not four bytes of
   * compressed data that happen to read {@code PK 5 6}.
   */
  static boolean zipEndRecord(byte[] tail) {
    for (int i = tail.length - 22; i >= Math.max(0, tail.length - ZIP_END_SEARCH); i--) {
      if (at(tail, i, tail.length, 'P', 'K', 5, 6)) {
        long directorySize = u32(tail, i + 12);
        long directoryStart = i - directorySize;
        if (directorySize == 0 || (directoryStart >= 0 && at(tail, (int) directoryStart, tail.length,
            'P', 'K', 1, 2))) {
          return true;
        }
      }
    }
    return false;
  }

  private static int nonPadding(byte[] data, int from, int to) {
    int count = 0;
    for (int i = from; i < to; i++) {
      if (!padding(data[i])) {
        count++;
      }
    }
    return count;
  }

  private static int skipPadding(byte[] data, int from, int to) {
    int i = from;
    if (at(data, i, to, 0xEF, 0xBB, 0xBF)) {
      i += 3;
    }
    while (i < to && padding(data[i])) {
      i++;
    }
    return i;
  }

  private static boolean padding(byte b) {
    return b == 0 || b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
  }

  private static boolean at(byte[] data, int offset, int to, int... expected) {
    if (offset < 0 || offset + expected.length > to) {
      return false;
    }
    for (int j = 0; j < expected.length; j++) {
      if ((data[offset + j] & 0xFF) != expected[j]) {
        return false;
      }
    }
    return true;
  }

  private static long u32(byte[] data, int offset) {
    if (offset + 4 > data.length) {
      return -1;
    }
    return (data[offset] & 0xFFL) | (data[offset + 1] & 0xFFL) << 8 | (data[offset + 2] & 0xFFL) << 16
        | (data[offset + 3] & 0xFFL) << 24;
  }

  /** A hint at what the file is instead, from its first bytes: " (it looks like ...)". */
  static String sniff(byte[] head) {
    String kind = null;
    if (startsWith(head, new byte[] {(byte) 0x89, 'P', 'N', 'G'})) {
      kind = "a PNG image";
    } else if (startsWith(head, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
      kind = "a JPEG image";
    } else if (startsWith(head, "GIF8".getBytes(StandardCharsets.US_ASCII))) {
      kind = "a GIF image";
    } else if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
      kind = "a ZIP archive, such as a PowerPoint, Keynote or Word file";
    } else if (startsWith(head, "%!PS".getBytes(StandardCharsets.US_ASCII))) {
      kind = "a PostScript file";
    } else if (indexOf(head, "<svg") >= 0) {
      kind = "an SVG image";
    }
    return kind == null ? "" : " (it looks like " + kind + ")";
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static int lastIndexOf(byte[] data, String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = data.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int indexOf(byte[] data, String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
