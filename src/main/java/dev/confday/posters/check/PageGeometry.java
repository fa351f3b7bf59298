package dev.confday.posters.check;

import java.util.List;
import java.util.function.Function;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;

/**
 * Page geometry: the size a page hangs at, from its boxes (the CropBox, inheritable, default the
 * MediaBox, clipped to the MediaBox; a CropBox outside it is ignored, as viewers do), times
 * /UserUnit, with /Rotate 90 or 270 swapping width and height; and its TrimBox measured the same
 * way when it lies inside the page and is smaller. Inheritable attributes are read up the page
 * tree, bounded in depth.
 */
final class PageGeometry {
  static final int MAX_INHERITANCE_DEPTH = 64;
  private static final double MM_PER_POINT = PosterLimits.MM_PER_INCH / 72;
  private static final double SQUARE_TOLERANCE_MM = 1.0;
  private static final double BOX_EPSILON_POINTS = 0.5;
  private static final COSName USER_UNIT_KEY = COSName.getPDFName("UserUnit");
  private static final COSName TRIM_BOX = COSName.getPDFName("TrimBox");

  private PageGeometry() {
  }

  /** The page as it hangs: millimetres after crop, /UserUnit and /Rotate. */
  record Measured(double widthMm, double heightMm) {

    String orientation() {
      if (Math.abs(widthMm - heightMm) <= SQUARE_TOLERANCE_MM) {
        return "square";
      }
      return widthMm > heightMm ? "landscape" : "portrait";
    }

    String paperName() {
      return PaperSize.nameOf(widthMm, heightMm).orElse(null);
    }

    Measured scaled(double factor) {
      return new Measured(widthMm * factor, heightMm * factor);
    }

    String sentence() {
      String paper = paperName();
      return "Your poster is " + PosterLimits.describe(widthMm, heightMm) + ", " + orientation()
          + (paper == null ? "" : " (" + paper + ")") + ".";
    }

    PosterCheckResult result(PosterVerdict verdict, int pages, String message,
        List<String> warnings, String reasonCode) {
      return new PosterCheckResult(verdict, round(widthMm / 10), round(heightMm / 10),
          round(widthMm / PosterLimits.MM_PER_INCH), round(heightMm / PosterLimits.MM_PER_INCH),
          orientation(), paperName(), pages, message, warnings, reasonCode);
    }

    private static double round(double value) {
      return Math.round(value * 100) / 100.0;
    }
  }

  /**
   * What the page's boxes say: its size as it hangs (null when it has none), the user unit
   * applied, the /UserUnit value when it is unusable (else null), and the TrimBox measured the
   * same way when it lies inside the page and is smaller (else null).
   */
  record PageSize(Measured measured, double userUnit, String badUserUnit,
      Measured trim) {
  }

  /** What the page's boxes say. */
  static PageSize measure(COSDictionary page) {
    double unit = 1;
    String badUnit = null;
    COSBase unitValue = CosValues.resolve(page.getItem(USER_UNIT_KEY));
    if (unitValue instanceof COSNumber number) {
      double value = number.floatValue();
      if (value > 0 && Double.isFinite(value)) {
        unit = value;
      } else {
        badUnit = Double.isFinite(value) ? PosterLimits.number(value) : "a value out of range";
      }
    } else if (unitValue != null) {
      badUnit = "a value that is not a number";
    }
    double[] mediaBox = rectangle(inherited(page, COSName.MEDIA_BOX));
    if (mediaBox == null || !hasArea(mediaBox)) {
      return new PageSize(null, unit, badUnit, null);
    }
    double[] box = mediaBox;
    double[] cropBox = rectangle(inherited(page, COSName.CROP_BOX));
    if (cropBox != null) {
      // The PDF spec: a CropBox reaching beyond the MediaBox is reduced to the MediaBox. One
      // that does not overlap it at all is ignored, as viewers do (they show the MediaBox).
      double[] clipped = intersection(cropBox, mediaBox);
      if (hasArea(clipped)) {
        box = clipped;
      }
    }
    int rotate = 0;
    if (inherited(page, COSName.ROTATE) instanceof COSNumber number) {
      rotate = Math.floorMod(number.intValue(), 360);
    }
    boolean turned = rotate == 90 || rotate == 270;
    Measured measured = hanging(box, unit, turned);
    Measured trim = null;
    double[] trimBox = rectangle(page.getDictionaryObject(TRIM_BOX));
    if (measured != null && trimBox != null && hasArea(trimBox) && inside(trimBox, box)
        && (width(trimBox) < width(box) - BOX_EPSILON_POINTS
            || height(trimBox) < height(box) - BOX_EPSILON_POINTS)) {
      trim = hanging(trimBox, unit, turned);
    }
    return new PageSize(measured, unit, badUnit, trim);
  }

  private static Measured hanging(double[] box, double unit, boolean turned) {
    double width = width(box) * unit * MM_PER_POINT;
    double height = height(box) * unit * MM_PER_POINT;
    if (!(width > 0 && height > 0 && Double.isFinite(width) && Double.isFinite(height))) {
      return null;
    }
    return turned ? new Measured(height, width) : new Measured(width, height);
  }

  private static double width(double[] box) {
    return box[2] - box[0];
  }

  private static double height(double[] box) {
    return box[3] - box[1];
  }

  private static boolean hasArea(double[] box) {
    return width(box) > 0 && height(box) > 0;
  }

  private static double[] intersection(double[] a, double[] b) {
    return new double[] {
        Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])};
  }

  private static boolean inside(double[] inner, double[] outer) {
    return inner[0] >= outer[0] - BOX_EPSILON_POINTS && inner[1] >= outer[1] - BOX_EPSILON_POINTS
        && inner[2] <= outer[2] + BOX_EPSILON_POINTS && inner[3] <= outer[3] + BOX_EPSILON_POINTS;
  }

  /** A normalized rectangle [llx, lly, urx, ury] from a PDF array, or null if malformed. */
  private static double[] rectangle(COSBase value) {
    if (!(value instanceof COSArray array) || array.size() != 4) {
      return null;
    }
    double[] numbers = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!(array.getObject(i) instanceof COSNumber number)) {
        return null;
      }
      numbers[i] = number.floatValue();
      if (!Double.isFinite(numbers[i])) {
        return null;
      }
    }
    return new double[] {
        Math.min(numbers[0], numbers[2]), Math.min(numbers[1], numbers[3]),
        Math.max(numbers[0], numbers[2]), Math.max(numbers[1], numbers[3])};
  }

  /** An inheritable page attribute: from the page or the nearest ancestor that has it. */
  private static COSBase inherited(COSDictionary page, COSName key) {
    return nearest(page, node -> node.getDictionaryObject(key));
  }

  /** The page's inheritable item as written (a reference stays a reference), or null. */
  static COSBase inheritedItem(COSDictionary page, COSName key) {
    return nearest(page, node -> node.getItem(key));
  }

  /** The first non-null {@code read} of the page and its ancestors, bounded in depth. */
  private static COSBase nearest(COSDictionary page, Function<COSDictionary, COSBase> read) {
    COSDictionary node = page;
    for (int depth = 0; node != null && depth < MAX_INHERITANCE_DEPTH; depth++) {
      COSBase value = read.apply(node);
      if (value != null) {
        return value;
      }
      node = node.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent
          ? parent : null;
    }
    return null;
  }
}
