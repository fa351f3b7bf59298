package dev.confday.posters.files;

import dev.confday.demo.DemoPosterFiles;
import dev.confday.demo.DemoSeed;
import dev.confday.posters.Poster;
import dev.confday.posters.PosterEntry;
import dev.confday.posters.check.IncrementalScan;
import dev.confday.posters.check.PosterCheck;
import dev.confday.posters.check.PosterCheckResult;
import dev.confday.posters.check.PosterLimits;
import dev.confday.posters.check.PosterPdfs;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Measures the server's check of an uploaded poster against {@code pdfinfo -box} (a process
 * start included, as a script pays it) on the same files, side by side in one run, JVM warm. Not
 * a unit test: run it by hand,
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dmain.class=dev.confday.posters.files.PosterCheckBenchmark [-Dexec.args="15 1000 extra.pdf ..."]
 * </pre>
 *
 * (rounds, then the arrival rate in Mbit/s, 0 for as fast as the disk takes it; then extra files).
 *
 * <p>Two times per file. <b>Check time</b> is what the presenter waits for: from the last byte
 * received to the verdict. The file is written into a temp file in 64 KB pieces at the arrival
 * rate (default 1000 Mbit/s, a wired LAN, faster than a presenter's uplink) while a scan thread
 * runs its {@link IncrementalScan} as the upload does; at the last byte the clock starts and
 * {@link PosterFileService#inspectReceived} runs with that scan, as the upload's check does (the
 * SHA-256 having been computed as the bytes arrived). <b>Whole check</b> is the same check of the
 * complete file from nothing, the structure pass included (what the check cost before it ran
 * while the bytes arrived, and what it still costs a demo poster or an upload whose scan found no
 * free thread).
 *
 * <p>Ordinary posters: the accepted files of the test corpus (not the decompression bombs),
 * the eight demo posters as the run command draws them, and three posters with photographs
 * (about 1, 4 and 7.5 MB), as presenters upload them. Prints per file the median and 90th
 * percentile of each, and the ratios of the medians to pdfinfo's.
 *
 * <p>Hostile files ({@link #hostileFiles}): the corpus's decompression bombs, the generated hostile
 * structure of {@link PosterPdfs} (too many objects, self-nesting, huge lists, an action array
 * that contains itself, a 64 MB object stream in disguise) and the two floods of 100,000 stream
 * headers, which a rescanning check answers in quadratic time; prints the median and worst check
 * of each against the bound the tests used to assert (1 s for the bombs, 3 s for the rest).
 */
public final class PosterCheckBenchmark {
  private static final PosterLimits LIMITS = PosterLimits.seedDefaults();
  private static final int PIECE = 64 * 1024;

  private PosterCheckBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } finally {
      System.exit(0); // exec:java waits for non-daemon threads (PDFBox, AWT)
    }
  }

  private static void run(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    double mbits = args.length > 1 ? Double.parseDouble(args[1]) : 1000;
    Path dir = Files.createTempDirectory("confday-bench-");
    List<Path> files = new ArrayList<>(corpusPosters());
    files.addAll(demoPosters(dir));
    files.addAll(photoPosters(dir));
    for (int i = 2; i < args.length; i++) {
      files.add(Path.of(args[i]));
    }
    ExecutorService scanThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bench-scan");
      t.setDaemon(true);
      return t;
    });
    Path upload = dir.resolve("upload.part");
    // warm the JVM: every file checked both ways until the JIT settles
    for (int i = 0; i < 10; i++) {
      for (Path f : files) {
        PosterFileService.inspectReceived(f, LIMITS, null, null);
        afterLastByte(f, upload, 0, scanThread);
      }
    }
    System.out.printf("arrival at %s; check = last byte to verdict, whole = check of the complete file%n",
        mbits > 0 ? mbits + " Mbit/s" : "disk speed");
    System.out.printf("%-30s %8s | %8s %8s | %8s %8s | %8s %8s | %6s %6s%n", "file", "size", "check p50", "p90",
        "whole p50", "p90", "pdfinfo", "p90", "check", "whole");
    List<Double> checkRatios = new ArrayList<>();
    List<Double> wholeRatios = new ArrayList<>();
    double[] allCheck = new double[files.size()];
    double[] allWhole = new double[files.size()];
    double[] allInfo = new double[files.size()];
    int n = 0;
    for (Path f : files) {
      double[] check = new double[rounds];
      double[] whole = new double[rounds];
      double[] info = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        // interleaved, so all three see the same machine load
        check[r] = afterLastByte(f, upload, mbits, scanThread);
        long t0 = System.nanoTime();
        PosterFileService.Inspected result = PosterFileService.inspectReceived(f, LIMITS, "hashed-on-arrival", null);
        whole[r] = (System.nanoTime() - t0) / 1e6;
        if (!result.check().accepted()) {
          throw new IllegalStateException(f + " is not an ordinary poster: " + result.check().message());
        }
        long t1 = System.nanoTime();
        pdfinfo(f);
        info[r] = (System.nanoTime() - t1) / 1e6;
      }
      double c = percentile(check, 50);
      double w = percentile(whole, 50);
      double p = percentile(info, 50);
      checkRatios.add(c / p);
      wholeRatios.add(w / p);
      allCheck[n] = c;
      allWhole[n] = w;
      allInfo[n++] = p;
      System.out.printf("%-30s %7.0fK | %7.2fms %6.2fms | %7.2fms %6.2fms | %6.2fms %6.2fms | %5.2fx %5.2fx%n",
          f.getFileName(), Files.size(f) / 1024.0, c, percentile(check, 90), w, percentile(whole, 90), p,
          percentile(info, 90), c / p, w / p);
    }
    double[] cr = checkRatios.stream().mapToDouble(Double::doubleValue).toArray();
    double[] wr = wholeRatios.stream().mapToDouble(Double::doubleValue).toArray();
    System.out.printf("%d files x %d rounds: median of per-file medians: check %.2f ms, whole %.2f ms, "
        + "pdfinfo -box %.2f ms%n", files.size(), rounds, percentile(allCheck, 50), percentile(allWhole, 50),
        percentile(allInfo, 50));
    System.out.printf("check/pdfinfo: median %.2fx, p90 %.2fx, worst %.2fx; whole/pdfinfo: median %.2fx, "
        + "p90 %.2fx, worst %.2fx%n", percentile(cr, 50), percentile(cr, 90), percentile(cr, 100),
        percentile(wr, 50), percentile(wr, 90), percentile(wr, 100));
    hostileFiles(dir);
  }

  /**
   * Writes {@code f} into {@code upload} piece by piece at {@code mbits} (0: unpaced) while a
   * scan runs on {@code scanThread}, as an upload arrives; answers the milliseconds from the
   * last byte written to the verdict.
   */
  private static double afterLastByte(Path f, Path upload, double mbits, ExecutorService scanThread)
      throws Exception {
    byte[] bytes = Files.readAllBytes(f);
    Files.deleteIfExists(upload);
    IncrementalScan scan = new IncrementalScan(upload);
    try (FileChannel out = FileChannel.open(upload, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Future<?> scanning = scanThread.submit(scan::run);
      long start = System.nanoTime();
      double nanosPerByte = mbits > 0 ? 8e3 / mbits : 0;
      for (int at = 0; at < bytes.length; at += PIECE) {
        int length = Math.min(PIECE, bytes.length - at);
        ByteBuffer piece = ByteBuffer.wrap(bytes, at, length);
        while (piece.hasRemaining()) {
          out.write(piece);
        }
        scan.arrived(at + length);
        long due = start + (long) ((at + length) * nanosPerByte);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
      }
      long t0 = System.nanoTime();
      scan.ended(bytes.length);
      PosterFileService.Inspected result = PosterFileService.inspectReceived(upload, LIMITS, "hashed-on-arrival", scan);
      double ms = (System.nanoTime() - t0) / 1e6;
      scan.abort();
      scanning.get();
      if (!result.check().accepted()) {
        throw new IllegalStateException(f + " is not an ordinary poster: " + result.check().message());
      }
      return ms;
    }
  }

  /**
   * Times the check of hostile files, the timed assertions that were in the check's tests
   * (HostileStructureTest and ActiveContentTest assert only the verdicts): the corpus's
   * decompression bombs (under 1 s each), the generated hostile structure and the stream-header
   * floods (under 3 s each).
   */
  private static void hostileFiles(Path dir) throws IOException {
    List<Path> underASecond = new ArrayList<>();
    for (String bomb : PosterPdfs.CONTENT_BOMBS) {
      underASecond.add(PosterPdfs.corpus(bomb));
    }
    for (String bomb : PosterPdfs.STRUCTURE_BOMBS) {
      underASecond.add(PosterPdfs.corpus(bomb));
    }
    List<Path> underThreeSeconds = new ArrayList<>(List.of(PosterPdfs.objectStreamContainer(dir),
        PosterPdfs.manyObjects(dir), PosterPdfs.longCrossReferenceTable(dir), PosterPdfs.selfNesting(dir),
        PosterPdfs.actionArrayLoop(dir)));
    underThreeSeconds.addAll(PosterPdfs.hugeLists(dir));
    underThreeSeconds.addAll(PosterPdfs.streamHeaderFloods(dir));
    System.out.println("hostile files (whole check, 5 rounds):");
    for (Path hostile : underASecond) {
      timeHostile(hostile, 1000);
    }
    for (Path hostile : underThreeSeconds) {
      timeHostile(hostile, 3000);
    }
  }

  private static void timeHostile(Path hostile, int boundMs) throws IOException {
    int rounds = 5;
    double[] ms = new double[rounds];
    PosterCheckResult result = null;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      result = PosterCheck.check(hostile, LIMITS);
      ms[r] = (System.nanoTime() - t0) / 1e6;
    }
    double worst = percentile(ms, 100);
    System.out.printf("%-38s %9.0fK | %-16s | p50 %8.2fms, worst %8.2fms (bound %d ms)%s%n", hostile.getFileName(),
        Files.size(hostile) / 1024.0, result.reasonCode() == null ? result.verdict().name() : result.reasonCode(),
        percentile(ms, 50), worst, boundMs, worst < boundMs ? "" : "  OVER THE BOUND");
  }

  private static void pdfinfo(Path f) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("pdfinfo", "-box", f.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("pdfinfo -box failed on " + f);
    }
  }

  private static List<Path> corpusPosters() throws IOException {
    Path csv = PosterPdfs.corpus("expected.csv");
    List<Path> out = new ArrayList<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] cells = line.split(",", -1);
      boolean accepted = cells[1].equals("RECOMMENDED_SIZE") || cells[1].equals("FITS");
      if (accepted && !cells[0].startsWith("bomb-")) {
        out.add(csv.resolveSibling(cells[0]));
      }
    }
    return out;
  }

  private static List<Path> demoPosters(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Object o : DemoSeed.data().getJsonArray("posters")) {
      JsonObject p = (JsonObject) o;
      int number = p.getInteger("number");
      if (number > 8) {
        continue;
      }
      Poster poster = new Poster(number, 1, number, p.getString("title"), "", p.getString("track"),
          p.getJsonArray("authors").stream().map(String::valueOf).toList(), null, false);
      Path f = dir.resolve("demo-poster-" + number + ".pdf");
      DemoPosterFiles.draw(new PosterEntry(poster, null, List.of()), f);
      out.add(f);
    }
    return out;
  }

  /** A1 posters with 2, 6 and 12 photographs (noise-heavy JPEGs, as camera pictures are). */
  private static List<Path> photoPosters(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    Random random = new Random(42);
    for (int photos : new int[] {2, 6, 12}) {
      Path f = dir.resolve("photo-poster-" + photos + ".pdf");
      PDRectangle a1 = new PDRectangle(594 / 25.4f * 72, 841 / 25.4f * 72);
      try (PDDocument doc = new PDDocument()) {
        PDPage page = new PDPage(a1);
        doc.addPage(page);
        try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
          for (int i = 0; i < photos; i++) {
            PDImageXObject image = JPEGFactory.createFromImage(doc, photo(random, 1400, 1000), 0.9f);
            float x = 40 + (i % 2) * (a1.getWidth() / 2);
            float y = 40 + (i / 2) * (a1.getHeight() / 7);
            s.drawImage(image, x, y, a1.getWidth() / 2 - 80, a1.getHeight() / 7 - 20);
          }
        }
        doc.save(f.toFile());
      }
      out.add(f);
    }
    return out;
  }

  private static BufferedImage photo(Random random, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    for (int i = 0; i < 200; i++) {
      g.setColor(new Color(random.nextInt(0xFFFFFF)));
      g.fillOval(random.nextInt(w), random.nextInt(h), 20 + random.nextInt(300), 20 + random.nextInt(300));
    }
    g.dispose();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int noise = random.nextInt(48) - 24;
        int r = clamp(((rgb >> 16) & 0xFF) + noise);
        int gr = clamp(((rgb >> 8) & 0xFF) + noise);
        int b = clamp((rgb & 0xFF) + noise);
        img.setRGB(x, y, r << 16 | gr << 8 | b);
      }
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
