package dev.confday.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of the server, built once at boot from defaults and {@code CONFDAY_*}
 * environment variables and validated before anything starts. Passed through constructors.
 */
public record Config(
    String httpHost,
    int httpPort,
    String publicUrl,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    Path dataDir,
    int embeddedDatabasePort,
    int dbPoolSize,
    long maxBodyBytes,
    long maxUploadBytes,
    boolean demo,
    List<String> allowedOrigins,
    Duration sessionTtl,
    Duration keyRotation,
    Duration shutdownGrace,
    int workerPoolSize,
    LiveLimits live,
    DbLimits db,
    EdgeSettings edge,
    StreamSettings stream) {

  public Config {
    require(httpPort >= 0 && httpPort <= 65535, "CONFDAY_HTTP_PORT", "must be a port number 0-65535");
    require(embeddedDatabasePort >= 0 && embeddedDatabasePort <= 65535, "CONFDAY_EMBEDDED_DB_PORT",
        "must be a port number 0-65535");
    require(dbPoolSize >= 1 && dbPoolSize <= 200, "CONFDAY_DB_POOL_SIZE", "must be between 1 and 200");
    require(maxBodyBytes >= 1024, "CONFDAY_MAX_BODY_BYTES", "must be at least 1024");
    require(maxUploadBytes >= 1024, "CONFDAY_MAX_UPLOAD_BYTES", "must be at least 1024");
    require(workerPoolSize >= 1 && workerPoolSize <= 64, "CONFDAY_WORKER_POOL_SIZE", "must be between 1 and 64");
    java.util.Objects.requireNonNull(live, "live");
    java.util.Objects.requireNonNull(db, "db");
    java.util.Objects.requireNonNull(edge, "edge");
    java.util.Objects.requireNonNull(stream, "stream");
    require(!sessionTtl.isNegative() && !sessionTtl.isZero(), "CONFDAY_SESSION_TTL_MINUTES", "must be positive");
    require(!keyRotation.isNegative() && !keyRotation.isZero(), "CONFDAY_KEY_ROTATION_DAYS", "must be positive");
    require(!shutdownGrace.isNegative(), "CONFDAY_SHUTDOWN_GRACE_SECONDS", "must not be negative");
    require(publicUrl.startsWith("http://") || publicUrl.startsWith("https://"), "CONFDAY_PUBLIC_URL",
        "must start with http:// or https://");
    if (databaseUrl != null) {
      require(databaseUrl.startsWith("postgresql://") || databaseUrl.startsWith("postgres://"),
          "CONFDAY_DATABASE_URL", "must look like postgresql://user:password@host:5432/database");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
    publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** Defaults for a laptop: port 8080, embedded PostgreSQL under ./data, demo event loaded. */
  public static Config defaults() {
    return fromEnv(Map.of());
  }

  /** Reads {@code CONFDAY_*} variables over the defaults; fails with a message naming the bad setting. */
  public static Config fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    int port = r.integer("CONFDAY_HTTP_PORT", 8080);
    // with any free port (0) the address people use is unknown here: it must be given
    require(port != 0 || env.get("CONFDAY_PUBLIC_URL") != null, "CONFDAY_HTTP_PORT",
        "0 (any free port) needs CONFDAY_PUBLIC_URL too, the address people use to reach the server");
    String publicUrl = r.string("CONFDAY_PUBLIC_URL", "http://localhost:" + port);
    // read by logback.xml itself; checked here so a typo stops the boot with a clear message
    String accessLog = env.getOrDefault("CONFDAY_ACCESS_LOG_LEVEL", "INFO");
    require(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(accessLog.toUpperCase(java.util.Locale.ROOT)),
        "CONFDAY_ACCESS_LOG_LEVEL", "cannot read '" + accessLog + "' (expected INFO, WARN, ERROR or OFF)");
    String origins = r.string("CONFDAY_ALLOWED_ORIGINS", originOf(publicUrl));
    return new Config(
        r.string("CONFDAY_HTTP_HOST", "0.0.0.0"),
        port,
        publicUrl,
        r.string("CONFDAY_DATABASE_URL", null),
        r.string("CONFDAY_DATABASE_USER", null),
        r.string("CONFDAY_DATABASE_PASSWORD", null),
        Path.of(r.string("CONFDAY_DATA_DIR", "data")).toAbsolutePath(),
        r.integer("CONFDAY_EMBEDDED_DB_PORT", 0),
        r.integer("CONFDAY_DB_POOL_SIZE", 8),
        r.integer("CONFDAY_MAX_BODY_BYTES", 1024 * 1024),
        r.integer("CONFDAY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024),
        r.bool("CONFDAY_DEMO", true),
        Arrays.stream(origins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
        Duration.ofMinutes(r.integer("CONFDAY_SESSION_TTL_MINUTES", 12 * 60)),
        Duration.ofDays(r.integer("CONFDAY_KEY_ROTATION_DAYS", 30)),
        Duration.ofSeconds(r.integer("CONFDAY_SHUTDOWN_GRACE_SECONDS", 10)),
        r.integer("CONFDAY_WORKER_POOL_SIZE", 4),
        liveLimits(r),
        dbLimits(r),
        edgeSettings(r),
        streamSettings(r));
  }

  private static StreamSettings streamSettings(Reader r) {
    // unset: a random secret for this run only (signed URLs then work only with an nginx given the same)
    String secret = r.string("CONFDAY_STREAM_SECRET", null);
    if (secret == null) {
      byte[] bytes = new byte[24];
      new java.security.SecureRandom().nextBytes(bytes);
      secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    return new StreamSettings(secret,
        Duration.ofSeconds(r.integer("CONFDAY_STREAM_TOKEN_TTL_SECONDS", 600)),
        Duration.ofMillis(r.integer("CONFDAY_STREAM_STATUS_MS", 2000)),
        Arrays.stream(r.string("CONFDAY_STREAM_ORIGINS", "").split(",")).map(String::trim).filter(x -> !x.isEmpty())
            .toList());
  }

  private static DbLimits dbLimits(Reader r) {
    DbLimits d = DbLimits.defaults();
    return new DbLimits(
        Duration.ofMillis(r.integer("CONFDAY_DB_CONNECT_TIMEOUT_MS", (int) d.connectTimeout().toMillis())),
        Duration.ofMillis(r.integer("CONFDAY_DB_ACQUIRE_TIMEOUT_MS", (int) d.acquireTimeout().toMillis())),
        Duration.ofMillis(r.integer("CONFDAY_DB_STATEMENT_TIMEOUT_MS", (int) d.statementTimeout().toMillis())));
  }

  private static EdgeSettings edgeSettings(Reader r) {
    EdgeSettings d = EdgeSettings.defaults();
    return new EdgeSettings(
        Duration.ofSeconds(r.integer("CONFDAY_HTTP_IDLE_TIMEOUT_SECONDS", (int) d.idleTimeout().toSeconds())),
        Duration.ofSeconds(r.integer("CONFDAY_HTTP_REQUEST_TIMEOUT_SECONDS", (int) d.requestTimeout().toSeconds())),
        r.integer("CONFDAY_LOGIN_RATE_PER_MINUTE", d.loginPerMinute()),
        r.integer("CONFDAY_ANONYMOUS_RATE_PER_SECOND", d.anonymousPerSecond()),
        r.bool("CONFDAY_TRUST_FORWARDED_FOR", d.trustForwardedFor()),
        r.string("CONFDAY_METRICS_TOKEN", null),
        r.integer("CONFDAY_HTTP_EVENT_LOOPS", d.eventLoops()));
  }

  private static LiveLimits liveLimits(Reader r) {
    LiveLimits d = LiveLimits.defaults();
    int rate = r.integer("CONFDAY_LIVE_RATE_PER_SECOND", d.ratePerSecond());
    return new LiveLimits(
        r.integer("CONFDAY_LIVE_RETENTION_MESSAGES", d.retentionMessages()),
        Duration.ofHours(r.integer("CONFDAY_LIVE_RETENTION_HOURS", (int) d.retentionAge().toHours())),
        rate,
        r.integer("CONFDAY_LIVE_RATE_BURST", Math.max(d.rateBurst(), rate)),
        r.integer("CONFDAY_LIVE_MAX_TOPICS", d.maxTopicsPerSocket()),
        Duration.ofSeconds(r.integer("CONFDAY_LIVE_PING_SECONDS", (int) d.ping().toSeconds())),
        Duration.ofMillis(r.integer("CONFDAY_LIVE_SLOW_CONSUMER_MS", (int) d.slowConsumer().toMillis())),
        Duration.ofMillis(r.integer("CONFDAY_LIVE_NOTIFY_DELAY_MS", (int) d.notifyDelay().toMillis())),
        Duration.ofMillis(r.integer("CONFDAY_LIVE_POLL_MS", (int) d.poll().toMillis())),
        Duration.ofMillis(r.integer("CONFDAY_LIVE_PRESENCE_MS", (int) d.presenceInterval().toMillis())),
        Duration.ofSeconds(r.integer("CONFDAY_LIVE_PRUNE_SECONDS", (int) d.pruneInterval().toSeconds())));
  }

  public Config withHttpPort(int port) {
    return new Config(httpHost, port, publicUrl, databaseUrl, databaseUser, databasePassword, dataDir,
        embeddedDatabasePort, dbPoolSize, maxBodyBytes, maxUploadBytes, demo, allowedOrigins, sessionTtl,
        keyRotation, shutdownGrace, workerPoolSize, live, db, edge, stream);
  }

  public Config withPublicUrl(String url, List<String> origins) {
    return new Config(httpHost, httpPort, url, databaseUrl, databaseUser, databasePassword, dataDir,
        embeddedDatabasePort, dbPoolSize, maxBodyBytes, maxUploadBytes, demo, origins, sessionTtl,
        keyRotation, shutdownGrace, workerPoolSize, live, db, edge, stream);
  }

  public Path uploadDir() {
    return dataDir.resolve("uploads");
  }

  static String originOf(String url) {
    try {
      URI u = URI.create(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("CONFDAY_PUBLIC_URL", "is not a URL: " + url);
    }
  }

  private static void require(boolean ok, String setting, String message) {
    if (!ok) {
      throw new ConfigException(setting, message);
    }
  }

  /** A setting that cannot be used; the message names it. */
  public static final class ConfigException extends IllegalArgumentException {
    public ConfigException(String setting, String message) {
      super("Invalid setting " + setting + ": " + message);
    }
  }

  private record Reader(Map<String, String> env) {
    String string(String name, String fallback) {
      String v = env.get(name);
      return v == null || v.isBlank() ? fallback : v.trim();
    }

    int integer(String name, int fallback) {
      return parse(name, fallback, Integer::parseInt);
    }

    boolean bool(String name, boolean fallback) {
      return parse(name, fallback, v -> switch (v.toLowerCase()) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException();
      });
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser) {
      String v = string(name, null);
      if (v == null) {
        return fallback;
      }
      try {
        return parser.apply(v);
      } catch (RuntimeException e) {
        throw new ConfigException(name, "cannot read '" + v + "' (expected "
            + (fallback instanceof Boolean ? "true or false" : "a whole number") + ")");
      }
    }
  }
}
