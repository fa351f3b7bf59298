package dev.confday.posters.check;

import static dev.confday.posters.check.PosterPdfs.SEED;
import static dev.confday.posters.check.PosterPdfs.check;
import static dev.confday.posters.check.PosterPdfs.corpus;
import static dev.confday.posters.check.PosterPdfs.onePage;
import static dev.confday.posters.check.PosterPdfs.pdf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size judgement: too large and by how much, the recommended size, fits with its warnings,
 * and each event's limits.
 */
class SizeJudgementTest {

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
}
