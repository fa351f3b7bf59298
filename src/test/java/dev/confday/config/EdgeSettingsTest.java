package dev.confday.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The network-facing limits are read from the environment and a bad one stops the boot, naming it. */
class EdgeSettingsTest {
  @Test
  void defaultsAndOverrides() {
    EdgeSettings d = Config.defaults().edge();
    assertThat(d.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.metricsToken()).isNull();
    EdgeSettings e = Config.fromEnv(Map.of("CONFDAY_HTTP_REQUEST_TIMEOUT_SECONDS", "10",
        "CONFDAY_LOGIN_RATE_PER_MINUTE", "100", "CONFDAY_TRUST_FORWARDED_FOR", "true",
        "CONFDAY_METRICS_TOKEN", "0123456789abcdef")).edge();
    assertThat(e.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(e.loginPerMinute()).isEqualTo(100);
    assertThat(e.trustForwardedFor()).isTrue();
    assertThat(e.metricsToken()).isEqualTo("0123456789abcdef");
  }

  @Test
  void aBadSettingIsNamed() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_HTTP_REQUEST_TIMEOUT_SECONDS", "0")))
        .hasMessageContaining("CONFDAY_HTTP_REQUEST_TIMEOUT_SECONDS");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_HTTP_IDLE_TIMEOUT_SECONDS", "1")))
        .hasMessageContaining("CONFDAY_HTTP_IDLE_TIMEOUT_SECONDS");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_METRICS_TOKEN", "short")))
        .hasMessageContaining("CONFDAY_METRICS_TOKEN");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_LOGIN_RATE_PER_MINUTE", "0")))
        .hasMessageContaining("CONFDAY_LOGIN_RATE_PER_MINUTE");
  }
}
