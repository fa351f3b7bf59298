package dev.confday.config;

import java.time.Duration;

/**
 * The bounds and timings of the realtime backbone (WebSocket delivery), read from
 * {@code CONFDAY_LIVE_*} settings and validated at boot like the rest of {@link Config}.
 */
public record LiveLimits(
    int retentionMessages,
    Duration retentionAge,
    int ratePerSecond,
    int rateBurst,
    int maxTopicsPerSocket,
    Duration ping,
    Duration slowConsumer,
    Duration notifyDelay,
    Duration poll,
    Duration presenceInterval,
    Duration pruneInterval) {

  public LiveLimits {
    check(retentionMessages >= 10 && retentionMessages <= 10_000_000, "CONFDAY_LIVE_RETENTION_MESSAGES",
        "must be between 10 and 10000000");
    check(retentionAge.toMinutes() >= 1, "CONFDAY_LIVE_RETENTION_HOURS", "must be at least 1");
    check(ratePerSecond >= 1 && ratePerSecond <= 10_000, "CONFDAY_LIVE_RATE_PER_SECOND", "must be between 1 and 10000");
    check(rateBurst >= ratePerSecond && rateBurst <= 100_000, "CONFDAY_LIVE_RATE_BURST",
        "must be at least CONFDAY_LIVE_RATE_PER_SECOND and at most 100000");
    check(maxTopicsPerSocket >= 1 && maxTopicsPerSocket <= 1000, "CONFDAY_LIVE_MAX_TOPICS", "must be between 1 and 1000");
    check(ping.toMillis() >= 1000 && ping.toSeconds() <= 300, "CONFDAY_LIVE_PING_SECONDS", "must be between 1 and 300");
    check(slowConsumer.toMillis() >= 500 && slowConsumer.toSeconds() <= 300, "CONFDAY_LIVE_SLOW_CONSUMER_MS",
        "must be between 500 and 300000");
    check(notifyDelay.toMillis() >= 1 && notifyDelay.toMillis() <= 1000, "CONFDAY_LIVE_NOTIFY_DELAY_MS",
        "must be between 1 and 1000");
    check(poll.toMillis() >= 100 && poll.toSeconds() <= 600, "CONFDAY_LIVE_POLL_MS", "must be between 100 and 600000");
    check(presenceInterval.toMillis() >= 100 && presenceInterval.toSeconds() <= 600, "CONFDAY_LIVE_PRESENCE_MS",
        "must be between 100 and 600000");
    check(pruneInterval.toMillis() >= 100 && pruneInterval.toHours() <= 24, "CONFDAY_LIVE_PRUNE_SECONDS",
        "must be between 1 and 86400");
  }

  /** The defaults: 10,000 messages or 24 h per topic, 20 messages/s per socket, ping every 15 s. */
  public static LiveLimits defaults() {
    return new LiveLimits(10_000, Duration.ofHours(24), 20, 40, 32, Duration.ofSeconds(15), Duration.ofSeconds(5),
        Duration.ofMillis(15), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  private static void check(boolean ok, String setting, String message) {
    if (!ok) {
      throw new Config.ConfigException(setting, message);
    }
  }
}
