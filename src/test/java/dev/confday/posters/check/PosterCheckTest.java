package dev.confday.posters.check;

import static dev.confday.posters.check.PosterPdfs.SEED;
import static dev.confday.posters.check.PosterPdfs.check;
import static dev.confday.posters.check.PosterPdfs.corpus;
import static dev.confday.posters.check.PosterPdfs.ours;
import static dev.confday.posters.check.PosterPdfs.pdf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The entry point: the corpus, files that are no PDF, damaged, encrypted or of several pages,
 * scratch space and the time limit.
 */
class PosterCheckTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvFileSource(resources = "/posters/corpus/expected.csv", numLinesToSkip = 1)
  void judgesCorpusFileAsExpected(String file, PosterVerdict verdict, String reason,
      Double widthCm, Double heightCm) {
    PosterCheckResult result = check(file);

    assertThat(result.verdict()).as(result.message()).isEqualTo(verdict);
    assertThat(result.reasonCode()).isEqualTo(reason);
    if (widthCm == null) {
      assertThat(result.widthCm()).isNull();
      assertThat(result.heightCm()).isNull();
    } else {
      assertThat(result.widthCm()).isCloseTo(widthCm, within(0.05));
      assertThat(result.heightCm()).isCloseTo(heightCm, within(0.05));
    }
    assertThat(result.message()).isNotBlank();
  }

  @Test
  void corpusListsEveryPdfInExpectedCsv() throws IOException {
    Path dir = corpus("expected.csv").getParent();
    Set<String> listed = Files.readAllLines(corpus("expected.csv"), StandardCharsets.UTF_8)
        .stream().skip(1).map(line -> line.split(",", -1)[0])
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> present;
    try (Stream<Path> files = Files.list(dir)) {
      present = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pdf"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(listed).isEqualTo(present);
  }

  @Test
  void refusesRenamedPngAsNotAPdf() {
    PosterCheckResult result = check("renamed-png.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.NOT_ACCEPTABLE);
    assertThat(result.reasonCode()).isEqualTo("not-a-pdf");
    assertThat(result.message()).contains("not a PDF (it looks like a PNG image)");
  }

  @Test
  void refusesEmptyFile() {
    PosterCheckResult result = check("empty.pdf");

    assertThat(result.reasonCode()).isEqualTo("not-a-pdf");
    assertThat(result.message()).startsWith("This file is empty.");
  }

  @Test
  void refusesTruncatedUploadAsDamaged() {
    PosterCheckResult result = check("truncated-half.pdf");

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("cut off");
  }

  @Test
  void refusesPdfWhoseStructureCannotBeRead(@TempDir Path dir) throws IOException {
    Path garbage = dir.resolve("garbage.pdf");
    Files.writeString(garbage, "%PDF-1.7\nthis is not a PDF body at all\n%%EOF\n",
        StandardCharsets.US_ASCII);

    PosterCheckResult result = PosterCheck.check(garbage, SEED);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.NOT_ACCEPTABLE);
    assertThat(result.reasonCode()).isEqualTo("damaged");
  }

  @Test
  void refusesPageTreeThatContainsItselfAsDamaged(@TempDir Path dir) throws IOException {
    Path loop = dir.resolve("loop.pdf");
    Files.write(loop, pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 /MediaBox [0 0 1684 2384] >>",
        "<< /Type /Page /Parent 2 0 R >>"));

    PosterCheckResult result = PosterCheck.check(loop, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("its list of pages is broken");
  }

  @Test
  void refusesPasswordProtectedPdf() {
    PosterCheckResult result = check("encrypted-user-password.pdf");

    assertThat(result.reasonCode()).isEqualTo("encrypted");
    assertThat(result.message()).contains("protected by a password");
  }

  @Test
  void judgesOwnerPasswordOnlyPdfOnSizeAndWarnsItForbidsPrinting() {
    PosterCheckResult result = check("encrypted-owner-only-no-print.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(result.warnings()).singleElement().asString().contains("forbid printing");
  }

  @Test
  void refusesTwoPagePdfSayingHowManyPages() {
    PosterCheckResult result = check("two-pages-a1.pdf");

    assertThat(result.reasonCode()).isEqualTo("page-count");
    assertThat(result.pages()).isEqualTo(2);
    assertThat(result.message()).contains("this PDF has 2 pages");
  }

  @Test
  void countsPagesBeforeLookingForTheFirstPagesSize(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("two-pages-no-mediabox.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("page-count");
    assertThat(result.pages()).isEqualTo(2);
    assertThat(result.message()).startsWith("This PDF has 2 pages");
  }

  @Test
  void leavesNoTempFileBehind() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<String> before = ours(tmp);
    List<String> names;
    try (Stream<Path> files = Files.list(corpus("expected.csv").getParent())) {
      names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pdf"))
          .collect(Collectors.toCollection(ArrayList::new));
    }

    for (String name : names) {
      check(name);
    }

    assertThat(names).hasSizeGreaterThan(30);
    assertThat(ours(tmp)).isEqualTo(before);
  }

  @Test
  void judgesOwnerPasswordOnlyPdfWithObjectStreamsOnSize() {
    PosterCheckResult result = check("encrypted-owner-only-object-streams.pdf");

    assertThat(result.verdict()).as(result.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void judgesOwnerPasswordOnlyPosterWithContentLargerThanSmallScratchSpace(@TempDir Path dir)
      throws IOException {
    // PDFBox decrypts the page's 66 MB content stream into scratch space as it reads the page;
    // with scratch space capped at 64 MB the content came back missing.
    Path pdf = dir.resolve("owner-only-66mb-drawing.pdf");
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(1684, 2384));
      document.addPage(page);
      PDStream content = new PDStream(document);
      byte[] line = "0 0 m 100 100 l S\n".getBytes(StandardCharsets.US_ASCII);
      try (OutputStream out = content.createOutputStream()) {
        for (int i = 0; i < (66 << 20) / line.length; i++) {
          out.write(line);
        }
      }
      page.setContents(content);
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "",
          new AccessPermission());
      policy.setEncryptionKeyLength(256);
      policy.setPreferAES(true);
      document.protect(policy);
      // no object streams: the page is an object of its own, decrypted (and its content with
      // it) as it is read
      document.save(pdf.toFile(), CompressParameters.NO_COMPRESSION);
    }
    Set<String> before = ours(Path.of(System.getProperty("java.io.tmpdir")));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(Files.size(pdf)).isGreaterThan(PosterCheck.MIN_SCRATCH_BYTES);
    assertThat(result.verdict()).as(result.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(ours(Path.of(System.getProperty("java.io.tmpdir")))).isEqualTo(before);
  }

  @Test
  void givesScratchSpaceOfTwiceTheFileSizeWithinBounds() {
    assertThat(PosterCheck.scratchBytes(1_000_000)).isEqualTo(PosterCheck.MIN_SCRATCH_BYTES);
    assertThat(PosterCheck.scratchBytes(70_000_000)).isEqualTo(140_000_000);
    assertThat(PosterCheck.scratchBytes(PosterCheck.MAX_FILE_BYTES * 3))
        .isEqualTo(PosterCheck.MAX_SCRATCH_BYTES);
  }

  @Test
  void stopsWhenItsTimeIsUp() {
    assertThatThrownBy(() -> PosterCheck.check(corpus("latex-tikzposter-a1-portrait.pdf"), SEED,
        Duration.ZERO)).isInstanceOf(PosterCheck.TimeLimitExceeded.class);
  }

  @Test
  void refusesPosterCutShortEvenWithAnEndOfFileMarkerAppended(@TempDir Path dir)
      throws IOException {
    for (String name : List.of("latex-tikzposter-a1-portrait.pdf", "iso-a1-portrait.pdf",
        "us-48x36-landscape.pdf", "encrypted-owner-only-object-streams.pdf")) {
      byte[] whole = Files.readAllBytes(corpus(name));
      for (double share : new double[] {0.3, 0.6}) {
        Path cut = dir.resolve("cut-" + share + "-" + name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(whole, 0, (int) (whole.length * share));
        out.write("\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(cut, out.toByteArray());

        PosterCheckResult result = PosterCheck.check(cut, SEED);

        assertThat(result.reasonCode()).as(cut.getFileName() + ": " + result.message())
            .isEqualTo("damaged");
      }
    }
  }

  @Test
  void acceptsPaddingAfterTheEndOfFileMarker(@TempDir Path dir) throws IOException {
    byte[] poster = Files.readAllBytes(corpus("iso-a1-portrait.pdf"));
    // zeros to a block size, spaces, and padding far beyond the 64 KB once looked through
    for (byte[] padding : List.of(new byte[2000],
        " ".repeat(40_000).getBytes(StandardCharsets.US_ASCII), new byte[100_000],
        new byte[1000 * 1024])) {
      Path padded = dir.resolve("padded-" + padding.length + ".pdf");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(poster);
      out.write(padding);
      Files.write(padded, out.toByteArray());

      assertThat(PosterCheck.check(padded, SEED).verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  @Test
  void saysWhereItLookedWhenThereIsNoEndOfFileMarker(@TempDir Path dir) throws IOException {
    Path padded = dir.resolve("padded-beyond-reach.pdf");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Files.readAllBytes(corpus("iso-a1-portrait.pdf")));
    out.write(new byte[1100 * 1024]);
    Files.write(padded, out.toByteArray());

    PosterCheckResult result = PosterCheck.check(padded, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("(there is no end-of-file marker in its last 1 MB)");
  }
}
