package dev.confday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the server exactly as the README's run command does ({@code infra/run.sh}, in a fresh
 * copy of the checkout, with its own data directory and port) and walks a newcomer's path: the
 * printed login links, a session, a poster upload and its preview as a real PNG, the schedule's
 * "now", and the embedded database it set up (durable, closed without the password). Anything
 * that depends on how the process was started is covered here.
 */
class RunCommandSmokeTest {
  static final Pattern LINK = Pattern.compile("^  (\\S.*?):\\s+(http://\\S+/login#token=(\\S+))$");
  static final Duration START_DEADLINE = Duration.ofSeconds(300);
  static final Duration PREVIEW_DEADLINE = Duration.ofSeconds(120);
  static final String SLUG = "ml4astro-2023";

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Deque<String> output = new ArrayDeque<>();
  final Map<String, String> links = Collections.synchronizedMap(new LinkedHashMap<>());
  Process process;
  Path dataDir;

  @Test
  void runCommandServesANewcomersPath(@TempDir Path tmp) throws Exception {
    Path checkout = tmp.resolve("confday");
    copyCheckout(Path.of("").toAbsolutePath(), checkout);
    dataDir = tmp.resolve("data");
    int port = freePort();
    int dbPort = freePort();
    ProcessBuilder pb = new ProcessBuilder("bash", "infra/run.sh").directory(checkout.toFile())
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CONFDAY_"));
    pb.environment().put("CONFDAY_HTTP_HOST", "127.0.0.1");
    pb.environment().put("CONFDAY_HTTP_PORT", Integer.toString(port));
    pb.environment().put("CONFDAY_EMBEDDED_DB_PORT", Integer.toString(dbPort));
    pb.environment().put("CONFDAY_DATA_DIR", dataDir.toString());
    process = pb.start();
    Thread reader = new Thread(this::readOutput, "run-command-output");
    reader.setDaemon(true);
    reader.start();

    waitFor(() -> links.size() >= 6 || !process.isAlive(), START_DEADLINE, "the six login links");
    List<String> roles;
    synchronized (links) {
      roles = new ArrayList<>(links.keySet());
    }
    assertThat(roles).as(transcript()).containsExactly("organizer", "moderator", "door-staff",
        "presenter", "attendee (in person)", "attendee (remote)");
    String base = "http://localhost:" + port;
    assertThat(links.get("presenter")).startsWith(base + "/e/" + SLUG + "/login#token=");

    // log in as the presenter, as the login page does
    String token = links.get("presenter").replaceFirst(".*#token=", "");
    HttpResponse<String> session = send(HttpRequest.newBuilder(URI.create(base + "/api/auth/session"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", token).encode())));
    assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    String bearer = "Bearer " + new JsonObject(session.body()).getString("token");

    // upload a poster and get its preview as a real PNG
    JsonArray mine = new JsonArray(send(HttpRequest.newBuilder(URI.create(base + "/api/events/" + SLUG
        + "/my-posters")).header("Authorization", bearer).GET()).body());
    long posterId = mine.getJsonObject(0).getLong("id");
    byte[] pdf = Files.readAllBytes(Path.of("src/test/resources/posters/corpus/iso-a1-portrait.pdf"));
    HttpResponse<String> upload = send(HttpRequest.newBuilder(URI.create(base + "/api/events/" + SLUG
        + "/posters/" + posterId + "/pdf")).header("Authorization", bearer).header("Content-Type", "application/pdf")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(pdf)));
    assertThat(upload.statusCode()).as(upload.body() + transcript()).isEqualTo(201);
    URI preview = URI.create(base + "/api/events/" + SLUG + "/posters/" + posterId + "/preview.png");
    AtomicReference<HttpResponse<byte[]>> answer = new AtomicReference<>();
    // 404 while the preview is being drawn; anything else is the answer
    waitFor(() -> {
      answer.set(sendBytes(HttpRequest.newBuilder(preview).GET()));
      return answer.get().statusCode() != 404;
    }, PREVIEW_DEADLINE, "the poster preview");
    HttpResponse<byte[]> png = answer.get();
    assertThat(png.statusCode()).as(new String(png.body(), StandardCharsets.UTF_8) + transcript())
        .isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isPositive();
    assertThat(image.getHeight()).isGreaterThan(image.getWidth());

    // the demo day is under way: something runs now, today in the event's time zone
    JsonObject now = new JsonObject(send(HttpRequest.newBuilder(URI.create(base + "/api/events/" + SLUG
        + "/schedule/now")).GET()).body());
    List<JsonObject> running = now.getJsonArray("rooms").stream().map(JsonObject.class::cast)
        .filter(r -> r.getValue("now") != null).toList();
    assertThat(running).as(now.encodePrettily()).isNotEmpty();
    JsonObject schedule = new JsonObject(send(HttpRequest.newBuilder(URI.create(base + "/api/events/" + SLUG
        + "/schedule")).GET()).body());
    assertThat(schedule.getJsonArray("days").getList())
        .contains(LocalDate.now(ZoneId.of("Pacific/Honolulu")).toString());

    // the front-end libraries the run command installed (infra/frontend.sh) are served, and only those
    HttpResponse<String> decoder = send(HttpRequest.newBuilder(URI.create(base + "/vendor/jsQR.js")).GET());
    assertThat(decoder.statusCode()).isEqualTo(200);
    assertThat(decoder.body()).contains("jsQR");
    HttpResponse<String> player = send(HttpRequest.newBuilder(URI.create(base + "/vendor/hls.min.mjs")).GET());
    assertThat(player.statusCode()).isEqualTo(200);
    assertThat(player.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/vendor/node_modules/jsqr/package.json")).GET())
        .statusCode()).isEqualTo(404);

    // a clean boot: no meter registered twice, nothing printed outside the log
    assertThat(transcript()).doesNotContain("has been already registered").doesNotContain("Exception in thread");
    // the run command's classpath carries Netty's native epoll library, and it loads here
    if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
      assertThat(transcript()).contains("network transport native (epoll)");
    }

    // the embedded database: durable, closed to anyone without the generated password
    Path passwordFile = dataDir.resolve("secrets/postgres.password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile.getParent())))
        .isEqualTo("rwx------");
    String url = "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres";
    Properties noPassword = new Properties();
    noPassword.setProperty("user", "postgres");
    assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close()).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    try (Connection c = DriverManager.getConnection(url, "postgres", Files.readString(passwordFile).strip());
        Statement s = c.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
          rs.next();
          assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
    }
  }

  @AfterEach
  void stopServer() throws Exception {
    if (process == null) {
      return;
    }
    // SIGTERM first, so the server drains and stops its embedded PostgreSQL; then the whole tree
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    // the postmaster is a daemon (pg_ctl start), not a descendant: stop it if the server did not
    Path pid = dataDir == null ? null : dataDir.resolve("postgres/postmaster.pid");
    if (pid != null && Files.exists(pid)) {
      long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).strip());
      ProcessHandle.of(postmaster).ifPresent(p -> {
        p.destroy();
        p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> p.destroyForcibly() ? p : p).join();
      });
    }
  }

  /** The checkout's files as a fresh clone has them: tracked and not-ignored ones, no target/ or data/. */
  static void copyCheckout(Path from, Path to) throws IOException, InterruptedException {
    Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        .directory(from.toFile()).redirectErrorStream(false).start();
    byte[] listing = git.getInputStream().readAllBytes();
    assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(git.exitValue()).as("git ls-files").isZero();
    for (String name : new String(listing, StandardCharsets.UTF_8).split("\0")) {
      if (name.isEmpty() || name.startsWith("target/") || name.startsWith("data/")) {
        continue;
      }
      Path source = from.resolve(name);
      if (!Files.isRegularFile(source)) {
        continue; // deleted in the working tree
      }
      Path target = to.resolve(name);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
    }
    // the npm install the build already made (tests talk to loopback only, so the copy must not fetch
    // again); infra/frontend.sh in the copy still runs and places webroot/vendor/ from it
    Path modules = from.resolve("infra/web/node_modules");
    if (Files.isDirectory(modules)) {
      try (var tree = Files.walk(modules)) {
        for (Path source : (Iterable<Path>) tree::iterator) {
          Path target = to.resolve(from.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (output) {
          output.addLast(line);
          if (output.size() > 400) {
            output.removeFirst();
          }
        }
        Matcher m = LINK.matcher(line);
        if (m.matches()) {
          links.put(m.group(1), m.group(2));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private String transcript() {
    synchronized (output) {
      return "\n--- run command output (last lines) ---\n" + String.join("\n", output);
    }
  }

  private void waitFor(Supplier<Boolean> done, Duration deadline, String what) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (done.get()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Timed out after " + deadline.toSeconds() + " s waiting for " + what + transcript());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
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
}
