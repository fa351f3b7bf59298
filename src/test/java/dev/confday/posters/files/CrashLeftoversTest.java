package dev.confday.posters.files;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import dev.confday.posters.check.PosterPdfs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real crash: the server runs as its own process (as in production), is killed with SIGKILL
 * while one poster upload is still arriving and another was moved into place but not yet
 * recorded (its preview renderer running), and started again. After the next start that comes
 * later than the sweep's grace period, no leftover survives and the recorded poster is intact.
 */
class CrashLeftoversTest {
  private Process child;
  private Vertx vertx;

  @AfterEach
  void stop() {
    if (child != null) {
      killTree(child);
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void noOrphanFromAKilledUploadSurvivesTheNextStart() throws Exception {
    Database db = TestDatabase.migratedDatabase();
    String slug;
    String organizer;
    long eventId;
    List<Long> posters;
    try (TestServer seeder = TestServer.start(db, Map.of())) {
      slug = seeder.seedDemo();
      organizer = seeder.sessionFor(slug, "ada.okafor@example.org");
      eventId = await(seeder.server.events().event(slug)).id();
      posters = await(seeder.server.posters().findPosters(eventId, "")).stream().map(e -> e.poster().id()).toList();
    }
    Path data = Files.createTempDirectory("confday-crash");
    Path scratch = Files.createDirectories(data.resolve("scratch"));
    Path uploads = data.resolve("uploads");
    Path postersDir = uploads.resolve("posters").resolve(Long.toString(eventId));
    byte[] pdf = Files.readAllBytes(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"));
    vertx = Vertx.vertx();

    int port = freePort();
    child = startServer(db, data, scratch, port);
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    HttpResponse<Buffer> kept = await(client.put("/api/events/" + slug + "/posters/" + posters.get(0) + "/pdf")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "application/pdf").sendBuffer(Buffer.buffer(pdf)));
    assertThat(kept.statusCode()).as(kept.bodyAsString()).isEqualTo(201);
    List<Path> recorded = List.of(postersDir.resolve(posters.get(0) + "/1.pdf"), postersDir.resolve(posters.get(0) + "/1.png"),
        postersDir.resolve(posters.get(2) + "/1.pdf"));
    // the preview is drawn after the answer
    waitFor(() -> recorded.subList(0, 2).stream().allMatch(Files::isRegularFile), "the first poster and its preview");

    // one upload still arriving: half its body sent
    HttpClient http = vertx.createHttpClient();
    HttpClientRequest slow = await(http.request(new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1")
        .setPort(port).setURI("/api/events/" + slug + "/posters/" + posters.get(1) + "/pdf")
        .putHeader("Authorization", "Bearer " + organizer).putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Length", Integer.toString(pdf.length * 2))));
    await(slow.write(Buffer.buffer(pdf)));
    waitFor(() -> files(uploads.resolve("tmp")).stream().anyMatch(p -> size(p) >= pdf.length), "the slow upload's temp");

    // another accepted, its preview being drawn (after the answer): kill while the renderer runs
    HttpResponse<Buffer> previewing = await(client.put("/api/events/" + slug + "/posters/" + posters.get(2) + "/pdf")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "application/pdf").sendBuffer(Buffer.buffer(pdf)));
    assertThat(previewing.statusCode()).as(previewing.bodyAsString()).isEqualTo(201);
    waitFor(() -> files(scratch).stream().anyMatch(p -> p.getFileName().toString().startsWith("confday-preview-")),
        "the preview renderer to be running");
    killTree(child);
    child = null;
    assertThat(rowCount(db, posters.get(2))).as("rows of the accepted version").isEqualTo(1);
    // a version moved into place whose row was never written (a kill between the rename and the
    // commit, a window too short to hit from outside), with its preview partial, as such a kill leaves them
    Path unrecorded = Files.writeString(postersDir.resolve(posters.get(2) + "/2.pdf"), "%PDF-1.7 cut short");
    Files.writeString(postersDir.resolve(posters.get(2) + "/.2.png4711.part"), "partial");

    List<Path> leftovers = Stream.of(files(uploads.resolve("tmp")), files(postersDir.resolve(Long.toString(posters.get(2))))
        .stream().filter(p -> !p.equals(recorded.get(2))).toList(),
        files(scratch)).flatMap(List::stream)
        // Vert.x's own file cache folder: not ours (a live instance's is as old as the instance)
        .filter(p -> !p.getFileName().toString().startsWith("vertx-cache-")).toList();
    assertThat(leftovers).contains(unrecorded);
    assertThat(leftovers).anyMatch(p -> p.getFileName().toString().startsWith("upload-"));
    assertThat(leftovers).anyMatch(p -> p.getFileName().toString().startsWith("confday-preview-"));
    assertThat(leftovers).anyMatch(p -> p.getFileName().toString().matches("\\.2\\.png.*\\.part"));
    System.out.println("left by the kill: " + leftovers);

    // the next start comes after the grace period (the files are dated back as if it had)
    FileTime longAgo = FileTime.from(Instant.now().minus(UploadSweep.GRACE.multipliedBy(2)));
    for (Path p : Stream.concat(leftovers.stream(), recorded.stream()).toList()) {
      Files.setLastModifiedTime(p, longAgo);
    }
    child = startServer(db, data, scratch, port);
    waitFor(() -> leftovers.stream().noneMatch(Files::exists), "every leftover to be removed");
    assertThat(recorded).allMatch(Files::isRegularFile);
    HttpResponse<Buffer> served = await(client.get("/api/events/" + slug + "/posters/" + posters.get(0) + "/pdf")
        .bearerTokenAuthentication(organizer).send());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body().getBytes()).isEqualTo(pdf);
    // the accepted version is served (its preview, cut off by the kill, is drawn again once its claim lapses)
    assertThat(await(client.get("/api/events/" + slug + "/posters/" + posters.get(2) + "/pdf")
        .bearerTokenAuthentication(organizer).send()).body().getBytes()).isEqualTo(pdf);

  }

  /** The server as its own JVM, the way infra/run.sh runs it, against the test's database. */
  private static Process startServer(Database db, Path data, Path scratch, int port) throws IOException {
    var o = db.connectOptions();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Djava.io.tmpdir=" + scratch, "-cp", System.getProperty("java.class.path"), "dev.confday.Main")
        .redirectErrorStream(true).redirectOutput(data.resolve("server-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(Map.of(
        "CONFDAY_DATABASE_URL", "postgresql://" + o.getUser() + ":" + o.getPassword() + "@" + o.getHost() + ":"
            + o.getPort() + "/" + o.getDatabase(),
        "CONFDAY_DATA_DIR", data.toString(),
        "CONFDAY_HTTP_HOST", "127.0.0.1",
        "CONFDAY_HTTP_PORT", Integer.toString(port),
        "CONFDAY_DEMO", "false"));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException notYet) {
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    }
    killTree(p);
    throw new AssertionError("the server did not start within 60 s; see " + data);
  }

  /** SIGKILL to the server and everything it started (its preview renderers), as a crash or cgroup kill. */
  private static void killTree(Process p) {
    List<ProcessHandle> tree = Stream.concat(Stream.of(p.toHandle()), p.descendants()).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    tree.forEach(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
  }

  private static long rowCount(Database db, long posterId) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement s = c.prepareStatement("select count(*) from poster_files where poster_id = ?")) {
      s.setLong(1, posterId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }
  }
}
