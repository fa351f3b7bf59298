package dev.confday.http;

import java.util.ArrayList;
import java.util.List;

/** Collects field errors so a request learns about all its bad fields at once. */
public final class Validation {
  private final List<ApiError.FieldError> errors = new ArrayList<>();

  public Validation check(boolean ok, String field, String message) {
    if (!ok) {
      errors.add(new ApiError.FieldError(field, message));
    }
    return this;
  }

  public Validation required(String value, String field, int maxLength) {
    if (value == null || value.isBlank()) {
      errors.add(new ApiError.FieldError(field, "is required"));
    } else if (value.length() > maxLength) {
      errors.add(new ApiError.FieldError(field, "is longer than " + maxLength + " characters"));
    }
    return this;
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /** Throws one validation error naming every bad field, if there is any. */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw ApiError.validation(errors);
    }
  }
}
