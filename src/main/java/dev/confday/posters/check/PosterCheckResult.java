package dev.confday.posters.check;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one poster check: the verdict, the measured size of the page as it hangs (null
 * when the file could not be measured), a message in plain words for the presenter, warnings,
 * and a stable machine code for the reason of a refusal (null when accepted).
 *
 * <p>Reason codes are the constants of {@link PosterCheck}; they are meant to become
 * problem+json {@code type}s and never change once published.
 */
public record PosterCheckResult(
    PosterVerdict verdict,
    Double widthCm,
    Double heightCm,
    Double widthIn,
    Double heightIn,
    String orientation,
    String paperName,
    int pages,
    String message,
    List<String> warnings,
    String reasonCode) {

  public PosterCheckResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(message, "message");
    if (pages < 0) {
      throw new IllegalArgumentException("pages must be zero or more: " + pages);
    }
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    if (verdict.accepted() != (reasonCode == null)) {
      throw new IllegalArgumentException("a refusal needs a reason code and an acceptance none");
    }
  }

  /** True when the poster can be hung as it is. */
  public boolean accepted() {
    return verdict.accepted();
  }
}
