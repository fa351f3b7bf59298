package dev.confday.posters.check;

import static dev.confday.posters.check.PosterPdfs.SEED;
import static dev.confday.posters.check.PosterPdfs.pdf;
import static dev.confday.posters.check.PosterPdfs.withoutCrossReferences;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page references: content and resources lost when a file was cut, or absent by intact cross-
 * references.
 */
class PageReferencesTest {

  /** An A1 page whose font /F1 is object 9, which is not in the file. */
  private static final String[] FONT_9_MISSING = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R "
          + "/Resources << /Font << /F1 9 0 R /F2 5 0 R >> >> >>",
      "<< /Length 23 >>\nstream\nBT /F2 99 Tf (Hi) Tj ET\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};

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
}
