package dev.confday.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.http.ApiError;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlaybackSignerTest {
  static final PlaybackSigner SIGNER = new PlaybackSigner("secret-0123456789abcdef");

  @Test
  void signsTheStreamDirectoryAsNginxSecureLinkMd5Does() {
    // echo -n '1700000000/hls/room-a/ secret-0123456789abcdef' | openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =
    PlaybackSigner.Signed s = SIGNER.sign("https://video.example.org:8443/hls/room-a/index.m3u8",
        Instant.ofEpochSecond(1_700_000_000));
    assertThat(s.prefix()).isEqualTo("https://video.example.org:8443/hls/EGDfESY43XgpZF4_iO8bgQ/1700000000/room-a/");
    assertThat(s.url()).isEqualTo(s.prefix() + "index.m3u8");
    assertThat(s.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    // the playlist's name is not signed: any file of the directory shares the signature
    assertThat(SIGNER.sign("https://video.example.org:8443/hls/room-a/720p.m3u8", Instant.ofEpochSecond(1_700_000_000))
        .prefix()).isEqualTo(s.prefix());
    assertThat(SIGNER.sign("https://video.example.org:8443/hls/room-b/index.m3u8", Instant.ofEpochSecond(1_700_000_000))
        .prefix()).doesNotContain("EGDfESY43XgpZF4_iO8bgQ");
  }

  @Test
  void refusesPlaybackUrlsOutsideTheSignedLayout() {
    for (String bad : new String[] {"ftp://video.example.org/hls/a/index.m3u8", "https://video.example.org/a/index.m3u8",
        "https://video.example.org/hls/a/b/index.m3u8", "https://video.example.org/hls/a/index.m3u8?x=1",
        "https://video.example.org/hls/a/segment.ts", "/hls/a/index.m3u8", "https://video.example.org/hls/../index.m3u8",
        "not a url"}) {
      assertThatThrownBy(() -> PlaybackSigner.parse(bad)).as(bad).isInstanceOf(ApiError.class)
          .hasMessageContaining("playbackUrl");
    }
  }
}
