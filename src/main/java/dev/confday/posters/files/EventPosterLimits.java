package dev.confday.posters.files;

import dev.confday.http.ApiError.FieldError;
import dev.confday.http.ApiError;
import dev.confday.posters.check.PosterCheck;
import dev.confday.posters.check.PosterLimits;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The poster rules of one event: the size limits the check applies and the largest upload
 * accepted, in bytes. An event without its own row uses {@link #defaults(long)}.
 */
public record EventPosterLimits(PosterLimits limits, long maxUploadBytes) {
  /** Smallest upload limit an organizer may set. */
  public static final long MIN_UPLOAD_BYTES = 1024;
  /** Largest upload limit: nothing larger is parsed at all. */
  public static final long MAX_UPLOAD_BYTES = PosterCheck.MAX_FILE_BYTES;
  /** Largest size an organizer may set, in millimetres (5 m: any wall). */
  public static final double MAX_SIZE_MM = 5000;
  /** Largest tolerance an organizer may set, in millimetres. */
  public static final double MAX_TOLERANCE_MM = 50;

  public EventPosterLimits {
    Objects.requireNonNull(limits, "limits");
    if (maxUploadBytes < MIN_UPLOAD_BYTES || maxUploadBytes > MAX_UPLOAD_BYTES) {
      throw new IllegalArgumentException("maxUploadBytes must be within " + MIN_UPLOAD_BYTES + ".." + MAX_UPLOAD_BYTES);
    }
  }

  /** The seed workshop's size limits and the configured upload limit (capped at what is parsed). */
  public static EventPosterLimits defaults(long configuredMaxUploadBytes) {
    return new EventPosterLimits(PosterLimits.seedDefaults(),
        Math.max(MIN_UPLOAD_BYTES, Math.min(configuredMaxUploadBytes, MAX_UPLOAD_BYTES)));
  }

  /**
   * Reads an organizer's PUT body: sizes in millimetres, labels optional (names for the sizes,
   * such as "A0 landscape"), every bad field reported at once as a 400 validation problem.
   */
  public static EventPosterLimits fromJson(JsonObject json) {
    List<FieldError> errors = new ArrayList<>();
    double rw = size(json, "recommendedWidthMm", errors);
    double rh = size(json, "recommendedHeightMm", errors);
    double mw = size(json, "maxWidthMm", errors);
    double mh = size(json, "maxHeightMm", errors);
    double tol = number(json, "toleranceMm", PosterLimits.DEFAULT_TOLERANCE_MM, 0, MAX_TOLERANCE_MM, errors);
    long bytes = 0;
    Object rawBytes = json.getValue("maxUploadBytes");
    if (!(rawBytes instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < MIN_UPLOAD_BYTES || n.longValue() > MAX_UPLOAD_BYTES) {
      errors.add(new FieldError("maxUploadBytes", "must be a whole number of bytes from " + MIN_UPLOAD_BYTES
          + " to " + MAX_UPLOAD_BYTES + " (" + MAX_UPLOAD_BYTES / (1024 * 1024) + " MB)"));
    } else {
      bytes = n.longValue();
    }
    String recommendedLabel = label(json, "recommendedLabel", errors);
    String maxLabel = label(json, "maxLabel", errors);
    if (errors.isEmpty() && (rw > mw || rh > mh)) {
      errors.add(new FieldError("recommendedWidthMm", "the recommended size must fit within the maximum size"));
    }
    if (!errors.isEmpty()) {
      throw ApiError.validation(errors);
    }
    return new EventPosterLimits(new PosterLimits(rw, rh, mw, mh, tol, recommendedLabel, maxLabel), bytes);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("recommendedWidthMm", limits.recommendedWidthMm())
        .put("recommendedHeightMm", limits.recommendedHeightMm())
        .put("maxWidthMm", limits.maxWidthMm())
        .put("maxHeightMm", limits.maxHeightMm())
        .put("toleranceMm", limits.toleranceMm())
        .put("recommendedLabel", limits.recommendedLabel())
        .put("maxLabel", limits.maxLabel())
        .put("recommendedSize", limits.describeRecommended())
        .put("maxSize", limits.describeMaximum())
        .put("maxUploadBytes", maxUploadBytes);
  }

  private static double size(JsonObject json, String field, List<FieldError> errors) {
    return number(json, field, null, 1, MAX_SIZE_MM, errors);
  }

  private static double number(JsonObject json, String field, Double fallback, double min, double max,
      List<FieldError> errors) {
    Object v = json.getValue(field);
    if (v == null && fallback != null) {
      return fallback;
    }
    if (!(v instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
      errors.add(new FieldError(field, "must be a number of millimetres from " + PosterLimits.number(min)
          + " to " + PosterLimits.number(max)));
      return 1;
    }
    return n.doubleValue();
  }

  private static String label(JsonObject json, String field, List<FieldError> errors) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.length() > 120 || s.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError(field, "must be text of at most 120 characters, on one line"));
      return null;
    }
    return s.strip();
  }
}
