package dev.confday.posters.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdfparser.PDFParser;
import org.apache.pdfbox.pdfparser.XrefTrailerResolver;

/**
 * PDFBox's parser with two bounds added: every read from the file checks the check's deadline
 * (so a worker thread stops when its time is up, whatever PDFBox is doing), and every object
 * stream is measured with a counter before PDFBox inflates it into memory.
 *
 * <p>{@link StructureStreams} measures the object streams it can recognize before PDFBox opens
 * the file; this covers the rest: a cross-reference entry may name any stream as the object
 * stream holding an object, and PDFBox then inflates that stream whatever its dictionary says.
 * Here the stream is measured after PDFBox has read (and, for an owner-password file,
 * decrypted) it, just before it is inflated.
 */
final class BoundedPdfParser extends PDFParser {

  /** A stream PDFBox was about to inflate is a decompression bomb or oddly encoded. */
  static final class StructureBomb extends RuntimeException {
    StructureBomb() {
      super("structure stream too large", null, false, false);
    }
  }

  private final Set<Long> measured = new HashSet<>();
  private final WatchedCrossReferences crossReferences = new WatchedCrossReferences();
  private long inflatedTotal;
  private boolean crossReferencesAsWritten;

  BoundedPdfParser(RandomAccessRead source, StreamCacheCreateFunction cache) throws IOException {
    super(source, "", null, null, cache);
    // As far back as the check looked for %%EOF: a padded file's startxref is read, not rebuilt.
    setEOFLookupRange(PosterCheck.TAIL_BYTES);
    xrefTrailerResolver = crossReferences;
  }

  /**
   * True when PDFBox read the file's cross-reference data as written: the startxref at the end
   * of the file points exactly at a cross-reference table or stream, and PDFBox neither
   * rebuilt the table from the objects it found (as it does for a file cut short, or without
   * a startxref) nor corrected any of its entries. Then an object the table does not list is
   * absent from the file by its own account, which the PDF standard reads as null; otherwise
   * it may have been lost. Known once {@link #parse()} has returned.
   */
  boolean crossReferencesAsWritten() {
    return crossReferencesAsWritten;
  }

  @Override
  protected boolean resetTrailerResolver() {
    // Called once the cross-references are read, before PDFBox drops what it learnt from them.
    try {
      crossReferencesAsWritten = crossReferences.readAsWritten(document.getXrefTable())
          && document.getStartXref() > 0 && document.getStartXref() == writtenStartxref();
    } catch (IOException e) {
      crossReferencesAsWritten = false;
    }
    return super.resetTrailerResolver();
  }

  /**
   * The offset written after the last {@code startxref} before the last {@code %%EOF}, found
   * as PDFBox finds them (PDFBox may then correct it), or -1.
   */
  private long writtenStartxref() throws IOException {
    long back = source.getPosition();
    try {
      int length = (int) Math.min(source.length(), PosterCheck.TAIL_BYTES);
      byte[] tail = new byte[length];
      source.seek(source.length() - length);
      int read = 0;
      while (read < length) {
        int n = source.read(tail, read, length - read);
        if (n <= 0) {
          return -1;
        }
        read += n;
      }
      int end = lastIndexOf(EOF_MARKER, tail, tail.length);
      int keyword = lastIndexOf("startxref".toCharArray(), tail, end < 0 ? tail.length : end);
      if (keyword < 0) {
        return -1;
      }
      int at = keyword + "startxref".length();
      while (at < tail.length && PdfSyntax.isWhitespace(tail[at] & 0xff)) {
        at++;
      }
      long offset = -1;
      for (int digits = 0; at < tail.length && PdfSyntax.isDigit(tail[at]) && digits < 18;
          digits++, at++) {
        offset = Math.max(0, offset) * 10 + (tail[at] - '0');
      }
      return offset;
    } finally {
      source.seek(back);
    }
  }

  /** The file, read through a reader that gives up once {@code deadlineNanos} has passed. */
  static RandomAccessRead open(Path pdf, long deadlineNanos) throws IOException {
    return new DeadlineFile(pdf, deadlineNanos);
  }

  @Override
  protected COSBase parseObjectStreamObject(long objstmObjNr, COSObjectKey key)
      throws IOException {
    // PDFBox inflates the object stream anew for each object it looks up there, and reads the
    // stream's data through a view that bypasses the deadline file: check the time here too
    if (source instanceof DeadlineFile file) {
      file.checkDeadline();
    }
    if (measured.add(objstmObjNr)) {
      COSBase container = document.getObjectFromPool(new COSObjectKey(objstmObjNr, 0)).getObject();
      if (container instanceof COSStream stream) {
        measure(stream);
      }
    }
    return super.parseObjectStreamObject(objstmObjNr, key);
  }

  private void measure(COSStream stream) throws IOException {
    COSBase filters = stream.getFilters();
    if (filters == null) {
      return; // stored as is: no larger than the file
    }
    if (!flateOnly(filters) || !saneRows(stream.getDictionaryObject(COSName.DECODE_PARMS))) {
      throw new StructureBomb();
    }
    Inflater inflater = new Inflater(true);
    long total = 0;
    try (InputStream raw = stream.createRawInputStream()) {
      raw.read();
      raw.read();
      byte[] input = new byte[16 * 1024];
      byte[] output = new byte[64 * 1024];
      while (!inflater.finished() && total <= StructureStreams.MAX_STREAM_BYTES) {
        if (inflater.needsInput()) {
          int n = raw.read(input);
          if (n <= 0) {
            break;
          }
          inflater.setInput(input, 0, n);
        }
        int produced = inflater.inflate(output);
        if (produced == 0 && inflater.needsDictionary()) {
          break;
        }
        total += produced;
      }
    } catch (DataFormatException e) {
      // PDFBox stops at the same error
    } finally {
      inflater.end();
    }
    inflatedTotal += total;
    if (total > StructureStreams.MAX_STREAM_BYTES
        || inflatedTotal > StructureStreams.MAX_TOTAL_BYTES) {
      throw new StructureBomb();
    }
  }

  private static boolean flateOnly(COSBase filters) {
    if (filters instanceof COSName name) {
      return COSName.FLATE_DECODE.equals(name) || COSName.FLATE_DECODE_ABBREVIATION.equals(name);
    }
    if (!(filters instanceof COSArray array) || array.size() == 0) {
      return false;
    }
    for (COSBase item : array) {
      if (!flateOnly(item) || item instanceof COSArray) {
        return false;
      }
    }
    return true;
  }

  private static boolean saneRows(COSBase parameters) {
    if (parameters == null) {
      return true;
    }
    if (parameters instanceof COSArray array) {
      for (int i = 0; i < array.size(); i++) {
        if (!saneRows(array.getObject(i))) {
          return false;
        }
      }
      return true;
    }
    if (!(parameters instanceof COSDictionary dict)) {
      return true;
    }
    if (dict.getInt(COSName.PREDICTOR, 1) <= 1) {
      return true;
    }
    return StructureStreams.rowBytes(dict.getInt(COSName.COLORS, 1),
        dict.getInt(COSName.BITS_PER_COMPONENT, 8), dict.getInt(COSName.COLUMNS, 1)) <= 64 * 1024;
  }

  /**
   * PDFBox's record of the cross-reference sections it reads, watched: whether it had to start
   * again from scratch (a rebuild begins with {@link #reset}), the startxref it settled on,
   * and the table as first resolved, to tell whether PDFBox corrected it afterwards (it
   * replaces a table whose entries do not point at their objects with what it finds).
   */
  private static final class WatchedCrossReferences extends XrefTrailerResolver {
    private boolean reset;
    private long startxref = -1;
    private int entries;
    private long fingerprint;

    @Override
    protected void reset() {
      reset = true;
      super.reset();
    }

    @Override
    public void setStartxref(long startxrefBytePosValue) {
      super.setStartxref(startxrefBytePosValue);
      startxref = startxrefBytePosValue;
      Map<COSObjectKey, Long> table = getXrefTable();
      entries = table == null ? -1 : table.size();
      fingerprint = table == null ? 0 : fingerprint(table);
    }

    /** True when no rebuild began and the table is still the one resolved from the file. */
    boolean readAsWritten(Map<COSObjectKey, Long> table) {
      return !reset && startxref > 0 && table.size() == entries
          && fingerprint(table) == fingerprint;
    }

    private static long fingerprint(Map<COSObjectKey, Long> table) {
      long sum = 0;
      for (Map.Entry<COSObjectKey, Long> entry : table.entrySet()) {
        long value = entry.getValue() == null ? 0 : entry.getValue();
        sum += (entry.getKey().getInternalHash() * 0x9E3779B97F4A7C15L) ^ (value * 31 + 17);
      }
      return sum;
    }
  }

  /** PDFBox's buffered file reader, checking the deadline on every few reads. */
  private static final class DeadlineFile extends RandomAccessReadBufferedFile {
    private final long deadlineNanos;
    private int calls;

    DeadlineFile(Path pdf, long deadlineNanos) throws IOException {
      super(pdf);
      this.deadlineNanos = deadlineNanos;
    }

    private void tick() {
      if ((++calls & 0xfff) == 0) {
        checkDeadline();
      }
    }

    void checkDeadline() {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new PosterCheck.TimeLimitExceeded();
      }
    }

    @Override
    public int read() throws IOException {
      tick();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      tick();
      return super.read(b, off, len);
    }

    @Override
    public void seek(long position) throws IOException {
      tick();
      super.seek(position);
    }
  }
}
