package dev.confday.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * HEAD for every GET route, in one place (RFC 9110 9.3.2): the request is routed as the GET,
 * so status and headers (Content-Type, ETag, caching) are the GET's, and Vert.x writes no body
 * in answer to a HEAD request. Mounted first, so the rerouted request is logged once.
 */
public final class Head {
  private Head() {
  }

  public static void asGet(RoutingContext ctx) {
    ctx.reroute(HttpMethod.GET, ctx.request().uri());
  }
}
