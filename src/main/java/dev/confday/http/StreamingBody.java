package dev.confday.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The first handler of a route that reads its own request body (an upload). Vert.x Web does not
 * pause the request, and the access check that runs next is asynchronous (a database lookup):
 * body data arriving meanwhile would be dropped. This handler pauses the request until the
 * route's handler attaches its reader, and when the answer goes out before the body was read
 * (a refusal: 401, 403, 413...), reads and discards what the client still sends, up to
 * {@link #DISCARD_LIMIT}, then closes the connection. Draining a little keeps the connection
 * reusable and lets the client read the answer; closing bounds what a refused client costs.
 */
public final class StreamingBody {
  /** Bytes read and thrown away after an early answer before the connection is closed. */
  public static final long DISCARD_LIMIT = 1024 * 1024;

  private StreamingBody() {
  }

  public static void hold(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    ctx.addEndHandler(done -> {
      if (!request.isEnded()) {
        discardRest(request);
      }
    });
    ctx.next();
  }

  /**
   * The body of a held request, in memory, up to {@code max} bytes. A larger body is read on and
   * dropped up to {@code drainLimit} (so the client, still sending, can read the 413 {@code tooLarge}
   * gives); past that, or when the declared length is already past it, the connection is closed.
   */
  public static Future<Buffer> readBounded(HttpServerRequest request, long max, long drainLimit,
      Supplier<ApiError> tooLarge) {
    String declared = request.getHeader("Content-Length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > drainLimit) {
      request.connection().close();
      return Future.failedFuture(tooLarge.get());
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    long[] seen = {0};
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] <= max) {
        body.appendBuffer(chunk);
      } else if (seen[0] > drainLimit) {
        request.handler(null);
        done.tryFail(tooLarge.get());
        request.connection().close();
      }
    });
    request.exceptionHandler(done::tryFail);
    request.endHandler(v -> {
      if (seen[0] > max) {
        done.tryFail(tooLarge.get());
      } else {
        done.tryComplete(body);
      }
    });
    request.resume();
    return done.future();
  }

  private static void discardRest(HttpServerRequest request) {
    long[] discarded = {0};
    request.exceptionHandler(t -> { });
    request.endHandler(null);
    request.handler(chunk -> {
      discarded[0] += chunk.length();
      if (discarded[0] > DISCARD_LIMIT) {
        request.handler(null);
        request.connection().close();
      }
    });
    request.resume();
  }
}
