package dev.confday.posters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Decides whether an uploaded poster PDF fits an event's wall, and says why in plain words.
 *
 * <p>Blocking and CPU-bound: run it off the event loop, on a bounded worker pool. It reads only
 * the document structure (catalog, page tree, page boxes, /Rotate, /UserUnit, annotation and
 * action dictionaries) and never decodes a page content stream, so a decompression bomb in page
 * content costs no more than any other file. Time and memory are bounded whatever the file
 * holds: {@link StructureStreams} reads the structure once in linear time, refusing files with
 * more than {@value StructureStreams#MAX_OBJECTS} objects or cross-reference entries and
 * measuring (with a counter, decrypting owner-password files first) the cross-reference and
 * object streams PDFBox inflates into heap memory; {@link BoundedPdfParser} measures any other
 * stream PDFBox is about to inflate as an object stream. Every read checks a deadline of
 * {@link #TIME_LIMIT}, after which the check throws {@link TimeLimitExceeded} and its thread is
 * free again. Parsing keeps at most {@link #MAX_MEMORY_BYTES} of scratch data in memory and
 * {@link #MAX_SCRATCH_BYTES} on disk, in a private temporary directory removed whatever the
 * outcome. Files larger than {@link #MAX_FILE_BYTES} are refused before parsing.
 *
 * <p>Rules, in order:
 * <ul>
 *   <li>The file must be a PDF by content ({@code %PDF-} within the first 1024 bytes).
 *   <li>It must end with {@code %%EOF} within its last 1024 bytes (as the PDF spec asks): a
 *       cut-off upload is refused as damaged even when PDFBox's lenient parser could recover
 *       parts of it, because the poster would print incomplete; so is one whose last object
 *       has no end. A file whose page tree, page size or page content cannot be found is
 *       refused as damaged too.
 *   <li>A file that needs a password to open is refused; encryption with an owner password
 *       only (opens with an empty password) is accepted, with a warning if printing is
 *       forbidden.
 *   <li>Exactly one page.
 *   <li>No active content: JavaScript (document, page, annotation or form actions, XFA), launch
 *       actions or embedded/attached files are refused. A poster needs none of them, and we
 *       would rather ask for a clean export than serve or print a file that runs code.
 *   <li>Size: the CropBox (inheritable, default the MediaBox) clipped to the MediaBox, times
 *       /UserUnit (honoured, as large-format posters use it), with /Rotate 90 or 270 swapping
 *       width and height. Pages are never turned to fit: orientation matters.
 *   <li>Wider or taller than the maximum (plus tolerance): too large. Within the recommended
 *       size and filling at least 90% of it each way: the recommended size. Anything else that
 *       fits is accepted; a page smaller than the recommended size (A4 included) is accepted
 *       with a warning that it has to be scaled up when printed.
 * </ul>
 */
public final class PosterCheck {

  /** The file is not a PDF (or is empty). */
  public static final String NOT_A_PDF = "not-a-pdf";
  /** The file is larger than {@link #MAX_FILE_BYTES}. */
  public static final String FILE_SIZE = "file-size";
  /** The file is cut off or its structure cannot be read. */
  public static final String DAMAGED = "damaged";
  /** The file needs a password to open. */
  public static final String ENCRYPTED = "encrypted";
  /** The file has no page or more than one page. */
  public static final String PAGE_COUNT = "page-count";
  /** The file contains JavaScript, launch actions or embedded files. */
  public static final String ACTIVE_CONTENT = "active-content";
  /** The page is wider than the maximum. */
  public static final String TOO_WIDE = "too-wide";
  /** The page is taller than the maximum. */
  public static final String TOO_TALL = "too-tall";
  /** The page is both wider and taller than the maximum. */
  public static final String TOO_LARGE = "too-large";

  /** Largest file parsed at all; poster PDFs with photos are rarely above 50 MB. */
  public static final long MAX_FILE_BYTES = 100L * 1024 * 1024;
  /** Scratch memory PDFBox may use for decoded structure streams before spilling to disk. */
  public static final long MAX_MEMORY_BYTES = 4L * 1024 * 1024;
  /** Total scratch (memory plus disk) PDFBox may use; beyond it the file counts as damaged. */
  public static final long MAX_SCRATCH_BYTES = 64L * 1024 * 1024;
  /**
   * Longest one check may run; a real poster takes well under a second. Below the service's
   * own limit ({@link PosterFileService#CHECK_TIMEOUT}), which also counts queueing.
   */
  public static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  /** The check ran out of {@link #TIME_LIMIT}; it stopped, and nothing can be said of the file. */
  public static final class TimeLimitExceeded extends RuntimeException {
    public TimeLimitExceeded() {
      super("the poster check ran out of time", null, false, false);
    }
  }

  private static final int PROBE_BYTES = 1024;
  private static final int MAX_PAGES_COUNTED = 100_000;
  private static final int MAX_INHERITANCE_DEPTH = 64;
  private static final int MAX_ANNOTATIONS = 10_000;
  private static final int MAX_ACTIONS = 1_000;
  private static final double MM_PER_POINT = PosterLimits.MM_PER_INCH / 72;
  private static final double SQUARE_TOLERANCE_MM = 1.0;

  private static final COSName JAVA_SCRIPT = COSName.getPDFName("JavaScript");
  private static final COSName LAUNCH = COSName.getPDFName("Launch");
  private static final COSName GOTO_EMBEDDED = COSName.getPDFName("GoToE");
  private static final COSName XFA = COSName.getPDFName("XFA");
  private static final COSName FILE_ATTACHMENT = COSName.getPDFName("FileAttachment");
  private static final COSName USER_UNIT = COSName.getPDFName("UserUnit");

  private PosterCheck() {
  }

  /** Checks one PDF file against an event's limits. Blocking: run it off the event loop. */
  public static PosterCheckResult check(Path pdf, PosterLimits limits) {
    return check(pdf, limits, TIME_LIMIT);
  }

  /**
   * As {@link #check(Path, PosterLimits)}, within {@code timeLimit}.
   *
   * @throws TimeLimitExceeded when the time is up; the check has stopped by then
   */
  static PosterCheckResult check(Path pdf, PosterLimits limits, Duration timeLimit) {
    long deadline = System.nanoTime() + timeLimit.toNanos();
    try {
      return checkFile(pdf, limits, deadline);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read uploaded poster " + pdf.getFileName(), e);
    }
  }

  private static PosterCheckResult checkFile(Path pdf, PosterLimits limits, long deadline)
      throws IOException {
    long size = Files.size(pdf);
    if (size == 0) {
      return refuse(NOT_A_PDF, "This file is empty. Export or print your poster to PDF and "
          + "upload that file.", 0, null);
    }
    if (size > MAX_FILE_BYTES) {
      return refuse(FILE_SIZE, "This file is " + (size / (1024 * 1024)) + " MB; the largest "
          + "accepted is " + (MAX_FILE_BYTES / (1024 * 1024)) + " MB. Export it again with "
          + "images compressed (for example at 300 dpi).", 0, null);
    }
    byte[] head = readAt(pdf, 0, (int) Math.min(PROBE_BYTES, size));
    if (indexOf(head, "%PDF-") < 0) {
      return refuse(NOT_A_PDF, "This file is not a PDF" + sniff(head) + ". Export or print "
          + "your poster to PDF and upload that file.", 0, null);
    }
    byte[] tail = readAt(pdf, Math.max(0, size - PROBE_BYTES), (int) Math.min(PROBE_BYTES, size));
    if (indexOf(tail, "%%EOF") < 0) {
      return cutOff("it has no end-of-file marker");
    }
    StructureStreams.Scan scan = StructureStreams.scan(pdf, deadline);
    switch (scan.outcome()) {
      case TOO_LARGE:
        return bomb();
      case TOO_MANY_OBJECTS:
        return damaged("it consists of more than " + StructureStreams.MAX_OBJECTS
            + " internal objects, far more than any poster needs");
      case TOO_COMPLEX:
        return damaged("its internal structure is unreasonably complex (it overlaps itself "
            + "or is nested beyond reason)");
      case CUT_OFF:
        return cutOff("its last part is missing");
      case PASSWORD_REQUIRED:
        return passwordProtected();
      case UNVERIFIABLE:
        return refuse(ENCRYPTED, "This PDF is encrypted in a way that cannot be checked "
            + "safely. Export it again without a password or restrictions.", 0, null);
      default:
        break;
    }
    Path scratch = Files.createTempDirectory("confday-postercheck-");
    try {
      return inspect(pdf, limits, scratch, deadline);
    } finally {
      deleteTree(scratch);
    }
  }

  private static PosterCheckResult inspect(Path pdf, PosterLimits limits, Path scratch,
      long deadline) throws IOException {
    MemoryUsageSetting memory = MemoryUsageSetting
        .setupMixed(MAX_MEMORY_BYTES, MAX_SCRATCH_BYTES)
        .setTempDir(scratch.toFile());
    try (RandomAccessRead input = BoundedPdfParser.open(pdf, deadline);
        PDDocument document = new BoundedPdfParser(input, memory.streamCache).parse()) {
      return inspect(document, limits);
    } catch (InvalidPasswordException e) {
      return passwordProtected();
    } catch (BoundedPdfParser.StructureBomb e) {
      return bomb();
    } catch (TimeLimitExceeded e) {
      throw e;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // PDFBox reports hostile or broken structure with all of these; none is our bug.
      return damaged("its structure cannot be read");
    }
  }

  private static PosterCheckResult inspect(PDDocument document, PosterLimits limits) {
    COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
    if (!(catalog.getDictionaryObject(COSName.PAGES) instanceof COSDictionary root)) {
      return damaged("it has no page tree");
    }
    PageTree tree = PageTree.scan(root);
    if (tree.broken()) {
      return damaged("its list of pages is broken");
    }
    int pages = tree.pages();
    if (pages == 0) {
      return refuse(PAGE_COUNT, "This PDF has no pages. Export your poster to PDF again.", 0,
          null);
    }
    COSDictionary page = tree.first();
    if (!contentsPresent(page)) {
      return damaged("the page's content is missing");
    }
    Measured measured = measure(page);
    if (measured == null) {
      return damaged("the page has no valid size (MediaBox)");
    }
    if (pages != 1) {
      String count = pages >= MAX_PAGES_COUNTED ? "more than " + MAX_PAGES_COUNTED : "" + pages;
      return refuse(PAGE_COUNT, measured.sentence() + " But this PDF has " + count
          + " pages, and a poster must be a single page. Export only the poster page.",
          pages, measured);
    }
    Set<String> active = activeContent(catalog, page);
    if (!active.isEmpty()) {
      return refuse(ACTIVE_CONTENT, "This PDF is not acceptable: it contains "
          + String.join(" and ", active) + ". A poster needs none of these: export it to PDF "
          + "again without them (for example with \"Print to PDF\").", pages, measured);
    }
    List<String> warnings = new ArrayList<>();
    if (document.isEncrypted() && !document.getCurrentAccessPermission().canPrint()) {
      warnings.add("The PDF's permissions forbid printing; some print shops will refuse it. "
          + "Export it again without restrictions.");
    }
    return judgeSize(measured, limits, warnings);
  }

  private static PosterCheckResult judgeSize(Measured m, PosterLimits limits,
      List<String> warnings) {
    double tolerance = limits.toleranceMm();
    double overWidth = m.widthMm - limits.maxWidthMm();
    double overHeight = m.heightMm - limits.maxHeightMm();
    boolean tooWide = overWidth > tolerance;
    boolean tooTall = overHeight > tolerance;
    if (tooWide || tooTall) {
      List<String> excess = new ArrayList<>();
      if (tooWide) {
        excess.add(PosterLimits.number(overWidth / 10) + " cm too wide");
      }
      if (tooTall) {
        excess.add(PosterLimits.number(overHeight / 10) + " cm too tall");
      }
      String message = m.sentence() + " It is " + String.join(" and ", excess)
          + ": the largest allowed is " + limits.describeMaximum() + ".";
      if (limits.fitsMaximum(m.heightMm, m.widthMm)) {
        message += " Turned to " + (m.widthMm > m.heightMm ? "portrait" : "landscape")
            + " it would fit, if your design allows.";
      }
      String code = tooWide && tooTall ? TOO_LARGE : tooWide ? TOO_WIDE : TOO_TALL;
      return m.result(PosterVerdict.TOO_LARGE, 1, message, warnings, code);
    }
    if (limits.isRecommended(m.widthMm, m.heightMm)) {
      return m.result(PosterVerdict.RECOMMENDED_SIZE, 1, m.sentence()
          + " It has the recommended size, " + limits.describeRecommended() + ".", warnings, null);
    }
    boolean smaller = m.widthMm <= limits.recommendedWidthMm() + tolerance
        && m.heightMm <= limits.recommendedHeightMm() + tolerance;
    if (smaller) {
      double scale = Math.min(limits.recommendedWidthMm() / m.widthMm,
          limits.recommendedHeightMm() / m.heightMm);
      warnings.add("It is smaller than the recommended " + limits.describeRecommended()
          + "; it will be printed scaled up (about " + PosterLimits.number(scale) + " times), "
          + "so check that text and images stay sharp.");
      return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits, but it is smaller than "
          + "the recommended " + limits.describeRecommended() + ".", warnings, null);
    }
    return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits: the largest allowed is "
        + limits.describeMaximum() + ".", warnings, null);
  }

  /**
   * The leaves of the page tree, walked in document order without PDFBox's iterator so that a
   * loop or a missing kid counts as damage rather than as extra pages; stops counting at
   * {@link #MAX_PAGES_COUNTED}.
   */
  private record PageTree(COSDictionary first, int pages, boolean broken) {

    static PageTree scan(COSDictionary root) {
      Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      Deque<COSDictionary> pending = new ArrayDeque<>();
      pending.push(root);
      COSDictionary first = null;
      int pages = 0;
      while (!pending.isEmpty() && pages < MAX_PAGES_COUNTED) {
        COSDictionary node = pending.pop();
        if (!seen.add(node)) {
          return new PageTree(null, pages, true);
        }
        COSBase kids = node.getDictionaryObject(COSName.KIDS);
        if (COSName.PAGE.equals(node.getDictionaryObject(COSName.TYPE))
            || !(kids instanceof COSArray)) {
          first = first == null ? node : first;
          pages++;
          continue;
        }
        COSArray array = (COSArray) kids;
        for (int i = array.size() - 1; i >= 0; i--) {
          if (!(array.getObject(i) instanceof COSDictionary kid)) {
            return new PageTree(null, pages, true);
          }
          pending.push(kid);
        }
      }
      return new PageTree(first, pages, false);
    }
  }

  /** The page as it hangs: millimetres after crop, /UserUnit and /Rotate. */
  private record Measured(double widthMm, double heightMm) {

    String orientation() {
      if (Math.abs(widthMm - heightMm) <= SQUARE_TOLERANCE_MM) {
        return "square";
      }
      return widthMm > heightMm ? "landscape" : "portrait";
    }

    String paperName() {
      return PaperSize.nameOf(widthMm, heightMm).orElse(null);
    }

    String sentence() {
      String paper = paperName();
      return "Your poster is " + PosterLimits.describe(widthMm, heightMm) + ", " + orientation()
          + (paper == null ? "" : " (" + paper + ")") + ".";
    }

    PosterCheckResult result(PosterVerdict verdict, int pages, String message,
        List<String> warnings, String reasonCode) {
      return new PosterCheckResult(verdict, round(widthMm / 10), round(heightMm / 10),
          round(widthMm / PosterLimits.MM_PER_INCH), round(heightMm / PosterLimits.MM_PER_INCH),
          orientation(), paperName(), pages, message, warnings, reasonCode);
    }

    private static double round(double value) {
      return Math.round(value * 100) / 100.0;
    }
  }

  private static Measured measure(COSDictionary page) {
    double[] mediaBox = rectangle(inherited(page, COSName.MEDIA_BOX));
    if (mediaBox == null) {
      return null;
    }
    double[] box = mediaBox;
    double[] cropBox = rectangle(inherited(page, COSName.CROP_BOX));
    if (cropBox != null) {
      // The PDF spec: a CropBox reaching beyond the MediaBox is reduced to the MediaBox.
      box = new double[] {
          Math.max(cropBox[0], mediaBox[0]), Math.max(cropBox[1], mediaBox[1]),
          Math.min(cropBox[2], mediaBox[2]), Math.min(cropBox[3], mediaBox[3])};
    }
    double unit = 1;
    if (page.getDictionaryObject(USER_UNIT) instanceof COSNumber number) {
      double value = number.floatValue();
      if (value > 0 && Double.isFinite(value)) {
        unit = value;
      }
    }
    double width = (box[2] - box[0]) * unit * MM_PER_POINT;
    double height = (box[3] - box[1]) * unit * MM_PER_POINT;
    if (!(width > 0 && height > 0 && Double.isFinite(width) && Double.isFinite(height))) {
      return null;
    }
    int rotate = 0;
    if (inherited(page, COSName.ROTATE) instanceof COSNumber number) {
      rotate = Math.floorMod(number.intValue(), 360);
    }
    return rotate == 90 || rotate == 270 ? new Measured(height, width) : new Measured(width,
        height);
  }

  /** A normalized rectangle [llx, lly, urx, ury] from a PDF array, or null if malformed. */
  private static double[] rectangle(COSBase value) {
    if (!(value instanceof COSArray array) || array.size() != 4) {
      return null;
    }
    double[] numbers = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!(array.getObject(i) instanceof COSNumber number)) {
        return null;
      }
      numbers[i] = number.floatValue();
      if (!Double.isFinite(numbers[i])) {
        return null;
      }
    }
    return new double[] {
        Math.min(numbers[0], numbers[2]), Math.min(numbers[1], numbers[3]),
        Math.max(numbers[0], numbers[2]), Math.max(numbers[1], numbers[3])};
  }

  /** An inheritable page attribute: from the page or the nearest ancestor that has it. */
  private static COSBase inherited(COSDictionary page, COSName key) {
    COSDictionary node = page;
    for (int depth = 0; node != null && depth < MAX_INHERITANCE_DEPTH; depth++) {
      COSBase value = node.getDictionaryObject(key);
      if (value != null) {
        return value;
      }
      node = node.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent
          ? parent : null;
    }
    return null;
  }

  /** False when the page names content that is not in the file (a cut or broken file). */
  private static boolean contentsPresent(COSDictionary page) {
    COSBase contents = page.getItem(COSName.CONTENTS);
    if (contents == null) {
      return true;
    }
    COSBase resolved = resolve(contents);
    if (resolved instanceof COSArray array) {
      for (COSBase part : array) {
        if (resolve(part) == null) {
          return false;
        }
      }
      return true;
    }
    return resolved != null;
  }

  private static COSBase resolve(COSBase value) {
    COSBase resolved = value instanceof COSObject object ? object.getObject() : value;
    return resolved instanceof COSNull ? null : resolved;
  }

  /** What kinds of active content the document and its page carry, in words. */
  private static Set<String> activeContent(COSDictionary catalog, COSDictionary page) {
    Set<String> found = new LinkedHashSet<>();
    Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (catalog.getDictionaryObject(COSName.NAMES) instanceof COSDictionary names) {
      if (names.getDictionaryObject(JAVA_SCRIPT) != null) {
        found.add("JavaScript");
      }
      if (names.getDictionaryObject(COSName.EMBEDDED_FILES) != null) {
        found.add("attached files");
      }
    }
    action(catalog.getDictionaryObject(COSName.OPEN_ACTION), found, seen);
    additionalActions(catalog, found, seen);
    if (catalog.getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary form
        && form.getDictionaryObject(XFA) != null) {
      found.add("JavaScript");
    }
    additionalActions(page, found, seen);
    if (page.getDictionaryObject(COSName.ANNOTS) instanceof COSArray annotations) {
      int count = Math.min(annotations.size(), MAX_ANNOTATIONS);
      for (int i = 0; i < count; i++) {
        if (annotations.getObject(i) instanceof COSDictionary annotation) {
          if (FILE_ATTACHMENT.equals(annotation.getDictionaryObject(COSName.SUBTYPE))) {
            found.add("attached files");
          }
          action(annotation.getDictionaryObject(COSName.A), found, seen);
          additionalActions(annotation, found, seen);
        }
      }
    }
    return found;
  }

  private static void additionalActions(COSDictionary owner, Set<String> found,
      Set<COSDictionary> seen) {
    if (owner.getDictionaryObject(COSName.AA) instanceof COSDictionary actions) {
      for (COSName trigger : actions.keySet()) {
        action(actions.getDictionaryObject(trigger), found, seen);
      }
    }
  }

  /** Follows one action and its /Next chain, bounded and safe against cycles. */
  private static void action(COSBase value, Set<String> found, Set<COSDictionary> seen) {
    List<COSBase> pending = new ArrayList<>();
    pending.add(value);
    while (!pending.isEmpty() && seen.size() < MAX_ACTIONS) {
      COSBase next = resolve(pending.remove(pending.size() - 1));
      if (next instanceof COSArray array) {
        for (COSBase item : array) {
          pending.add(item);
        }
        continue;
      }
      if (!(next instanceof COSDictionary action) || !seen.add(action)) {
        continue;
      }
      COSBase type = action.getDictionaryObject(COSName.S);
      if (JAVA_SCRIPT.equals(type) || action.getDictionaryObject(COSName.JS) != null) {
        found.add("JavaScript");
      } else if (LAUNCH.equals(type)) {
        found.add("an action that launches programs");
      } else if (GOTO_EMBEDDED.equals(type)) {
        found.add("attached files");
      }
      COSBase chained = action.getItem(COSName.NEXT);
      if (chained != null) {
        pending.add(chained);
      }
    }
  }

  private static PosterCheckResult bomb() {
    return damaged("its internal structure is compressed to an unreasonable degree (a "
        + "decompression bomb?)");
  }

  private static PosterCheckResult cutOff(String evidence) {
    return refuse(DAMAGED, "This PDF is damaged: it seems to be cut off (" + evidence + "). "
        + "Upload it again, or export it again if that does not help.", 0, null);
  }

  private static PosterCheckResult passwordProtected() {
    return refuse(ENCRYPTED, "This PDF is protected by a password, so it cannot be opened "
        + "for printing. Export it again without a password.", 0, null);
  }

  private static PosterCheckResult damaged(String why) {
    return refuse(DAMAGED, "This PDF is damaged: " + why + ". Export your poster to PDF again "
        + "and upload the new file.", 0, null);
  }

  private static PosterCheckResult refuse(String code, String message, int pages,
      Measured measured) {
    if (measured != null) {
      return measured.result(PosterVerdict.NOT_ACCEPTABLE, pages, message, List.of(), code);
    }
    return new PosterCheckResult(PosterVerdict.NOT_ACCEPTABLE, null, null, null, null, null, null,
        pages, message, List.of(), code);
  }

  /** A hint at what the file is instead, from its first bytes: " (it looks like ...)". */
  private static String sniff(byte[] head) {
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

  private static int indexOf(byte[] data, String ascii) {
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

  private static byte[] readAt(Path file, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      channel.position(position);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // keep reading until full or end of file
      }
    }
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> entries = Files.walk(directory)) {
      for (Path entry : (Iterable<Path>) entries.sorted(Collections.reverseOrder())::iterator) {
        Files.deleteIfExists(entry);
      }
    } catch (IOException e) {
      // Nothing the presenter can act on; the temp directory is cleaned by the OS eventually.
    }
  }
}
