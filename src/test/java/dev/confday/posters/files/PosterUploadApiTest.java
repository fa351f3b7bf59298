package dev.confday.posters.files;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.demo.DemoSeed;
import dev.confday.posters.PosterService;
import dev.confday.posters.check.PosterPdfs;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * Poster PDF upload against a real server and database: the verdicts a presenter sees, what is
 * stored and served back, the limits, who may upload, and that no temp file outlives a request.
 * Each test uses its own demo poster (and presenter), so the tests do not depend on each other.
 */
class PosterUploadApiTest {
  static TestServer server;
  static String slug;
  static String organizer;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    organizer = server.sessionFor(slug, "ada.okafor@example.org");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void noTempFileIsLeftBehind() {
    waitFor(() -> tmpEntries().isEmpty(), "the uploads tmp directory to be empty");
  }

  @Test
  void acceptsRecommendedSizePosterStoresItWithPreviewAndServesItBack() throws Exception {
    Presenter uma = presenter(1);
    byte[] pdf = corpus("latex-tikzposter-a1-portrait.pdf");

    HttpResponse<Buffer> r = upload(uma, uma.posterId, pdf);

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("check").getString("verdict")).isEqualTo("RECOMMENDED_SIZE");
    assertThat(body.getJsonObject("check").getString("verdictLabel")).isEqualTo("Recommended size");
    assertThat(body.getJsonObject("check").getDouble("widthCm")).isEqualTo(59.4);
    assertThat(body.getJsonObject("check").getDouble("heightIn")).isCloseTo(33.1, org.assertj.core.data.Offset.offset(0.05));
    JsonObject file = body.getJsonObject("file");
    assertThat(file.getInteger("version")).isEqualTo(1);
    assertThat(file.getString("sha256")).isEqualTo(sha256(pdf));
    // the answer does not wait for the picture: the preview is drawn afterwards and published
    assertThat(file.getString("preview")).isEqualTo("PENDING");
    assertThat(body.getValue("previewUrl")).isNull();
    JsonObject ready = previewOutcome(uma);
    assertThat(ready.getString("preview")).isEqualTo("OK");
    assertThat(ready.getString("previewUrl")).isEqualTo("/api/events/" + slug + "/posters/" + uma.posterId + "/preview.png");
    body.put("previewUrl", ready.getString("previewUrl"));
    Path dir = server.server.config().uploadDir().resolve("posters").resolve(Long.toString(eventId()))
        .resolve(Long.toString(uma.posterId));
    assertThat(Files.readAllBytes(dir.resolve("1.pdf"))).isEqualTo(pdf);
    assertThat(Files.size(dir.resolve("1.png"))).isPositive();

    HttpResponse<Buffer> served = get("/api/events/" + slug + "/posters/" + uma.posterId + "/pdf", uma.token, null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body().getBytes()).isEqualTo(pdf);
    assertThat(served.getHeader("Content-Type")).isEqualTo("application/pdf");
    assertThat(served.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(served.getHeader("Content-Security-Policy")).contains("sandbox").contains("default-src 'none'");
    assertThat(served.getHeader("Content-Disposition"))
        .isEqualTo("inline; filename=\"" + slug + "-poster-1.pdf\"; filename*=UTF-8''" + slug + "-poster-1.pdf");
    assertThat(served.getHeader("ETag")).isEqualTo("\"" + sha256(pdf) + "\"");
    HttpResponse<Buffer> again = get("/api/events/" + slug + "/posters/" + uma.posterId + "/pdf", uma.token,
        served.getHeader("ETag"));
    assertThat(again.statusCode()).isEqualTo(304);

    // attendees of the event may read it; the preview is public for the poster hall
    String grace = server.sessionFor(slug, "grace.kim@example.org");
    assertThat(get("/api/events/" + slug + "/posters/" + uma.posterId + "/pdf", grace, null).statusCode()).isEqualTo(200);
    assertThat(get("/api/events/" + slug + "/posters/" + uma.posterId + "/pdf", null, null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> png = get(body.getString("previewUrl"), null, null);
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.getHeader("Content-Type")).isEqualTo("image/png");
    assertThat(png.body().getBytes(0, 4)).containsExactly(0x89, 'P', 'N', 'G');

    JsonObject status = getJson("/api/events/" + slug + "/posters/" + uma.posterId + "/pdf/status", uma.token);
    assertThat(status.getJsonObject("current").getInteger("version")).isEqualTo(1);
    assertThat(status.getJsonObject("lastAttempt").getBoolean("accepted")).isTrue();
    List<dev.confday.live.LiveMessage> messages = await(server.server.live().since(PosterService.topic(slug), 0, 1000));
    assertThat(messages).anySatisfy(m -> {
      assertThat(m.payload().getString("type")).isEqualTo("poster-file");
      assertThat(m.payload().getLong("posterId")).isEqualTo(uma.posterId);
      assertThat(m.payload().getString("preview")).isEqualTo("PENDING");
    });
    assertThat(messages).anySatisfy(m -> {
      assertThat(m.payload().getString("type")).isEqualTo("poster-preview");
      assertThat(m.payload().getLong("posterId")).isEqualTo(uma.posterId);
      assertThat(m.payload().getString("preview")).isEqualTo("OK");
    });
    JsonArray files = getJson("/api/events/" + slug + "/poster-files", null, JsonArray.class);
    assertThat(files.stream().map(o -> ((JsonObject) o).getLong("posterId"))).contains(uma.posterId);
  }

  @Test
  void concurrentUploadsOfOnePosterAreAllStoredInVersionOrder() throws Exception {
    // the recording transaction locks the poster's head row first: without it two uploads that
    // each inserted their file row (a key-share lock on the head) deadlocked on making it current
    Presenter uma = presenter(3);
    byte[] pdf = corpus("iso-a1-portrait.pdf");
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<HttpResponse<Buffer>>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(callers.submit(() -> upload(uma, uma.posterId, pdf)));
      }
      int highest = 0;
      for (var answer : answers) {
        HttpResponse<Buffer> r = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
        highest = Math.max(highest, r.bodyAsJsonObject().getJsonObject("file").getInteger("version"));
      }
      JsonObject status = getJson("/api/events/" + slug + "/posters/" + uma.posterId + "/pdf/status", uma.token);
      assertThat(status.getJsonObject("current").getInteger("version")).isEqualTo(highest);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void refusesTooTallPosterInPlainWordsWithSizesInCentimetresAndInches() throws Exception {
    Presenter p = presenter(2);

    HttpResponse<Buffer> r = upload(p, p.posterId, corpus("iso-a0-portrait.pdf"));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/poster-too-tall");
    assertThat(problem.getString("detail")).contains("84.1 x 118.9 cm").contains("in)").contains("too tall");
    assertThat(problem.getJsonObject("check").getDouble("heightCm")).isCloseTo(118.9, org.assertj.core.data.Offset.offset(0.05));
    assertThat(problem.getJsonObject("check").getString("verdict")).isEqualTo("TOO_LARGE");
    assertThat(problem.getJsonObject("check").getString("verdictLabel")).isEqualTo("Too large");
    JsonObject status = getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token);
    assertThat(status.getValue("current")).isNull();
    assertThat(status.getJsonObject("lastAttempt").getString("reasonCode")).isEqualTo("too-tall");
    assertThat(status.getJsonObject("lastAttempt").getString("message")).isEqualTo(problem.getString("detail"));
  }

  @Test
  void refusesRenamedPngAsNotAPdf() throws Exception {
    Presenter p = presenter(3);

    HttpResponse<Buffer> r = upload(p, p.posterId, corpus("renamed-png.pdf"));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-not-a-pdf");
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("not a PDF");
  }

  @Test
  void badReuploadKeepsTheGoodVersionAndGoodReuploadReplacesIt() throws Exception {
    Presenter p = presenter(4);
    byte[] good = corpus("iso-a1-portrait.pdf");
    assertThat(upload(p, p.posterId, good).statusCode()).isEqualTo(201);

    HttpResponse<Buffer> bad = upload(p, p.posterId, corpus("us-49x36-landscape.pdf"));

    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-too-wide");
    HttpResponse<Buffer> served = get("/api/events/" + slug + "/posters/" + p.posterId + "/pdf", p.token, null);
    assertThat(served.getHeader("ETag")).isEqualTo("\"" + sha256(good) + "\"");
    assertThat(served.body().getBytes()).isEqualTo(good);
    JsonObject status = getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token);
    assertThat(status.getJsonObject("current").getInteger("version")).isEqualTo(1);
    assertThat(status.getJsonObject("lastAttempt").getBoolean("accepted")).isFalse();

    byte[] better = corpus("us-48x36-landscape.pdf");
    HttpResponse<Buffer> replaced = upload(p, p.posterId, better);
    assertThat(replaced.statusCode()).isEqualTo(201);
    assertThat(replaced.bodyAsJsonObject().getJsonObject("file").getInteger("version")).isEqualTo(2);
    assertThat(get("/api/events/" + slug + "/posters/" + p.posterId + "/pdf", p.token, null).body().getBytes())
        .isEqualTo(better);

    // the current and the previous accepted version stay on disk; older ones are removed
    Path dir = server.server.config().uploadDir().resolve("posters").resolve(Long.toString(eventId()))
        .resolve(Long.toString(p.posterId));
    assertThat(dir.resolve("1.pdf")).exists();
    assertThat(upload(p, p.posterId, corpus("iso-a0-landscape.pdf")).statusCode()).isEqualTo(201);
    waitFor(() -> !Files.exists(dir.resolve("1.pdf")) && !Files.exists(dir.resolve("1.png")),
        "version 1's files to be removed");
    assertThat(dir.resolve("2.pdf")).exists();
    assertThat(dir.resolve("3.pdf")).exists();
  }

  @Test
  void previewsLeftPendingByARestartAreRenderedAfterStart() throws Exception {
    Presenter p = presenter(11);
    assertThat(upload(p, p.posterId, corpus("latex-tikzposter-a1-portrait.pdf")).statusCode()).isEqualTo(201);
    assertThat(previewOutcome(p).getString("preview")).isEqualTo("OK");
    Path png = server.server.config().uploadDir().resolve("posters").resolve(Long.toString(eventId()))
        .resolve(Long.toString(p.posterId)).resolve("1.png");
    // as a process killed mid-render leaves it: the row pending, claimed by nobody, no picture
    await(server.server.pool().preparedQuery("update poster_files set preview_status = 'PENDING', "
        + "preview_claimed_at = null where poster_id = $1").execute(io.vertx.sqlclient.Tuple.of(p.posterId)));
    Files.delete(png);
    assertThat(get("/api/events/" + slug + "/posters/" + p.posterId + "/preview.png", null, null)
        .bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-preview-pending");

    // what the server does at start (and every half minute)
    assertThat(await(server.server.posterFiles().sweepPendingPreviews())).isGreaterThanOrEqualTo(1);

    assertThat(previewOutcome(p).getString("preview")).isEqualTo("OK");
    assertThat(png).exists();
    HttpResponse<Buffer> served = get("/api/events/" + slug + "/posters/" + p.posterId + "/preview.png", null, null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body().getBytes(0, 4)).containsExactly(0x89, 'P', 'N', 'G');
  }

  @Test
  void anUploadTheClientAbandonsIsLoggedAsClientClosedNotAsAnAnswer() throws Exception {
    Presenter p = presenter(12);
    byte[] pdf = corpus("latex-tikzposter-a1-portrait.pdf");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.qos.logback.classic.Logger access =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("confday.access");
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> capture = new ch.qos.logback.core
        .AppenderBase<>() {
      @Override
      protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
        lines.add(event.getFormattedMessage());
      }
    };
    capture.start();
    ch.qos.logback.classic.Level level = access.getLevel();
    access.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' logback config keeps INFO quiet
    access.setAdditive(false);
    access.addAppender(capture);
    String id = "aborted-upload-" + System.nanoTime();
    try {
      String path = "/api/events/" + slug + "/posters/" + p.posterId + "/pdf";
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.port())) {
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + p.token
            + "\r\nContent-Type: application/pdf\r\nX-Request-Id: " + id + "\r\nContent-Length: " + pdf.length
            + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(pdf, 0, pdf.length / 2);
        out.flush();
        // half the body sent; the presenter's laptop goes to sleep
      }
      waitFor(() -> lines.stream().anyMatch(l -> l.contains("id=" + id)), "the access log line of the aborted upload");
      String line = lines.stream().filter(l -> l.contains("id=" + id)).findFirst().orElseThrow();
      assertThat(line).startsWith("PUT " + path + " 499 client closed after ").contains("no answer sent");
      assertThat(line).doesNotContain(" 200 ");
      assertThat(lines.stream().filter(l -> l.contains("id=" + id))).hasSize(1);
    } finally {
      access.detachAppender(capture);
      access.setAdditive(true);
      access.setLevel(level);
    }
    // nothing was stored
    assertThat(getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token).getValue("current"))
        .isNull();
  }

  @Test
  void refusesAnHtmlPageWithAPosterAfterItAndAPdfSentAsOctetStreamIsJudgedByContent() throws Exception {
    Presenter p = presenter(13);
    byte[] pdf = corpus("latex-tikzposter-a1-portrait.pdf");
    byte[] html = "<html><body><script>fetch('/api')</script></body></html>\n".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);
    byte[] polyglot = new byte[html.length + pdf.length];
    System.arraycopy(html, 0, polyglot, 0, html.length);
    System.arraycopy(pdf, 0, polyglot, html.length, pdf.length);

    HttpResponse<Buffer> refused = upload(p, p.posterId, polyglot);

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-polyglot");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("an HTML page with a PDF after it");
    assertThat(getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token).getValue("current"))
        .isNull();

    // what browsers and curl often send for a file: accepted, the check is by content
    HttpResponse<Buffer> accepted = await(server.client.put("/api/events/" + slug + "/posters/" + p.posterId + "/pdf")
        .putHeader("Authorization", "Bearer " + p.token).putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(pdf)));
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(201);
    assertThat(accepted.bodyAsJsonObject().getJsonObject("check").getString("verdict")).isEqualTo("RECOMMENDED_SIZE");
    HttpResponse<Buffer> notPdf = await(server.client.put("/api/events/" + slug + "/posters/" + p.posterId + "/pdf")
        .putHeader("Authorization", "Bearer " + p.token).putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(html)));
    assertThat(notPdf.statusCode()).isEqualTo(422);
    assertThat(notPdf.bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-not-a-pdf");
  }

  @Test
  void decompressionBombIsAnsweredQuicklyAndItsPreviewFailureIsRecorded() throws Exception {
    Presenter p = presenter(5);
    long start = System.nanoTime();

    HttpResponse<Buffer> r = upload(p, p.posterId, corpus("bomb-flate-1gb.pdf"));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(PosterFileService.CHECK_TIMEOUT.plus(PosterFileService.PREVIEW_TIMEOUT));
    // the structure is sound and A1-sized: PosterCheck accepts it without decoding the page
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getJsonObject("file").getString("preview")).isEqualTo("PENDING");
    assertThat(r.bodyAsJsonObject().getValue("previewUrl")).isNull();
    JsonObject file = previewOutcome(p);
    assertThat(file.getString("preview")).isIn("FAILED", "TIMED_OUT");
    assertThat(file.getValue("previewUrl")).isNull();
    HttpResponse<Buffer> png = get("/api/events/" + slug + "/posters/" + p.posterId + "/preview.png", null, null);
    assertThat(png.statusCode()).isEqualTo(404);
    assertThat(png.bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-preview-missing");
  }

  @Test
  void refusesOverLimitUploadByContentLengthAndWhileStreaming() throws Exception {
    Presenter p = presenter(6);
    JsonObject limits = getJson("/api/events/" + slug + "/poster-limits", null);
    assertThat(limits.getLong("maxUploadBytes")).isEqualTo(50L * 1024 * 1024);
    try {
      HttpResponse<Buffer> set = send(HttpMethod.PUT, "/api/events/" + slug + "/poster-limits", organizer,
          limits.copy().put("maxUploadBytes", 20_000));
      assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
      byte[] pdf = corpus("latex-tikzposter-a1-portrait.pdf");
      assertThat(pdf.length).isGreaterThan(40_000);

      HttpResponse<Buffer> declared = upload(p, p.posterId, pdf);
      assertThat(declared.statusCode()).isEqualTo(413);
      assertThat(declared.bodyAsJsonObject().getString("type")).isEqualTo("/problems/poster-file-too-large");
      assertThat(declared.bodyAsJsonObject().getLong("maxUploadBytes")).isEqualTo(20_000);

      Answer chunked = chunkedUpload(p, pdf);
      assertThat(chunked.status()).isEqualTo(413);
      JsonObject problem = chunked.body().toJsonObject();
      assertThat(problem.getString("type")).isEqualTo("/problems/poster-file-too-large");
    } finally {
      send(HttpMethod.PUT, "/api/events/" + slug + "/poster-limits", organizer, limits);
    }
    JsonObject status = getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token);
    assertThat(status.getValue("current")).isNull();
  }

  @Test
  void onlyThePostersPresenterOrAnOrganizerMayUpload() throws Exception {
    Presenter owner = presenter(7);
    Presenter other = presenter(8);
    byte[] pdf = corpus("iso-a2-portrait.pdf");

    HttpResponse<Buffer> byOther = upload(other, owner.posterId, pdf);
    assertThat(byOther.statusCode()).isEqualTo(403);
    assertThat(byOther.bodyAsJsonObject().getString("type")).isEqualTo("/problems/forbidden");
    String attendee = server.sessionFor(slug, "grace.kim@example.org");
    assertThat(upload(attendee, owner.posterId, pdf, "application/pdf").statusCode()).isEqualTo(403);
    assertThat(upload(null, owner.posterId, pdf, "application/pdf").statusCode()).isEqualTo(401);
    assertThat(upload(owner.token, owner.posterId, pdf, "image/png").statusCode()).isEqualTo(415);
    assertThat(upload(owner.token, 999_999, pdf, "application/pdf").statusCode()).isEqualTo(404);
    assertThat(getJson("/api/events/" + slug + "/posters/" + owner.posterId + "/pdf/status", owner.token)
        .getValue("current")).isNull();
    assertThat(get("/api/events/" + slug + "/posters/" + owner.posterId + "/pdf/status", other.token, null)
        .statusCode()).isEqualTo(403);

    HttpResponse<Buffer> byOrganizer = upload(organizer, owner.posterId, pdf, "application/octet-stream");
    assertThat(byOrganizer.statusCode()).as(byOrganizer.bodyAsString()).isEqualTo(201);
    assertThat(byOrganizer.bodyAsJsonObject().getJsonObject("check").getString("verdict")).isEqualTo("FITS");
  }

  @Test
  void clientThatAbortsMidUploadLeavesNoTempFile() throws Exception {
    Presenter p = presenter(9);
    HttpClient client = server.vertx.createHttpClient();
    try {
      HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.PUT)
          .setHost("localhost").setPort(server.port())
          .setURI("/api/events/" + slug + "/posters/" + p.posterId + "/pdf")
          .putHeader("Authorization", "Bearer " + p.token).putHeader("Content-Type", "application/pdf")));
      request.setChunked(true);
      await(request.write(Buffer.buffer(corpus("latex-tikzposter-a1-portrait.pdf")).slice(0, 8192)));
      waitFor(() -> !tmpEntries().isEmpty(), "the upload's temp file to appear");

      await(request.connection().close());

      waitFor(() -> tmpEntries().isEmpty(), "the aborted upload's temp file to be removed");
    } finally {
      await(client.close());
    }
    JsonObject status = getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token);
    assertThat(status.getValue("current")).isNull();
    assertThat(status.getValue("lastAttempt")).isNull();
  }

  @Test
  void anUploadThatArrivesInPiecesIsJudgedAsWhenItArrivesAtOnce() throws Exception {
    // the structure scan reads each piece as it lands in the temp file and waits for the next
    Presenter accepted = presenter(14);
    byte[] pdf = corpus("latex-tikzposter-a1-portrait.pdf");
    Answer ok = uploadInPieces(accepted, pdf, 8);
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(201);
    JsonObject body = ok.body().toJsonObject();
    assertThat(body.getJsonObject("check").getString("verdict")).isEqualTo("RECOMMENDED_SIZE");
    assertThat(body.getJsonObject("file").getString("sha256")).isEqualTo(sha256(pdf));

    Presenter refused = presenter(15);
    Answer tall = uploadInPieces(refused, corpus("iso-a0-portrait.pdf"), 4);
    assertThat(tall.status()).isEqualTo(422);
    assertThat(tall.body().toJsonObject().getString("type")).isEqualTo("/problems/poster-too-tall");
    assertThat(tall.body().toJsonObject().getString("detail")).contains("84.1 x 118.9 cm").contains("too tall");
  }

  /** Sends the body in {@code pieces}, each only once the one before is in the upload's temp file. */
  static Answer uploadInPieces(Presenter p, byte[] pdf, int pieces) {
    HttpClient client = server.vertx.createHttpClient();
    try {
      HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.PUT)
          .setHost("localhost").setPort(server.port())
          .setURI("/api/events/" + slug + "/posters/" + p.posterId + "/pdf")
          .putHeader("Authorization", "Bearer " + p.token).putHeader("Content-Type", "application/pdf")
          .putHeader("Content-Length", Integer.toString(pdf.length))));
      Future<Answer> answer = request.response()
          .compose(r -> r.body().map(body -> new Answer(r.statusCode(), body)));
      Buffer all = Buffer.buffer(pdf);
      int piece = (pdf.length + pieces - 1) / pieces;
      for (int at = 0; at < pdf.length; at += piece) {
        int end = Math.min(pdf.length, at + piece);
        await(request.write(all.slice(at, end)));
        if (end < pdf.length) {
          waitFor(() -> tmpSizes().stream().anyMatch(size -> size >= end), "piece to land in the temp file");
        }
      }
      request.end();
      return await(answer);
    } finally {
      await(client.close());
    }
  }

  static List<Long> tmpSizes() {
    Path tmp = server.server.config().uploadDir().resolve("tmp");
    try (Stream<Path> files = Files.list(tmp)) {
      return files.map(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0L; // moved into place or removed meanwhile
        }
      }).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Test
  void limitsArePublicAndOnlyOrganizersChangeThemWithValidation() {
    JsonObject limits = getJson("/api/events/" + slug + "/poster-limits", null);
    assertThat(limits.getString("maxLabel")).isEqualTo("A0 landscape");
    assertThat(limits.getString("maxSize")).isEqualTo("48 x 36 in (121.9 x 91.4 cm, A0 landscape)");
    assertThat(limits.getDouble("maxWidthMm")).isEqualTo(48 * 25.4);

    Presenter p = presenter(10);
    assertThat(send(HttpMethod.PUT, "/api/events/" + slug + "/poster-limits", p.token, limits).statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> invalid = send(HttpMethod.PUT, "/api/events/" + slug + "/poster-limits", organizer,
        limits.copy().put("recommendedWidthMm", 2000).put("maxUploadBytes", 10));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.bodyAsJsonObject().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field"))).contains("maxUploadBytes");
    assertThat(getJson("/api/events/" + slug + "/poster-limits", null)).isEqualTo(limits);
  }

  // ---- helpers

  record Presenter(String token, long posterId) {
  }

  /** The presenter of demo poster {@code number}, logged in, and the poster's id from their own list. */
  static Presenter presenter(int number) {
    JsonObject poster = DemoSeed.data().getJsonArray("posters").stream().map(JsonObject.class::cast)
        .filter(o -> o.getInteger("number") == number).findFirst().orElseThrow();
    String token = server.sessionFor(slug, poster.getString("presenterEmail"));
    JsonArray mine = getJson("/api/events/" + slug + "/my-posters", token, JsonArray.class);
    long id = mine.stream().map(JsonObject.class::cast).filter(o -> o.getInteger("number") == number)
        .findFirst().orElseThrow().getLong("id");
    return new Presenter(token, id);
  }

  static long eventId() {
    return await(server.server.events().event(slug)).id();
  }

  static HttpResponse<Buffer> upload(Presenter p, long posterId, byte[] pdf) {
    return upload(p.token, posterId, pdf, "application/pdf");
  }

  static HttpResponse<Buffer> upload(String token, long posterId, byte[] body, String type) {
    var request = server.client.put("/api/events/" + slug + "/posters/" + posterId + "/pdf")
        .putHeader("Content-Type", type);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  /** Sends the body in chunks without a Content-Length, as a streaming client would. */
  record Answer(int status, Buffer body) {
  }

  static Answer chunkedUpload(Presenter p, byte[] pdf) {
    HttpClient client = server.vertx.createHttpClient();
    try {
      HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.PUT)
          .setHost("localhost").setPort(server.port())
          .setURI("/api/events/" + slug + "/posters/" + p.posterId + "/pdf")
          .putHeader("Authorization", "Bearer " + p.token).putHeader("Content-Type", "application/pdf")));
      request.setChunked(true);
      // read the body on the event loop, as the answer arrives (it may come before the body is sent)
      Future<Answer> answer = request.response()
          .compose(r -> r.body().map(body -> new Answer(r.statusCode(), body)));
      Buffer all = Buffer.buffer(pdf);
      for (int at = 0; at < pdf.length; at += 4096) {
        request.write(all.slice(at, Math.min(pdf.length, at + 4096)));
      }
      request.end();
      return await(answer);
    } finally {
      client.close();
    }
  }

  /**
   * Waits (bounded) for the poster-preview message of the presenter's current version and
   * answers its payload; the stored state must say the same.
   */
  static JsonObject previewOutcome(Presenter p) {
    long deadline = System.nanoTime() + PosterFileService.PREVIEW_TIMEOUT.plusSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject current = getJson("/api/events/" + slug + "/posters/" + p.posterId + "/pdf/status", p.token)
          .getJsonObject("current");
      if (current != null && !"PENDING".equals(current.getString("preview"))) {
        int version = current.getInteger("version");
        List<dev.confday.live.LiveMessage> messages = await(server.server.live().since(PosterService.topic(slug), 0,
            100_000));
        JsonObject message = messages.stream().map(dev.confday.live.LiveMessage::payload)
            .filter(m -> "poster-preview".equals(m.getString("type")) && m.getLong("posterId") == p.posterId
                && m.getInteger("version") == version)
            .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no poster-preview message for " + current));
        assertThat(message.getString("preview")).isEqualTo(current.getString("preview"));
        return message;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the preview of poster " + p.posterId + " is still pending");
  }

  static HttpResponse<Buffer> get(String path, String token, String ifNoneMatch) {
    var request = server.client.get(path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (ifNoneMatch != null) {
      request.putHeader("If-None-Match", ifNoneMatch);
    }
    return await(request.send());
  }

  static JsonObject getJson(String path, String token) {
    return getJson(path, token, JsonObject.class);
  }

  static <T> T getJson(String path, String token, Class<T> type) {
    HttpResponse<Buffer> r = get(path, token, null);
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(200);
    return type == JsonArray.class ? type.cast(r.bodyAsJsonArray()) : type.cast(r.bodyAsJsonObject());
  }

  static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    return await(server.client.request(method, path).putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(body));
  }

  static byte[] corpus(String name) throws IOException {
    return Files.readAllBytes(PosterPdfs.corpus(name));
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  static List<String> tmpEntries() {
    Path tmp = server.server.config().uploadDir().resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.map(e -> e.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what + "; tmp holds " + tmpEntries());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
