package dev.confday.posters;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.live.LiveMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PosterApiTest {
  static final String ORGANIZER = "ada.okafor@example.org";
  static final String ATTENDEE = "grace.kim@example.org";
  static TestServer server;
  static String slug;
  static String organizer;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    organizer = server.sessionFor(slug, ORGANIZER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  // ---- demo and search

  @Test
  void demoHangsEveryPosterOfASessionOnTheExhibitHallBoards() {
    JsonArray posters = get("/posters", null).bodyAsJsonArray();
    assertThat(posters).hasSize(30);
    JsonObject one = posters.getJsonObject(0);
    assertThat(one.getInteger("number")).isEqualTo(1);
    assertThat(one.getString("presenter")).isEqualTo("Uma Raman");
    assertThat(board(one, "posters-1")).isEqualTo("A1");
    assertThat(board(one, "posters-2")).isNull();
    JsonObject nineteen = posters.getJsonObject(18);
    assertThat(board(nineteen, "posters-2")).isEqualTo("A1");

    JsonObject hall = get("/areas", null).bodyAsJsonArray().getJsonObject(0);
    assertThat(hall.getString("name")).isEqualTo("Exhibit Hall 1");
    assertThat(hall.getJsonArray("boards")).hasSize(36);
    assertThat(hall.getJsonObject("viewBox").getDouble("width")).isEqualTo(1200.0);
    assertThat(hall.getJsonObject("plan").getString("contentType")).isEqualTo("image/svg+xml");

    // the poster sessions come from the schedule, with their titles, in time order
    JsonArray sessions = get("/poster-sessions", null).bodyAsJsonArray();
    JsonObject first = sessions.getJsonObject(0);
    assertThat(first.getString("ref")).isEqualTo("posters-1");
    assertThat(first.getString("title")).isEqualTo("Poster session I");
    assertThat(first.getInteger("posters")).isEqualTo(18);
    assertThat(first.getLong("scheduleId")).isNotNull();
    assertThat(sessions.getJsonObject(1).getString("title")).isEqualTo("Poster session II");
    assertThat(sessions.getJsonObject(1).getInteger("posters")).isEqualTo(12);
  }

  @Test
  void searchFindsAPosterByTitleAuthorNumberOrBoard() {
    JsonArray byTitle = get("/posters?q=" + enc("star-formation"), null).bodyAsJsonArray();
    assertThat(numbers(byTitle)).containsExactly(2);

    JsonArray byAuthor = get("/posters?q=" + enc("ortega"), null).bodyAsJsonArray();
    assertThat(numbers(byAuthor)).containsExactly(2, 9);
    JsonObject carmen = byAuthor.getJsonObject(1);
    JsonObject where = carmen.getJsonArray("boards").getJsonObject(0);
    assertThat(where.getString("area")).isEqualTo("Exhibit Hall 1");
    assertThat(where.getDouble("width")).isEqualTo(100.0);

    JsonArray byNumber = get("/posters?q=12", null).bodyAsJsonArray();
    assertThat(byNumber.getJsonObject(0).getInteger("number")).isEqualTo(12);

    JsonArray byBoard = get("/posters?q=b9", null).bodyAsJsonArray();
    assertThat(byBoard.getJsonObject(0).getJsonArray("boards").stream()
        .map(b -> ((JsonObject) b).getString("label"))).contains("B9");

    assertThat(get("/posters?q=" + enc("100%_"), null).bodyAsJsonArray()).isEmpty();
  }

  @Test
  void boardsForSessionListsNumberTitleAndLabelForTheSchedule() {
    long eventId = await(server.server.events().event(slug)).id();
    List<PosterBoard> boards = await(server.server.posters().boardsForSession(eventId, "posters-2"));
    assertThat(boards).hasSize(12);
    assertThat(boards.get(0)).isEqualTo(new PosterBoard(19,
        boards.get(0).title(), "A1", "Exhibit Hall 1"));
    HttpResponse<Buffer> r = get("/poster-sessions/posters-2/boards", null);
    assertThat(r.bodyAsJsonArray().getJsonObject(0).getString("board")).isEqualTo("A1");
  }

  // ---- automatic and manual assignment

  @Test
  void autoAssignKeepsTracksTogetherAndFollowsTheWalkingOrder() {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/posters/assign", organizer,
        new JsonObject().put("session", "all-tracks"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("assigned")).isEqualTo(30);

    Map<String, Integer> walk = walkOrderByLabel();
    List<JsonObject> byWalk = new ArrayList<>();
    get("/posters", null).bodyAsJsonArray().forEach(p -> byWalk.add((JsonObject) p));
    byWalk.sort((a, b) -> walk.get(board(a, "all-tracks")) - walk.get(board(b, "all-tracks")));
    // walking past the boards: one track after the other, posters by number inside a track
    List<String> tracksSeen = new ArrayList<>();
    int lastNumber = 0;
    for (JsonObject p : byWalk) {
      String track = p.getString("track");
      if (tracksSeen.isEmpty() || !tracksSeen.get(tracksSeen.size() - 1).equals(track)) {
        assertThat(tracksSeen).as("track %s met twice along the walk", track).doesNotContain(track);
        tracksSeen.add(track);
        lastNumber = 0;
      }
      assertThat(p.getInteger("number")).isGreaterThan(lastNumber);
      lastNumber = p.getInteger("number");
    }
    assertThat(tracksSeen).containsExactly("Galaxies", "Cosmology", "Time-domain", "Stars & exoplanets",
        "Instrumentation & surveys");
    // 30 posters on the first 30 boards of the walk: A1..A9, B9..B1, C1..C9, D9..D7
    assertThat(byWalk.stream().map(p -> walk.get(board(p, "all-tracks"))).toList())
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList());
    assertThat(board(byWalk.get(9), "all-tracks")).isEqualTo("B9");
  }

  @Test
  void autoAssignSaysHowManyBoardsAreMissing() {
    long corridor = createArea("Corridor", 600, 100);
    JsonArray three = new JsonArray();
    for (int i = 1; i <= 3; i++) {
      three.add(new JsonObject().put("label", "K" + i).put("x", i * 100).put("y", 20).put("width", 80)
          .put("height", 20));
    }
    assertThat(send(HttpMethod.PUT, "/areas/" + corridor + "/boards", organizer,
        new JsonObject().put("boards", three)).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> r = send(HttpMethod.POST, "/posters/assign", organizer,
        new JsonObject().put("session", "corridor-only").put("area", corridor));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/not-enough-boards");
    assertThat(problem.getInteger("missing")).isEqualTo(27);
    assertThat(problem.getString("detail")).contains("30 posters", "add 27 more boards");
    assertThat(get("/poster-sessions/corridor-only/boards", null).bodyAsJsonArray()).isEmpty();
  }

  @Test
  void organizerMovesAPosterAndTwoPostersSwapBoards() {
    send(HttpMethod.POST, "/posters/assign", organizer, new JsonObject().put("session", "move-test")
        .put("tracks", new JsonArray().add("Galaxies")));
    long p1 = posterId(1);
    long p2 = posterId(2);
    long p3 = posterId(7);
    Map<String, Long> boards = boardIdByLabel();

    // to a free board
    HttpResponse<Buffer> free = send(HttpMethod.PUT, "/poster-sessions/move-test/assignments/" + p1, organizer,
        new JsonObject().put("board", boards.get("D5")));
    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(boardOf(1, "move-test")).isEqualTo("D5");

    // onto the board of poster 2 (A2): the two swap
    HttpResponse<Buffer> swap = send(HttpMethod.PUT, "/poster-sessions/move-test/assignments/" + p1, organizer,
        new JsonObject().put("board", boards.get("A2")));
    assertThat(swap.statusCode()).isEqualTo(200);
    assertThat(swap.bodyAsJsonObject().getJsonArray("changed")).hasSize(2);
    assertThat(boardOf(1, "move-test")).isEqualTo("A2");
    assertThat(boardOf(2, "move-test")).isEqualTo("D5");

    // a poster without a board cannot push another one off
    HttpResponse<Buffer> taken = send(HttpMethod.PUT, "/poster-sessions/move-test/assignments/" + p3, organizer,
        new JsonObject().put("board", boards.get("A2")));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.bodyAsJsonObject().getString("type")).isEqualTo("/problems/board-taken");
    assertThat(taken.bodyAsJsonObject().getString("detail")).contains("poster 1");
    assertThat(boardOf(1, "move-test")).isEqualTo("A2");

    // and off the board
    assertThat(send(HttpMethod.DELETE, "/poster-sessions/move-test/assignments/" + p2, organizer, null)
        .statusCode()).isEqualTo(204);
    assertThat(boardOf(2, "move-test")).isNull();
  }

  @Test
  void everyAssignmentChangeIsPublishedOnThePostersTopic() {
    String topic = "event:" + slug + ":posters";
    long before = await(server.server.live().lastSeq(topic));
    send(HttpMethod.POST, "/posters/assign", organizer, new JsonObject().put("session", "live-test")
        .put("numbers", new JsonArray().add(3).add(4)));
    long p3 = posterId(3);
    long board = boardIdByLabel().get("C5");
    send(HttpMethod.PUT, "/poster-sessions/live-test/assignments/" + p3, organizer, new JsonObject().put("board", board));

    List<LiveMessage> messages = await(server.server.live().since(topic, before, 100));
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).payload().getString("reason")).isEqualTo("auto");
    assertThat(messages.get(0).payload().getString("session")).isEqualTo("live-test");
    JsonObject move = messages.get(1).payload();
    assertThat(move.getString("kind")).isEqualTo("assignments");
    assertThat(move.getString("reason")).isEqualTo("move");
    assertThat(move.getJsonArray("changes").getJsonObject(0).getLong("boardId")).isEqualTo(board);
    assertThat(messages.get(1).seq()).isEqualTo(messages.get(0).seq() + 1);
  }

  @Test
  void attendeesAndAnonymousVisitorsCannotChangeBoards() {
    String attendee = server.sessionFor(slug, ATTENDEE);
    JsonObject assign = new JsonObject().put("session", "posters-1");
    assertThat(send(HttpMethod.POST, "/posters/assign", attendee, assign).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/posters/assign", null, assign).statusCode()).isEqualTo(401);
    long board = boardIdByLabel().get("D9");
    assertThat(send(HttpMethod.PUT, "/poster-sessions/posters-1/assignments/" + posterId(1), attendee,
        new JsonObject().put("board", board)).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/areas", attendee, new JsonObject().put("name", "Mine")).statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> upload = await(server.client.request(HttpMethod.PUT, "/api/events/" + slug + "/areas/1/plan")
        .bearerTokenAuthentication(attendee).putHeader("Content-Type", FloorPlan.SVG)
        .sendBuffer(Buffer.buffer(SVG_PLAN)));
    assertThat(upload.statusCode()).isEqualTo(403);
    assertThat(boardOf(1, "posters-1")).isEqualTo("A1");
  }

  @Test
  void removingABoardAPosterHangsOnIsRefused() {
    long hall = get("/areas", null).bodyAsJsonArray().getJsonObject(0).getLong("id");
    JsonArray withoutA1 = new JsonArray();
    get("/areas", null).bodyAsJsonArray().getJsonObject(0).getJsonArray("boards").forEach(b -> {
      JsonObject board = (JsonObject) b;
      if (!board.getString("label").equals("A1")) {
        withoutA1.add(board.copy().put("walkOrder", board.getInteger("walkOrder")));
      }
    });
    HttpResponse<Buffer> r = send(HttpMethod.PUT, "/areas/" + hall + "/boards", organizer,
        new JsonObject().put("boards", withoutA1));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/board-in-use");
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("A1");
    assertThat(boardIdByLabel()).containsKey("A1");
  }

  // ---- floor plans

  static final String SVG_PLAN = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">
        <rect x="10" y="10" width="380" height="280" fill="none" stroke="black"/>
        <rect x="50" y="50" width="60" height="20" fill="#fff" stroke="#666"/>
      </svg>
      """;

  @Test
  void svgPlanIsStoredDurablyAndServedUnderAStrictPolicy() throws IOException {
    long area = createArea("Foyer", 1000, 1000);
    HttpResponse<Buffer> r = upload(area, FloorPlan.SVG, SVG_PLAN.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject json = r.bodyAsJsonObject();
    assertThat(json.getJsonObject("viewBox").getDouble("width")).isEqualTo(400.0);
    assertThat(json.getJsonObject("viewBox").getDouble("height")).isEqualTo(300.0);
    String url = json.getJsonObject("plan").getString("url");

    List<Path> files = planFiles();
    assertThat(files).anySatisfy(f -> assertThat(f.getFileName().toString()).startsWith("area-" + area + "-")
        .endsWith(".svg"));
    assertThat(files).noneSatisfy(f -> assertThat(f.getFileName().toString()).startsWith(FloorPlanStore.TEMP_PREFIX));

    HttpResponse<Buffer> plan = await(server.client.get(url).send());
    assertThat(plan.statusCode()).isEqualTo(200);
    assertThat(plan.getHeader("Content-Type")).isEqualTo("image/svg+xml");
    assertThat(plan.getHeader("Content-Security-Policy")).startsWith("default-src 'none'").contains("sandbox");
    assertThat(plan.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(plan.bodyAsString()).contains("viewBox=\"0 0 400 300\"");

    // a new plan replaces the file; the old one is removed once the area points to the new one
    String second = SVG_PLAN.replace("0 0 400 300", "0 0 800 600");
    HttpResponse<Buffer> again = upload(area, FloorPlan.SVG, second.getBytes(StandardCharsets.UTF_8));
    assertThat(again.bodyAsJsonObject().getJsonObject("viewBox").getDouble("width")).isEqualTo(800.0);
    assertThat(planFiles().stream().filter(f -> f.getFileName().toString().startsWith("area-" + area + "-")))
        .hasSize(1);
  }

  @Test
  void svgWithAScriptIsRefusedAndNothingIsStored() throws IOException {
    long area = createArea("Gallery", 1000, 1000);
    List<String> evil = List.of(
        SVG_PLAN.replace("</svg>", "<script>alert(1)</script></svg>"),
        SVG_PLAN.replace("<rect x=\"10\"", "<rect onload=\"alert(1)\" x=\"10\""),
        SVG_PLAN.replace("</svg>", "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"
            + "</foreignObject></svg>"),
        SVG_PLAN.replace("</svg>", "<image href=\"https://tracker.example/pixel.png\" width=\"1\" height=\"1\"/></svg>"),
        SVG_PLAN.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"));
    for (String svg : evil) {
      HttpResponse<Buffer> r = upload(area, FloorPlan.SVG, svg.getBytes(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as(svg).isEqualTo(422);
      assertThat(r.bodyAsJsonObject().getString("type")).isEqualTo("/problems/unsafe-floor-plan");
    }
    assertThat(planFiles()).noneSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("area-" + area + "-"));
    assertThat(planFiles()).noneSatisfy(f -> assertThat(f.getFileName().toString()).startsWith(FloorPlanStore.TEMP_PREFIX));
    assertThat(await(server.client.get("/api/events/" + slug + "/areas/" + area + "/plan").send()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void pngPlanUsesItsPixelsAsCoordinates() throws IOException {
    long area = createArea("Annex", 10, 10);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB), "png", png);
    HttpResponse<Buffer> r = upload(area, "image/png", png.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("viewBox").getDouble("width")).isEqualTo(640.0);
    assertThat(r.bodyAsJsonObject().getJsonObject("plan").getString("contentType")).isEqualTo("image/png");

    // the same bytes declared as SVG or JPEG are refused
    assertThat(upload(area, FloorPlan.SVG, png.toByteArray()).statusCode()).isEqualTo(400);
    assertThat(upload(area, FloorPlan.JPEG, png.toByteArray()).statusCode()).isEqualTo(400);
  }

  @Test
  void planOfTheWrongTypeOrTooLargeIsRefusedWithAProblem() throws IOException {
    long area = createArea("Lobby", 1000, 1000);
    HttpResponse<Buffer> html = upload(area, "text/html", "<html><script>x</script></html>".getBytes());
    assertThat(html.statusCode()).isEqualTo(415);
    assertThat(html.getHeader("Content-Type")).isEqualTo("application/problem+json");

    byte[] big = new byte[PosterService.MAX_PLAN_BYTES + 1];
    byte[] head = SVG_PLAN.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, big, 0, head.length);
    HttpResponse<Buffer> tooLarge = upload(area, FloorPlan.SVG, big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.bodyAsJsonObject().getString("type")).isEqualTo("/problems/payload-too-large");
    assertThat(tooLarge.bodyAsJsonObject().getInteger("maxBytes")).isEqualTo(PosterService.MAX_PLAN_BYTES);
    assertThat(planFiles()).noneSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("area-" + area + "-"));

    // the connection still serves the next request
    assertThat(upload(area, FloorPlan.SVG, head).statusCode()).isEqualTo(200);
  }

  // ---- helpers

  private static HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = server.client.request(method, "/api/events/" + slug + path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static HttpResponse<Buffer> upload(long area, String type, byte[] content) {
    return await(server.client.request(HttpMethod.PUT, "/api/events/" + slug + "/areas/" + area + "/plan")
        .bearerTokenAuthentication(organizer).putHeader("Content-Type", type).sendBuffer(Buffer.buffer(content)));
  }

  private static long createArea(String name, int width, int height) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/areas", organizer, new JsonObject().put("name", name)
        .put("width", width).put("height", height).put("position", 5));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getLong("id");
  }

  private static List<Path> planFiles() throws IOException {
    Path dir = server.server.config().uploadDir().resolve("floorplans");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private static String board(JsonObject poster, String session) {
    return poster.getJsonArray("boards").stream().map(b -> (JsonObject) b)
        .filter(b -> b.getString("session").equals(session)).map(b -> b.getString("label")).findFirst().orElse(null);
  }

  private static String boardOf(int number, String session) {
    JsonArray found = get("/posters?q=" + number, null).bodyAsJsonArray();
    return board(found.getJsonObject(0), session);
  }

  private static long posterId(int number) {
    return get("/posters?q=" + number, null).bodyAsJsonArray().getJsonObject(0).getLong("id");
  }

  private static Map<String, Long> boardIdByLabel() {
    Map<String, Long> ids = new HashMap<>();
    get("/areas", null).bodyAsJsonArray().forEach(a -> ((JsonObject) a).getJsonArray("boards")
        .forEach(b -> ids.put(((JsonObject) b).getString("label"), ((JsonObject) b).getLong("id"))));
    return ids;
  }

  private static Map<String, Integer> walkOrderByLabel() {
    Map<String, Integer> order = new HashMap<>();
    get("/areas", null).bodyAsJsonArray().getJsonObject(0).getJsonArray("boards")
        .forEach(b -> order.put(((JsonObject) b).getString("label"), ((JsonObject) b).getInteger("walkOrder")));
    return order;
  }

  private static List<Integer> numbers(JsonArray posters) {
    return posters.stream().map(p -> ((JsonObject) p).getInteger("number")).toList();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
