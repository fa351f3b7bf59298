package dev.confday.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command's embedded PostgreSQL: durable, and reachable only with the generated password. */
class EmbeddedDatabaseTest {

  @Test
  void runCommandDatabaseIsDurableAndRefusesLoginsWithoutThePassword(@TempDir Path tmp) throws Exception {
    Path dataDir = tmp.resolve("data");
    try (Database db = Database.startEmbedded(dataDir, 0, "postgres", Database.Durability.DURABLE)) {
      assertThat(setting(db, db.password(), "fsync")).isEqualTo("on");
      assertThat(setting(db, db.password(), "synchronous_commit")).isEqualTo("on");
      assertThat(setting(db, db.password(), "full_page_writes")).isEqualTo("on");
      assertThat(setting(db, db.password(), "password_encryption")).isEqualTo("scram-sha-256");
      assertRefused(db);
      Path passwordFile = dataDir.resolve("secrets/postgres.password");
      assertThat(Files.readString(passwordFile).strip()).isEqualTo(db.password());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("secrets"))))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
      assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
    }
    // a restart keeps the password
    String first = Files.readString(dataDir.resolve("secrets/postgres.password")).strip();
    try (Database db = Database.startEmbedded(dataDir, 0, "postgres", Database.Durability.DURABLE)) {
      assertThat(db.password()).isEqualTo(first);
      assertThat(setting(db, first, "fsync")).isEqualTo("on");
      assertRefused(db);
    }
  }

  @Test
  void dataDirectoryOfAnOlderConfdayIsUpgradedInPlace(@TempDir Path tmp) throws Exception {
    Path dataDir = tmp.resolve("data");
    // what the old code made: the library's initdb with -A trust, and a table with data in it
    EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
        .setCleanDataDirectory(false).start();
    try (Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("create table kept (v text); insert into kept values ('still here')");
    }
    old.close();
    assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf"))).contains("trust");

    try (Database db = Database.startEmbedded(dataDir, 0, "postgres", Database.Durability.DURABLE)) {
      assertRefused(db);
      assertThat(setting(db, db.password(), "fsync")).isEqualTo("on");
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("still here");
      }
    }
  }

  @Test
  void testDatabaseKeepsTheFastSettingsButNeedsThePasswordToo(@TempDir Path tmp) throws Exception {
    try (Database db = Database.startEmbedded(tmp.resolve("data"), 0, "postgres")) {
      assertThat(setting(db, db.password(), "fsync")).isEqualTo("off");
      // kept on even here: a killed PostgreSQL must keep what it acknowledged
      assertThat(setting(db, db.password(), "synchronous_commit")).isEqualTo("on");
      assertRefused(db);
    }
  }

  private static void assertRefused(Database db) {
    // as `psql -h 127.0.0.1 -U postgres` would: no password, then a wrong one
    String url = "jdbc:postgresql://127.0.0.1:" + db.connectOptions().getPort() + "/postgres";
    Properties none = new Properties();
    none.setProperty("user", "postgres");
    assertThatThrownBy(() -> DriverManager.getConnection(url, none).close()).isInstanceOf(SQLException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  private static String setting(Database db, String password, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), password);
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
