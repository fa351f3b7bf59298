package dev.confday.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsServeALaptopOnPort8080WithTheDemo() {
    Config c = Config.defaults();
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
    assertThat(c.allowedOrigins()).containsExactly("http://localhost:8080");
    assertThat(c.databaseUrl()).isNull();
    assertThat(c.demo()).isTrue();
    assertThat(c.maxUploadBytes()).isEqualTo(50L * 1024 * 1024);
  }

  @Test
  void environmentOverridesDefaults() {
    Config c = Config.fromEnv(Map.of("CONFDAY_HTTP_PORT", "9000", "CONFDAY_PUBLIC_URL", "https://conf.example.org/",
        "CONFDAY_DATABASE_URL", "postgresql://u:p@db:5432/confday", "CONFDAY_DEMO", "false"));
    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.publicUrl()).isEqualTo("https://conf.example.org");
    assertThat(c.allowedOrigins()).containsExactly("https://conf.example.org");
    assertThat(c.demo()).isFalse();
  }

  @Test
  void badSettingsAreNamedInTheMessage() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_HTTP_PORT", "eighty")))
        .hasMessageContaining("CONFDAY_HTTP_PORT").hasMessageContaining("eighty");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_HTTP_PORT", "70000")))
        .hasMessageContaining("CONFDAY_HTTP_PORT");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_DATABASE_URL", "mysql://x")))
        .hasMessageContaining("CONFDAY_DATABASE_URL");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_DEMO", "maybe")))
        .hasMessageContaining("CONFDAY_DEMO").hasMessageContaining("true or false");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_PUBLIC_URL", "conf.example.org")))
        .hasMessageContaining("CONFDAY_PUBLIC_URL");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_HTTP_PORT", "0")))
        .hasMessageContaining("CONFDAY_HTTP_PORT").hasMessageContaining("CONFDAY_PUBLIC_URL");
    assertThat(Config.fromEnv(Map.of("CONFDAY_HTTP_PORT", "0", "CONFDAY_PUBLIC_URL", "https://conf.example.org/"))
        .publicUrl()).isEqualTo("https://conf.example.org");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_ACCESS_LOG_LEVEL", "LOUD")))
        .hasMessageContaining("CONFDAY_ACCESS_LOG_LEVEL").hasMessageContaining("LOUD");
  }

  @Test
  void databaseWaitsAreBoundedByDefaultAndTheBoundsAreChecked() {
    DbLimits d = Config.defaults().db();
    assertThat(d.connectTimeout().toMillis()).isEqualTo(2000);
    assertThat(d.acquireTimeout().toMillis()).isEqualTo(2000);
    assertThat(d.statementTimeout().toMillis()).isEqualTo(4000);
    assertThat(d.callTimeout().toMillis()).as("a request waits at most this for the database").isEqualTo(5000);
    Config c = Config.fromEnv(Map.of("CONFDAY_DB_STATEMENT_TIMEOUT_MS", "1500"));
    assertThat(c.db().callTimeout().toMillis()).isEqualTo(2500);
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_DB_STATEMENT_TIMEOUT_MS", "0")))
        .hasMessageContaining("CONFDAY_DB_STATEMENT_TIMEOUT_MS");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "forever")))
        .hasMessageContaining("CONFDAY_DB_ACQUIRE_TIMEOUT_MS").hasMessageContaining("whole number");
  }
}
