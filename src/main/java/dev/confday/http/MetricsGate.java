package dev.confday.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read {@code /metrics}: with {@code CONFDAY_METRICS_TOKEN}, whoever sends it as a Bearer
 * token; without, only a scraper on this host connecting directly (loopback, and no proxy's
 * forwarding header, since a proxy on the same host is loopback too). Anyone else gets a 404.
 */
public final class MetricsGate implements Handler<RoutingContext> {
  private final byte[] expected;

  public MetricsGate(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    var request = ctx.request();
    boolean allowed;
    if (expected != null) {
      String header = request.getHeader("Authorization");
      allowed = header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    } else {
      allowed = request.remoteAddress() != null && isLoopback(request.remoteAddress().hostAddress())
          && request.getHeader("X-Forwarded-For") == null && request.getHeader("Forwarded") == null;
    }
    if (allowed) {
      ctx.next();
    } else {
      ctx.fail(404);
    }
  }

  private static boolean isLoopback(String address) {
    return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
  }
}
