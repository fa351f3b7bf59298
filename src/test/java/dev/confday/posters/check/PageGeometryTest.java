package dev.confday.posters.check;

import static dev.confday.posters.check.PosterPdfs.SEED;
import static dev.confday.posters.check.PosterPdfs.check;
import static dev.confday.posters.check.PosterPdfs.onePage;
import static dev.confday.posters.check.PosterPdfs.pdf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page geometry: /Rotate, the CropBox clipped to the MediaBox, /UserUnit. */
class PageGeometryTest {

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
}
