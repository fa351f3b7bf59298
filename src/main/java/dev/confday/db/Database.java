package dev.confday.db;

import dev.confday.config.Config;
import dev.confday.config.DbLimits;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
   * commits and full page writes, as a power cut needs. FAST (the tests): no fsync, no full page
   * writes; commits stay synchronous, so a killed PostgreSQL keeps what it acknowledged.
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
      // synchronous commits stay on even for tests: without them a killed PostgreSQL loses commits it
      // acknowledged (WAL not yet handed to the OS), which the outage tests check
      builder.setServerConfig("fsync", on).setServerConfig("synchronous_commit", "on")
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

  /**
   * The pool every feature uses, bounded in connections, in waiting requests and in time (see
   * {@link DbLimits}): connecting, waiting for a connection, and every statement (PostgreSQL's
   * {@code statement_timeout}, set on each pooled connection, and a client-side timer for a
   * database that does not answer at all). The LISTEN connection of the live backbone is not
   * from this pool ({@link #connectOptions()} carries no statement timeout; it idles anyway).
   */
  public BoundedPool pool(Vertx vertx, int size, DbLimits limits) {
    PoolOptions poolOptions = new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(size * 64)
        .setConnectionTimeout((int) limits.acquireTimeout().toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setName("confday-db").setShared(true);
    NetClientOptions net = new NetClientOptions().setConnectTimeout((int) limits.connectTimeout().toMillis())
        .setTcpKeepAlive(true);
    PgConnectOptions bounded = connectOptions();
    bounded.addProperty("statement_timeout", Long.toString(limits.statementTimeout().toMillis()));
    // each connection keeps its statements prepared (named), as pgbench -M prepared does: without it
    // every query is parsed and planned again, most of PostgreSQL's CPU in a short transaction
    bounded.setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512);
    Pool pool = PgBuilder.pool().with(poolOptions).with(net).connectingTo(bounded).using(vertx).build();
    return new BoundedPool(pool, limits.callTimeout(), new DbOutage());
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
