package dev.confday.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamSettingsTest {
  @Test
  void readsTheStreamSettingsAndGeneratesASecretWhenUnset() {
    Config c = Config.fromEnv(Map.of("CONFDAY_STREAM_SECRET", "abcdefghijklmnop-0123", "CONFDAY_STREAM_TOKEN_TTL_SECONDS",
        "60", "CONFDAY_STREAM_ORIGINS", "https://video.example.org, http://127.0.0.1:8081"));
    assertThat(c.stream().secret()).isEqualTo("abcdefghijklmnop-0123");
    assertThat(c.stream().tokenTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.stream().refreshAfter()).isEqualTo(Duration.ofSeconds(36));
    assertThat(c.toString()).doesNotContain("abcdefghijklmnop-0123");
    assertThat(c.stream().origins()).containsExactly("https://video.example.org", "http://127.0.0.1:8081");
    assertThat(Config.defaults().stream().secret()).hasSizeGreaterThanOrEqualTo(16)
        .isNotEqualTo(Config.defaults().stream().secret());
  }

  @Test
  void refusesSecretsNginxWouldReadAsVariablesAndBadOrigins() {
    for (String bad : new String[] {"short", "has$variable-0123456789", "has space 0123456789", "quote\"0123456789abc"}) {
      assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_STREAM_SECRET", bad))).as(bad)
          .hasMessageContaining("CONFDAY_STREAM_SECRET");
    }
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_STREAM_ORIGINS", "video.example.org/hls")))
        .hasMessageContaining("CONFDAY_STREAM_ORIGINS");
    assertThatThrownBy(() -> Config.fromEnv(Map.of("CONFDAY_STREAM_TOKEN_TTL_SECONDS", "2")))
        .hasMessageContaining("CONFDAY_STREAM_TOKEN_TTL_SECONDS");
  }
}
