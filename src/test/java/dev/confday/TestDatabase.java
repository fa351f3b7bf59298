package dev.confday;

import dev.confday.db.Database;
import dev.confday.db.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL per test JVM (data under target/, wiped on every run), and a
 * fresh, migrated database on it for each test class that asks. Never a mock.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Database server;

  private TestDatabase() {
  }

  /** The shared server (started on first use), pointing at the maintenance database. */
  public static synchronized Database server() {
    if (server == null) {
      // wiped at the start of each run; the embedded server stops itself when the JVM exits
      Path dir = Path.of("target", "test-postgres").toAbsolutePath();
      deleteRecursively(dir);
      server = Database.startEmbedded(dir, 0, "postgres");
    }
    return server;
  }

  /** An empty database, not yet migrated. */
  public static Database emptyDatabase() {
    Database db = server();
    String name = "t" + COUNTER.incrementAndGet() + "_" + System.nanoTime() % 100000;
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return db.withDatabase(name);
  }

  /** An empty database with every migration applied. */
  public static Database migratedDatabase() {
    Database db = emptyDatabase();
    Migrations.migrate(db);
    return db;
  }

  private static void deleteRecursively(Path dir) {
    java.io.File f = dir.toFile();
    if (!f.exists()) {
      return;
    }
    try (var walk = java.nio.file.Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort: target/ is wiped by mvn clean anyway
    }
  }
}
