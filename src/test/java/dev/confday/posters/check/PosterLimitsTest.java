package dev.confday.posters.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PosterLimitsTest {

  @Test
  void seedDefaultsAreTheWorkshopsInchFiguresWithTheirOwnLabels() {
    PosterLimits limits = PosterLimits.seedDefaults();

    assertThat(limits.maxWidthMm()).isCloseTo(1219.2, within(1e-9));
    assertThat(limits.maxHeightMm()).isCloseTo(914.4, within(1e-9));
    assertThat(limits.toleranceMm()).isEqualTo(5.0);
    assertThat(limits.maxLabel()).isEqualTo("A0 landscape");
    assertThat(limits.describeMaximum()).isEqualTo("48 x 36 in (121.9 x 91.4 cm, A0 landscape)");
    assertThat(limits.describeRecommended()).isEqualTo("24 x 36 in (61 x 91.4 cm, A1 portrait)");
  }

  @Test
  void describesTheSizeAppliedAndDropsALabelThatStatesAnotherOne() {
    PosterLimits limits = PosterLimits.inches(24, 36, 48, 36, "A1 portrait",
        "122 x 90 cm (48 x 36 in, A0 landscape)");

    assertThat(limits.describeRecommended()).isEqualTo("24 x 36 in (61 x 91.4 cm, A1 portrait)");
    assertThat(limits.describeMaximum()).isEqualTo("48 x 36 in (121.9 x 91.4 cm)");
  }

  @Test
  void describesLimitsWithoutLabelsFromTheirSize() {
    PosterLimits limits = PosterLimits.centimetres(60, 84, 84, 119, " ", null);

    assertThat(limits.describeRecommended()).isEqualTo("60 x 84 cm (23.6 x 33.1 in)");
    assertThat(limits.describeMaximum()).isEqualTo("84 x 119 cm (33.1 x 46.9 in)");
  }

  @Test
  void refusesNonsensicalLimits() {
    assertThatThrownBy(() -> PosterLimits.inches(24, 36, 0, 36, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWidthMm");
    assertThatThrownBy(() -> PosterLimits.inches(48, 36, 24, 36, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recommended");
    assertThatThrownBy(() -> new PosterLimits(600, 900, 1200, 900, Double.NaN, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toleranceMm");
  }
}
