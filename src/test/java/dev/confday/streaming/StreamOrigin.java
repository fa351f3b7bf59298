package dev.confday.streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HLS origin on loopback for the streaming tests: Debian's nginx with the project's
 * secure_link configuration (infra/nginx/confday-hls.conf.template) on a free port, and
 * infra/test-stream.sh writing a live test-pattern stream (ffmpeg testsrc, 1 s segments) into
 * its root, both in a temporary directory that is removed afterwards.
 */
final class StreamOrigin implements AutoCloseable {
  static final String STREAM = "room-a";
  static final String SECRET = "test-secret-" + Long.toHexString(System.nanoTime());
  private static final Path NGINX = Path.of(Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Path dir;
  final int port;
  private final Process nginx;
  private final Process ffmpeg;

  private StreamOrigin(Path dir, int port, Process nginx, Process ffmpeg) {
    this.dir = dir;
    this.port = port;
    this.nginx = nginx;
    this.ffmpeg = ffmpeg;
  }

  /** Starts nginx allowing CORS from {@code allowedOrigin} and the encoder; answers once the playlist has segments. */
  static StreamOrigin start(String allowedOrigin) {
    try {
      Path dir = Files.createTempDirectory("confday-hls");
      // nginx's workers run as nobody when the tests run as root: they must be able to read the stream
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectories(dir.resolve("tmp"));
      Files.createDirectories(dir.resolve("hls"));
      int port = freePort();
      String conf = Files.readString(Path.of("infra/nginx/confday-hls.conf.template"))
          .replace("@PREFIX@", dir.toString()).replace("@LISTEN@", "127.0.0.1:" + port)
          .replace("@HLS_ROOT@", dir.resolve("hls").toString()).replace("@STREAM_SECRET@", SECRET)
          .replace("@ALLOWED_ORIGIN@", allowedOrigin);
      Files.writeString(dir.resolve("nginx.conf"), conf);
      Process nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-e", dir.resolve("error.log").toString(), "-g", "daemon off;")
          .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
      Process ffmpeg = new ProcessBuilder("infra/test-stream.sh", dir.resolve("hls").toString(), STREAM)
          .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.out").toFile()).start();
      StreamOrigin origin = new StreamOrigin(dir, port, nginx, ffmpeg);
      origin.awaitReady();
      return origin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The unsigned playlist URL an organizer sets for the room. */
  String playbackUrl() {
    return "http://127.0.0.1:" + port + "/hls/" + STREAM + "/index.m3u8";
  }

  String origin() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Path playlist = dir.resolve("hls").resolve(STREAM).resolve("index.m3u8");
    while (true) {
      boolean listening = false;
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        listening = true;
      } catch (IOException notYet) {
        // nginx is still starting
      }
      if (listening && Files.exists(playlist) && Files.readString(playlist).split("#EXTINF").length > 3) {
        return;
      }
      if (!nginx.isAlive() || !ffmpeg.isAlive() || System.nanoTime() > deadline) {
        String logs = read("nginx.out") + read("error.log") + read("ffmpeg.out");
        close();
        throw new IllegalStateException("HLS origin did not start: " + logs);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private String read(String name) {
    try {
      Path p = dir.resolve(name);
      return Files.exists(p) ? name + ": " + Files.readString(p) + "\n" : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** A GET against the origin; the body as bytes. */
  static HttpResponse<byte[]> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .header("Origin", "http://localhost").build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : new Process[] {ffmpeg, nginx}) {
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
