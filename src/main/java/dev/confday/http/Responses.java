package dev.confday.http;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers every route uses to read JSON bodies and write JSON answers. */
public final class Responses {
  private Responses() {
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    String text = body instanceof JsonObject o ? o.encode()
        : body instanceof JsonArray a ? a.encode() : io.vertx.core.json.Json.encode(body);
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(text);
  }

  public static <T> Future<T> ok(RoutingContext ctx, Future<T> result, java.util.function.Function<T, Object> toJson) {
    return result.onSuccess(r -> json(ctx, 200, toJson.apply(r)));
  }

  /** The body as a JSON object, or a 400 malformed-json problem. */
  public static JsonObject body(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !type.toLowerCase().startsWith("application/json")) {
      throw new ApiError(415, "unsupported-media-type", "Unsupported media type",
          "Send the body as application/json.");
    }
    try {
      JsonObject o = ctx.body().asJsonObject();
      if (o == null) {
        throw new ApiError(400, "malformed-json", "Malformed JSON", "The request needs a JSON object body.");
      }
      return o;
    } catch (DecodeException | ClassCastException e) {
      throw new ApiError(400, "malformed-json", "Malformed JSON",
          "The request body is not the JSON object this address expects.");
    }
  }

  public static long pathLong(RoutingContext ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw ApiError.notFound("No " + name + " '" + ctx.pathParam(name) + "'.");
    }
  }
}
