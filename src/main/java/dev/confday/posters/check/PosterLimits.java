package dev.confday.posters.check;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The poster size limits of one event: a recommended size, a maximum size and a measuring
 * tolerance, all in millimetres, plus the organizer's name for each size ("A0 landscape").
 *
 * <p>Width and height are each limited and a page is never turned to fit: the wall or board
 * is limited in height. Sizes are stored in millimetres derived from the organizer's own
 * figures (inches for the seed workshop), so "exactly 48 x 36 in" is exactly the maximum.
 * Sizes are always described from these numbers, the ones the check applies (a label is only
 * a name added to them), so a message never states a limit other than the one measured against.
 */
public record PosterLimits(
    double recommendedWidthMm,
    double recommendedHeightMm,
    double maxWidthMm,
    double maxHeightMm,
    double toleranceMm,
    String recommendedLabel,
    String maxLabel) {

  /** Millimetres per inch, exact by definition. */
  public static final double MM_PER_INCH = 25.4;

  /** Default tolerance: half a centimetre, the precision of the organizers' cm figures. */
  public static final double DEFAULT_TOLERANCE_MM = 5.0;

  /**
   * A page counts as the recommended size when it fits the recommended size and fills at
   * least this share of it in width and in height (ISO A1 fills 97% x 92% of 24 x 36 in).
   */
  public static final double RECOMMENDED_FILL = 0.9;

  /** A size written in a label: "122 x 90", "48×36", "90 cm", "36 in". */
  private static final Pattern SIZE_IN_WORDS = Pattern.compile(
      "\\d\\s*[x\u00d7]\\s*\\d|\\d\\s*(cm|mm|in|inch|inches|\")(?![a-z])", Pattern.CASE_INSENSITIVE);

  public PosterLimits {
    requirePositive("recommendedWidthMm", recommendedWidthMm);
    requirePositive("recommendedHeightMm", recommendedHeightMm);
    requirePositive("maxWidthMm", maxWidthMm);
    requirePositive("maxHeightMm", maxHeightMm);
    if (!(toleranceMm >= 0) || Double.isInfinite(toleranceMm)) {
      throw new IllegalArgumentException("toleranceMm must be zero or more: " + toleranceMm);
    }
    if (recommendedWidthMm > maxWidthMm || recommendedHeightMm > maxHeightMm) {
      throw new IllegalArgumentException("the recommended size must fit within the maximum size");
    }
    recommendedLabel = recommendedLabel == null ? "" : recommendedLabel.strip();
    maxLabel = maxLabel == null ? "" : maxLabel.strip();
  }

  /**
   * The ICML 2023 ML4Astro limits: recommended 24 x 36 in ("A1 portrait"), at most 48 x 36 in
   * ("A0 landscape"), 5 mm tolerance. The organizers round these to 61 x 90 and 122 x 90 cm;
   * the inch figures are the ones applied.
   */
  public static PosterLimits seedDefaults() {
    return inches(24, 36, 48, 36, "A1 portrait", "A0 landscape");
  }

  /** Limits given in inches (width x height), with the default tolerance. */
  public static PosterLimits inches(
      double recommendedWidthIn, double recommendedHeightIn,
      double maxWidthIn, double maxHeightIn,
      String recommendedLabel, String maxLabel) {
    return new PosterLimits(
        recommendedWidthIn * MM_PER_INCH, recommendedHeightIn * MM_PER_INCH,
        maxWidthIn * MM_PER_INCH, maxHeightIn * MM_PER_INCH,
        DEFAULT_TOLERANCE_MM, recommendedLabel, maxLabel);
  }

  /** Limits given in centimetres (width x height), with the default tolerance. */
  public static PosterLimits centimetres(
      double recommendedWidthCm, double recommendedHeightCm,
      double maxWidthCm, double maxHeightCm,
      String recommendedLabel, String maxLabel) {
    return new PosterLimits(
        recommendedWidthCm * 10, recommendedHeightCm * 10,
        maxWidthCm * 10, maxHeightCm * 10,
        DEFAULT_TOLERANCE_MM, recommendedLabel, maxLabel);
  }

  /** The recommended size in words, e.g. "24 x 36 in (61 x 91.4 cm, A1 portrait)". */
  public String describeRecommended() {
    return describeLimit(recommendedWidthMm, recommendedHeightMm, recommendedLabel);
  }

  /** The largest size in words, e.g. "48 x 36 in (121.9 x 91.4 cm, A0 landscape)". */
  public String describeMaximum() {
    return describeLimit(maxWidthMm, maxHeightMm, maxLabel);
  }

  /**
   * A limit in words: in inches first when it is a whole (or half) number of inches each way,
   * as the organizers gave it then, else in centimetres first; then the label, unless the label
   * states a size of its own (an older label such as "122 x 90 cm (...)" would contradict the
   * figures actually applied).
   */
  static String describeLimit(double widthMm, double heightMm, String label) {
    String cm = number(widthMm / 10) + " x " + number(heightMm / 10) + " cm";
    String in = number(widthMm / MM_PER_INCH) + " x " + number(heightMm / MM_PER_INCH) + " in";
    boolean inches = halfInches(widthMm) && halfInches(heightMm);
    boolean named = label != null && !label.isBlank() && !SIZE_IN_WORDS.matcher(label).find();
    return (inches ? in + " (" + cm : cm + " (" + in) + (named ? ", " + label.strip() : "") + ")";
  }

  private static boolean halfInches(double mm) {
    double halves = mm / MM_PER_INCH * 2;
    return Math.abs(halves - Math.rint(halves)) < 1e-6;
  }

  /** True when a page of this size (mm, as it hangs) is not wider or taller than the maximum. */
  boolean fitsMaximum(double widthMm, double heightMm) {
    return widthMm <= maxWidthMm + toleranceMm && heightMm <= maxHeightMm + toleranceMm;
  }

  /** True when a page fits the recommended size and is not much smaller than it. */
  boolean isRecommended(double widthMm, double heightMm) {
    return widthMm <= recommendedWidthMm + toleranceMm
        && heightMm <= recommendedHeightMm + toleranceMm
        && widthMm >= recommendedWidthMm * RECOMMENDED_FILL - toleranceMm
        && heightMm >= recommendedHeightMm * RECOMMENDED_FILL - toleranceMm;
  }

  /** A size in words from millimetres, e.g. "122 x 91.4 cm (48 x 36 in)". */
  static String describe(double widthMm, double heightMm) {
    return number(widthMm / 10) + " x " + number(heightMm / 10) + " cm ("
        + number(widthMm / MM_PER_INCH) + " x " + number(heightMm / MM_PER_INCH) + " in)";
  }

  /** One decimal, no trailing ".0", dot as decimal separator whatever the server locale. */
  public static String number(double value) {
    String text = String.format(Locale.ROOT, "%.1f", value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  private static void requirePositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive size: " + value);
    }
  }
}
