package dev.confday.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

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
