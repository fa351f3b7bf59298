package dev.confday.http;

import dev.confday.config.EdgeSettings;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A token bucket per client address, for what anyone may call without a session (the login
 * exchange, anonymous live tickets, calendar feeds). Over the limit: 429 problem+json with
 * {@code Retry-After}. Memory is bounded: at most {@link #MAX_CLIENTS} addresses are tracked
 * (the least recently seen is forgotten). Per instance: behind N instances a client gets up to
 * N times the rate. The address is the peer's, or the last {@code X-Forwarded-For} hop (the one
 * the proxy added) when the operator says a proxy is in front.
 */
public final class RateLimit {
  static final int MAX_CLIENTS = 10_000;

  private final String what;
  private final double perSecond;
  private final double burst;
  private final boolean trustForwardedFor;
  private final Map<String, double[]> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  /** {@code perSecond} tokens refill each second up to {@code burst}; {@code what} names the limit in the problem. */
  public RateLimit(String what, double perSecond, double burst, boolean trustForwardedFor) {
    this.what = what;
    this.perSecond = perSecond;
    this.burst = burst;
    this.trustForwardedFor = trustForwardedFor;
  }

  /**
   * The limits on what anyone may call without a session: the login exchange, anonymous live
   * tickets (a ticket for a session is not limited) and calendar feeds. Mounted before the API
   * routes, so a refused request costs no body read and no database query.
   */
  public static void limitUnauthenticated(Router router, EdgeSettings edge) {
    RateLimit logins = new RateLimit("login attempts", edge.loginPerMinute() / 60.0, edge.loginPerMinute(),
        edge.trustForwardedFor());
    RateLimit anonymous = new RateLimit("anonymous requests", edge.anonymousPerSecond(),
        edge.anonymousPerSecond() * 10.0, edge.trustForwardedFor());
    router.post("/api/auth/session").handler(logins.handler(ctx -> true));
    router.post("/api/live/ticket").handler(anonymous.handler(ctx -> ctx.request().getHeader("Authorization") == null));
    router.get("/api/events/:event/agenda.ics").handler(anonymous.handler(ctx -> true));
  }

  /** A route handler that limits the requests {@code applies} to and lets the others through. */
  public Handler<RoutingContext> handler(Predicate<RoutingContext> applies) {
    return ctx -> {
      if (!applies.test(ctx)) {
        ctx.next();
        return;
      }
      long wait = take(client(ctx), System.nanoTime());
      if (wait == 0) {
        ctx.next();
        return;
      }
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      ctx.fail(new ApiError(429, "too-many-requests", "Too many requests",
          "Too many " + what + " from your address; retry in " + wait + " s."));
    };
  }

  /** Takes a token for {@code key} (any string: an address, a person and a session); answers 0 or the seconds to wait. */
  public long acquire(String key) {
    return take(key, System.nanoTime());
  }

  /** Gives back a token {@link #acquire} took for {@code key}, e.g. for a request refused before it did anything. */
  public synchronized void giveBack(String key) {
    double[] b = buckets.get(key);
    if (b != null) {
      b[0] = Math.min(burst, b[0] + 1);
    }
  }

  /** Takes a token; answers 0, or the whole seconds until one is available. */
  synchronized long take(String client, long nowNanos) {
    double[] b = buckets.computeIfAbsent(client, k -> new double[] {burst, nowNanos});
    b[0] = Math.min(burst, b[0] + (nowNanos - b[1]) / 1e9 * perSecond);
    b[1] = nowNanos;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b[0]) / perSecond));
  }

  synchronized int tracked() {
    return buckets.size();
  }

  private String client(RoutingContext ctx) {
    if (trustForwardedFor) {
      String forwarded = ctx.request().getHeader("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String[] hops = forwarded.split(",");
        return hops[hops.length - 1].trim();
      }
    }
    var remote = ctx.request().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }
}
