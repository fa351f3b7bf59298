package dev.confday.config;

import java.time.Duration;
import java.util.List;

/**
 * Settings of hybrid streaming: the secret shared with the video origin's nginx
 * {@code secure_link_md5}, how long a signed playback prefix lives, how often each room's live
 * status and viewer count are recomputed, and the origins (scheme://host:port) the watch page
 * may load video from (they go into the page's Content-Security-Policy).
 */
public record StreamSettings(String secret, Duration tokenTtl, Duration statusInterval, List<String> origins) {
  public StreamSettings {
    // it goes into nginx's secure_link_md5 string and through sed: no $, quotes, spaces or separators
    if (secret == null || !secret.matches("[A-Za-z0-9_.~-]{16,200}")) {
      throw new Config.ConfigException("CONFDAY_STREAM_SECRET",
          "must be 16 to 200 characters of letters, digits, '_', '.', '~' or '-' (e.g. openssl rand -hex 24)");
    }
    if (tokenTtl.toSeconds() < 4) {
      throw new Config.ConfigException("CONFDAY_STREAM_TOKEN_TTL_SECONDS", "must be at least 4");
    }
    if (statusInterval.toMillis() < 100) {
      throw new Config.ConfigException("CONFDAY_STREAM_STATUS_MS", "must be at least 100");
    }
    for (String o : origins) {
      if (!o.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
        throw new Config.ConfigException("CONFDAY_STREAM_ORIGINS", "'" + o + "' is not an origin like https://video.example.org");
      }
    }
    origins = List.copyOf(origins);
  }

  /** Never prints the secret (a record's own toString would). */
  @Override
  public String toString() {
    return "StreamSettings[secret=***, tokenTtl=" + tokenTtl + ", statusInterval=" + statusInterval + ", origins=" + origins
        + "]";
  }

  /** When the page should fetch a new prefix: after 60% of the lifetime, so a slow network has time. */
  public Duration refreshAfter() {
    return Duration.ofMillis(tokenTtl.toMillis() * 6 / 10);
  }
}
