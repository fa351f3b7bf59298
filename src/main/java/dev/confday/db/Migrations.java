package dev.confday.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway scripts in {@code db/migration} at boot. Flyway takes a PostgreSQL advisory
 * lock, so instances booting together against one empty database end with one schema.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static void migrate(Database db) {
    Flyway flyway = Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .connectRetries(10)
        .load();
    MigrateResult result = flyway.migrate();
    LOG.info("Schema at version {} ({} migrations applied now)", flyway.info().current().getVersion(),
        result.migrationsExecuted);
  }
}
