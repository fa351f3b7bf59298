package dev.confday.posters.check;

import dev.confday.posters.check.PageGeometry.Measured;
import dev.confday.posters.check.PageGeometry.PageSize;
import dev.confday.posters.check.PageReferences.Presence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
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
 * <p>This class is the entry point: it holds the budget, runs the rules in order and words the
 * refusals. The rules live in {@link PdfEnvelope} (the bytes around the PDF), {@link
 * StructureStreams} (the structure scan), {@link PageTree} (page count), {@link PageReferences}
 * (what the page refers to is in the file), {@link PageGeometry} (the page size),
 * {@link ActiveContent} and {@link SizeJudgement} (the verdict on the size).
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
    if (PdfEnvelope.indexOf(head, "%PDF-") < 0) {
      return refuse(NOT_A_PDF, "This file is not a PDF" + PdfEnvelope.sniff(head)
          + ". Export or print your poster to PDF and upload that file.", 0, null);
    }
    byte[] tail = readAt(pdf, Math.max(0, size - TAIL_BYTES), (int) Math.min(TAIL_BYTES, size));
    int lastEof = PdfEnvelope.lastIndexOf(tail, "%%EOF");
    if (lastEof < 0) {
      return cutOff(size <= TAIL_BYTES ? "it has no end-of-file marker"
          : "there is no end-of-file marker in its last " + TAIL_BYTES / (1024 * 1024) + " MB");
    }
    Optional<String> foreign = PdfEnvelope.foreignContent(head, PdfEnvelope.indexOf(head, "%PDF-"),
        tail, lastEof + "%%EOF".length());
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
    PageSize size = PageGeometry.measure(page);
    if (pages != 1) {
      String count = pages >= PageTree.MAX_PAGES_COUNTED
          ? "more than " + PageTree.MAX_PAGES_COUNTED : "" + pages;
      Measured measured = size.measured();
      String opening = measured == null ? "This PDF has " : measured.sentence() + " But this PDF has ";
      return refuse(PAGE_COUNT, opening + count + " pages, and a poster must be a single page. "
          + "Export only the poster page.", pages, measured);
    }
    PageReferences references = new PageReferences(document, parser.crossReferencesAsWritten());
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
    ActiveContent.Findings active = ActiveContent.find(catalog, page);
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
    return SizeJudgement.judge(size, limits, warnings);
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
