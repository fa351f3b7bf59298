package dev.confday.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (a sane incoming {@code X-Request-Id} is kept, e.g. from nginx),
 * echoes it in the response and writes one access log line when the response ends, or
 * {@code 499 client closed} when the connection closed before an answer was sent (an aborted
 * upload), never the status the response would have had.
 */
public final class RequestLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("confday.access");
  private static final String KEY = "requestId";
  private static final String START_KEY = "requestStart";
  /** What the log says for a request whose client went away before the answer (nginx's 499). */
  public static final int CLIENT_CLOSED = 499;
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  /**
   * A random (version 4) UUID from the thread's own generator: a request id correlates a log line
   * with an answer and is no secret, so it needs no SecureRandom (UUID.randomUUID reads the
   * system's entropy source under a lock for every request).
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader("X-Request-Id");
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader("X-Request-Id", id);
    long start = System.nanoTime();
    ctx.put(START_KEY, start);
    ctx.addEndHandler(ended -> {
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (ended.succeeded() && ctx.response().ended()) {
        LOG.info("{} {} {} {}ms id={}", ctx.request().method(), ctx.request().path(),
            ctx.response().getStatusCode(), millis, id);
      } else {
        // the connection closed before the answer was sent: no status was given to anyone
        LOG.info("{} {} {} client closed after {}ms ({} bytes received, no answer sent) id={}",
            ctx.request().method(), ctx.request().path(), CLIENT_CLOSED, millis, ctx.request().bytesRead(), id);
      }
    });
    ctx.next();
  }

  /** A WebSocket upgrade ends no HTTP response, so its line is written when the upgrade succeeds. */
  public static void upgraded(RoutingContext ctx) {
    Long start = ctx.get(START_KEY);
    LOG.info("{} {} 101 upgraded to WebSocket {}ms id={}", ctx.request().method(), ctx.request().path(),
        start == null ? 0 : (System.nanoTime() - start) / 1_000_000, id(ctx));
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "none" : id;
  }
}
