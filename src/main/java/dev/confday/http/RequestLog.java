package dev.confday.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (a sane incoming {@code X-Request-Id} is kept, e.g. from nginx),
 * echoes it in the response and writes one access log line when the response ends.
 */
public final class RequestLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("confday.access");
  private static final String KEY = "requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader("X-Request-Id");
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader("X-Request-Id", id);
    long start = System.nanoTime();
    ctx.addEndHandler(v -> LOG.info("{} {} {} {}ms id={}", ctx.request().method(), ctx.request().path(),
        ctx.response().getStatusCode(), (System.nanoTime() - start) / 1_000_000, id));
    ctx.next();
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "none" : id;
  }
}
