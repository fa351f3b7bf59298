package dev.confday.posters.files;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Renders page 1 of an accepted poster PDF to a PNG preview, in a separate short-lived JVM.
 *
 * <p>Rendering decodes page content, so a hostile file can cost unbounded memory and CPU
 * (a decompression bomb, a pathological drawing). The work therefore runs in a child process
 * started with {@code -Xmx256m}, exit on out-of-memory and a private temporary directory; the
 * child is killed after a time limit. The PNG is written next to the destination under a
 * temporary name and moved into place atomically only when the child succeeded, so the
 * destination is either the complete new preview or untouched. Blocking: run it off the
 * event loop.
 */
public final class PosterPreview {

  /** Longest side of the preview image, in pixels. */
  public static final int DEFAULT_MAX_PIXELS = 1200;
  /** Wall-clock limit for one preview, JVM start-up included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private static final String CHILD_HEAP = "-Xmx256m";
  /** The child read the file and could not draw it: a fault of the file. */
  private static final int EXIT_UNDRAWABLE = 10;
  /** The child drew the page but could not write the PNG: our fault (disk, codec). */
  private static final int EXIT_WRITE_FAILED = 11;
  private static final int EXIT_USAGE = 12;
  /** What the JVM exits with under -XX:+ExitOnOutOfMemoryError. */
  private static final int EXIT_OUT_OF_MEMORY = 3;
  private static final int MAX_DETAIL_CHARS = 300;

  /**
   * The state of a preview. {@code FAILED} is a fault of the file (the renderer read it and could
   * not draw it, or drawing it needed more memory than a poster may); {@code SERVER_ERROR} is
   * ours (the renderer could not start, a class was missing, the PNG could not be written) and
   * is never shown to a presenter as a fault of their file; {@code TIMED_OUT} may be either (a
   * busy server or a file very slow to draw). {@code PENDING} is a stored poster whose preview is
   * queued; a render never answers it.
   */
  public enum Status {
    PENDING, OK, FAILED, TIMED_OUT, SERVER_ERROR;

    /**
     * Worth another attempt later: the fault is ours and may pass. A time-out is not retried
     * (a file that took the whole limit once would take it again, and a hostile one would
     * cost that each time), but it is never described as a fault of the file either.
     */
    public boolean retryable() {
      return this == SERVER_ERROR;
    }
  }

  /** The outcome of one preview attempt; {@code detail} is for logs, not for presenters. */
  public record Result(Status status, String detail) {
    public Result {
      Objects.requireNonNull(status, "status");
      detail = detail == null ? "" : detail;
    }

    public boolean ok() {
      return status == Status.OK;
    }
  }

  private PosterPreview() {
  }

  /** Renders with the default size and time limits. */
  public static Result render(Path pdf, Path png) {
    return render(pdf, png, DEFAULT_MAX_PIXELS, DEFAULT_TIMEOUT);
  }

  /** Renders page 1 of {@code pdf} to {@code png}, longest side {@code maxPixels}. */
  public static Result render(Path pdf, Path png, int maxPixels, Duration timeout) {
    return render(pdf, png, maxPixels, timeout, childClassPath());
  }

  /** As above with the child's class path given (tests: a renderer that cannot start). */
  static Result render(Path pdf, Path png, int maxPixels, Duration timeout, String classPath) {
    if (maxPixels < 16 || maxPixels > 4096) {
      throw new IllegalArgumentException("maxPixels must be within 16..4096: " + maxPixels);
    }
    Path target = png.toAbsolutePath();
    Path scratch = null;
    Path partial = null;
    try {
      scratch = Files.createTempDirectory("confday-preview-");
      partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
      return runChild(pdf.toAbsolutePath(), partial, target, maxPixels, timeout, scratch, classPath);
    } catch (IOException e) {
      return new Result(Status.SERVER_ERROR, "cannot start the renderer: " + e.getMessage());
    } finally {
      if (partial != null) {
        deleteQuietly(partial);
      }
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private static Result runChild(Path pdf, Path partial, Path target, int maxPixels,
      Duration timeout, Path scratch, String classPath) throws IOException {
    Path log = scratch.resolve("renderer.log");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        CHILD_HEAP,
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xshare:auto",
        "-Djava.awt.headless=true",
        "-Djava.io.tmpdir=" + scratch,
        "-cp", classPath,
        PosterPreview.class.getName(),
        pdf.toString(), partial.toString(), Integer.toString(maxPixels));
    Process process = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(log.toFile())
        .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        return new Result(Status.TIMED_OUT, "renderer stopped after " + timeout.toMillis()
            + " ms");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(Status.SERVER_ERROR, "interrupted");
    }
    int exit = process.exitValue();
    if (exit == EXIT_OUT_OF_MEMORY) {
      return new Result(Status.FAILED, "renderer ran out of memory (" + CHILD_HEAP + ")");
    }
    if (exit == EXIT_UNDRAWABLE) {
      return new Result(Status.FAILED, "the file cannot be drawn: " + lastLine(log));
    }
    if (exit != 0) {
      // the JVM's own 1 (no main class, bad option), our write failure, a kill: not the file
      return new Result(Status.SERVER_ERROR, "renderer exited with " + exit + ": " + lastLine(log));
    }
    if (!isPng(partial)) {
      return new Result(Status.SERVER_ERROR, "renderer wrote no PNG");
    }
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return new Result(Status.OK, "");
  }

  /**
   * Classes the child needs, by name: this class and PDFBox with what it loads. Optional ones
   * (absent from some builds) are skipped.
   */
  private static final List<String> CHILD_CLASSES = List.of(
      PosterPreview.class.getName(),
      "org.apache.pdfbox.pdmodel.PDDocument",
      "org.apache.pdfbox.io.RandomAccessRead",
      "org.apache.fontbox.ttf.TrueTypeFont",
      "org.apache.commons.logging.LogFactory");

  /**
   * The child's class path, built from where the classes it needs were loaded from, never from
   * {@code java.class.path}: under {@code mvn exec:java} that is Maven's launcher, and in a
   * container or IDE it may be anything. Works for a class folder, separate jars or one fat jar.
   */
  static String childClassPath() {
    Set<String> entries = new LinkedHashSet<>();
    ClassLoader loader = PosterPreview.class.getClassLoader();
    for (String name : CHILD_CLASSES) {
      try {
        CodeSource source = Class.forName(name, false, loader).getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
          entries.add(Path.of(source.getLocation().toURI()).toString());
        }
      } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException
          | SecurityException e) {
        // an optional class missing here is missing in the child too; PDFBox copes
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Child process entry: {@code <in.pdf> <out.png> <maxPixels>}; exit code says how it went. */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: PosterPreview <in.pdf> <out.png> <maxPixels>");
      System.exit(EXIT_USAGE);
    }
    BufferedImage image;
    try {
      image = draw(Path.of(args[0]), Integer.parseInt(args[2]));
    } catch (IOException | RuntimeException e) {
      System.err.println("render failed: " + e);
      System.exit(EXIT_UNDRAWABLE);
      return;
    }
    try {
      if (!ImageIO.write(image, "png", new File(args[1]))) {
        throw new IOException("no PNG writer");
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("write failed: " + e);
      System.exit(EXIT_WRITE_FAILED);
    }
    System.exit(0);
  }

  private static BufferedImage draw(Path pdf, int maxPixels) throws IOException {
    // Spill decoded streams to the child's private temp dir, and give up beyond 512 MB.
    MemoryUsageSetting memory = MemoryUsageSetting.setupMixed(32L << 20, 512L << 20);
    try (RandomAccessReadBufferedFile input = new RandomAccessReadBufferedFile(pdf.toFile());
        PDDocument document = Loader.loadPDF(input, "", null, null, memory.streamCache)) {
      PDRectangle crop = document.getPage(0).getCropBox();
      float longest = Math.max(crop.getWidth(), crop.getHeight());
      float scale = maxPixels / longest;
      return new PDFRenderer(document).renderImage(0, scale, ImageType.RGB);
    }
  }

  private static boolean isPng(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) < 8) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic[0] == (byte) 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G';
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String line = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      return line.length() > MAX_DETAIL_CHARS ? line.substring(0, MAX_DETAIL_CHARS) : line;
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover .part file is harmless and hidden; nothing to tell the presenter
    }
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> entries = Files.walk(directory)) {
      for (Path entry : (Iterable<Path>) entries.sorted(Collections.reverseOrder())::iterator) {
        Files.deleteIfExists(entry);
      }
    } catch (IOException e) {
      // nothing the presenter can act on
    }
  }
}
