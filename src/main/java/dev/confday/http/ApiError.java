package dev.confday.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A domain error with everything needed for its RFC 9457 problem document. Services fail with
 * these; the root failure handler writes them. The {@code type} slug is stable: clients may
 * branch on it.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;

  public ApiError(int status, String type, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = extensions == null ? new JsonObject() : extensions;
  }

  public ApiError(int status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  /** One field that failed validation, with a message a person can act on. */
  public record FieldError(String field, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, "bad-request", "Bad request", detail);
  }

  public static ApiError validation(List<FieldError> errors) {
    JsonArray list = new JsonArray();
    errors.forEach(e -> list.add(e.toJson()));
    String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid.";
    return new ApiError(400, "validation", "Invalid input", detail, new JsonObject().put("errors", list));
  }

  public static ApiError validation(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  public static ApiError unauthorized(String detail) {
    return new ApiError(401, "unauthorized", "Authentication required", detail);
  }

  public static ApiError forbidden(String detail) {
    return new ApiError(403, "forbidden", "Not allowed", detail);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(404, "not-found", "Not found", detail);
  }

  public static ApiError conflict(String detail) {
    return new ApiError(409, "conflict", "Conflict", detail);
  }

  public static ApiError tooLarge(String detail) {
    return new ApiError(413, "payload-too-large", "Payload too large", detail);
  }

  public ApiError with(String key, Object value) {
    extensions.put(key, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public JsonObject extensions() {
    return extensions;
  }
}
