package dev.confday.db;

import dev.confday.config.Config;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the PostgreSQL database is: the configured server, or an embedded one whose data lives
 * under the data directory and survives restarts. Also builds the bounded reactive pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final PgConnectOptions options;
  private final EmbeddedPostgres embedded;

  private Database(PgConnectOptions options, EmbeddedPostgres embedded) {
    this.options = options;
    this.embedded = embedded;
  }

  /** Uses CONFDAY_DATABASE_URL when set, otherwise starts (or reuses) the embedded server. */
  public static Database open(Config config) {
    if (config.databaseUrl() != null) {
      PgConnectOptions o = PgConnectOptions.fromUri(config.databaseUrl().replaceFirst("^postgres://", "postgresql://"));
      if (config.databaseUser() != null) {
        o.setUser(config.databaseUser());
      }
      if (config.databasePassword() != null) {
        o.setPassword(config.databasePassword());
      }
      LOG.info("Using PostgreSQL at {}:{}/{}", o.getHost(), o.getPort(), o.getDatabase());
      return new Database(o, null);
    }
    return startEmbedded(config.dataDir(), config.embeddedDatabasePort(), "postgres", Durability.DURABLE);
  }

  /**
   * How the embedded server treats the disk. DURABLE (the run command): fsync, synchronous
   * commits and full page writes, as a power cut needs. FAST (the tests): none of them.
   */
  public enum Durability { DURABLE, FAST }

  /** A fast embedded server for tests, with its files under {@code dataDir}. */
  public static Database startEmbedded(Path dataDir, int port, String database) {
    return startEmbedded(dataDir, port, database, Durability.FAST);
  }

  /**
   * Starts an embedded server with its files under {@code dataDir} (see {@link EmbeddedFiles}:
   * created and initialised when empty, upgraded in place when made by an older confday). Every
   * connection needs the generated password: pg_hba.conf allows SCRAM only, never trust.
   */
  public static Database startEmbedded(Path dataDir, int port, String database, Durability durability) {
    try {
      long started = System.nanoTime();
      EmbeddedFiles files = EmbeddedFiles.prepare(dataDir, durability == Durability.DURABLE);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(files.pgData())
          .setCleanDataDirectory(false)
          .setPort(port)
          .setPGStartupWait(Duration.ofSeconds(120))
          .setConnectConfig("password", files.password())
          .setServerConfig("max_connections", "200")
          .setServerConfig("listen_addresses", "localhost")
          // no Unix socket at all: the one way in is TCP on loopback, with the password
          .setServerConfig("unix_socket_directories", "''")
          .setServerConfig("password_encryption", "scram-sha-256");
      if (files.binaries() != null) {
        builder.setOverrideWorkingDirectory(files.binaries().toFile());
      }
      // the embedded library passes -F (fsync off) and synchronous_commit=off; later -c settings win
      String on = durability == Durability.DURABLE ? "on" : "off";
      builder.setServerConfig("fsync", on).setServerConfig("synchronous_commit", on)
          .setServerConfig("full_page_writes", on);
      EmbeddedPostgres pg = builder.start();
      LOG.info("Embedded PostgreSQL ({}) on port {} with data in {} (started in {} ms)",
          durability == Durability.DURABLE ? "durable" : "fast, for tests", pg.getPort(), files.pgData(),
          (System.nanoTime() - started) / 1_000_000);
      PgConnectOptions o = new PgConnectOptions().setHost("localhost").setPort(pg.getPort())
          .setUser(EmbeddedFiles.SUPERUSER).setPassword(files.password()).setDatabase(database);
      return new Database(o, pg);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDir, e);
    }
  }

  /** The same server, another database on it. */
  public Database withDatabase(String database) {
    return new Database(new PgConnectOptions(options).setDatabase(database), null);
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(options);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
  }

  public String user() {
    return options.getUser();
  }

  public String password() {
    return options.getPassword();
  }

  /** A pool bounded in connections and in waiting requests. */
  public Pool pool(Vertx vertx, int size) {
    PoolOptions poolOptions = new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(size * 64)
        .setName("confday-db").setShared(true);
    return PgBuilder.pool().with(poolOptions).connectingTo(connectOptions()).using(vertx).build();
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        LOG.warn("Stopping embedded PostgreSQL failed", e);
      }
    }
  }
}
