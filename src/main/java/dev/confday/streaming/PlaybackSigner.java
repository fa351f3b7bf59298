package dev.confday.streaming;

import dev.confday.http.ApiError;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs a room's HLS path prefix in the format nginx's {@code secure_link} module checks:
 * {@code <origin>/hls/<sig>/<expires>/<stream>/<file>} where {@code sig} is the unpadded
 * base64url MD5 of {@code "<expires>/hls/<stream>/ <secret>"} (the nginx side is
 * {@code secure_link_md5 "$secure_link_expires/hls/$hls_stream/ <secret>"}). The signature
 * covers the stream's directory, not one file, so the playlist's relative segment URLs carry
 * it too; it names no client address, so a phone that changes networks keeps playing.
 */
public final class PlaybackSigner {
  /** The unsigned playlist URL an organizer gives: {@code <origin>/hls/<stream>/<playlist>.m3u8}. */
  static final Pattern PLAYBACK_PATH = Pattern.compile("/hls/([A-Za-z0-9_-]{1,64})/([A-Za-z0-9_.-]{1,100}\\.m3u8)");
  /** A signed URL of any stream: what a player rewrites to the newest prefix. */
  static final Pattern SIGNED_PATH = Pattern.compile("/hls/([A-Za-z0-9_-]+)/([0-9]+)/([A-Za-z0-9_-]{1,64})/(.*)");

  /** A signed prefix and the playlist under it. */
  public record Signed(String url, String prefix, Instant expiresAt) {
  }

  private final String secret;

  public PlaybackSigner(String secret) {
    this.secret = secret;
  }

  /** Checks an organizer's playback URL; fails with a 400 naming the field. */
  static URI parse(String playbackUrl) {
    URI uri;
    try {
      uri = new URI(playbackUrl);
    } catch (URISyntaxException | NullPointerException e) {
      throw ApiError.validation("playbackUrl", "must be a URL like https://video.example.org/hls/room-a/index.m3u8");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getRawAuthority() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawPath() == null
        || !PLAYBACK_PATH.matcher(uri.getRawPath()).matches()) {
      throw ApiError.validation("playbackUrl",
          "must be an http(s) URL like https://video.example.org/hls/room-a/index.m3u8 (no query), the stream's "
              + "directory under /hls/ holding its playlist and segments");
    }
    return uri;
  }

  /** The signed URL of the playlist and the prefix every file of the stream is fetched under, valid until {@code expires}. */
  public Signed sign(String playbackUrl, Instant expires) {
    URI uri = parse(playbackUrl);
    Matcher m = PLAYBACK_PATH.matcher(uri.getRawPath());
    m.matches();
    String stream = m.group(1);
    long at = expires.getEpochSecond();
    String prefix = uri.getScheme() + "://" + uri.getRawAuthority() + "/hls/" + signature(at, stream) + "/" + at + "/"
        + stream + "/";
    return new Signed(prefix + m.group(2), prefix, Instant.ofEpochSecond(at));
  }

  /** {@code base64url(md5("<expires>/hls/<stream>/ <secret>"))} without padding, as nginx computes it. */
  String signature(long expires, String stream) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5")
          .digest((expires + "/hls/" + stream + "/ " + secret).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(md5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
