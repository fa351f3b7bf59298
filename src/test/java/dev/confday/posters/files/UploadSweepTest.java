package dev.confday.posters.files;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import dev.confday.posters.FloorPlanStore;
import dev.confday.posters.check.PosterPdfs;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;


/**
 * What a killed server leaves in the uploads folder and the scratch space, laid out exactly as a
 * crash leaves it (a version moved into place whose row was never written, its preview partial,
 * an upload temp file, an unreferenced floor plan, a dead renderer's scratch folder): the next
 * start removes every such file that is older than the grace period, and keeps the files the
 * database refers to and the young files another instance may be writing right now.
 */
class UploadSweepTest {
  private static final FileTime LONG_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(2)));

  @Test
  void theNextStartRemovesEveryOrphanAndKeepsLiveAndYoungFiles() throws Exception {
    Database db = TestDatabase.migratedDatabase();
    Path data = Files.createTempDirectory("confday-sweep");
    Map<String, String> env = Map.of("CONFDAY_DATA_DIR", data.toString());
    Path uploads = data.resolve("uploads");
    long eventId;
    long posterId;
    long otherPosterId;
    String slug;
    String organizer;
    try (TestServer first = TestServer.start(db, env)) {
      slug = first.seedDemo();
      organizer = first.sessionFor(slug, "ada.okafor@example.org");
      eventId = await(first.server.events().event(slug)).id();
      List<Long> ids = await(first.server.posters().findPosters(eventId, "")).stream()
          .map(e -> e.poster().id()).toList();
      posterId = ids.get(0);
      otherPosterId = ids.get(1);
      byte[] pdf = Files.readAllBytes(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"));
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> r = await(first.client.put("/api/events/" + slug + "/posters/" + posterId + "/pdf")
            .bearerTokenAuthentication(organizer).putHeader("Content-Type", "application/pdf")
            .sendBuffer(Buffer.buffer(pdf)));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
      }
      // previews are drawn after the answer
      Path drawn = uploads.resolve("posters").resolve(Long.toString(eventId)).resolve(Long.toString(posterId));
      waitFor(() -> Files.isRegularFile(drawn.resolve("1.png")) && Files.isRegularFile(drawn.resolve("2.png")));
    }
    Path posterDir = uploads.resolve("posters").resolve(Long.toString(eventId)).resolve(Long.toString(posterId));
    List<Path> live = List.of(posterDir.resolve("1.pdf"), posterDir.resolve("1.png"), posterDir.resolve("2.pdf"),
        posterDir.resolve("2.png"));
    assertThat(live).allMatch(Files::isRegularFile);

    // the crash: version 3 moved into place and previewed, then killed before its row was written
    List<Path> orphans = new ArrayList<>();
    orphans.add(write(posterDir.resolve("3.pdf")));
    orphans.add(write(posterDir.resolve("3.png")));
    orphans.add(write(posterDir.resolve(".3.png8841270263.part")));
    // a poster that never had an accepted file, killed during its first store
    Path otherDir = uploads.resolve("posters").resolve(Long.toString(eventId)).resolve(Long.toString(otherPosterId));
    orphans.add(write(otherDir.resolve("1.pdf")));
    orphans.add(write(uploads.resolve("tmp").resolve("upload-" + UUID.randomUUID() + ".part")));
    Path plans = uploads.resolve("floorplans").resolve(Long.toString(eventId));
    orphans.add(write(plans.resolve("area-1-" + UUID.randomUUID() + ".svg")));
    orphans.add(write(plans.resolve(FloorPlanStore.TEMP_PREFIX + UUID.randomUUID())));
    Path scratch = Path.of(System.getProperty("java.io.tmpdir")).resolve("confday-preview-" + UUID.randomUUID());
    write(scratch.resolve("renderer.log"));
    Files.setLastModifiedTime(scratch, LONG_AGO);
    orphans.forEach(UploadSweepTest::age);
    live.forEach(UploadSweepTest::age); // recorded files are kept however old they are
    // young files: another instance may be writing or about to record them right now
    List<Path> young = List.of(write(posterDir.resolve("4.pdf")), write(posterDir.resolve(".4.png1.part")),
        write(uploads.resolve("tmp").resolve("upload-" + UUID.randomUUID() + ".part")));
    Path youngScratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))
        .resolve("confday-preview-" + UUID.randomUUID()));

    try (TestServer second = TestServer.start(db, env)) {
      waitFor(() -> orphans.stream().noneMatch(Files::exists) && !Files.exists(scratch));
      assertThat(live).allMatch(Files::isRegularFile);
      assertThat(young).allMatch(Files::isRegularFile);
      assertThat(youngScratch).isDirectory();
      HttpResponse<Buffer> served = await(second.client.get("/api/events/" + slug + "/posters/" + posterId + "/pdf")
          .bearerTokenAuthentication(organizer).send());
      assertThat(served.statusCode()).isEqualTo(200);
      // a sweep that finds nothing old removes nothing more
      assertThat(await(new UploadSweep(second.vertx, second.server.pool(), second.server.workers(),
          second.server.config().uploadDir(), Path.of(System.getProperty("java.io.tmpdir"))).sweep())).isZero();
      assertThat(young).allMatch(Files::isRegularFile);
    } finally {
      Files.deleteIfExists(youngScratch);
    }
  }

  @Test
  void anOldVersionTheServerFailedToRemoveAfterACommitIsSweptButTheCurrentAndPreviousStay() throws Exception {
    Database db = TestDatabase.migratedDatabase();
    Path data = Files.createTempDirectory("confday-sweep");
    Map<String, String> env = Map.of("CONFDAY_DATA_DIR", data.toString());
    try (TestServer server = TestServer.start(db, env)) {
      String slug = server.seedDemo();
      String organizer = server.sessionFor(slug, "ada.okafor@example.org");
      long eventId = await(server.server.events().event(slug)).id();
      long posterId = await(server.server.posters().findPosters(eventId, "")).get(2).poster().id();
      byte[] pdf = Files.readAllBytes(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"));
      Path dir = server.server.config().uploadDir().resolve("posters").resolve(Long.toString(eventId))
          .resolve(Long.toString(posterId));
      for (int i = 0; i < 3; i++) {
        assertThat(await(server.client.put("/api/events/" + slug + "/posters/" + posterId + "/pdf")
            .bearerTokenAuthentication(organizer).putHeader("Content-Type", "application/pdf")
            .sendBuffer(Buffer.buffer(pdf))).statusCode()).isEqualTo(201);
      }
      waitFor(() -> !Files.exists(dir.resolve("1.pdf")));
      waitFor(() -> Files.isRegularFile(dir.resolve("2.png")) && Files.isRegularFile(dir.resolve("3.png")));
      // killed after committing version 3 but before removing version 1: version 1's file is still there
      Files.copy(dir.resolve("2.pdf"), dir.resolve("1.pdf"));
      for (String name : List.of("1.pdf", "2.pdf", "2.png", "3.pdf", "3.png")) {
        age(dir.resolve(name));
      }
      int removed = await(new UploadSweep(server.vertx, server.server.pool(), server.server.workers(),
          server.server.config().uploadDir(), Files.createTempDirectory("confday-scratch")).sweep());
      assertThat(removed).isEqualTo(1);
      assertThat(dir.resolve("1.pdf")).doesNotExist();
      assertThat(List.of(dir.resolve("2.pdf"), dir.resolve("2.png"), dir.resolve("3.pdf"), dir.resolve("3.png")))
          .allMatch(Files::isRegularFile);
    }
  }

  private static Path write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "left by a crash");
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void age(Path file) {
    try {
      Files.setLastModifiedTime(file, LONG_AGO);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
