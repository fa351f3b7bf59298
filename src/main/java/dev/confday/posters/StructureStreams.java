package dev.confday.posters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Bounds the streams PDFBox must decode to read a document's structure: cross-reference
 * streams and object streams. PDFBox 3 decodes these whole into heap memory (its stream cache
 * does not apply to them), so a 1 MB file whose object stream inflates to gigabytes would
 * exhaust the server's heap while merely opening it.
 *
 * <p>Before PDFBox sees the file, every stream in it is found by its {@code stream} keyword;
 * those whose dictionary has a structure key ({@code /Type /ObjStm}, {@code /Type /XRef},
 * {@code /First}, {@code /W}, names #-escapes decoded) are inflated here with a counter,
 * storing nothing, up to {@link #MAX_STREAM_BYTES} each and {@link #MAX_TOTAL_BYTES} in all.
 * Only FlateDecode or no filter is accepted on them: writers use nothing else. Content and
 * image streams are not touched.
 */
final class StructureStreams {

  /** What the scan found. */
  enum Outcome {
    /** Structure streams are of a sane size. */
    BOUNDED,
    /** A structure stream inflates beyond the bounds or is encoded oddly. */
    TOO_LARGE,
    /** An encrypted structure stream: its size cannot be known without decrypting it. */
    UNVERIFIABLE
  }

  /** A cross-reference stream for a million objects is about 7 MB. */
  static final long MAX_STREAM_BYTES = 32L * 1024 * 1024;
  static final long MAX_TOTAL_BYTES = 128L * 1024 * 1024;

  private static final int WINDOW = 4 * 1024;
  private static final byte[] KEYWORD = "stream".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern OBJECT_HEADER = Pattern.compile("\\d+\\s+\\d+\\s+obj");
  private static final Pattern NAME = Pattern.compile("/([^\\s/<>\\[\\]()%{}]*)");
  private static final Pattern ESCAPE = Pattern.compile("#([0-9A-Fa-f]{2})");
  private static final Set<String> STRUCTURE_NAMES = Set.of("ObjStm", "XRef", "First", "W");

  private StructureStreams() {
  }

  static Outcome scan(Path pdf, boolean encrypted) throws IOException {
    long budget = MAX_TOTAL_BYTES;
    byte[] buffer = new byte[1 << 20];
    long base = 0;
    int carry = 0;
    try (InputStream in = Files.newInputStream(pdf)) {
      int n;
      while ((n = in.read(buffer, carry, buffer.length - carry)) > 0) {
        int length = carry + n;
        for (int i = 0; i + KEYWORD.length <= length; i++) {
          if (buffer[i] == 's' && matches(buffer, i) && (i == 0 || buffer[i - 1] != 'd')) {
            long inflated = inspect(pdf, base + i, encrypted);
            if (inflated < 0) {
              return inflated == -1 ? Outcome.TOO_LARGE : Outcome.UNVERIFIABLE;
            }
            budget -= inflated;
            if (budget < 0) {
              return Outcome.TOO_LARGE;
            }
          }
        }
        carry = Math.min(KEYWORD.length - 1, length);
        System.arraycopy(buffer, length - carry, buffer, 0, carry);
        base += length - carry;
      }
    }
    return Outcome.BOUNDED;
  }

  /**
   * Bytes a structure stream at {@code keyword} inflates to (0 for other streams), -1 when too
   * large or oddly encoded, -2 when it cannot be read because the file is encrypted.
   */
  private static long inspect(Path pdf, long keyword, boolean encrypted) throws IOException {
    long from = Math.max(0, keyword - WINDOW);
    String before = new String(readAt(pdf, from, (int) (keyword - from)),
        StandardCharsets.ISO_8859_1);
    if (!endsWithDictionary(before)) {
      return 0; // the word "stream" in text or data, not a stream keyword
    }
    Matcher header = OBJECT_HEADER.matcher(before);
    int start = -1;
    while (header.find()) {
      start = header.end();
    }
    String dictionary = unescape(start < 0 ? before : before.substring(start));
    Set<String> names = new HashSet<>();
    Matcher name = NAME.matcher(dictionary);
    while (name.find()) {
      names.add(name.group(1));
    }
    if (names.stream().noneMatch(STRUCTURE_NAMES::contains)) {
      return 0;
    }
    if (names.contains("Filter") && !flateOnly(dictionary)) {
      return -1;
    }
    if (!names.contains("Filter")) {
      return 0; // unfiltered: no larger than the file, which is already bounded
    }
    byte[] eol = readAt(pdf, keyword + KEYWORD.length, 2);
    long data = keyword + KEYWORD.length + (eol.length > 0 && eol[0] == '\r'
        ? (eol.length > 1 && eol[1] == '\n' ? 2 : 1) : 1);
    try (SeekableByteChannel channel = Files.newByteChannel(pdf)) {
      channel.position(data);
      long size = inflatedSize(Channels.newInputStream(channel));
      if (size == 0 && encrypted) {
        return -2;
      }
      return size > MAX_STREAM_BYTES ? -1 : size;
    }
  }

  /** True when every value of /Filter is FlateDecode, written directly (not by reference). */
  private static boolean flateOnly(String dictionary) {
    Matcher filter = Pattern.compile("/Filter\\s*(\\[[^\\]]*\\]|/[^\\s/<>\\[\\]]+)")
        .matcher(dictionary);
    if (!filter.find()) {
      return false;
    }
    for (String value : filter.group(1).replace('[', ' ').replace(']', ' ').trim().split("\\s+")) {
      if (!value.equals("/FlateDecode")) {
        return false;
      }
    }
    return true; // PDFBox drops repeated filters, so [/FlateDecode /FlateDecode] inflates once
  }

  /** Inflates counting bytes, up to just past the bound; a corrupt stream counts as read. */
  private static long inflatedSize(InputStream raw) {
    Inflater inflater = new Inflater();
    long total = 0;
    try (InputStream in = new InflaterInputStream(raw, inflater, 8192)) {
      byte[] sink = new byte[64 * 1024];
      int n;
      while (total <= MAX_STREAM_BYTES && (n = in.read(sink)) > 0) {
        total += n;
      }
      return total;
    } catch (IOException e) {
      return total;
    } finally {
      inflater.end();
    }
  }

  /** True when the text ends with ">>" and optional white space: a stream's dictionary. */
  private static boolean endsWithDictionary(String text) {
    int i = text.length() - 1;
    while (i >= 0 && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == 0)) {
      i--;
    }
    return i >= 1 && text.charAt(i) == '>' && text.charAt(i - 1) == '>';
  }

  private static String unescape(String text) {
    Matcher escape = ESCAPE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (escape.find()) {
      escape.appendReplacement(out,
          Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
    }
    return escape.appendTail(out).toString();
  }

  private static boolean matches(byte[] data, int at) {
    for (int j = 0; j < KEYWORD.length; j++) {
      if (data[at + j] != KEYWORD[j]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] readAt(Path file, long position, int length) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      channel.position(position);
      return Channels.newInputStream(channel).readNBytes(length);
    }
  }
}
