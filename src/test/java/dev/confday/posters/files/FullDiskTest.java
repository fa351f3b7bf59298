package dev.confday.posters.files;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.posters.check.PosterPdfs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The uploads folder on a real, full file system (a 2 MB tmpfs, or a loop-mounted image): a
 * poster or floor plan that does not fit is 507 in plain words, nothing partial is kept, the
 * server stays ready, and an upload that fits works once there is room.
 */
class FullDiskTest {
  static TestServer server;
  static SmallDisk disk;
  static String slug;
  static String organizer;
  static long eventId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    organizer = server.sessionFor(slug, "ada.okafor@example.org");
    eventId = await(server.server.events().event(slug)).id();
    disk = SmallDisk.mount(server.server.config().uploadDir(), 2);
  }

  @AfterAll
  static void stop() {
    server.close();
    disk.close();
  }

  private static void requireDisk() {
    Assumptions.assumeTrue(disk.refused() == null, () -> "no small file system can be mounted here: "
        + disk.refused());
  }

  private static long poster(int number) {
    return await(server.server.posters().findPosters(eventId, "")).stream()
        .filter(e -> e.poster().number() == number).findFirst().orElseThrow().poster().id();
  }

  private static HttpResponse<Buffer> uploadPoster(long posterId, byte[] pdf) {
    return await(server.client.put("/api/events/" + slug + "/posters/" + posterId + "/pdf")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "application/pdf")
        .sendBuffer(Buffer.buffer(pdf)));
  }

  private static HttpResponse<Buffer> uploadPlan(long area, byte[] svg) {
    return await(server.client.request(HttpMethod.PUT, "/api/events/" + slug + "/areas/" + area + "/plan")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", "image/svg+xml")
        .sendBuffer(Buffer.buffer(svg)));
  }

  private static List<Path> filesUnder(String sub) throws IOException {
    Path dir = server.server.config().uploadDir().resolve(sub);
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private static void assertInsufficientStorage(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(507);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/insufficient-storage");
    assertThat(problem.getString("detail")).contains("no room left").contains("nothing was stored")
        .doesNotContain("No space left on device");
  }

  private static void assertStillReady() {
    assertThat(await(server.client.get("/health/ready").send()).statusCode()).isEqualTo(200);
  }

  @Test
  void aPosterBiggerThanTheFreeSpaceIs507AndLeavesNothingAndALaterUploadWorks() throws IOException {
    requireDisk();
    long posterId = poster(3);
    byte[] big = new byte[3 * 1024 * 1024];
    Arrays.fill(big, (byte) ' ');
    byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, big, 0, header.length);

    assertInsufficientStorage(uploadPoster(posterId, big));

    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(filesUnder("posters")).isEmpty();
    assertStillReady();
    HttpResponse<Buffer> small = uploadPoster(posterId,
        Files.readAllBytes(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf")));
    assertThat(small.statusCode()).as(small.bodyAsString()).isEqualTo(201);
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(filesUnder("posters")).extracting(p -> p.getFileName().toString()).contains("1.pdf");
  }

  @Test
  void aFloorPlanOnAFullDiskIs507AndLeavesNothingAndWorksOnceThereIsRoom() throws IOException {
    requireDisk();
    HttpResponse<Buffer> created = await(server.client.post("/api/events/" + slug + "/areas")
        .bearerTokenAuthentication(organizer).sendJsonObject(new JsonObject().put("name", "Full hall")
            .put("width", 400).put("height", 300).put("position", 9)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long area = created.bodyAsJsonObject().getLong("id");
    byte[] svg = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
        + "viewBox=\"0 0 400 300\"><rect x=\"10\" y=\"10\" width=\"380\" height=\"280\" fill=\"none\" stroke=\"black\"/>"
        + "<!--" + " ".repeat(64 * 1024) + "--></svg>\n").getBytes(StandardCharsets.UTF_8);
    List<Path> before = filesUnder("floorplans");
    Path filler = server.server.config().uploadDir().resolve("filler");
    fill(filler);
    try {
      assertInsufficientStorage(uploadPlan(area, svg));
      assertThat(filesUnder("floorplans")).isEqualTo(before);
      assertStillReady();
    } finally {
      Files.delete(filler);
    }
    HttpResponse<Buffer> ok = uploadPlan(area, svg);
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isBetween(200, 201);
    assertThat(filesUnder("floorplans")).hasSize(before.size() + 1);
  }

  /** Writes zeros until the file system is full (bounded: it is 2 MB). */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 1024; i++) {
        out.write(block);
      }
      throw new IllegalStateException("the small disk never filled up");
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
  }
}
