// Over 400 lines on purpose: one linear pass and the state it builds (counts, targets, pending streams, budget); split, that state would be shared across classes.
package dev.confday.posters.check;

import dev.confday.posters.check.PdfSyntax.Dict;
import dev.confday.posters.check.PdfSyntax.Kind;
import dev.confday.posters.check.PdfSyntax.Lexer;
import dev.confday.posters.check.PdfSyntax.Malformed;
import dev.confday.posters.check.PdfSyntax.Value;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a PDF's structure once, before PDFBox opens it, and refuses what would make PDFBox use
 * unbounded memory or time: cross-reference and object streams that inflate to more than
 * {@link #MAX_STREAM_BYTES} (PDFBox 3 inflates them whole into heap memory, outside its stream
 * cache), more than {@link #MAX_OBJECTS} objects or cross-reference entries (PDFBox keeps a map
 * entry for each), and files whose last object is cut off.
 *
 * <p>One pass over the file looks for the keywords PDFBox itself looks for ({@code obj},
 * {@code trailer}, {@code xref}, {@code startxref}, and the {@code /ObjStm} and {@code /XRef}
 * patterns of its brute-force repair), wherever they are. At each object header the object's
 * dictionary is read the way PDFBox reads it ({@link PdfSyntax}); a stream whose dictionary
 * marks it as a cross-reference or object stream, or that sits where a {@code startxref},
 * {@code /Prev} or {@code /XRefStm} points, is inflated with a counter and nothing stored, the
 * way PDFBox's FlateDecode does (two header bytes skipped, raw deflate). In a file encrypted
 * with an owner password only, object streams are decrypted first ({@link
 * StructureDecryption}). Content and image streams are never inflated.
 *
 * <p>Everything is charged to one {@link Work} budget: the bytes the pass reads, the bytes
 * dictionaries are read from and the bytes fed to the inflater may not exceed four times the
 * file size (plus 16 MB), which a real file never approaches: each byte belongs to one object.
 * So the pass is linear in the file size whatever the file contains, and it also keeps to the
 * check's deadline.
 *
 * <p>The file may still be arriving ({@link Arrival}, {@link IncrementalScan}): the pass then
 * reads each part once it is in the file and waits for the next, and the budget is that of the
 * bytes so far until the size is known, so the answer is the one the complete file would get.
 */
final class StructureStreams {

  /** What the scan found. */
  enum Outcome {
    /** Structure streams and counts are of a sane size. */
    BOUNDED,
    /** A structure stream inflates beyond the bounds or is encoded oddly. */
    TOO_LARGE,
    /** More objects or cross-reference entries than {@link #MAX_OBJECTS}. */
    TOO_MANY_OBJECTS,
    /** Structure that overlaps itself or nests beyond reason: reading it would cost too much. */
    TOO_COMPLEX,
    /** An encrypted object stream that cannot be decrypted to be measured. */
    UNVERIFIABLE,
    /** The file needs a password to open. */
    PASSWORD_REQUIRED,
    /** The last object in the file has no end: the file was cut off. */
    CUT_OFF
  }

  /** The answer, and whether the file is encrypted. */
  record Scan(Outcome outcome, boolean encrypted) {
  }

  /** A cross-reference stream for 300,000 objects is about 2 MB; object streams are smaller. */
  static final long MAX_STREAM_BYTES = 32L * 1024 * 1024;
  static final long MAX_TOTAL_BYTES = 128L * 1024 * 1024;
  /**
   * Objects (headers plus objects declared in object streams) and cross-reference entries each:
   * a rich poster has a few thousand, a 500-page book a few hundred thousand at most. PDFBox
   * keeps about 100 bytes per entry, so this bounds its memory to some tens of MB.
   */
  static final int MAX_OBJECTS = 300_000;

  private static final int MAX_TARGETS = 1_024;
  private static final int MAX_ENCRYPT_CANDIDATES = 64;
  private static final int PATTERN_REACH = 410;
  private static final int CHUNK = 1 << 20;
  private static final int LOOKAHEAD = 16;

  /** Ends the scan with an outcome, from anywhere inside it. */
  static final class Refusal extends RuntimeException {
    final Outcome outcome;

    Refusal(Outcome outcome) {
      super(outcome.name(), null, false, false);
      this.outcome = outcome;
    }
  }

  /**
   * The scan's work budget in bytes (four times the file size, plus 16 MB), and the check's
   * deadline. While the file is still arriving the budget is that of the bytes in it so far, and
   * a scan that has spent it waits for more bytes: the file is refused only when its final size
   * does not cover the work, exactly as when the whole file is scanned at once.
   */
  static final class Work {
    private static final long SLACK = 16L * 1024 * 1024;
    private final FileBytes bytes;
    private long limit = SLACK;
    private long counted;
    private long spent;
    private long nextClock;

    Work(FileBytes bytes) {
      this.bytes = bytes;
    }

    void spend(long n) {
      spent += n;
      while (spent > limit) {
        long before = counted;
        counted = bytes.awaitMoreThan(counted);
        if (counted == before) {
          throw new Refusal(Outcome.TOO_COMPLEX); // the file is complete, and the work exceeds it
        }
        limit = 4 * counted + SLACK;
      }
      if (spent >= nextClock) {
        nextClock = spent + (1 << 20);
        clock();
      }
    }

    void clock() {
      bytes.arrival().clock();
    }
  }

  /** A stream found in the pass that may have to be decrypted to be measured. */
  private record Pending(long number, long generation, long data) {
  }

  private final FileBytes bytes;
  private final Lexer lexer;
  private final Work work;
  private final Inflater inflater = new Inflater(true);
  private final byte[] input = new byte[64 * 1024];
  private final byte[] output = new byte[64 * 1024];

  private long objects;
  private long xrefEntries;
  private long inflatedTotal;
  private long lastHeader = -1;
  private long lastEndobj = -1;
  private long lastHeaderMeasured = -1;
  private boolean encrypted;
  private long encryptObject = -1;
  private long[] encryptRange;
  private long[] idRange;
  private final Map<Long, long[]> encryptCandidates = new HashMap<>();
  private final Set<Long> targets = new LinkedHashSet<>();
  private final Set<Long> measured = new HashSet<>();
  private final List<Pending> pending = new ArrayList<>();

  private StructureStreams(FileBytes bytes, Work work) {
    this.bytes = bytes;
    this.work = work;
    this.lexer = new Lexer(bytes, work);
  }

  /** Scans a complete file before {@code deadlineNanos}. */
  static Scan scan(Path pdf, long deadlineNanos) throws IOException {
    return scan(pdf, Arrival.complete(Files.size(pdf), deadlineNanos));
  }

  /**
   * Scans a file as its bytes arrive: each part is read once, when it is in the file, so the
   * work left after the last byte is the tail of the pass and what follows it (the streams the
   * cross-references point at), not the whole file again.
   *
   * @throws Arrival.Aborted when the arrival was aborted
   */
  static Scan scan(Path pdf, Arrival arrival) throws IOException {
    try (FileBytes bytes = new FileBytes(pdf, arrival)) {
      Work work = new Work(bytes);
      StructureStreams scan = new StructureStreams(bytes, work);
      try {
        return new Scan(scan.run(), scan.encrypted);
      } catch (Refusal refusal) {
        return new Scan(refusal.outcome, scan.encrypted);
      } finally {
        scan.inflater.end();
      }
    }
  }

  private Outcome run() throws IOException {
    pass();
    if (lastHeader > lastEndobj) {
      return Outcome.CUT_OFF;
    }
    Set<Long> done = new HashSet<>();
    while (!targets.isEmpty() && done.size() < MAX_TARGETS) {
      Long target = targets.iterator().next();
      targets.remove(target);
      if (done.add(target)) {
        crossReferenceStreamAt(target); // may add the /Prev it names
      }
    }
    if (encrypted && !pending.isEmpty()) {
      return measureEncrypted();
    }
    return Outcome.BOUNDED;
  }

  // ---- the pass

  private void pass() throws IOException {
    byte[] a = new byte[CHUNK];
    long base = 0;
    int length = 0;
    while (true) {
      // as much as has arrived (all of it, up to a chunk, for a complete file)
      int n = bytes.readSome(base + length, a, length, a.length - length);
      length += Math.max(0, n);
      boolean end = n <= 0 || bytes.endsAt(base + length);
      if (!end && length <= LOOKAHEAD) {
        continue; // too little to look ahead of anything yet: wait for more
      }
      int limit = end ? length : length - LOOKAHEAD;
      int i = 0;
      // eight bytes at a time: most words of a file (image and font data) hold none of the
      // five bytes a keyword starts with and are passed over with a few arithmetic operations
      for (; i + 8 <= limit; i += 8) {
        if (mayStartKeyword((long) LONGS.get(a, i))) {
          for (int j = i; j < i + 8; j++) {
            if (startsKeyword(a[j])) {
              examine(a, j, length, base + j);
            }
          }
        }
      }
      for (; i < limit; i++) {
        if (startsKeyword(a[i])) {
          examine(a, i, length, base + i);
        }
      }
      work.spend(limit);
      if (end) {
        return;
      }
      int carry = length - limit;
      System.arraycopy(a, limit, a, 0, carry);
      base += limit;
      length = carry;
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private static boolean startsKeyword(byte b) {
    return b == 'o' || b == 't' || b == 'x' || b == 's' || b == '/';
  }

  /** Whether any byte of {@code word} is one a keyword starts with (exact, no false negative). */
  private static boolean mayStartKeyword(long word) {
    return (hasByte(word, 'o') | hasByte(word, 't') | hasByte(word, 'x') | hasByte(word, 's')
        | hasByte(word, '/')) != 0;
  }

  /** Non-zero when some byte of {@code word} equals {@code b}. */
  private static long hasByte(long word, int b) {
    long x = word ^ (ONES * b);
    return (x - ONES) & ~x & HIGHS;
  }

  private void examine(byte[] a, int i, int length, long at) throws IOException {
    if (word(a, i, length, "obj")) {
      if (at >= 3 && bytes.at(at - 3) == 'e' && bytes.at(at - 2) == 'n' && bytes.at(at - 1) == 'd') {
        lastEndobj = at;
      } else if (PdfSyntax.isEndOfName(next(a, i + 3, length)) && numberBefore(at)) {
        if (++objects > MAX_OBJECTS) {
          throw new Refusal(Outcome.TOO_MANY_OBJECTS);
        }
        lastHeader = at;
        object(at, false);
      }
    } else if (word(a, i, length, "trailer") && PdfSyntax.isEndOfName(next(a, i + 7, length))) {
      trailer(at + 7);
    } else if (word(a, i, length, "startxref")) {
      startxref(at + 9);
    } else if (word(a, i, length, "xref") && PdfSyntax.isEndOfName(next(a, i + 4, length))
        && !(at >= 1 && bytes.at(at - 1) == 't')) {
      crossReferenceTable(at + 4);
    } else if (word(a, i, length, "/ObjStm") || word(a, i, length, "/XRef")) {
      // PDFBox's brute-force repair takes the nearest object header within 400 bytes before
      // either pattern for an object or cross-reference stream, whatever its dictionary says.
      if (lastHeader >= 0 && at - lastHeader <= PATTERN_REACH && lastHeaderMeasured != lastHeader) {
        lastHeaderMeasured = lastHeader;
        object(lastHeader, true);
      }
    }
  }

  /** The object whose {@code obj} keyword is at {@code at}: its dictionary, and its stream. */
  private void object(long at, boolean marked) throws IOException {
    lexer.pos = at + 3;
    lexer.skipSpaces();
    if (lexer.peek() == '[') {
      try {
        lexer.parseDirObject(); // only to bound its length (an indirect /Kids, say)
      } catch (Malformed e) {
        // PDFBox cannot parse it either
      }
      return;
    }
    if (lexer.peek() != '<') {
      return;
    }
    Dict dict;
    String keyword;
    try {
      Value value = lexer.parseDirObject();
      if (value.kind != Kind.DICT) {
        return;
      }
      dict = value.dict;
      keyword = lexer.readString();
    } catch (Malformed e) {
      return; // PDFBox cannot parse it either
    }
    long[] numbers = numbersBefore(at);
    trailerEntries(dict);
    if (!keyword.equals("stream")) {
      if (numbers != null && dict.has("O") && dict.has("U")
          && encryptCandidates.size() < MAX_ENCRYPT_CANDIDATES) {
        encryptCandidates.put(numbers[0], new long[] {dict.start, dict.end});
      }
      return;
    }
    lexer.skipStreamEol();
    long data = lexer.pos;
    String type = dict.nameOf("Type");
    boolean strong = "ObjStm".equals(type) || "XRef".equals(type) || dict.has("First")
        || dict.has("W");
    if (strong || marked || dict.structureName) {
      measure(dict, data, strong, numbers);
    }
  }

  /** The stream where a startxref, /Prev or /XRefStm points: PDFBox reads it as cross-references. */
  private void crossReferenceStreamAt(long offset) throws IOException {
    if (offset < 0 || offset >= bytes.size()) {
      return;
    }
    lexer.pos = offset;
    lexer.skipSpaces();
    if (lexer.peek() == 'x') {
      return; // a cross-reference table, counted in the pass
    }
    long number = lexer.readUnsigned();
    long generation = lexer.readUnsigned();
    lexer.skipSpaces();
    if (number < 0 || generation < 0 || lexer.read() != 'o' || lexer.read() != 'b'
        || lexer.read() != 'j') {
      return;
    }
    lexer.skipSpaces();
    try {
      if (lexer.peek() != '<') {
        return;
      }
      Value value = lexer.parseDictionary();
      trailerEntries(value.dict);
      lexer.readString(); // PDFBox takes whatever word follows for the stream keyword here
      lexer.skipStreamEol();
      measure(value.dict, lexer.pos, true, new long[] {number, generation});
    } catch (Malformed e) {
      // PDFBox fails on it too and falls back to its repair, whose patterns the pass followed
    }
  }

  private void trailer(long at) throws IOException {
    lexer.pos = at;
    lexer.skipSpaces();
    if (lexer.peek() != '<') {
      return;
    }
    try {
      Value value = lexer.parseDirObject();
      if (value.kind == Kind.DICT) {
        trailerEntries(value.dict);
      }
    } catch (Malformed e) {
      // not a trailer PDFBox can read
    }
  }

  /** What a trailer (or cross-reference stream dictionary) says about encryption and the chain. */
  private void trailerEntries(Dict dict) {
    boolean trailerLike = dict.has("Root") || dict.has("Size") || "XRef".equals(dict.nameOf("Type"));
    if (!trailerLike) {
      return;
    }
    Value encrypt = dict.get("Encrypt");
    if (encrypt != null && encrypt.kind != Kind.NULL) {
      encrypted = true;
      if (encrypt.kind == Kind.REFERENCE) {
        encryptObject = encrypt.number;
      } else if (encrypt.kind == Kind.DICT) {
        encryptRange = new long[] {encrypt.start, encrypt.end};
      }
      Value id = dict.get("ID");
      if (id != null && id.kind == Kind.ARRAY) {
        idRange = new long[] {id.start, id.end};
      }
    }
    target(dict.get("Prev"));
    target(dict.get("XRefStm"));
  }

  private void target(Value offset) {
    if (offset != null && offset.isInteger() && targets.size() < MAX_TARGETS) {
      targets.add(offset.number);
    }
  }

  private void startxref(long at) throws IOException {
    lexer.pos = at;
    long offset = lexer.readUnsigned();
    if (offset >= 0 && targets.size() < MAX_TARGETS) {
      targets.add(offset);
    }
  }

  /** Counts the rows of a cross-reference table: PDFBox keeps one map entry for each. */
  private void crossReferenceTable(long at) throws IOException {
    lexer.pos = at;
    while (true) {
      long first = lexer.readUnsigned();
      long second = first < 0 ? -1 : lexer.readUnsigned();
      if (second < 0) {
        return;
      }
      lexer.skipSpaces();
      int kind = lexer.peek();
      if (kind == 'n' || kind == 'f') {
        lexer.read();
        if (++xrefEntries > MAX_OBJECTS) {
          throw new Refusal(Outcome.TOO_MANY_OBJECTS);
        }
      }
    }
  }

  // ---- measuring

  /**
   * Inflates a structure stream with a counter. {@code strong}: its dictionary or position
   * says it is one, so an unusual filter refuses the file; a stream only suspected (a pattern
   * nearby, a structure name nested somewhere in its dictionary) is measured only if Flate.
   */
  private void measure(Dict dict, long data, boolean strong, long[] numbers) throws IOException {
    if (!measured.add(data)) {
      return;
    }
    String type = dict.nameOf("Type");
    if ("ObjStm".equals(type) || dict.has("First")) {
      long declared = dict.integer("N", 0);
      objects += Math.max(0, declared);
      if (objects > MAX_OBJECTS) {
        throw new Refusal(Outcome.TOO_MANY_OBJECTS);
      }
    }
    Value filter = dict.get("Filter");
    if (filter == null) {
      return; // not compressed: no larger than the file, which is bounded already
    }
    if (!flateOnly(filter) || !saneRows(dict.get("DecodeParms"))) {
      if (strong) {
        throw new Refusal(Outcome.TOO_LARGE);
      }
      return;
    }
    Inflated raw = inflate(bytes.stream(data));
    charge(raw.bytes());
    if (("XRef".equals(type) || dict.has("W")) && raw.bytes() > 0) {
      long width = entryWidth(dict.get("W"));
      xrefEntries += raw.bytes() / width;
      if (xrefEntries > MAX_OBJECTS) {
        throw new Refusal(Outcome.TOO_MANY_OBJECTS);
      }
    }
    if (!raw.clean() && !"XRef".equals(type) && numbers != null) {
      pending.add(new Pending(numbers[0], numbers[1], data));
    }
  }

  /** After the pass, for an encrypted file: object streams decrypted, then measured. */
  private Outcome measureEncrypted() throws IOException {
    byte[] dictionary = encryptRange != null ? slice(encryptRange)
        : encryptCandidates.containsKey(encryptObject) ? slice(encryptCandidates.get(encryptObject))
        : null;
    if (dictionary == null) {
      return Outcome.UNVERIFIABLE;
    }
    StructureDecryption decryption;
    try {
      decryption = StructureDecryption.open(dictionary, idRange == null ? null : slice(idRange));
    } catch (StructureDecryption.PasswordRequired e) {
      return Outcome.PASSWORD_REQUIRED;
    } catch (IOException | RuntimeException e) {
      return Outcome.UNVERIFIABLE;
    }
    for (Pending stream : pending) {
      Inflated inflated;
      try {
        InputStream plain = decryption.decrypt(bytes.stream(stream.data()), stream.number(),
            stream.generation());
        inflated = inflate(plain);
      } catch (Refusal e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // e.g. an AES key length the handler refuses: the stream cannot be measured
        return Outcome.UNVERIFIABLE;
      }
      charge(inflated.bytes());
      if (!inflated.clean()) {
        // Neither the stored nor the decrypted bytes inflate: nothing says how PDFBox will read it.
        return Outcome.UNVERIFIABLE;
      }
    }
    return Outcome.BOUNDED;
  }

  private void charge(long inflated) {
    if (inflated > MAX_STREAM_BYTES) {
      throw new Refusal(Outcome.TOO_LARGE);
    }
    inflatedTotal += inflated;
    if (inflatedTotal > MAX_TOTAL_BYTES) {
      throw new Refusal(Outcome.TOO_LARGE);
    }
  }

  /** How many bytes inflated, and whether the deflate data ended properly. */
  private record Inflated(long bytes, boolean clean) {
  }

  /**
   * Inflates as PDFBox's FlateDecode does (the two zlib header bytes skipped unread, raw
   * deflate after them), counting and keeping nothing, to just past {@link #MAX_STREAM_BYTES}.
   */
  private Inflated inflate(InputStream in) throws IOException {
    inflater.reset();
    long total = 0;
    long consumed = 0;
    int chunk = 1024; // most structure streams are small: read more only as needed
    try (in) {
      if (in.read() < 0 || in.read() < 0) {
        return new Inflated(0, false);
      }
      while (total <= MAX_STREAM_BYTES && !inflater.finished()) {
        if (inflater.needsInput()) {
          int n = in.read(input, 0, chunk);
          if (n <= 0) {
            break;
          }
          chunk = Math.min(input.length, chunk * 2);
          inflater.setInput(input, 0, n);
        }
        int produced = inflater.inflate(output);
        total += produced;
        long read = inflater.getBytesRead();
        work.spend(read - consumed);
        consumed = read;
        if (produced == 0 && inflater.needsDictionary()) {
          break;
        }
        work.clock();
      }
      return new Inflated(total, inflater.finished());
    } catch (DataFormatException | IOException e) {
      return new Inflated(total, false);
    }
  }

  private static boolean flateOnly(Value filter) {
    if (filter.kind == Kind.NAME) {
      return isFlate(filter.name);
    }
    if (filter.kind != Kind.ARRAY || filter.items.isEmpty()) {
      return false;
    }
    for (Value item : filter.items) {
      if (item.kind != Kind.NAME || !isFlate(item.name)) {
        return false;
      }
    }
    return true; // PDFBox decodes a repeated filter once, so [/FlateDecode /FlateDecode] is one pass
  }

  /**
   * PDFBox's predictor keeps two rows of {@code /Columns x /Colors x /BitsPerComponent} bits:
   * a structure stream has rows of a few bytes, so rows over 64 KB are refused, and decode
   * parameters PDFBox would have to look up elsewhere are not trusted.
   */
  static boolean saneRows(Value parameters) {
    if (parameters == null || parameters.kind == Kind.NULL) {
      return true;
    }
    if (parameters.kind == Kind.ARRAY) {
      for (Value item : parameters.items) {
        if (!saneRows(item)) {
          return false;
        }
      }
      return true;
    }
    if (parameters.kind != Kind.DICT) {
      return false;
    }
    Dict dict = parameters.dict;
    for (String key : List.of("Predictor", "Colors", "BitsPerComponent", "Columns")) {
      Value value = dict.get(key);
      if (value != null && !value.isInteger()) {
        return false; // a reference or a real: PDFBox would resolve a value this scan cannot bound
      }
    }
    if (dict.integer("Predictor", 1) <= 1) {
      return true;
    }
    return rowBytes(dict.integer("Colors", 1), dict.integer("BitsPerComponent", 8),
        dict.integer("Columns", 1)) <= 64 * 1024;
  }

  static long rowBytes(long colors, long bitsPerComponent, long columns) {
    long bits = Math.min(Math.max(colors, 0), 32) * Math.max(bitsPerComponent, 0);
    if (columns < 0 || bits > 1024 || columns > Integer.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return (columns * bits + 7) / 8;
  }

  private static boolean isFlate(String name) {
    return "FlateDecode".equals(name) || "Fl".equals(name);
  }

  /** Bytes per cross-reference stream entry, from /W (at least 1). */
  private static long entryWidth(Value w) {
    long width = 0;
    if (w != null && w.kind == Kind.ARRAY) {
      for (Value item : w.items) {
        if (item.isInteger() && item.number > 0 && item.number < 32) {
          width += item.number;
        }
      }
    }
    return Math.max(1, width);
  }

  // ---- small reads

  private static boolean word(byte[] a, int i, int length, String word) {
    if (i + word.length() > length) {
      return false;
    }
    for (int j = 0; j < word.length(); j++) {
      if (a[i + j] != word.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static int next(byte[] a, int i, int length) {
    return i < length ? a[i] & 0xff : -1;
  }

  /** True when a digit precedes {@code at}, white space (and comments aside) between. */
  private boolean numberBefore(long at) throws IOException {
    long p = at - 1;
    while (p >= 0 && at - p < 64 && PdfSyntax.isWhitespace(bytes.at(p))) {
      p--;
    }
    return p >= 0 && PdfSyntax.isDigit(bytes.at(p));
  }

  /** The object number and generation written before the {@code obj} at {@code at}, or null. */
  private long[] numbersBefore(long at) throws IOException {
    long p = at - 1;
    long[] numbers = new long[2];
    for (int field = 1; field >= 0; field--) {
      while (p >= 0 && at - p < 64 && PdfSyntax.isWhitespace(bytes.at(p))) {
        p--;
      }
      long value = 0;
      long scale = 1;
      int digits = 0;
      while (p >= 0 && PdfSyntax.isDigit(bytes.at(p)) && digits < 10) {
        value += (bytes.at(p) - '0') * scale;
        scale *= 10;
        digits++;
        p--;
      }
      if (digits == 0) {
        return null;
      }
      numbers[field] = value;
    }
    return numbers;
  }

  private byte[] slice(long[] range) throws IOException {
    int length = (int) Math.min(64 * 1024, range[1] - range[0]);
    byte[] out = new byte[Math.max(0, length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) bytes.at(range[0] + i);
    }
    work.spend(out.length);
    return out;
  }
}
