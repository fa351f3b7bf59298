package dev.confday.posters.files;

import dev.confday.posters.check.PosterVerdict;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * One checked upload of a poster, accepted or refused: what the check said, in plain words,
 * and the version it became when accepted.
 */
public record PosterUploadAttempt(long id, long posterId, PosterVerdict verdict, String reasonCode, String message,
    JsonObject check, long sizeBytes, Integer version, OffsetDateTime attemptedAt) {

  public boolean accepted() {
    return verdict.accepted();
  }

  public JsonObject toJson() {
    return new JsonObject().put("verdict", verdict.name()).put("verdictLabel", verdict.label())
        .put("accepted", accepted()).put("reasonCode", reasonCode)
        .put("message", message).put("check", check).put("sizeBytes", sizeBytes).put("version", version)
        .put("attemptedAt", attemptedAt == null ? null : attemptedAt.toString());
  }
}
