package dev.confday.config;

import java.time.Duration;

/**
 * What the server allows a network client before it is authenticated: how long a connection
 * may sit idle or take to send a request, how often one address may try a login or ask for
 * anonymous live tickets, who may read {@code /metrics}, and on how many event loops requests are
 * served. Read from {@code CONFDAY_HTTP_*},
 * {@code CONFDAY_*_RATE_*} and {@code CONFDAY_METRICS_TOKEN}, validated at boot.
 */
public record EdgeSettings(
    Duration idleTimeout,
    Duration requestTimeout,
    int loginPerMinute,
    int anonymousPerSecond,
    boolean trustForwardedFor,
    String metricsToken,
    int eventLoops) {

  public EdgeSettings {
    check(idleTimeout.toSeconds() >= 5 && idleTimeout.toSeconds() <= 3600, "CONFDAY_HTTP_IDLE_TIMEOUT_SECONDS",
        "must be between 5 and 3600");
    check(requestTimeout.toMillis() >= 500 && requestTimeout.toSeconds() <= 600, "CONFDAY_HTTP_REQUEST_TIMEOUT_SECONDS",
        "must be between 1 and 600");
    check(loginPerMinute >= 1 && loginPerMinute <= 100_000, "CONFDAY_LOGIN_RATE_PER_MINUTE",
        "must be between 1 and 100000");
    check(anonymousPerSecond >= 1 && anonymousPerSecond <= 100_000, "CONFDAY_ANONYMOUS_RATE_PER_SECOND",
        "must be between 1 and 100000");
    check(metricsToken == null || metricsToken.length() >= 16, "CONFDAY_METRICS_TOKEN",
        "must be at least 16 characters (or unset: metrics only for local scrapers)");
    check(eventLoops >= 1 && eventLoops <= 64, "CONFDAY_HTTP_EVENT_LOOPS", "must be between 1 and 64");
  }

  /**
   * The defaults: 60 s idle, 30 s to send a request head, 30 logins a minute and 30 anonymous
   * tickets a second per address, requests served on one event loop per processor.
   */
  public static EdgeSettings defaults() {
    return new EdgeSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), 30, 30, false, null,
        Math.min(64, Runtime.getRuntime().availableProcessors()));
  }

  private static void check(boolean ok, String setting, String message) {
    if (!ok) {
      throw new Config.ConfigException(setting, message);
    }
  }
}
