package dev.confday.posters.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Decides whether an uploaded poster PDF fits an event's wall, and says why in plain words.
 *
 * <p>Blocking and CPU-bound: run it off the event loop, on a bounded worker pool. It reads only
 * the document structure (catalog, page tree, page boxes, /Rotate, /UserUnit, resources,
 * annotation and action dictionaries) and never decodes a page content stream, so a
 * decompression bomb in page content costs no more than any other file. Time and memory are
 * bounded whatever the file holds: {@link StructureStreams} reads the structure once in linear
 * time, refusing files with more than {@value StructureStreams#MAX_OBJECTS} objects or
 * cross-reference entries and measuring (with a counter, decrypting owner-password files
 * first) the cross-reference and object streams PDFBox inflates into heap memory; {@link
 * BoundedPdfParser} measures any other stream PDFBox is about to inflate as an object stream.
 * Every read checks a deadline of {@link #TIME_LIMIT}, after which the check throws {@link
 * TimeLimitExceeded} and its thread is free again. Parsing keeps at most {@link
 * #MAX_MEMORY_BYTES} of scratch data in memory and, in all, twice the file size (at least
 * {@link #MIN_SCRATCH_BYTES}, at most {@link #MAX_SCRATCH_BYTES}), in a private temporary
 * directory removed whatever the outcome. Files larger than {@link
 * #MAX_FILE_BYTES} are refused before parsing.
 *
 * <p>Rules, in order:
 * <ul>
 *   <li>The file must be a PDF by content ({@code %PDF-} within the first 1024 bytes), and
 *       nothing of another format may come before {@code %PDF-} or after the last {@code
 *       %%EOF} ({@link PdfEnvelope}; blank padding is fine).
 *   <li>It must not be cut off: {@code %%EOF} within its last 1 MB (padding after it is
 *       tolerated), its last object must end ({@code endobj}), and the page's content and
 *       resources (fonts, images, graphics states, colour spaces, patterns, shadings) must all
 *       be in the file. When the file's cross-references are intact, a resource they do not
 *       list is null by the PDF standard and passes with a warning; when PDFBox had to rebuild
 *       them, it was probably lost and the file is damaged. A file whose page tree or page size
 *       cannot be read is damaged too.
 *   <li>A file that needs a password to open is refused; encryption with an owner password
 *       only (opens with an empty password) is judged on size, with a warning if printing is
 *       forbidden.
 *   <li>Exactly one page.
 *   <li>No active content: JavaScript (document, page, annotation, bookmark and form field
 *       actions, XFA), launch actions, embedded, attached or associated (/AF) files, and
 *       embedded media (RichMedia, Screen, Movie, Sound and 3D annotations, media actions) are
 *       refused. A poster needs none of
 *       them, and we would rather ask for a clean export than serve or print a file that runs
 *       code. Empty name trees (an /EmbeddedFiles or /JavaScript tree without entries) are no
 *       content and pass.
 *   <li>Size: the CropBox (inheritable, default the MediaBox) clipped to the MediaBox (a CropBox
 *       outside the MediaBox is ignored, as viewers do), times /UserUnit, with /Rotate 90 or
 *       270 swapping width and height. Pages are never turned to fit: orientation matters. A
 *       /UserUnit other than 1 is honoured, with a warning that some viewers ignore it; one that
 *       is not a positive number is refused.
 *   <li>Wider or taller than the maximum (plus tolerance): too large; when a smaller TrimBox
 *       (the page without bleed) would fit, the answer says so. Within the recommended size and
 *       filling at least 90% of it each way: the recommended size. Anything else that fits is
 *       accepted; a page that would be printed scaled up by 10% or more carries a warning, and
 *       so does one that cannot grow but fills less than 80% of the recommended size one way.
 * </ul>
 */
public final class PosterCheck {

  /** The file is not a PDF (or is empty). */
  public static final String NOT_A_PDF = "not-a-pdf";
  /**
   * The file holds another format's content around the PDF (an HTML page before it, a ZIP
   * archive after its end): a polyglot, see {@link PdfEnvelope}.
   */
  public static final String POLYGLOT = "polyglot";
  /** The file is larger than {@link #MAX_FILE_BYTES}. */
  public static final String FILE_SIZE = "file-size";
  /** The file is cut off or its structure cannot be read. */
  public static final String DAMAGED = "damaged";
  /** The file needs a password to open. */
  public static final String ENCRYPTED = "encrypted";
  /** The file has no page or more than one page. */
  public static final String PAGE_COUNT = "page-count";
  /** The file contains JavaScript, launch actions, embedded files or embedded media. */
  public static final String ACTIVE_CONTENT = "active-content";
  /** The page's /UserUnit is not a positive number. */
  public static final String USER_UNIT = "user-unit";
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
  /**
   * Total scratch (memory plus disk) PDFBox may use for a small file; a larger file gets twice
   * its size (see {@link #scratchBytes}). Beyond it the file counts as damaged.
   */
  public static final long MIN_SCRATCH_BYTES = 64L * 1024 * 1024;
  /** The most scratch any file gets: twice the largest file. */
  public static final long MAX_SCRATCH_BYTES = 2 * MAX_FILE_BYTES;
  /**
   * Longest one check may run; a real poster takes well under a second. Below the service's
   * own limit ({@code PosterFileService.CHECK_TIMEOUT} in posters.files), which also counts queueing.
   */
  public static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  /** The check ran out of {@link #TIME_LIMIT}; it stopped, and nothing can be said of the file. */
  public static final class TimeLimitExceeded extends RuntimeException {
    public TimeLimitExceeded() {
      super("the poster check ran out of time", null, false, false);
    }
  }

  private static final int HEAD_BYTES = 1024;
  /**
   * %%EOF is looked for this far from the end: some tools and transfers pad a file after it
   * (with zeros, up to a block size). PDFBox looks for startxref as far back.
   */
  static final int TAIL_BYTES = 1024 * 1024;
  private static final int MAX_PAGES_COUNTED = 100_000;
  private static final int MAX_INHERITANCE_DEPTH = 64;
  private static final int MAX_ANNOTATIONS = 10_000;
  private static final int MAX_ACTIONS = 1_000;
  /** Steps of one action walk (array items and chained actions), so no file can make it endless. */
  private static final int MAX_ACTION_STEPS = 100_000;
  private static final int MAX_FIELDS = 10_000;
  private static final int MAX_NAME_TREE_NODES = 10_000;
  private static final int MAX_OUTLINE_ITEMS = 10_000;
  private static final int MAX_OUTLINE_DEPTH = 256;
  private static final int MAX_RESOURCE_ENTRIES = 10_000;
  /** Below this a smaller page prints at about its own size: no scaling warning. */
  private static final double SCALE_WORTH_A_WARNING = 1.1;
  /**
   * A page that cannot grow (full size one way) but covers less than this share of the
   * recommended size the other way is said to fill only part of the space.
   */
  private static final double PARTIAL_FILL = 0.8;
  /** Too large by less than this each way: meant to be the maximum, so no advice to turn it. */
  private static final double SLIGHT_EXCESS_MM = 20;
  /** Larger than the maximum by less than this is the maximum, give or take rounding. */
  private static final double BOX_EPSILON_MM = 0.05;
  private static final double MM_PER_POINT = PosterLimits.MM_PER_INCH / 72;
  private static final double SQUARE_TOLERANCE_MM = 1.0;
  private static final double BOX_EPSILON_POINTS = 0.5;

  private static final COSName JAVA_SCRIPT = COSName.getPDFName("JavaScript");
  private static final COSName LAUNCH = COSName.getPDFName("Launch");
  private static final COSName GOTO_EMBEDDED = COSName.getPDFName("GoToE");
  private static final COSName XFA = COSName.getPDFName("XFA");
  private static final COSName FILE_ATTACHMENT = COSName.getPDFName("FileAttachment");
  private static final COSName USER_UNIT_KEY = COSName.getPDFName("UserUnit");
  private static final COSName TRIM_BOX = COSName.getPDFName("TrimBox");
  private static final Set<COSName> MEDIA_ANNOTATIONS = Set.of(
      COSName.getPDFName("RichMedia"), COSName.getPDFName("Screen"), COSName.getPDFName("Movie"),
      COSName.getPDFName("Sound"), COSName.getPDFName("3D"));
  private static final Set<COSName> MEDIA_ACTIONS = Set.of(
      COSName.getPDFName("Movie"), COSName.getPDFName("Sound"), COSName.getPDFName("Rendition"),
      COSName.getPDFName("RichMediaExecute"));
  private static final List<COSName> RESOURCE_KINDS = List.of(COSName.FONT, COSName.XOBJECT,
      COSName.EXT_G_STATE, COSName.COLORSPACE, COSName.PATTERN, COSName.SHADING,
      COSName.PROPERTIES);
  private static final Set<COSName> STREAM_RESOURCE_KINDS = Set.of(COSName.XOBJECT,
      COSName.PATTERN, COSName.SHADING);

  private static final String JAVASCRIPT = "JavaScript";
  private static final String LAUNCHES = "an action that launches programs";
  private static final String ATTACHED = "attached files";
  private static final String MEDIA = "embedded media (video, sound or 3D)";

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
    return check(pdf, limits, timeLimit, null);
  }

  /**
   * As {@link #check(Path, PosterLimits)}, for a file whose structure was scanned while it
   * arrived: {@code scan} has {@link IncrementalScan#ended ended}, and its answer is used (awaited
   * if it is still running) instead of reading the whole file again.
   */
  public static PosterCheckResult check(Path pdf, PosterLimits limits, IncrementalScan scan) {
    return check(pdf, limits, TIME_LIMIT, scan);
  }

  private static PosterCheckResult check(Path pdf, PosterLimits limits, Duration timeLimit,
      IncrementalScan arriving) {
    long deadline = System.nanoTime() + timeLimit.toNanos();
    try {
      return checkFile(pdf, limits, deadline, arriving);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read uploaded poster " + pdf.getFileName(), e);
    }
  }

  private static PosterCheckResult checkFile(Path pdf, PosterLimits limits, long deadline,
      IncrementalScan arriving) throws IOException {
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
    byte[] head = readAt(pdf, 0, (int) Math.min(HEAD_BYTES, size));
    if (indexOf(head, "%PDF-") < 0) {
      return refuse(NOT_A_PDF, "This file is not a PDF" + sniff(head) + ". Export or print "
          + "your poster to PDF and upload that file.", 0, null);
    }
    byte[] tail = readAt(pdf, Math.max(0, size - TAIL_BYTES), (int) Math.min(TAIL_BYTES, size));
    int lastEof = lastIndexOf(tail, "%%EOF");
    if (lastEof < 0) {
      return cutOff(size <= TAIL_BYTES ? "it has no end-of-file marker"
          : "there is no end-of-file marker in its last " + TAIL_BYTES / (1024 * 1024) + " MB");
    }
    Optional<String> foreign = PdfEnvelope.foreignContent(head, indexOf(head, "%PDF-"), tail,
        lastEof + "%%EOF".length());
    if (foreign.isPresent()) {
      return refuse(POLYGLOT, foreign.get() + " Export or print your poster to PDF again and "
          + "upload that file alone.", 0, null);
    }
    StructureStreams.Scan scan = arriving != null ? arriving.await(deadline)
        : StructureStreams.scan(pdf, deadline);
    switch (scan.outcome()) {
      case TOO_LARGE:
        return bomb();
      case TOO_MANY_OBJECTS:
        return damaged("it consists of more than " + StructureStreams.MAX_OBJECTS
            + " internal objects, far more than any poster needs");
      case TOO_COMPLEX:
        return damaged("its internal structure is unreasonably complex (it overlaps itself, "
            + "is nested beyond reason or holds a list or dictionary of more than "
            + PdfSyntax.Lexer.MAX_ARRAY_ITEMS + " entries)");
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

  /**
   * Scratch space for a file of {@code fileBytes}. In an owner-password file PDFBox decrypts
   * each stream it reads whole into scratch space, and it reads the page's content stream as
   * soon as it reads the page (its decryption looks at the page's /Contents), however large:
   * a poster of one 69 MB vector drawing needs 69 MB. Decrypted data is no larger than the
   * stored data, so twice the file size is room enough for any real file, and bounded.
   */
  static long scratchBytes(long fileBytes) {
    return Math.min(MAX_SCRATCH_BYTES, Math.max(MIN_SCRATCH_BYTES, 2 * fileBytes));
  }

  private static PosterCheckResult inspect(Path pdf, PosterLimits limits, Path scratch,
      long deadline) throws IOException {
    MemoryUsageSetting memory = MemoryUsageSetting
        .setupMixed(MAX_MEMORY_BYTES, scratchBytes(Files.size(pdf)))
        .setTempDir(scratch.toFile());
    try (RandomAccessRead input = BoundedPdfParser.open(pdf, deadline)) {
      BoundedPdfParser parser = new BoundedPdfParser(input, memory.streamCache);
      try (PDDocument document = parser.parse()) {
        return inspect(document, parser, limits);
      }
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

  private static PosterCheckResult inspect(PDDocument document, BoundedPdfParser parser,
      PosterLimits limits) {
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
    PageSize size = measure(page);
    if (pages != 1) {
      String count = pages >= MAX_PAGES_COUNTED ? "more than " + MAX_PAGES_COUNTED : "" + pages;
      Measured measured = size.measured();
      String opening = measured == null ? "This PDF has " : measured.sentence() + " But this PDF has ";
      return refuse(PAGE_COUNT, opening + count + " pages, and a poster must be a single page. "
          + "Export only the poster page.", pages, measured);
    }
    References references = new References(document, parser.crossReferencesAsWritten());
    Presence contents = references.contents(page);
    if (contents == Presence.ABSENT) {
      // null by the standard, but then the page is blank: no poster means that
      return damaged("the page's content is not in the file, so the page would print blank");
    }
    if (contents == Presence.LOST) {
      return damaged("the page's content is missing");
    }
    Presence resources = references.resources(page);
    if (resources == Presence.LOST) {
      return damaged("parts of the page (fonts, images or other resources it uses) are not in "
          + "the file; it was probably cut off while uploading or saving");
    }
    if (size.badUserUnit() != null) {
      return refuse(USER_UNIT, "This PDF is not acceptable: its page sets /UserUnit to "
          + size.badUserUnit() + ". The user unit scales the page size and must be a positive "
          + "number, so the size this page would print at cannot be known. Export your poster "
          + "to PDF again (a normal export sets no user unit).", pages, null);
    }
    Measured measured = size.measured();
    if (measured == null) {
      return damaged("the page has no valid size (MediaBox)");
    }
    Findings active = activeContent(catalog, page);
    if (!active.isEmpty()) {
      return refuse(ACTIVE_CONTENT, active.refusal(), pages, measured);
    }
    List<String> warnings = new ArrayList<>();
    if (resources == Presence.ABSENT) {
      warnings.add("The page names fonts, images or other resources that are not in the file. "
          + "By the PDF standard they count as empty and viewers open the file, so it is "
          + "probably an unused leftover; if anything is missing from the preview, export your "
          + "poster again.");
    }
    if (document.isEncrypted() && !document.getCurrentAccessPermission().canPrint()) {
      warnings.add("The PDF's permissions forbid printing; some print shops will refuse it. "
          + "Export it again without restrictions.");
    }
    if (size.userUnit() != 1) {
      String unit = PosterLimits.number(size.userUnit());
      Measured nominal = measured.scaled(1 / size.userUnit());
      warnings.add("The file declares its page size in a scaled unit (/UserUnit " + unit
          + "). Some programs and print shops ignore that and would print it at "
          + PosterLimits.describe(nominal.widthMm(), nominal.heightMm()) + ", "
          + (size.userUnit() > 1 ? "1/" + unit + " of its size"
              : "about " + PosterLimits.number(1 / size.userUnit()) + " times its size")
          + "; export it at its real size if you can.");
    }
    return judgeSize(size, limits, warnings);
  }

  private static PosterCheckResult judgeSize(PageSize size, PosterLimits limits,
      List<String> warnings) {
    Measured m = size.measured();
    double tolerance = limits.toleranceMm();
    double overWidth = m.widthMm - limits.maxWidthMm();
    double overHeight = m.heightMm - limits.maxHeightMm();
    boolean tooWide = overWidth > tolerance;
    boolean tooTall = overHeight > tolerance;
    if (tooWide || tooTall) {
      List<String> excess = new ArrayList<>();
      if (tooWide) {
        excess.add(excessCm(overWidth, tolerance) + " cm too wide");
      }
      if (tooTall) {
        excess.add(excessCm(overHeight, tolerance) + " cm too tall");
      }
      boolean slightly = (!tooWide || overWidth < SLIGHT_EXCESS_MM)
          && (!tooTall || overHeight < SLIGHT_EXCESS_MM);
      String message = m.sentence() + " It is " + String.join(" and ", excess)
          + (slightly ? " (" + centimetres(tolerance) + " cm is tolerated)" : "")
          + ": the largest allowed is " + limits.describeMaximum() + ".";
      Measured trim = size.trim();
      if (trim != null && limits.fitsMaximum(trim.widthMm, trim.heightMm)) {
        // The size is the CropBox's (what a viewer shows and a print shop prints); a designer
        // who left the bleed on learns how to fix it.
        message += " Its trim box (the page without the bleed around it) is "
            + PosterLimits.describe(trim.widthMm, trim.heightMm) + ", which would fit: export "
            + "it without bleed (or cropped to the trim box).";
      } else if (slightly) {
        // A page a few millimetres over was meant to be the maximum: turning it is no advice.
        message += " Export it again at exactly " + PosterLimits.describe(
            Math.min(m.widthMm, limits.maxWidthMm()), Math.min(m.heightMm, limits.maxHeightMm()))
            + " or a little smaller.";
      } else if (limits.fitsMaximum(m.heightMm, m.widthMm)) {
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
      // Printing keeps the proportions, so the page grows until one side reaches the
      // recommended size: a narrow page of almost the recommended height stays as it is.
      double scale = Math.min(limits.recommendedWidthMm() / m.widthMm,
          limits.recommendedHeightMm() / m.heightMm);
      String smallerThanRecommended = m.sentence() + " It fits, but it is smaller than the "
          + "recommended " + limits.describeRecommended() + ".";
      if (scale >= SCALE_WORTH_A_WARNING) {
        warnings.add("It is smaller than the recommended " + limits.describeRecommended()
            + "; it will be printed scaled up (about " + PosterLimits.number(scale) + " times), "
            + "so check that text and images stay sharp.");
        return m.result(PosterVerdict.FITS, 1, smallerThanRecommended, warnings, null);
      }
      List<String> partial = new ArrayList<>();
      if (m.widthMm < limits.recommendedWidthMm() * PARTIAL_FILL) {
        partial.add(PosterLimits.number(m.widthMm / 10) + " of "
            + PosterLimits.number(limits.recommendedWidthMm() / 10) + " cm in width");
      }
      if (m.heightMm < limits.recommendedHeightMm() * PARTIAL_FILL) {
        partial.add(PosterLimits.number(m.heightMm / 10) + " of "
            + PosterLimits.number(limits.recommendedHeightMm() / 10) + " cm in height");
      }
      if (!partial.isEmpty()) {
        // Full size one way, far from it the other (24 x 18 in against 24 x 36 in): it cannot
        // grow, so it fills only part of the space.
        warnings.add("It will be printed at about its own size and fill only part of the "
            + "space for a poster of the recommended " + limits.describeRecommended() + ": "
            + String.join(" and ", partial) + ".");
        return m.result(PosterVerdict.FITS, 1, smallerThanRecommended, warnings, null);
      }
      return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits: it is a little smaller "
          + "than the recommended " + limits.describeRecommended() + " and will be printed at "
          + "about its own size.", warnings, null);
    }
    List<String> over = new ArrayList<>();
    if (overWidth > BOX_EPSILON_MM) {
      over.add(smallExcessCm(overWidth) + " wider");
    }
    if (overHeight > BOX_EPSILON_MM) {
      over.add(smallExcessCm(overHeight) + " taller");
    }
    if (!over.isEmpty()) {
      return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits within the "
          + centimetres(tolerance) + " cm tolerance: it is " + String.join(" and ", over)
          + " than the largest allowed, " + limits.describeMaximum() + ".", warnings, null);
    }
    return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits: the largest allowed is "
        + limits.describeMaximum() + ".", warnings, null);
  }

  /**
   * By how much a page is too large, in cm: one decimal, or, where one decimal would read as
   * the tolerance itself (5.08 mm over a 5 mm tolerance), hundredths rounded up ("0.51").
   */
  private static String excessCm(double overMm, double toleranceMm) {
    String tenths = PosterLimits.number(overMm / 10);
    if (Double.parseDouble(tenths) * 10 > toleranceMm + 1e-9) {
      return tenths;
    }
    return centimetres(Math.ceil(overMm * 10 - 1e-9) / 10);
  }

  /** By how much a page within the tolerance is larger than the maximum, with "cm". */
  private static String smallExcessCm(double overMm) {
    return overMm < 0.95 ? "less than 0.1 cm" : PosterLimits.number(overMm / 10) + " cm";
  }

  /** Millimetres as centimetres with up to two decimals, no trailing zeros: "0.5", "0.51". */
  private static String centimetres(double mm) {
    String text = String.format(Locale.ROOT, "%.2f", mm / 10);
    text = text.replaceAll("0+$", "");
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
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

    Measured scaled(double factor) {
      return new Measured(widthMm * factor, heightMm * factor);
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

  /**
   * What the page's boxes say: its size as it hangs (null when it has none), the user unit
   * applied, the /UserUnit value when it is unusable (else null), and the TrimBox measured the
   * same way when it lies inside the page and is smaller (else null).
   */
  private record PageSize(Measured measured, double userUnit, String badUserUnit,
      Measured trim) {
  }

  private static PageSize measure(COSDictionary page) {
    double unit = 1;
    String badUnit = null;
    COSBase unitValue = resolve(page.getItem(USER_UNIT_KEY));
    if (unitValue instanceof COSNumber number) {
      double value = number.floatValue();
      if (value > 0 && Double.isFinite(value)) {
        unit = value;
      } else {
        badUnit = Double.isFinite(value) ? PosterLimits.number(value) : "a value out of range";
      }
    } else if (unitValue != null) {
      badUnit = "a value that is not a number";
    }
    double[] mediaBox = rectangle(inherited(page, COSName.MEDIA_BOX));
    if (mediaBox == null || !hasArea(mediaBox)) {
      return new PageSize(null, unit, badUnit, null);
    }
    double[] box = mediaBox;
    double[] cropBox = rectangle(inherited(page, COSName.CROP_BOX));
    if (cropBox != null) {
      // The PDF spec: a CropBox reaching beyond the MediaBox is reduced to the MediaBox. One
      // that does not overlap it at all is ignored, as viewers do (they show the MediaBox).
      double[] clipped = intersection(cropBox, mediaBox);
      if (hasArea(clipped)) {
        box = clipped;
      }
    }
    int rotate = 0;
    if (inherited(page, COSName.ROTATE) instanceof COSNumber number) {
      rotate = Math.floorMod(number.intValue(), 360);
    }
    boolean turned = rotate == 90 || rotate == 270;
    Measured measured = hanging(box, unit, turned);
    Measured trim = null;
    double[] trimBox = rectangle(page.getDictionaryObject(TRIM_BOX));
    if (measured != null && trimBox != null && hasArea(trimBox) && inside(trimBox, box)
        && (width(trimBox) < width(box) - BOX_EPSILON_POINTS
            || height(trimBox) < height(box) - BOX_EPSILON_POINTS)) {
      trim = hanging(trimBox, unit, turned);
    }
    return new PageSize(measured, unit, badUnit, trim);
  }

  private static Measured hanging(double[] box, double unit, boolean turned) {
    double width = width(box) * unit * MM_PER_POINT;
    double height = height(box) * unit * MM_PER_POINT;
    if (!(width > 0 && height > 0 && Double.isFinite(width) && Double.isFinite(height))) {
      return null;
    }
    return turned ? new Measured(height, width) : new Measured(width, height);
  }

  private static double width(double[] box) {
    return box[2] - box[0];
  }

  private static double height(double[] box) {
    return box[3] - box[1];
  }

  private static boolean hasArea(double[] box) {
    return width(box) > 0 && height(box) > 0;
  }

  private static double[] intersection(double[] a, double[] b) {
    return new double[] {
        Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])};
  }

  private static boolean inside(double[] inner, double[] outer) {
    return inner[0] >= outer[0] - BOX_EPSILON_POINTS && inner[1] >= outer[1] - BOX_EPSILON_POINTS
        && inner[2] <= outer[2] + BOX_EPSILON_POINTS && inner[3] <= outer[3] + BOX_EPSILON_POINTS;
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
    return nearest(page, node -> node.getDictionaryObject(key));
  }

  /** The page's inheritable item as written (a reference stays a reference), or null. */
  private static COSBase inheritedItem(COSDictionary page, COSName key) {
    return nearest(page, node -> node.getItem(key));
  }

  /** The first non-null {@code read} of the page and its ancestors, bounded in depth. */
  private static COSBase nearest(COSDictionary page, Function<COSDictionary, COSBase> read) {
    COSDictionary node = page;
    for (int depth = 0; node != null && depth < MAX_INHERITANCE_DEPTH; depth++) {
      COSBase value = read.apply(node);
      if (value != null) {
        return value;
      }
      node = node.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent
          ? parent : null;
    }
    return null;
  }

  /** Whether what the page refers to is in the file, or absent by the file's own account. */
  private enum Presence {
    /** Everything referred to is in the file. */
    PRESENT,
    /**
     * Some object referred to is not listed by intact cross-references: by the PDF standard
     * (ISO 32000, 7.3.10) a reference to it is a reference to null, and viewers open the file.
     */
    ABSENT,
    /** Some object referred to is missing from a file whose cross-references were rebuilt. */
    LOST;

    Presence and(Presence other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  /**
   * Whether what the page refers to is in the file. A file cut short and "repaired" (say, with
   * an {@code %%EOF} appended) still opens, but the objects after the cut are gone: references
   * to them resolve to nothing, and PDFBox had to rebuild the cross-references from the objects
   * it found. When the file's own cross-references are intact, an object they do not list is
   * absent by design (an exporter's leftover, such as an unused font), not lost. Streams are
   * not decoded; in an encrypted file they are not even read where PDFBox has not read them
   * already (it would decrypt them to scratch space): their cross-reference entry is enough.
   */
  private static final class References {
    private final boolean encrypted;
    private final boolean crossReferencesIntact;
    private final Map<COSObjectKey, Long> xref;
    private int checked;

    References(PDDocument document, boolean crossReferencesIntact) {
      this.encrypted = document.isEncrypted();
      this.crossReferencesIntact = crossReferencesIntact;
      this.xref = document.getDocument().getXrefTable();
    }

    /** Whether the content the page names is in the file. */
    Presence contents(COSDictionary page) {
      COSBase contents = page.getItem(COSName.CONTENTS);
      if (contents == null) {
        return Presence.PRESENT; // an empty page
      }
      Presence presence = present(contents, true);
      if (presence != Presence.PRESENT) {
        return presence;
      }
      if (resolve(contents) instanceof COSArray array) {
        for (COSBase part : array) {
          if (part instanceof COSNull) {
            return Presence.LOST;
          }
          presence = presence.and(present(part, true));
        }
      }
      return presence;
    }

    /** Whether the entries of the page's resource dictionary are in the file. */
    Presence resources(COSDictionary page) {
      COSBase resourcesItem = inheritedItem(page, COSName.RESOURCES);
      if (resourcesItem == null) {
        return Presence.PRESENT;
      }
      Presence presence = present(resourcesItem, false);
      if (!(resolve(resourcesItem) instanceof COSDictionary resources)) {
        return presence;
      }
      for (COSName kind : RESOURCE_KINDS) {
        COSBase category = resources.getItem(kind);
        if (category == null) {
          continue;
        }
        presence = presence.and(present(category, false));
        if (!(resolve(category) instanceof COSDictionary entries)) {
          continue;
        }
        boolean streams = STREAM_RESOURCE_KINDS.contains(kind);
        for (COSName name : entries.keySet()) {
          if (++checked > MAX_RESOURCE_ENTRIES || presence == Presence.LOST) {
            return presence;
          }
          COSBase entry = entries.getItem(name);
          presence = presence.and(present(entry, streams));
          if (entry instanceof COSArray array) {
            // a colour space such as [/ICCBased 12 0 R]: the profile must be there too
            for (COSBase item : array) {
              presence = presence.and(present(item, true));
            }
          }
        }
      }
      return presence;
    }

    private Presence present(COSBase item, boolean mayBeStream) {
      if (!(item instanceof COSObject reference)) {
        return Presence.PRESENT;
      }
      COSObjectKey key = new COSObjectKey(reference.getObjectNumber(),
          reference.getGenerationNumber());
      if (mayBeStream && encrypted && !reference.isDereferenced()) {
        Long offset = xref.get(key);
        if (offset != null && offset != 0) {
          return Presence.PRESENT;
        }
      } else {
        COSBase target = reference.getObject();
        if (target != null && !(target instanceof COSNull)) {
          return Presence.PRESENT;
        }
      }
      return crossReferencesIntact && !xref.containsKey(key) ? Presence.ABSENT : Presence.LOST;
    }
  }

  private static COSBase resolve(COSBase value) {
    COSBase resolved = value instanceof COSObject object ? object.getObject() : value;
    return resolved instanceof COSNull ? null : resolved;
  }

  /**
   * The active content found, by kind, in the order found. Attached files are counted once each
   * (a PDF/A-3 file lists the same file in /AF and in /EmbeddedFiles), and so are launch
   * actions, so that the answer can say "an attached file" or "3 attached files".
   */
  private static final class Findings {
    private final Set<String> kinds = new LinkedHashSet<>();
    private final Set<COSBase> attachments = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<COSBase> launches = Collections.newSetFromMap(new IdentityHashMap<>());

    void add(String kind) {
      kinds.add(kind);
    }

    /** An attached file, known by its file specification (or whatever stands for it). */
    void attached(COSBase file) {
      kinds.add(ATTACHED);
      attachments.add(file);
    }

    void launch(COSDictionary action) {
      kinds.add(LAUNCHES);
      launches.add(action);
    }

    boolean isEmpty() {
      return kinds.isEmpty();
    }

    /** "This PDF is not acceptable: it contains ...", singular or plural as the findings are. */
    String refusal() {
      List<String> words = new ArrayList<>();
      boolean plural = kinds.size() > 1;
      for (String kind : kinds) {
        if (kind.equals(ATTACHED)) {
          int files = Math.max(1, attachments.size()); // a GoToE action names no file of its own
          words.add(files == 1 ? "an attached file" : files + " attached files");
          plural |= files > 1;
        } else if (kind.equals(LAUNCHES)) {
          words.add(launches.size() > 1 ? "actions that launch programs" : LAUNCHES);
          plural |= launches.size() > 1;
        } else {
          words.add(kind);
        }
      }
      String list = words.size() == 1 ? words.get(0)
          : String.join(", ", words.subList(0, words.size() - 1)) + " and "
              + words.get(words.size() - 1);
      return "This PDF is not acceptable: it contains " + list + ". A poster "
          + (plural ? "needs none of these" : "does not need it")
          + ": export the poster to PDF again without " + (plural ? "them" : "it")
          + " (for example with \"Print to PDF\").";
    }
  }

  /** What kinds of active content the document and its page carry. */
  private static Findings activeContent(COSDictionary catalog, COSDictionary page) {
    Findings found = new Findings();
    Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (catalog.getDictionaryObject(COSName.NAMES) instanceof COSDictionary names) {
      if (nameTreeHasEntries(names.getDictionaryObject(JAVA_SCRIPT), value -> { })) {
        found.add(JAVASCRIPT);
      }
      nameTreeHasEntries(names.getDictionaryObject(COSName.EMBEDDED_FILES), found::attached);
    }
    associatedFiles(catalog, found);
    action(catalog.getDictionaryObject(COSName.OPEN_ACTION), found, seen);
    additionalActions(catalog, found, seen);
    outline(catalog.getDictionaryObject(COSName.OUTLINES), found, seen);
    if (catalog.getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary form) {
      if (form.getDictionaryObject(XFA) != null) {
        found.add(JAVASCRIPT);
      }
      fields(form.getDictionaryObject(COSName.FIELDS), found, seen);
    }
    associatedFiles(page, found);
    additionalActions(page, found, seen);
    if (page.getDictionaryObject(COSName.ANNOTS) instanceof COSArray annotations) {
      int count = Math.min(annotations.size(), MAX_ANNOTATIONS);
      for (int i = 0; i < count; i++) {
        if (annotations.getObject(i) instanceof COSDictionary annotation) {
          COSBase subtype = annotation.getDictionaryObject(COSName.SUBTYPE);
          if (FILE_ATTACHMENT.equals(subtype)) {
            COSBase file = annotation.getDictionaryObject(COSName.FS);
            found.attached(file == null ? annotation : file);
          } else if (subtype instanceof COSName name && MEDIA_ANNOTATIONS.contains(name)) {
            found.add(MEDIA);
          }
          associatedFiles(annotation, found);
          // A widget's actions may sit on the field it belongs to, or on that field's parents.
          COSDictionary node = annotation;
          for (int depth = 0; node != null && depth < MAX_INHERITANCE_DEPTH; depth++) {
            action(node.getDictionaryObject(COSName.A), found, seen);
            additionalActions(node, found, seen);
            node = node.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent
                ? parent : null;
          }
        }
      }
    }
    return found;
  }

  /**
   * The files associated with the catalog, the page or an annotation (/AF, the PDF/A-3 way of
   * attaching files): each file specification that embeds its file (/EF) is an attached file.
   * One that only names a file outside the PDF carries nothing and passes. The embedded stream
   * itself is never read.
   */
  private static void associatedFiles(COSDictionary owner, Findings found) {
    COSBase files = owner.getDictionaryObject(COSName.AF);
    List<COSBase> specifications = new ArrayList<>();
    if (files instanceof COSArray array) {
      for (int i = 0; i < Math.min(array.size(), MAX_ANNOTATIONS); i++) {
        specifications.add(array.getObject(i));
      }
    } else if (files != null) {
      specifications.add(files);
    }
    for (COSBase specification : specifications) {
      if (specification instanceof COSDictionary file && file.getItem(COSName.EF) != null) {
        found.attached(file);
      }
    }
  }

  /**
   * The bookmarks (/Outlines) and their actions: items are walked through /First (children) and
   * /Next (siblings), at most {@link #MAX_OUTLINE_ITEMS} items and {@link #MAX_OUTLINE_DEPTH}
   * levels deep, each item once however the links loop.
   */
  private static void outline(COSBase root, Findings found, Set<COSDictionary> seen) {
    if (!(root instanceof COSDictionary outlines)) {
      return;
    }
    record Item(COSBase node, int depth) {
    }
    Deque<Item> pending = new ArrayDeque<>();
    pending.push(new Item(outlines.getItem(COSName.FIRST), 1));
    Set<COSDictionary> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty() && visited.size() < MAX_OUTLINE_ITEMS) {
      Item next = pending.pop();
      if (!(resolve(next.node()) instanceof COSDictionary item) || !visited.add(item)) {
        continue;
      }
      action(item.getDictionaryObject(COSName.A), found, seen);
      COSBase sibling = item.getItem(COSName.NEXT);
      if (sibling != null) {
        pending.push(new Item(sibling, next.depth()));
      }
      COSBase child = item.getItem(COSName.FIRST);
      if (child != null && next.depth() < MAX_OUTLINE_DEPTH) {
        pending.push(new Item(child, next.depth() + 1));
      }
    }
  }

  /** The form's fields and their kids, bounded and safe against cycles: their actions. */
  private static void fields(COSBase roots, Findings found, Set<COSDictionary> seen) {
    Deque<COSBase> pending = new ArrayDeque<>();
    pending.push(roots);
    Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty() && visited.size() < MAX_FIELDS) {
      COSBase next = resolve(pending.pop());
      if (next == null || !visited.add(next)) {
        continue;
      }
      if (next instanceof COSArray array) {
        for (int i = 0; i < array.size() && pending.size() < MAX_ACTION_STEPS; i++) {
          pending.push(array.get(i));
        }
      } else if (next instanceof COSDictionary field) {
        action(field.getDictionaryObject(COSName.A), found, seen);
        additionalActions(field, found, seen);
        COSBase kids = field.getItem(COSName.KIDS);
        if (kids != null) {
          pending.push(kids);
        }
      }
    }
  }

  /**
   * True when a name tree (its root given) has at least one entry; each value found is handed
   * to {@code values}. A tree too large to walk counts as not empty (its root stands for the
   * values not reached).
   */
  private static boolean nameTreeHasEntries(COSBase root, Consumer<COSBase> values) {
    Deque<COSBase> pending = new ArrayDeque<>();
    pending.push(root == null ? COSNull.NULL : root);
    Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean entries = false;
    while (!pending.isEmpty() && visited.size() < MAX_NAME_TREE_NODES) {
      if (!(resolve(pending.pop()) instanceof COSDictionary node) || !visited.add(node)) {
        continue;
      }
      if (node.getDictionaryObject(COSName.NAMES) instanceof COSArray names && names.size() >= 2) {
        entries = true;
        for (int i = 1; i < names.size() && i < 2 * MAX_NAME_TREE_NODES; i += 2) {
          COSBase value = resolve(names.get(i));
          values.accept(value == null ? node : value);
        }
      }
      // a kids array shared by many nodes is walked once
      if (node.getDictionaryObject(COSName.KIDS) instanceof COSArray kids && visited.add(kids)) {
        for (int i = 0; i < kids.size() && pending.size() < MAX_ACTION_STEPS; i++) {
          pending.push(kids.get(i));
        }
      }
    }
    if (!pending.isEmpty()) {
      values.accept(root); // too large to walk: not an empty tree
      return true;
    }
    return entries;
  }

  private static void additionalActions(COSDictionary owner, Findings found,
      Set<COSDictionary> seen) {
    if (owner.getDictionaryObject(COSName.AA) instanceof COSDictionary actions) {
      for (COSName trigger : actions.keySet()) {
        action(actions.getDictionaryObject(trigger), found, seen);
      }
    }
  }

  /** Follows one action and its /Next chain, bounded and safe against cycles. */
  private static void action(COSBase value, Findings found, Set<COSDictionary> seen) {
    List<COSBase> pending = new ArrayList<>();
    pending.add(value);
    // arrays are visited once too (an array that contains itself would loop forever), and the
    // walk stops after a bounded number of steps whatever the file holds
    Set<COSArray> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    int steps = 0;
    while (!pending.isEmpty() && seen.size() < MAX_ACTIONS && steps++ < MAX_ACTION_STEPS) {
      COSBase next = resolve(pending.remove(pending.size() - 1));
      if (next instanceof COSArray array) {
        if (arrays.add(array)) {
          for (int i = 0; i < array.size() && pending.size() < MAX_ACTION_STEPS; i++) {
            pending.add(array.get(i));
          }
        }
        continue;
      }
      if (!(next instanceof COSDictionary action) || !seen.add(action)) {
        continue;
      }
      COSBase type = action.getDictionaryObject(COSName.S);
      if (JAVA_SCRIPT.equals(type) || action.getDictionaryObject(COSName.JS) != null) {
        found.add(JAVASCRIPT);
      } else if (LAUNCH.equals(type)) {
        found.launch(action);
      } else if (GOTO_EMBEDDED.equals(type)) {
        found.add(ATTACHED);
      } else if (type instanceof COSName name && MEDIA_ACTIONS.contains(name)) {
        found.add(MEDIA);
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

  private static int lastIndexOf(byte[] data, String ascii) {
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
