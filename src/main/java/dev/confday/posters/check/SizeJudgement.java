package dev.confday.posters.check;

import dev.confday.posters.check.PageGeometry.Measured;
import dev.confday.posters.check.PageGeometry.PageSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The size judgement: too large (too wide, too tall or both beyond the tolerance, with by how
 * much and what would fix it: the trim box, an exact export, turning the page), the recommended
 * size (within it and filling at least 90% of it each way), or fits (with a warning when it
 * would be printed scaled up by 10% or more, or fill only part of the space).
 */
final class SizeJudgement {
  /** Below this a smaller page prints at about its own size: no scaling warning. */
  private static final double SCALE_WORTH_A_WARNING = 1.1;
  /**
   * A page that cannot grow (full size one way) but covers less than this share of the
   * recommended size the other way is said to fill only part of the space.
   */
  private static final double PARTIAL_FILL = 0.8;
  /** Too large by less than this each way: meant to be the maximum, so no advice to turn it. */
  private static final double SLIGHT_EXCESS_MM = 20;
  /** Larger than the maximum by less than this is the maximum, give or take rounding. */
  private static final double BOX_EPSILON_MM = 0.05;

  private SizeJudgement() {
  }

  /**
   * The verdict on a page of {@code size} (which has one) under {@code limits}, adding to the
   * {@code warnings} found so far.
   */
  static PosterCheckResult judge(PageSize size, PosterLimits limits,
      List<String> warnings) {
    Measured m = size.measured();
    double tolerance = limits.toleranceMm();
    double overWidth = m.widthMm() - limits.maxWidthMm();
    double overHeight = m.heightMm() - limits.maxHeightMm();
    boolean tooWide = overWidth > tolerance;
    boolean tooTall = overHeight > tolerance;
    if (tooWide || tooTall) {
      List<String> excess = new ArrayList<>();
      if (tooWide) {
        excess.add(excessCm(overWidth, tolerance) + " cm too wide");
      }
      if (tooTall) {
        excess.add(excessCm(overHeight, tolerance) + " cm too tall");
      }
      boolean slightly = (!tooWide || overWidth < SLIGHT_EXCESS_MM)
          && (!tooTall || overHeight < SLIGHT_EXCESS_MM);
      String message = m.sentence() + " It is " + String.join(" and ", excess)
          + (slightly ? " (" + centimetres(tolerance) + " cm is tolerated)" : "")
          + ": the largest allowed is " + limits.describeMaximum() + ".";
      Measured trim = size.trim();
      if (trim != null && limits.fitsMaximum(trim.widthMm(), trim.heightMm())) {
        // The size is the CropBox's (what a viewer shows and a print shop prints); a designer
        // who left the bleed on learns how to fix it.
        message += " Its trim box (the page without the bleed around it) is "
            + PosterLimits.describe(trim.widthMm(), trim.heightMm()) + ", which would fit: export "
            + "it without bleed (or cropped to the trim box).";
      } else if (slightly) {
        // A page a few millimetres over was meant to be the maximum: turning it is no advice.
        message += " Export it again at exactly " + PosterLimits.describe(
            Math.min(m.widthMm(), limits.maxWidthMm()), Math.min(m.heightMm(), limits.maxHeightMm()))
            + " or a little smaller.";
      } else if (limits.fitsMaximum(m.heightMm(), m.widthMm())) {
        message += " Turned to " + (m.widthMm() > m.heightMm() ? "portrait" : "landscape")
            + " it would fit, if your design allows.";
      }
      String code = tooWide && tooTall ? PosterCheck.TOO_LARGE
          : tooWide ? PosterCheck.TOO_WIDE : PosterCheck.TOO_TALL;
      return m.result(PosterVerdict.TOO_LARGE, 1, message, warnings, code);
    }
    if (limits.isRecommended(m.widthMm(), m.heightMm())) {
      return m.result(PosterVerdict.RECOMMENDED_SIZE, 1, m.sentence()
          + " It has the recommended size, " + limits.describeRecommended() + ".", warnings, null);
    }
    boolean smaller = m.widthMm() <= limits.recommendedWidthMm() + tolerance
        && m.heightMm() <= limits.recommendedHeightMm() + tolerance;
    if (smaller) {
      // Printing keeps the proportions, so the page grows until one side reaches the
      // recommended size: a narrow page of almost the recommended height stays as it is.
      double scale = Math.min(limits.recommendedWidthMm() / m.widthMm(),
          limits.recommendedHeightMm() / m.heightMm());
      String smallerThanRecommended = m.sentence() + " It fits, but it is smaller than the "
          + "recommended " + limits.describeRecommended() + ".";
      if (scale >= SCALE_WORTH_A_WARNING) {
        warnings.add("It is smaller than the recommended " + limits.describeRecommended()
            + "; it will be printed scaled up (about " + PosterLimits.number(scale) + " times), "
            + "so check that text and images stay sharp.");
        return m.result(PosterVerdict.FITS, 1, smallerThanRecommended, warnings, null);
      }
      List<String> partial = new ArrayList<>();
      if (m.widthMm() < limits.recommendedWidthMm() * PARTIAL_FILL) {
        partial.add(PosterLimits.number(m.widthMm() / 10) + " of "
            + PosterLimits.number(limits.recommendedWidthMm() / 10) + " cm in width");
      }
      if (m.heightMm() < limits.recommendedHeightMm() * PARTIAL_FILL) {
        partial.add(PosterLimits.number(m.heightMm() / 10) + " of "
            + PosterLimits.number(limits.recommendedHeightMm() / 10) + " cm in height");
      }
      if (!partial.isEmpty()) {
        // Full size one way, far from it the other (24 x 18 in against 24 x 36 in): it cannot
        // grow, so it fills only part of the space.
        warnings.add("It will be printed at about its own size and fill only part of the "
            + "space for a poster of the recommended " + limits.describeRecommended() + ": "
            + String.join(" and ", partial) + ".");
        return m.result(PosterVerdict.FITS, 1, smallerThanRecommended, warnings, null);
      }
      return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits: it is a little smaller "
          + "than the recommended " + limits.describeRecommended() + " and will be printed at "
          + "about its own size.", warnings, null);
    }
    List<String> over = new ArrayList<>();
    if (overWidth > BOX_EPSILON_MM) {
      over.add(smallExcessCm(overWidth) + " wider");
    }
    if (overHeight > BOX_EPSILON_MM) {
      over.add(smallExcessCm(overHeight) + " taller");
    }
    if (!over.isEmpty()) {
      return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits within the "
          + centimetres(tolerance) + " cm tolerance: it is " + String.join(" and ", over)
          + " than the largest allowed, " + limits.describeMaximum() + ".", warnings, null);
    }
    return m.result(PosterVerdict.FITS, 1, m.sentence() + " It fits: the largest allowed is "
        + limits.describeMaximum() + ".", warnings, null);
  }

  /**
   * By how much a page is too large, in cm: one decimal, or, where one decimal would read as
   * the tolerance itself (5.08 mm over a 5 mm tolerance), hundredths rounded up ("0.51").
   */
  private static String excessCm(double overMm, double toleranceMm) {
    String tenths = PosterLimits.number(overMm / 10);
    if (Double.parseDouble(tenths) * 10 > toleranceMm + 1e-9) {
      return tenths;
    }
    return centimetres(Math.ceil(overMm * 10 - 1e-9) / 10);
  }

  /** By how much a page within the tolerance is larger than the maximum, with "cm". */
  private static String smallExcessCm(double overMm) {
    return overMm < 0.95 ? "less than 0.1 cm" : PosterLimits.number(overMm / 10) + " cm";
  }

  /** Millimetres as centimetres with up to two decimals, no trailing zeros: "0.5", "0.51". */
  private static String centimetres(double mm) {
    String text = String.format(Locale.ROOT, "%.2f", mm / 10);
    text = text.replaceAll("0+$", "");
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }
}
