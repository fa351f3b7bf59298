package dev.confday.posters.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polyglots made of real files: a real poster PDF from the corpus with an HTML page before it
 * or a real ZIP archive after it is refused; blank padding around a PDF still passes.
 */
class PdfEnvelopeTest {
  private static final PosterLimits SEED = PosterLimits.seedDefaults();

  @TempDir
  Path dir;

  @Test
  void refusesAnHtmlPageWithAPdfAfterIt() throws IOException {
    byte[] html = "<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>\n"
        .getBytes(StandardCharsets.US_ASCII);

    PosterCheckResult result = check("html-then-pdf.pdf", html, poster(), new byte[0]);

    assertThat(result.verdict()).isEqualTo(PosterVerdict.NOT_ACCEPTABLE);
    assertThat(result.reasonCode()).isEqualTo(PosterCheck.POLYGLOT);
    assertThat(result.message()).startsWith("This file is an HTML page with a PDF after it, not a plain PDF");
  }

  @Test
  void refusesHtmlMarkupThatDoesNotStartTheFile() throws IOException {
    byte[] prefix = "  \n<b>poster</b>\n".getBytes(StandardCharsets.US_ASCII);

    PosterCheckResult result = check("markup-then-pdf.pdf", prefix, poster(), new byte[0]);

    assertThat(result.reasonCode()).isEqualTo(PosterCheck.POLYGLOT);
    assertThat(result.message()).contains("an HTML page");
  }

  @Test
  void refusesAPdfWithAZipArchiveAppended() throws IOException {
    PosterCheckResult result = check("pdf-then-zip.pdf", new byte[0], poster(), zip());

    assertThat(result.verdict()).isEqualTo(PosterVerdict.NOT_ACCEPTABLE);
    assertThat(result.reasonCode()).isEqualTo(PosterCheck.POLYGLOT);
    assertThat(result.message()).startsWith("This PDF has a ZIP archive appended after its end");
  }

  @Test
  void refusesAZipArchiveHiddenBeforeAFinalEndOfFileMarker() throws IOException {
    // the archive's end record is still where a ZIP reader looks for it
    byte[] zipThenEof = concat(zip(), "\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    PosterCheckResult result = check("pdf-zip-eof.pdf", new byte[0], poster(), zipThenEof);

    assertThat(result.reasonCode()).isEqualTo(PosterCheck.POLYGLOT);
    assertThat(result.message()).contains("ZIP archive");
  }

  @Test
  void refusesAnImageAppendedAfterTheEnd() throws IOException {
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", image);
    byte[] png = image.toByteArray();

    PosterCheckResult result = check("pdf-then-png.pdf", new byte[0], poster(), png);

    assertThat(result.reasonCode()).isEqualTo(PosterCheck.POLYGLOT);
    assertThat(result.message()).contains("a PNG image appended");
  }

  @Test
  void refusesKilobytesOfUnknownDataAfterTheEnd() throws IOException {
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);

    PosterCheckResult result = check("pdf-then-junk.pdf", new byte[0], poster(), junk);

    assertThat(result.reasonCode()).isEqualTo(PosterCheck.POLYGLOT);
    assertThat(result.message()).contains("bytes of other data appended after its end");
  }

  @Test
  void zeroPaddingAfterTheEndStillPasses() throws IOException {
    PosterCheckResult result = check("pdf-zero-padded.pdf", new byte[0], poster(), new byte[64 * 1024]);

    assertThat(result.verdict()).as(result.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void trailingNewlinesAndABlankLeadStillPass() throws IOException {
    PosterCheckResult trailing = check("pdf-newlines.pdf", new byte[0], poster(),
        "\r\n\n\n  \t\n".getBytes(StandardCharsets.US_ASCII));
    PosterCheckResult fewJunkBytes = check("pdf-ctrl-z.pdf", new byte[0], poster(), new byte[] {0x1A, '\n'});

    assertThat(trailing.verdict()).as(trailing.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    assertThat(fewJunkBytes.verdict()).as(fewJunkBytes.message()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void aPrinterJobHeaderBeforeThePdfIsNoOtherFormat() {
    byte[] pjl = "\u001b%-12345X@PJL JOB NAME=\"poster\"\r\n@PJL ENTER LANGUAGE=PDF\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(PdfEnvelope.formatOf(pjl, 0, pjl.length)).isNull();
    assertThat(PdfEnvelope.formatOf(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '\n', 0}, 0, 5)).isNull();
  }

  private PosterCheckResult check(String name, byte[] before, byte[] pdf, byte[] after) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, concat(concat(before, pdf), after));
    return PosterCheck.check(file, SEED);
  }

  private static byte[] poster() throws IOException {
    return Files.readAllBytes(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"));
  }

  private static byte[] zip() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("index.html"));
      zip.write("<html><body>not a poster</body></html>".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("payload.bin"));
      zip.write(new byte[2048]);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
