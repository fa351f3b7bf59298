package dev.confday.posters.check;

import static dev.confday.posters.check.PosterPdfs.CONTENT_BOMBS;
import static dev.confday.posters.check.PosterPdfs.SEED;
import static dev.confday.posters.check.PosterPdfs.STRUCTURE_BOMBS;
import static dev.confday.posters.check.PosterPdfs.check;
import static dev.confday.posters.check.PosterPdfs.corpus;
import static dev.confday.posters.check.PosterPdfs.hugeLists;
import static dev.confday.posters.check.PosterPdfs.longCrossReferenceTable;
import static dev.confday.posters.check.PosterPdfs.manyObjects;
import static dev.confday.posters.check.PosterPdfs.objectStreamContainer;
import static dev.confday.posters.check.PosterPdfs.pdf;
import static dev.confday.posters.check.PosterPdfs.selfNesting;
import static dev.confday.posters.check.PosterPdfs.streamHeaderFloods;
import static dev.confday.posters.check.PosterPdfs.writeOwnerOnlyEncrypted;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile structure: decompression bombs, floods of stream headers, too many objects, self-
 * nesting and huge lists, answered within bounds (how fast is measured by PosterCheckBenchmark,
 * not asserted here).
 */
class HostileStructureTest {

  @Test
  void answersDecompressionBombWithoutDecoding() {
    // how long it takes is measured by PosterCheckBenchmark (posters.files), not asserted here
    for (String bomb : CONTENT_BOMBS) {
      PosterCheckResult result = check(bomb);

      assertThat(result.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  @Test
  void refusesBombInStructureStreamsBeforePdfboxInflatesThem() {
    for (String bomb : STRUCTURE_BOMBS) {
      PosterCheckResult result = check(bomb);

      assertThat(result.reasonCode()).as(bomb).isEqualTo("damaged");
      assertThat(result.message()).as(bomb).contains("decompression bomb");
    }
  }

  @Test
  void measuresEncryptedObjectStreamsOfEveryCipherBeforeOpeningThem(@TempDir Path dir)
      throws IOException {
    for (int[] cipher : new int[][] {{40, 0}, {128, 0}, {128, 1}, {256, 1}}) {
      Path pdf = dir.resolve("owner-" + cipher[0] + (cipher[1] == 1 ? "-aes" : "-rc4") + ".pdf");
      writeOwnerOnlyEncrypted(pdf, cipher[0], cipher[1] == 1);
      assertThat(Files.readString(pdf, StandardCharsets.ISO_8859_1)).contains("/ObjStm");

      StructureStreams.Scan scan = StructureStreams.scan(pdf, System.nanoTime() + 10_000_000_000L);
      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(scan.encrypted()).isTrue();
      assertThat(scan.outcome()).as(pdf.getFileName().toString())
          .isEqualTo(StructureStreams.Outcome.BOUNDED);
      assertThat(result.verdict()).as(pdf.getFileName() + ": " + result.message())
          .isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  @Test
  void refusesBombInEncryptedObjectStreamBeforePdfboxOpensTheFile() throws IOException {
    Path bomb = corpus("bomb-encrypted-object-stream-256mb.pdf");

    StructureStreams.Scan scan = StructureStreams.scan(bomb, System.nanoTime() + 10_000_000_000L);

    assertThat(scan.encrypted()).isTrue();
    assertThat(scan.outcome()).isEqualTo(StructureStreams.Outcome.TOO_LARGE);
  }

  @Test
  void measuresAnyStreamTheCrossReferencesNameAsAnObjectStream(@TempDir Path dir)
      throws IOException {
    Path pdf = objectStreamContainer(dir);

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("decompression bomb");
  }

  @Test
  void answersHundredThousandStreamHeaders(@TempDir Path dir) throws IOException {
    // how long it takes is measured by PosterCheckBenchmark (posters.files), not asserted here
    for (Path hostile : streamHeaderFloods(dir)) {
      PosterCheckResult result = PosterCheck.check(hostile, SEED);

      assertThat(result.verdict()).as(hostile + ": " + result.message())
          .isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  @Test
  void refusesMoreObjectsThanAnyPosterHas(@TempDir Path dir) throws IOException {
    Path pdf = manyObjects(dir);

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("more than 300000 internal objects");
  }

  @Test
  void refusesCrossReferenceTableLongerThanAnyPosterNeeds(@TempDir Path dir) throws IOException {
    Path pdf = longCrossReferenceTable(dir);

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("more than 300000 internal objects");
  }

  @Test
  void refusesStructureNestedIntoItselfWithoutReadingItOverAndOver(@TempDir Path dir)
      throws IOException {
    Path pdf = selfNesting(dir);

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("unreasonably complex");
  }

  @Test
  void refusesHugeListsAndDictionaries(@TempDir Path dir) throws IOException {
    for (Path pdf : hugeLists(dir)) {
      PosterCheckResult result = PosterCheck.check(pdf, SEED);
      assertThat(result.reasonCode()).as(pdf.getFileName().toString()).isEqualTo(PosterCheck.DAMAGED);
      assertThat(result.message()).contains("more than 50000 entries");
    }
  }
}
