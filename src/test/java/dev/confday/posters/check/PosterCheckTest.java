package dev.confday.posters.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
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
import java.util.zip.Deflater;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

public class PosterCheckTest {

  private static final PosterLimits SEED = PosterLimits.seedDefaults();

  public static Path corpus(String name) {
    try {
      return Path.of(PosterCheckTest.class.getResource("/posters/corpus/expected.csv").toURI())
          .resolveSibling(name);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PosterCheckResult check(String name) {
    return PosterCheck.check(corpus(name), SEED);
  }

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
  void rejectsPosterTallerThan90cm() {
    PosterCheckResult result = check("iso-a0-portrait.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.TOO_LARGE);
    assertThat(result.reasonCode()).isEqualTo("too-tall");
    assertThat(result.orientation()).isEqualTo("portrait");
    assertThat(result.paperName()).isEqualTo("ISO A0");
    assertThat(result.message()).isEqualTo("Your poster is 84.1 x 118.9 cm (33.1 x 46.8 in), "
        + "portrait (ISO A0). It is 27.4 cm too tall: the largest allowed is 48 x 36 in "
        + "(121.9 x 91.4 cm, A0 landscape). Turned to landscape it would fit, if your design "
        + "allows.");
  }

  @Test
  void acceptsExactly48By36InchesAsTheLargestSize() {
    PosterCheckResult result = check("us-48x36-landscape.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.widthIn()).isEqualTo(48.0);
    assertThat(result.heightIn()).isEqualTo(36.0);
    assertThat(result.message()).contains("121.9 x 91.4 cm (48 x 36 in), landscape");
  }

  @Test
  void rejectsHalfAnInchTooWideBecauseToleranceIsHalfACentimetre() {
    PosterCheckResult result = check("us-48.5x36-landscape.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.TOO_LARGE);
    assertThat(result.reasonCode()).isEqualTo("too-wide");
    assertThat(result.message()).contains("It is 1.3 cm too wide");
  }

  @Test
  void recommendsIsoA1PortraitAnd24By36Inches() {
    assertThat(check("iso-a1-portrait.pdf").verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    PosterCheckResult exact = check("us-24x36-portrait.pdf");
    assertThat(exact.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(exact.message()).contains("It has the recommended size, 24 x 36 in "
        + "(61 x 91.4 cm, A1 portrait).");
  }

  @Test
  void acceptsA4WithWarningThatItWillBeScaledUp() {
    PosterCheckResult result = check("iso-a4-portrait.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.paperName()).isEqualTo("ISO A4");
    assertThat(result.warnings()).singleElement().asString()
        .contains("smaller than the recommended 24 x 36 in (61 x 91.4 cm, A1 portrait)")
        .contains("scaled up (about 2.9 times)");
  }

  @Test
  void acceptsA0LandscapeWithoutWarnings() {
    PosterCheckResult result = check("iso-a0-landscape.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.warnings()).isEmpty();
    assertThat(result.message()).isEqualTo("Your poster is 118.9 x 84.1 cm (46.8 x 33.1 in), "
        + "landscape (ISO A0). It fits: the largest allowed is 48 x 36 in (121.9 x 91.4 cm, "
        + "A0 landscape).");
  }

  @Test
  void turnsPageByItsRotateEntry() {
    PosterCheckResult result = check("rotated-90-a0-portrait-mediabox.pdf");

    assertThat(result.orientation()).isEqualTo("landscape");
    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
  }

  @Test
  void measuresCropBoxClippedToMediaBox() {
    PosterCheckResult inside = check("cropbox-24x36-inside-huge-mediabox.pdf");
    PosterCheckResult beyond = check("cropbox-larger-than-a1-mediabox.pdf");

    assertThat(inside.widthIn()).isEqualTo(24.0);
    assertThat(inside.heightIn()).isEqualTo(36.0);
    assertThat(beyond.paperName()).isEqualTo("ISO A1");
    assertThat(beyond.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void multipliesSizeByUserUnit() {
    PosterCheckResult result = check("userunit-2-48x35.4in.pdf");

    assertThat(result.widthIn()).isEqualTo(48.0);
    assertThat(result.heightIn()).isCloseTo(35.42, within(0.01));
    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
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
  void refusesJavaScriptLaunchActionsAndAttachedFiles() {
    assertThat(check("active-javascript-openaction.pdf").message()).contains("contains JavaScript");
    assertThat(check("active-launch-annotation.pdf").message())
        .contains("contains an action that launches programs");
    assertThat(check("active-embedded-file.pdf").message()).contains("contains an attached file.");
  }

  @Test
  void answersDecompressionBombWithoutDecodingInUnderASecond() {
    warmUp();
    for (String bomb : List.of("bomb-flate-1gb.pdf", "bomb-double-flate-4gb.pdf")) {
      long start = System.nanoTime();
      PosterCheckResult result = check(bomb);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(elapsed).as(bomb).isLessThan(Duration.ofSeconds(1));
      assertThat(result.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  @Test
  void refusesBombInStructureStreamsBeforePdfboxInflatesThemInUnderASecond() {
    warmUp();
    for (String bomb : List.of("bomb-object-stream-256mb.pdf", "bomb-xref-stream-256mb.pdf",
        "bomb-encrypted-object-stream-256mb.pdf")) {
      long start = System.nanoTime();
      PosterCheckResult result = check(bomb);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(elapsed).as(bomb).isLessThan(Duration.ofSeconds(1));
      assertThat(result.reasonCode()).as(bomb).isEqualTo("damaged");
      assertThat(result.message()).as(bomb).contains("decompression bomb");
    }
  }

  /** Loads the classes and JIT-compiles the hot paths, so the bound measures the check itself. */
  private static void warmUp() {
    check("encrypted-owner-only-object-streams.pdf");
    check("latex-tikzposter-a1-portrait.pdf");
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
  void appliesTheLimitsOfEachEvent() {
    PosterLimits portraitOnly = PosterLimits.inches(24, 36, 24, 36, null, null);

    PosterCheckResult result = PosterCheck.check(corpus("iso-a0-landscape.pdf"), portraitOnly);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.TOO_LARGE);
    assertThat(result.reasonCode()).isEqualTo("too-wide");
    assertThat(result.message()).endsWith("It is 57.9 cm too wide: the largest allowed is "
        + "24 x 36 in (61 x 91.4 cm).");
  }

  @Test
  void statesTheLimitItAppliesWhateverTheLabelSays() {
    // An older label (with the organizers' rounded 122 x 90 cm) must not contradict the excess.
    PosterLimits labelled = PosterLimits.inches(24, 36, 48, 36, "61 x 90 cm (A1 portrait)",
        "122 x 90 cm (48 x 36 in, A0 landscape)");

    PosterCheckResult result = PosterCheck.check(corpus("us-36x48-portrait.pdf"), labelled);

    assertThat(result.message()).contains("It is 30.5 cm too tall: the largest allowed is "
        + "48 x 36 in (121.9 x 91.4 cm).");
  }

  // ---- encryption with an owner password only

  @Test
  void judgesOwnerPasswordOnlyPdfWithObjectStreamsOnSize() {
    PosterCheckResult result = check("encrypted-owner-only-object-streams.pdf");

    assertThat(result.verdict()).as(result.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(result.warnings()).isEmpty();
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
  void refusesBombInEncryptedObjectStreamBeforePdfboxOpensTheFile() throws IOException {
    Path bomb = corpus("bomb-encrypted-object-stream-256mb.pdf");

    StructureStreams.Scan scan = StructureStreams.scan(bomb, System.nanoTime() + 10_000_000_000L);

    assertThat(scan.encrypted()).isTrue();
    assertThat(scan.outcome()).isEqualTo(StructureStreams.Outcome.TOO_LARGE);
  }

  @Test
  void measuresAnyStreamTheCrossReferencesNameAsAnObjectStream(@TempDir Path dir)
      throws IOException {
    // The page lives "in" object 4, a plain stream whose dictionary says nothing of object
    // streams; PDFBox inflates it whole when the page is looked up.
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[64 << 20]);
    deflater.finish();
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.finished()) {
      packed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    Path pdf = dir.resolve("container.pdf");
    Files.write(pdf, withCrossReferenceStream(packed.toByteArray()));

    long start = System.nanoTime();
    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("decompression bomb");
  }

  // ---- time and memory

  @Test
  void answersHundredThousandStreamHeaders(@TempDir Path dir) throws IOException {
    // how long it takes is measured by PosterCheckBenchmark (posters.files), not asserted here
    for (Path hostile : streamHeaderFloods(dir)) {
      PosterCheckResult result = PosterCheck.check(hostile, SEED);

      assertThat(result.verdict()).as(hostile + ": " + result.message())
          .isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  /**
   * Two one-page A1 posters preceded by 100,000 stream headers: loose ones outside any object,
   * and stray object streams. A check that rescans for each header takes quadratic time on them.
   */
  public static List<Path> streamHeaderFloods(Path dir) throws IOException {
    Path loose = dir.resolve("loose-headers.pdf");
    Files.write(loose, pdfAfter("<</W 1>>stream\n".repeat(100_000), A1_PAGE));
    StringBuilder objects = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      objects.append(100_000 + i).append(" 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter "
          + "/FlateDecode /Length 2 >>\nstream\nxx\nendstream\nendobj\n");
    }
    Path stray = dir.resolve("stray-object-streams.pdf");
    Files.write(stray, pdfAfter(objects.toString(), A1_PAGE));
    return List.of(loose, stray);
  }

  @Test
  void refusesMoreObjectsThanAnyPosterHas(@TempDir Path dir) throws IOException {
    StringBuilder objects = new StringBuilder();
    for (int i = 0; i < 310_000; i++) {
      objects.append(100 + i).append(" 0 obj\nnull\nendobj\n");
    }
    Path pdf = dir.resolve("many-objects.pdf");
    Files.write(pdf, pdfAfter(objects.toString(), A1_PAGE));

    long start = System.nanoTime();
    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("more than 300000 internal objects");
  }

  @Test
  void refusesCrossReferenceTableLongerThanAnyPosterNeeds(@TempDir Path dir) throws IOException {
    String rows = "0000000000 65535 f \n".repeat(400_000);
    Path pdf = dir.resolve("long-xref.pdf");
    // appended as an incremental update to a good poster
    Files.writeString(pdf, new String(pdf(A1_PAGE), StandardCharsets.ISO_8859_1)
        + "xref\n0 400000\n" + rows + "trailer\n<< /Size 400000 >>\n%%EOF\n",
        StandardCharsets.ISO_8859_1);

    long start = System.nanoTime();
    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("more than 300000 internal objects");
  }

  @Test
  void refusesStructureNestedIntoItselfWithoutReadingItOverAndOver(@TempDir Path dir)
      throws IOException {
    // Each header opens a string holding the next: read naively from every header, the file
    // would be read 50,000 times over.
    Path pdf = dir.resolve("nested.pdf");
    Files.write(pdf, pdfAfter("1 0 obj <</K (".repeat(50_000) + ")>>".repeat(50_000) + "\n",
        A1_PAGE));

    long start = System.nanoTime();
    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("unreasonably complex");
  }

  @Test
  void stopsWhenItsTimeIsUp() {
    assertThatThrownBy(() -> PosterCheck.check(corpus("latex-tikzposter-a1-portrait.pdf"), SEED,
        Duration.ZERO)).isInstanceOf(PosterCheck.TimeLimitExceeded.class);
  }

  // ---- damage

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

  @Test
  void refusesPageWhoseFontOrImageWasLostWhenTheFileWasCut(@TempDir Path dir)
      throws IOException {
    // No cross-reference table: PDFBox rebuilds one from the objects it finds.
    Path font = dir.resolve("missing-font.pdf");
    Files.write(font, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R "
            + "/Resources << /Font << /F1 9 0 R >> >> >>",
        "<< /Length 0 >>\nstream\n\nendstream"));
    Path image = dir.resolve("missing-image.pdf");
    Files.write(image, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources 5 0 R >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R >>",
        "<< /Length 0 >>\nstream\n\nendstream",
        "<< /XObject << /Im0 12 0 R >> >>"));
    // A table of the file's own, but the startxref misses it by a few bytes: PDFBox finds it,
    // so the file is not as written either.
    String intact = new String(pdf(FONT_9_MISSING), StandardCharsets.ISO_8859_1);
    int at = intact.lastIndexOf("startxref\n") + "startxref\n".length();
    long offset = Long.parseLong(intact.substring(at, intact.indexOf('\n', at)));
    Path misplaced = dir.resolve("misplaced-startxref.pdf");
    Files.writeString(misplaced, intact.substring(0, at) + (offset - 3) + "\n%%EOF\n",
        StandardCharsets.ISO_8859_1);

    for (Path pdf : List.of(font, image, misplaced)) {
      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(pdf.getFileName() + ": " + result.message())
          .isEqualTo("damaged");
      assertThat(result.message()).contains("are not in the file");
    }
  }

  @Test
  void acceptsFontThatTheFilesOwnCrossReferencesDoNotListAsNull(@TempDir Path dir)
      throws IOException {
    // An exporter's leftover: /F1 names object 9, which the intact table does not list.
    Path pdf = dir.resolve("unused-font.pdf");
    Files.write(pdf, pdf(FONT_9_MISSING));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.verdict()).as(result.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(result.warnings()).singleElement().asString()
        .startsWith("The page names fonts, images or other resources that are not in the file.")
        .contains("By the PDF standard they count as empty");
  }

  @Test
  void refusesPageWhoseContentIsNotInTheFileEvenWithIntactCrossReferences(@TempDir Path dir)
      throws IOException {
    Path pdf = dir.resolve("no-content.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 9 0 R >>"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("damaged");
    assertThat(result.message()).contains("the page's content is not in the file, so the page "
        + "would print blank");
  }

  /** An A1 page whose font /F1 is object 9, which is not in the file. */
  private static final String[] FONT_9_MISSING = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R "
          + "/Resources << /Font << /F1 9 0 R /F2 5 0 R >> >> >>",
      "<< /Length 23 >>\nstream\nBT /F2 99 Tf (Hi) Tj ET\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};

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

  // ---- size

  @Test
  void doesNotWarnAboutAPageThatIsOnlyALittleSmaller(@TempDir Path dir) throws IOException {
    // 85% of the recommended width, 95% of its height: it would barely grow.
    Path pdf = dir.resolve("a-little-smaller.pdf");
    Files.write(pdf, onePage("/MediaBox [0 0 1469 2462]"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.warnings()).isEmpty();
    assertThat(result.message()).contains("a little smaller than the recommended")
        .contains("printed at about its own size").doesNotContain("1 times");
  }

  @Test
  void warnsThatAPageOfFullWidthButHalfTheHeightFillsOnlyPartOfTheSpace(@TempDir Path dir)
      throws IOException {
    Path pdf = dir.resolve("24x18in.pdf");
    Files.write(pdf, onePage("/MediaBox [0 0 1728 1296]"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.message()).isEqualTo("Your poster is 61 x 45.7 cm (24 x 18 in), landscape "
        + "(ARCH C). It fits, but it is smaller than the recommended 24 x 36 in (61 x 91.4 cm, "
        + "A1 portrait).");
    assertThat(result.warnings()).containsExactly("It will be printed at about its own size "
        + "and fill only part of the space for a poster of the recommended 24 x 36 in "
        + "(61 x 91.4 cm, A1 portrait): 45.7 of 91.4 cm in height.");
  }

  @Test
  void saysAPageJustOverTheLargestSizeFitsWithinTheTolerance(@TempDir Path dir)
      throws IOException {
    Path pdf = dir.resolve("48.15x36.15in.pdf");
    Files.write(pdf, onePage("/MediaBox [0 0 3466.8 2602.8]"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.message()).endsWith("It fits within the 0.5 cm tolerance: it is 0.4 cm "
        + "wider and 0.4 cm taller than the largest allowed, 48 x 36 in (121.9 x 91.4 cm, "
        + "A0 landscape).");
  }

  @Test
  void showsAnExcessJustOverTheToleranceAsMoreThanTheTolerance(@TempDir Path dir)
      throws IOException {
    // 36.2 in tall: 5.08 mm over, which one decimal would show as the 0.5 cm tolerated.
    Path pdf = dir.resolve("24x36.2in.pdf");
    Files.write(pdf, onePage("/MediaBox [0 0 1728 2606.4]"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("too-tall");
    assertThat(result.message()).contains("It is 0.51 cm too tall (0.5 cm is tolerated): the "
        + "largest allowed is 48 x 36 in (121.9 x 91.4 cm, A0 landscape). Export it again at "
        + "exactly 61 x 91.4 cm (24 x 36 in) or a little smaller.")
        .doesNotContain("Turned to landscape");
  }

  @Test
  void refusesUserUnitThatIsNotAPositiveNumber(@TempDir Path dir) throws IOException {
    for (String unit : List.of("0", "-2", "/Two")) {
      Path pdf = dir.resolve("userunit.pdf");
      Files.write(pdf, onePage("/MediaBox [0 0 1152 1728] /UserUnit " + unit));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.verdict()).as(unit).isEqualTo(PosterVerdict.NOT_ACCEPTABLE);
      assertThat(result.reasonCode()).as(unit).isEqualTo("user-unit");
      assertThat(result.message()).contains("/UserUnit").contains("positive number");
    }
  }

  @Test
  void warnsThatSomeViewersIgnoreUserUnit() {
    PosterCheckResult result = check("userunit-2-48x35.4in.pdf");

    assertThat(result.verdict()).isEqualTo(PosterVerdict.FITS);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w)
        .startsWith("The file declares its page size in a scaled unit (/UserUnit 2). Some "
            + "programs and print shops ignore that and would print it at 61 x 45 cm")
        .contains("1/2 of its size").doesNotContain("units of"));
  }

  @Test
  void fallsBackToMediaBoxWhenCropBoxLiesOutsideIt(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("crop-outside.pdf");
    Files.write(pdf, onePage("/MediaBox [0 0 1684 2384] /CropBox [5000 5000 5100 5100]"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(result.paperName()).isEqualTo("ISO A1");
  }

  @Test
  void saysWhenTheTrimBoxOfAPosterWithBleedWouldFit(@TempDir Path dir) throws IOException {
    // 48 x 36 in with half an inch of bleed all round: 49 x 37 in as exported.
    Path pdf = dir.resolve("bleed.pdf");
    Files.write(pdf, onePage("/MediaBox [0 0 3528 2664] /TrimBox [36 36 3492 2628]"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.TOO_LARGE);
    assertThat(result.widthIn()).isEqualTo(49.0);
    assertThat(result.message()).contains("Its trim box (the page without the bleed around it) "
        + "is 121.9 x 91.4 cm (48 x 36 in), which would fit: export it without bleed (or "
        + "cropped to the trim box).");
  }

  // ---- active content

  @Test
  void refusesJavaScriptOnTheFieldAboveAWidget(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("field-script.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Annots [4 0 R] >>",
        "<< /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /Parent 5 0 R >>",
        "<< /FT /Tx /T (total) /Kids [4 0 R] /Parent 6 0 R >>",
        "<< /T (form) /Kids [5 0 R] /AA << /C << /S /JavaScript /JS (event.value = 1;) >> >> >>"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("active-content");
    assertThat(result.message()).contains("contains JavaScript");
  }

  @Test
  void refusesJavaScriptOfFormFieldsThatAreNotOnThePage(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("form-script.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "<< /T (group) /Kids [5 0 R] >>",
        "<< /FT /Btn /T (b) /Parent 4 0 R /A << /S /JavaScript /JS (app.alert(1);) >> >>"));

    assertThat(PosterCheck.check(pdf, SEED).message()).contains("contains JavaScript");
  }

  @Test
  void refusesEmbeddedVideoSoundAnd3d(@TempDir Path dir) throws IOException {
    for (String subtype : List.of("RichMedia", "Screen", "Movie", "Sound", "3D")) {
      Path pdf = dir.resolve("media.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Annots [4 0 R] >>",
          "<< /Type /Annot /Subtype /" + subtype + " /Rect [0 0 100 100] >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(subtype).isEqualTo("active-content");
      assertThat(result.message()).as(subtype)
          .contains("contains embedded media (video, sound or 3D)");
    }
  }

  @Test
  void refusesBookmarksThatRunJavaScriptOrLaunchPrograms(@TempDir Path dir) throws IOException {
    // The script sits on a nested bookmark behind a sibling; the launch is chained by /Next
    // behind a harmless action. The siblings link back to each other, as hostile files do.
    String script = "<< /S /JavaScript /JS (app.alert(1);) >>";
    String launch = "<< /S /URI /URI (https://example.org) /Next << /S /Launch /F (cmd.exe) >> >>";
    for (String[] hidden : new String[][] {{script, "contains JavaScript."},
        {launch, "contains an action that launches programs."}}) {
      Path pdf = dir.resolve("bookmarks.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
          "<< /Type /Outlines /First 5 0 R /Last 6 0 R >>",
          "<< /Title (Intro) /Parent 4 0 R /Next 6 0 R /Dest [3 0 R /Fit] >>",
          "<< /Title (Results) /Parent 4 0 R /Prev 5 0 R /Next 5 0 R /First 7 0 R >>",
          "<< /Title (Figure 1) /Parent 6 0 R /A " + hidden[0] + " >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(result.message()).isEqualTo("active-content");
      assertThat(result.message()).contains(hidden[1]);
    }
  }

  @Test
  void acceptsBookmarksThatOnlyGoToPlacesOrLinks(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("bookmarks.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "<< /Type /Outlines /First 5 0 R >>",
        "<< /Title (Paper) /Parent 4 0 R /First 5 0 R /Next 5 0 R "
            + "/A << /S /URI /URI (https://example.org/paper) >> >>"));

    assertThat(PosterCheck.check(pdf, SEED).verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void refusesFilesAssociatedTheWayOfPdfA3(@TempDir Path dir) throws IOException {
    String file = "<< /Type /Filespec /F (data.csv) /AFRelationship /Data /EF << /F 9 0 R >> >>";
    String[][] owners = {
        {"/AF [" + file + "]", "", ""},
        {"", "/AF [" + file + "]", ""},
        {"", "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /AF " + file + " >>]", ""}};
    for (String[] owner : owners) {
      Path pdf = dir.resolve("associated.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R " + owner[0] + " >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] " + owner[1] + " >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(String.join("", owner)).isEqualTo("active-content");
      assertThat(result.message()).isEqualTo("This PDF is not acceptable: it contains an "
          + "attached file. A poster does not need it: export the poster to PDF again without "
          + "it (for example with \"Print to PDF\").");
    }
  }

  @Test
  void acceptsAnAssociatedFileThatIsNotEmbedded(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("associated-outside.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AF [<< /Type /Filespec /F (data.csv) >>] >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));

    assertThat(PosterCheck.check(pdf, SEED).verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void countsEachAttachedFileOnceAndSaysSoInThePlural(@TempDir Path dir) throws IOException {
    // One file both associated and in the name tree, and a second one in the tree only.
    Path pdf = dir.resolve("two-files.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] "
            + "/Names << /EmbeddedFiles << /Names [(a.csv) 4 0 R (b.csv) 5 0 R] >> >> "
            + "/OpenAction << /S /JavaScript /JS (1;) >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "<< /Type /Filespec /F (a.csv) /EF << /F 9 0 R >> >>",
        "<< /Type /Filespec /F (b.csv) /EF << /F 9 0 R >> >>"));

    assertThat(PosterCheck.check(pdf, SEED).message()).isEqualTo("This PDF is not acceptable: "
        + "it contains 2 attached files and JavaScript. A poster needs none of these: export the "
        + "poster to PDF again without them (for example with \"Print to PDF\").");
  }

  @Test
  void acceptsEmptyNameTreesForAttachmentsAndScripts(@TempDir Path dir) throws IOException {
    for (String names : List.of("/EmbeddedFiles << /Names [] >>", "/JavaScript << /Kids [] >>",
        "/EmbeddedFiles << >> /JavaScript << /Names [] >>")) {
      Path pdf = dir.resolve("empty-trees.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R /Names << " + names + " >> >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.verdict()).as(names + ": " + result.message())
          .isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  /**
   * Entries the check may create in the temp directory (PDFBox scratch files included); other
   * confday tests may run at the same time, so only our own prefix counts.
   */
  private static Set<String> ours(Path tmp) throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("confday-postercheck-") || n.startsWith("PDFBox"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The objects of a one-page ISO A1 poster with a little content, for {@link #pdfAfter}. */
  private static final String[] A1_PAGE = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R >>",
      "<< /Length 23 >>\nstream\n0 0 1 rg 9 9 99 99 re f\nendstream"};

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void anActionArrayThatContainsItselfEndsTheWalkAtOnce(@TempDir Path dir) throws IOException {
    // /OpenAction 4 0 R where 4 is [4 0 R 4 0 R]: a walk that revisits arrays never ends
    Path pdf = dir.resolve("action-array-loop.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "[4 0 R 4 0 R 5 0 R]",
        "<< /S /JavaScript /JS (app.alert(1)) >>"));

    long start = System.nanoTime();
    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(result.reasonCode()).isEqualTo(PosterCheck.ACTIVE_CONTENT);
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void refusesHugeListsAndDictionariesQuickly(@TempDir Path dir) throws IOException {
    // PDFBox's repair of such a page tree (no startxref) removes the bad kids one by one
    String kids = "3 0 R" + " 0".repeat(60_000);
    Path direct = dir.resolve("huge-kids.pdf");
    Files.write(direct, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + kids + "] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));
    Path indirect = dir.resolve("huge-indirect-kids.pdf");
    Files.write(indirect, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids 4 0 R /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "[" + kids + "]"));

    Path wide = dir.resolve("huge-dictionary.pdf");
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < 60_000; i++) {
      keys.append("/K").append(i).append(" 1 ");
    }
    Files.write(wide, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] " + keys + ">>"));

    for (Path pdf : List.of(direct, indirect, wide)) {
      long start = System.nanoTime();
      PosterCheckResult result = PosterCheck.check(pdf, SEED);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as(pdf.getFileName().toString())
          .isLessThan(Duration.ofSeconds(3));
      assertThat(result.reasonCode()).as(pdf.getFileName().toString()).isEqualTo(PosterCheck.DAMAGED);
      assertThat(result.message()).contains("more than 50000 entries");
    }
  }

  /** One page with the given page entries (a MediaBox among them). */
  private static byte[] onePage(String pageEntries) {
    return pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R " + pageEntries + " >>");
  }

  /** An ISO A1 page saved by PDFBox with object streams, encrypted with an owner password. */
  private static void writeOwnerOnlyEncrypted(Path pdf, int keyBits, boolean aes)
      throws IOException {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(1684, 2384));
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.addRect(50, 50, 500, 500);
        content.fill();
      }
      AccessPermission permissions = new AccessPermission();
      permissions.setCanModify(false);
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "",
          permissions);
      policy.setEncryptionKeyLength(keyBits);
      policy.setPreferAES(aes);
      document.protect(policy);
      document.save(pdf.toFile(), CompressParameters.DEFAULT_COMPRESSION);
    }
  }

  /**
   * An A1 page whose page object is stored, per the cross-reference stream, in object 4: a
   * stream with the given Flate data and nothing in its dictionary but /Length and /Filter.
   */
  private static byte[] withCrossReferenceStream(byte[] container) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
    int[] offsets = new int[5];
    offsets[1] = out.size();
    out.write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    offsets[2] = out.size();
    out.write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        .getBytes(StandardCharsets.US_ASCII));
    offsets[4] = out.size();
    out.write(("4 0 obj\n<< /Length " + container.length + " /Filter /FlateDecode >>\nstream\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(container);
    out.write("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    int xref = out.size();
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    for (int number = 0; number <= 5; number++) {
      int type = number == 0 ? 0 : number == 3 ? 2 : 1;
      int field = number == 3 ? 4 : number == 5 ? xref : offsets[Math.min(number, 4)];
      rows.write(type);
      rows.write(new byte[] {(byte) (field >> 24), (byte) (field >> 16), (byte) (field >> 8),
          (byte) field});
      rows.write(0);
    }
    out.write(("5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R /Length " + rows.size()
        + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
    out.write(rows.toByteArray());
    out.write(("\nendstream\nendobj\nstartxref\n" + xref + "\n%%EOF\n")
        .getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The objects numbered from 1 and an end-of-file marker, but no cross-references at all. */
  private static byte[] withoutCrossReferences(String... objects) {
    StringBuilder out = new StringBuilder("%PDF-1.7\n");
    for (int i = 0; i < objects.length; i++) {
      out.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    return out.append("%%EOF\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A minimal PDF with a correct cross-reference table; objects are numbered from 1. */
  private static byte[] pdf(String... objects) {
    return pdfAfter("", objects);
  }

  /** As {@link #pdf}, with {@code prefix} (outside any object) between header and objects. */
  private static byte[] pdfAfter(String prefix, String... objects) {
    StringBuilder out = new StringBuilder("%PDF-1.7\n").append(prefix);
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.length; i++) {
      offsets.add(out.length());
      out.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    int xref = out.length();
    out.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      out.append(String.format("%010d 00000 n \n", offset));
    }
    out.append("trailer\n<< /Size ").append(objects.length + 1)
        .append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
