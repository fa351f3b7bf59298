package dev.confday.posters.check;

import java.util.Optional;

/** Named paper sizes a poster page may match, so messages can say "ISO A1" or "ARCH D". */
enum PaperSize {
  ISO_A0("ISO A0", 841, 1189),
  ISO_A1("ISO A1", 594, 841),
  ISO_A2("ISO A2", 420, 594),
  ISO_A3("ISO A3", 297, 420),
  ISO_A4("ISO A4", 210, 297),
  US_LETTER("US Letter", inches(8.5), inches(11)),
  ANSI_B("ANSI B (tabloid)", inches(11), inches(17)),
  ANSI_C("ANSI C", inches(17), inches(22)),
  ANSI_D("ANSI D", inches(22), inches(34)),
  ANSI_E("ANSI E", inches(34), inches(44)),
  ARCH_A("ARCH A", inches(9), inches(12)),
  ARCH_B("ARCH B", inches(12), inches(18)),
  ARCH_C("ARCH C", inches(18), inches(24)),
  ARCH_D("ARCH D", inches(24), inches(36)),
  ARCH_E1("ARCH E1", inches(30), inches(42)),
  ARCH_E("ARCH E", inches(36), inches(48));

  /** ISO 216 allows 2-3 mm; page sizes written in whole points are off by up to ~0.2 mm. */
  static final double MATCH_TOLERANCE_MM = 3.0;

  final String label;
  final double shortSideMm;
  final double longSideMm;

  PaperSize(String label, double shortSideMm, double longSideMm) {
    this.label = label;
    this.shortSideMm = shortSideMm;
    this.longSideMm = longSideMm;
  }

  /** The name of the paper size a page of this size matches, in either orientation. */
  static Optional<String> nameOf(double widthMm, double heightMm) {
    double shortSide = Math.min(widthMm, heightMm);
    double longSide = Math.max(widthMm, heightMm);
    for (PaperSize size : values()) {
      if (Math.abs(size.shortSideMm - shortSide) <= MATCH_TOLERANCE_MM
          && Math.abs(size.longSideMm - longSide) <= MATCH_TOLERANCE_MM) {
        return Optional.of(size.label);
      }
    }
    return Optional.empty();
  }

  private static double inches(double value) {
    return value * PosterLimits.MM_PER_INCH;
  }
}
