package dev.confday.config;

import java.time.Duration;

/**
 * How long anything may wait for PostgreSQL, read from {@code CONFDAY_DB_*} settings: opening a
 * connection, waiting for a free pooled one, and one statement. With the defaults a request
 * that needs a database which is down or frozen answers 503 within about five seconds.
 */
public record DbLimits(Duration connectTimeout, Duration acquireTimeout, Duration statementTimeout) {

  public DbLimits {
    check(connectTimeout, "CONFDAY_DB_CONNECT_TIMEOUT_MS");
    check(acquireTimeout, "CONFDAY_DB_ACQUIRE_TIMEOUT_MS");
    check(statementTimeout, "CONFDAY_DB_STATEMENT_TIMEOUT_MS");
  }

  public static DbLimits defaults() {
    return new DbLimits(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  /**
   * The longest a caller waits for one statement or transaction, the wait for a connection
   * included: a second more than PostgreSQL's own {@code statement_timeout}, so a database that
   * answers cancels the statement itself and one that does not (frozen) is given up on here.
   */
  public Duration callTimeout() {
    return statementTimeout.plusSeconds(1);
  }

  private static void check(Duration d, String setting) {
    if (d.toMillis() < 100 || d.toMillis() > 600_000) {
      throw new Config.ConfigException(setting, "must be between 100 and 600000");
    }
  }
}
