package dev.confday.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler on the root router: every error leaves as RFC 9457
 * {@code application/problem+json} with a stable {@code type}. A 500 never carries an
 * exception message; it carries the request id to find the log line.
 */
public final class Problems implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";
  /** Problem types are relative URIs under this path; the README lists them. */
  public static final String TYPE_BASE = "/problems/";
  /** Retry-After of a 503 that does not name its own. */
  static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

  private static final Map<Integer, String[]> BY_STATUS = Map.ofEntries(
      Map.entry(400, new String[] {"bad-request", "Bad request", "The request could not be understood."}),
      Map.entry(401, new String[] {"unauthorized", "Authentication required", "Log in through your personal link first."}),
      Map.entry(403, new String[] {"forbidden", "Not allowed", "Your role does not allow this."}),
      Map.entry(404, new String[] {"not-found", "Not found", "There is nothing at this address."}),
      Map.entry(405, new String[] {"method-not-allowed", "Method not allowed", "This address does not accept that method."}),
      Map.entry(406, new String[] {"not-acceptable", "Not acceptable", "No representation matches the Accept header."}),
      Map.entry(413, new String[] {"payload-too-large", "Payload too large", "The request body is larger than allowed."}),
      Map.entry(408, new String[] {"request-timeout", "Request timeout", "The request took too long to arrive."}),
      Map.entry(414, new String[] {"uri-too-long", "URI too long", "The address is longer than allowed."}),
      Map.entry(415, new String[] {"unsupported-media-type", "Unsupported media type", "Send the body with the content type this address expects."}),
      Map.entry(429, new String[] {"too-many-requests", "Too many requests", "Slow down and retry shortly."}),
      Map.entry(507, new String[] {"insufficient-storage", "Storage full",
          "The server has no room left to store this; nothing was stored. Try again later."}),
      Map.entry(431, new String[] {"headers-too-large", "Request headers too large", "The request headers are larger than allowed."}));

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      LOG.warn("Failure after the response started [{}]", RequestLog.id(ctx), ctx.failure());
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof io.vertx.core.http.HttpClosedException) {
      // the client (or the connection guard, after a framing error) closed the connection: nobody to answer
      LOG.debug("Connection closed before the response [{}]", RequestLog.id(ctx));
      return;
    }
    ApiError error = toApiError(ctx.statusCode(), failure);
    if (error.status() == 507) {
      // one line, no trace: the operator's action is to free space, not to read code
      LOG.warn("Storage full [{}] {} {}: {}", RequestLog.id(ctx), ctx.request().method(), ctx.request().path(),
          storageMessage(failure));
    } else if (error.status() == 503 && "unavailable".equals(error.type())) {
      // a database outage is logged once by DbOutage, not per refused request
      LOG.debug("Unavailable [{}] {} {}", RequestLog.id(ctx), ctx.request().method(), ctx.request().path());
    } else if (error.status() >= 500) {
      LOG.error("Unhandled failure [{}] {} {}", RequestLog.id(ctx), ctx.request().method(), ctx.request().path(),
          failure);
    }
    if (error.status() == 405) {
      // the router's 405 handler names the allowed methods in the Allow header
      String allow = ctx.response().headers().get("Allow");
      if (allow != null) {
        error.with("allow", allow);
      }
    }
    write(ctx, error);
  }

  static ApiError toApiError(int statusCode, Throwable failure) {
    if (failure instanceof ApiError api) {
      return api;
    }
    if (storageMessage(failure) != null) {
      return insufficientStorage();
    }
    if (failure instanceof DecodeException
        || (failure instanceof ClassCastException)) {
      return new ApiError(400, "malformed-json", "Malformed JSON",
          "The request body is not the JSON object this address expects.");
    }
    if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
      statusCode = http.getStatusCode();
    }
    String[] known = BY_STATUS.get(statusCode);
    if (known != null) {
      return new ApiError(statusCode, known[0], known[1], known[2]);
    }
    if (statusCode >= 400 && statusCode < 500) {
      // a client error with no type of its own keeps its status rather than becoming a 500
      return new ApiError(statusCode, "bad-request", "Bad request", "The request could not be understood.");
    }
    if (statusCode == 503) {
      return new ApiError(503, "unavailable", "Service unavailable", "The server is starting or stopping; retry shortly.");
    }
    return new ApiError(500, "internal-error", "Internal server error",
        "Something went wrong on our side. Quote the request id when you report it.");
  }

  /** The answer when a file cannot be written because the disk (or the quota) is full. */
  public static ApiError insufficientStorage() {
    return new ApiError(507, "insufficient-storage", "Storage full",
        "The server has no room left to store your file, so nothing was stored. This is not a problem with "
            + "your file: please tell the organizers, and try again later.");
  }

  /**
   * The message of the I/O error in {@code t}'s causes that says the disk or the quota is full
   * (ENOSPC, EDQUOT), or null when there is none.
   */
  static String storageMessage(Throwable t) {
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
          || t instanceof io.vertx.core.file.FileSystemException)
          && (message.contains("No space left on device") || message.contains("Disk quota exceeded")
              || message.contains("ENOSPC") || message.contains("EDQUOT"))) {
        return message;
      }
    }
    return null;
  }

  /**
   * For requests the HTTP codec could not read (request line or headers too long, broken
   * syntax): they never reach the router, so they get their problem here, and the connection is
   * closed as it cannot be trusted any more.
   */
  public static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof io.netty.handler.codec.http.TooLongHttpLineException ? 414
        : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431 : 400;
    ApiError error = toApiError(status, null);
    JsonObject body = document(error).put("instance", request.path());
    request.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Connection", "close").end(body.toBuffer())
        .onComplete(v -> request.connection().close());
  }

  /**
   * The problem document of a failure outside an HTTP exchange, e.g. the answer to a live
   * socket's request: an ApiError (a database outage is one: 503) as it is, a full disk 507, anything else
   * a 500 that says nothing more than its request id (logged with the failure).
   */
  public static JsonObject documentOf(Throwable failure, String requestId) {
    // (a database outage is an ApiError already: 503 unavailable)
    ApiError error = failure instanceof ApiError api ? api
        : storageMessage(failure) != null ? insufficientStorage() : toApiError(500, null);
    JsonObject body = document(error);
    return error.status() >= 500 ? body.put("requestId", requestId) : body;
  }

  /** The RFC 9457 document of an error: type, title, status, detail and its extensions. */
  private static JsonObject document(ApiError error) {
    JsonObject body = new JsonObject()
        .put("type", TYPE_BASE + error.type())
        .put("title", error.title())
        .put("status", error.status())
        .put("detail", error.detail());
    error.extensions().forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }

  /** Writes an error as problem+json; also used outside the router (e.g. WebSocket upgrade refusals). */
  public static void write(RoutingContext ctx, ApiError error) {
    JsonObject body = document(error).put("instance", ctx.request().path())
        .put("requestId", RequestLog.id(ctx));
    if (error.status() == 503) {
      // every 503 is temporary: say when to try again (the body's retryAfter, or a default)
      Object seconds = error.extensions().getValue("retryAfter");
      ctx.response().putHeader("Retry-After", String.valueOf(seconds instanceof Number n ? n.intValue()
          : DEFAULT_RETRY_AFTER_SECONDS));
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(body.toBuffer());
  }
}
