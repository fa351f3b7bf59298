package dev.confday.posters.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The structure scan run while an upload arrives answers exactly as the scan of the complete
 * file: every corpus file and the generated hostile files, written in pieces of random sizes
 * while the scan runs on its own thread, get the same verdict, reason and message; its work
 * budget waits for the final size before it refuses; an aborted upload frees its thread.
 */
class IncrementalScanTest {
  @TempDir
  Path dir;

  static Stream<Path> files() throws IOException {
    Path corpus = PosterPdfs.corpus("expected.csv").getParent();
    try (Stream<Path> all = Files.list(corpus)) {
      return all.filter(p -> p.toString().endsWith(".pdf")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void answersAsTheScanOfTheCompleteFileWhileTheBytesArrive(Path pdf) throws Exception {
    PosterCheckResult whole = PosterCheck.check(pdf, PosterLimits.seedDefaults());
    PosterCheckResult arriving = arriveAndCheck(pdf, new Random(pdf.getFileName().toString().hashCode()));
    assertSame(arriving, whole, pdf);
  }

  @Test
  void answersAsTheCompleteScanForHostileStructure() throws Exception {
    List<Path> hostile = new java.util.ArrayList<>(PosterPdfs.streamHeaderFloods(dir));
    hostile.addAll(List.of(PosterPdfs.objectStreamContainer(dir), PosterPdfs.manyObjects(dir),
        PosterPdfs.longCrossReferenceTable(dir), PosterPdfs.selfNesting(dir),
        PosterPdfs.actionArrayLoop(dir)));
    hostile.addAll(PosterPdfs.hugeLists(dir));
    for (Path pdf : hostile) {
      assertSame(arriveAndCheck(pdf, new Random(7)), PosterCheck.check(pdf, PosterLimits.seedDefaults()), pdf);
    }
  }

  @Test
  void aScanThatSpentTheBudgetOfTheBytesSoFarWaitsForTheFinalSizeBeforeRefusing() throws Exception {
    Path file = dir.resolve("budget.bin");
    Files.write(file, new byte[1024]);
    long overTheBudgetSoFar = 4 * 1024 + 16L * 1024 * 1024 + 1;
    long far = System.nanoTime() + 60_000_000_000L;

    Arrival growing = new Arrival();
    growing.arrived(1024);
    try (FileBytes bytes = new FileBytes(file, growing)) {
      StructureStreams.Work work = new StructureStreams.Work(bytes);
      CompletableFuture<Void> spending = CompletableFuture.runAsync(() -> work.spend(overTheBudgetSoFar));
      assertThat(spending).as("no verdict while the file may still grow").isNotDone();
      growing.end(8L * 1024 * 1024, far); // the final size covers the work
      spending.get(30, TimeUnit.SECONDS);
      assertThat(spending).isCompletedWithValue(null);
    }

    Arrival small = new Arrival();
    small.arrived(1024);
    try (FileBytes bytes = new FileBytes(file, small)) {
      StructureStreams.Work work = new StructureStreams.Work(bytes);
      CompletableFuture<Void> spending = CompletableFuture.runAsync(() -> work.spend(overTheBudgetSoFar));
      small.end(1024, far); // it stays small: the work exceeds it
      assertThat(spending).failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(StructureStreams.Refusal.class);
    }
  }

  @Test
  void theCheckScansItselfWhenNoThreadStartedTheScan() throws Exception {
    Path pdf = PosterPdfs.corpus("iso-a1-portrait.pdf");
    Path upload = dir.resolve("upload.part");
    Files.copy(pdf, upload);
    IncrementalScan scan = new IncrementalScan(upload);
    scan.arrived(Files.size(upload) / 2);
    scan.ended(Files.size(upload));
    PosterCheckResult result = PosterCheck.check(upload, PosterLimits.seedDefaults(), scan);
    assertThat(result.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    scan.run(); // a scan thread that starts late finds the work done and returns
  }

  @Test
  void anAbortedUploadFreesTheScanThreadWaitingForBytes() throws Exception {
    Path pdf = PosterPdfs.corpus("iso-a1-portrait.pdf");
    Path upload = dir.resolve("upload.part");
    byte[] bytes = Files.readAllBytes(pdf);
    Files.write(upload, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IncrementalScan scan = new IncrementalScan(upload);
    scan.arrived(bytes.length / 2);
    CompletableFuture<Void> thread = CompletableFuture.runAsync(scan::run);
    scan.abort();
    thread.get(30, TimeUnit.SECONDS); // returns: the thread no longer waits for bytes
    assertThat(thread).isCompleted();
  }

  private PosterCheckResult arriveAndCheck(Path pdf, Random random) throws Exception {
    Path upload = dir.resolve("upload-" + pdf.getFileName() + ".part");
    byte[] bytes = Files.readAllBytes(pdf);
    IncrementalScan scan = new IncrementalScan(upload);
    CompletableFuture<Void> thread;
    try (FileChannel out = FileChannel.open(upload, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      thread = CompletableFuture.runAsync(scan::run);
      int at = 0;
      while (at < bytes.length) {
        int length = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 64 : 96 * 1024));
        ByteBuffer piece = ByteBuffer.wrap(bytes, at, length);
        while (piece.hasRemaining()) {
          out.write(piece);
        }
        at += length;
        scan.arrived(at);
      }
    }
    scan.ended(bytes.length);
    PosterCheckResult result = PosterCheck.check(upload, PosterLimits.seedDefaults(), scan);
    thread.get(60, TimeUnit.SECONDS);
    return result;
  }

  private static void assertSame(PosterCheckResult arriving, PosterCheckResult whole, Path pdf) {
    assertThat(arriving.verdict()).as(pdf.getFileName().toString()).isEqualTo(whole.verdict());
    assertThat(arriving.reasonCode()).as(pdf.getFileName().toString()).isEqualTo(whole.reasonCode());
    assertThat(arriving.message()).as(pdf.getFileName().toString()).isEqualTo(whole.message());
    assertThat(arriving.warnings()).as(pdf.getFileName().toString()).isEqualTo(whole.warnings());
  }
}
