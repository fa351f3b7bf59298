package dev.confday.posters.files;

import dev.confday.posters.check.PosterVerdict;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One accepted version of a poster's PDF: where it is (by poster and version), its SHA-256
 * (the ETag), size, the check's verdict and full result, whether a preview image exists, and
 * who uploaded it when.
 */
public record PosterFile(long posterId, int version, long eventId, String sha256, long sizeBytes,
    PosterVerdict verdict, String message, JsonObject check, PosterPreview.Status previewStatus,
    Long uploadedBy, OffsetDateTime uploadedAt) {

  public PosterFile {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(previewStatus, "previewStatus");
    if (version < 1 || sizeBytes < 1) {
      throw new IllegalArgumentException("a stored poster has a version and a size");
    }
    if (!verdict.accepted()) {
      throw new IllegalArgumentException("only accepted posters are stored");
    }
  }

  public boolean hasPreview() {
    return previewStatus == PosterPreview.Status.OK;
  }

  public JsonObject toJson() {
    return new JsonObject().put("posterId", posterId).put("version", version).put("sha256", sha256)
        .put("sizeBytes", sizeBytes).put("verdict", verdict.name())
        .put("verdictLabel", verdict.label()).put("message", message).put("check", check)
        .put("preview", previewStatus.name()).put("uploadedAt", uploadedAt == null ? null : uploadedAt.toString());
  }
}
