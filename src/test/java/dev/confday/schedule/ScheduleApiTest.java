package dev.confday.schedule;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.live.LiveMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScheduleApiTest {
  static final String ORGANIZER = "ada.okafor@example.org";
  static final String ATTENDEE = "grace.kim@example.org";
  static final AtomicInteger EVENTS = new AtomicInteger();

  static TestServer server;
  static String demo;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    demo = server.seedDemo();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A fresh one-day event (in Honolulu, like the demo) with two rooms, an organizer and an attendee. */
  record Fixture(String slug, long roomA, long roomB, String organizer, String attendee) {
  }

  static Fixture fixture() {
    return fixture(1);
  }

  /** A fixture whose event lasts {@code days} days from 2023-07-29. */
  static Fixture fixture(int days) {
    String slug = "sched-test-" + EVENTS.incrementAndGet();
    Event event = await(server.server.events().createEvent(new NewEvent(slug, "Test workshop " + slug,
        "Pacific/Honolulu", LocalDate.parse("2023-07-29"), LocalDate.parse("2023-07-29").plusDays(days - 1), null,
        null)));
    long a = await(server.server.events().addRoom(event.id(), new NewRoom("Room A", 100, null))).id();
    long b = await(server.server.events().addRoom(event.id(), new NewRoom("Room B", 50, null))).id();
    await(server.server.events().addPerson(event.id(), "org-" + slug + "@example.org", "Olga Organizer", null,
        Role.ORGANIZER));
    await(server.server.events().addPerson(event.id(), "att-" + slug + "@example.org", "Arno Attendee", null,
        Role.ATTENDEE));
    return new Fixture(slug, a, b, server.sessionFor(slug, "org-" + slug + "@example.org"),
        server.sessionFor(slug, "att-" + slug + "@example.org"));
  }

  static JsonObject session(String title, String type, long room, String start, String end) {
    return new JsonObject().put("title", title).put("type", type).put("roomId", room)
        .put("startsAt", "2023-07-29T" + start + ":00-10:00").put("endsAt", "2023-07-29T" + end + ":00-10:00");
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> req = server.client.request(method, path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static JsonObject create(Fixture f, JsonObject s) {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/sessions", f.organizer(), s);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  static JsonObject schedule(String slug) {
    return call(HttpMethod.GET, "/api/events/" + slug + "/schedule", null, null).bodyAsJsonObject();
  }

  static JsonObject byTitle(JsonObject schedule, String title) {
    return schedule.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("title").equals(title)).findFirst().orElseThrow();
  }

  @Test
  void demoScheduleShowsItsEighteenSessionsInTheEventsTimeZone() {
    JsonObject s = schedule(demo);
    // 18: the 17 of the ML4Astro day plus the poster set-up in Exhibit Hall 1 during the opening,
    // so that at the demo's "now" both rooms have something running (#10)
    assertThat(s.getJsonArray("sessions")).hasSize(18);
    assertThat(s.getJsonObject("event").getString("timeZone")).isEqualTo("Pacific/Honolulu");
    assertThat(s.getJsonArray("days")).containsExactly("2023-07-29");
    JsonObject panel = s.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(x -> "panel".equals(x.getString("key"))).findFirst().orElseThrow();
    assertThat(panel.getString("startsAt")).isEqualTo("2023-07-29T15:30:00-10:00");
    assertThat(panel.getString("room")).isEqualTo("Ballroom A");
    assertThat(panel.getJsonArray("speakers")).hasSize(4);
    assertThat(panel.getJsonArray("speakers").stream().map(JsonObject.class::cast)
        .filter(sp -> sp.getBoolean("remote")).count()).isEqualTo(2);
  }

  @Test
  void organizerCreatesASessionWithSpeakersAndTheVersionAndChangelogMove() {
    Fixture f = fixture();
    long before = schedule(f.slug()).getLong("version");
    JsonObject created = create(f, session("Keynote", "invited-talk", f.roomA(), "09:00", "09:45")
        .put("abstract", "About stars; and galaxies, too.").put("track", "Cosmology"));
    assertThat(created.getString("guid")).matches("[0-9a-f-]{36}");
    assertThat(created.getString("startsAt")).isEqualTo("2023-07-29T09:00:00-10:00");
    JsonObject after = schedule(f.slug());
    assertThat(after.getLong("version")).isEqualTo(before + 1);
    JsonObject changes = call(HttpMethod.GET, "/api/events/" + f.slug() + "/schedule/changes?since=" + before, null,
        null).bodyAsJsonObject();
    assertThat(changes.getJsonArray("changes")).hasSize(1);
    JsonObject change = changes.getJsonArray("changes").getJsonObject(0);
    assertThat(change.getString("kind")).isEqualTo("created");
    assertThat(change.getValue("old")).isNull();
    assertThat(change.getJsonObject("new").getString("title")).isEqualTo("Keynote");
  }

  @Test
  void anOverlapInOneRoomIsRefusedWith409NamingTheClashingSession() {
    Fixture f = fixture();
    create(f, session("Opening", "opening", f.roomA(), "08:30", "09:00"));
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/sessions", f.organizer(),
        session("Late talk", "contributed-talk", f.roomA(), "08:50", "09:10"));
    assertThat(r.statusCode()).isEqualTo(409);
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/schedule-clash");
    assertThat(problem.getString("detail")).contains("'Opening'").contains("08:30–09:00").contains("Room A");
    assertThat(problem.getJsonObject("clash").getString("title")).isEqualTo("Opening");
    // the same slot in the other room is fine
    create(f, session("Late talk", "contributed-talk", f.roomB(), "08:50", "09:10"));
  }

  @Test
  void twoConcurrentOverlappingEditsCannotBothPass() {
    Fixture f = fixture();
    String path = "/api/events/" + f.slug() + "/schedule/sessions";
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(server.client.post(path).bearerTokenAuthentication(f.organizer())
          .sendJsonObject(session("Race " + i, "panel", f.roomA(), "09:0" + i, "10:00")));
    }
    await(Future.join(calls));
    List<Integer> statuses = calls.stream().map(c -> c.result().statusCode()).toList();
    assertThat(statuses).containsOnly(201, 409);
    assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
    assertThat(schedule(f.slug()).getJsonArray("sessions")).hasSize(1);
  }

  @Test
  void impossibleTimesAre400WithFieldErrors() {
    Fixture f = fixture();
    HttpResponse<Buffer> backwards = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/sessions",
        f.organizer(), session("Backwards", "panel", f.roomA(), "10:00", "09:00"));
    assertThat(backwards.statusCode()).isEqualTo(400);
    assertThat(backwards.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("endsAt");
    HttpResponse<Buffer> nextDay = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/sessions",
        f.organizer(), session("Too late", "panel", f.roomA(), "09:00", "10:00")
            .put("startsAt", "2023-07-30T09:00:00-10:00").put("endsAt", "2023-07-30T10:00:00-10:00"));
    assertThat(nextDay.statusCode()).isEqualTo(400);
    assertThat(fields(nextDay)).contains("startsAt", "endsAt");
    HttpResponse<Buffer> garbage = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/sessions",
        f.organizer(), new JsonObject().put("title", "").put("type", "lecture").put("roomId", f.roomA())
            .put("startsAt", "tomorrow").put("endsAt", "2023-07-29T10:00"));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(fields(garbage)).contains("title", "type", "startsAt");
    assertThat(schedule(f.slug()).getJsonArray("sessions")).isEmpty();
  }

  private static List<String> fields(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonArray("errors").stream().map(JsonObject.class::cast)
        .map(e -> e.getString("field")).toList();
  }

  @Test
  void moveKeepsTheLengthAndIsRefusedOntoAnotherSession() {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:20"));
    create(f, session("Panel", "panel", f.roomB(), "10:00", "11:00"));
    String path = "/api/events/" + f.slug() + "/schedule/sessions/" + talk.getLong("id") + "/move";
    HttpResponse<Buffer> clash = call(HttpMethod.POST, path, f.organizer(),
        new JsonObject().put("roomId", f.roomB()).put("startsAt", "2023-07-29T10:50:00-10:00"));
    assertThat(clash.statusCode()).isEqualTo(409);
    assertThat(clash.bodyAsJsonObject().getString("detail")).contains("'Panel'").contains("10:00–11:00");
    HttpResponse<Buffer> moved = call(HttpMethod.POST, path, f.organizer(),
        new JsonObject().put("roomId", f.roomB()).put("startsAt", "2023-07-29T11:00"));
    assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(moved.bodyAsJsonObject().getString("startsAt")).isEqualTo("2023-07-29T11:00:00-10:00");
    assertThat(moved.bodyAsJsonObject().getString("endsAt")).isEqualTo("2023-07-29T11:20:00-10:00");
    assertThat(moved.bodyAsJsonObject().getString("room")).isEqualTo("Room B");
    assertThat(moved.bodyAsJsonObject().getString("guid")).isEqualTo(talk.getString("guid"));
    JsonObject change = lastChange(f.slug());
    assertThat(change.getString("kind")).isEqualTo("moved");
    assertThat(change.getJsonObject("old").getString("startsAt")).isEqualTo("2023-07-29T09:00:00-10:00");
    assertThat(change.getJsonObject("new").getString("startsAt")).isEqualTo("2023-07-29T11:00:00-10:00");
  }

  @Test
  void anEditOfTitleIsAnUpdateAndAnEditOfTimesIsAMove() {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:20"));
    String path = "/api/events/" + f.slug() + "/schedule/sessions/" + talk.getLong("id");
    HttpResponse<Buffer> renamed = call(HttpMethod.PATCH, path, f.organizer(), new JsonObject().put("title", "Better talk"));
    assertThat(renamed.statusCode()).isEqualTo(200);
    assertThat(renamed.bodyAsJsonObject().getString("startsAt")).isEqualTo("2023-07-29T09:00:00-10:00");
    assertThat(lastChange(f.slug()).getString("kind")).isEqualTo("updated");
    HttpResponse<Buffer> longer = call(HttpMethod.PATCH, path, f.organizer(),
        new JsonObject().put("endsAt", "2023-07-29T09:30:00-10:00"));
    assertThat(longer.statusCode()).isEqualTo(200);
    assertThat(lastChange(f.slug()).getString("kind")).isEqualTo("moved");
    HttpResponse<Buffer> backwards = call(HttpMethod.PATCH, path, f.organizer(),
        new JsonObject().put("endsAt", "2023-07-29T08:30:00-10:00"));
    assertThat(backwards.statusCode()).isEqualTo(400);
  }

  @Test
  void aCancelledSessionStaysVisibleAndFreesItsSlotUntilRestored() {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30"));
    String path = "/api/events/" + f.slug() + "/schedule/sessions/" + talk.getLong("id");
    assertThat(call(HttpMethod.POST, path + "/cancel", f.organizer(), null).statusCode()).isEqualTo(200);
    JsonObject shown = byTitle(schedule(f.slug()), "Talk");
    assertThat(shown.getBoolean("cancelled")).isTrue();
    assertThat(call(HttpMethod.POST, path + "/cancel", f.organizer(), null).statusCode()).isEqualTo(409);
    create(f, session("Replacement", "contributed-talk", f.roomA(), "09:00", "09:30"));
    HttpResponse<Buffer> restore = call(HttpMethod.POST, path + "/restore", f.organizer(), null);
    assertThat(restore.statusCode()).isEqualTo(409);
    assertThat(restore.bodyAsJsonObject().getString("detail")).contains("'Replacement'");
  }

  @Test
  void delayingARoomShiftsTheRunningAndFollowingSessionsUntilTheBreakInOneChange() {
    Fixture f = fixture();
    create(f, session("First", "contributed-talk", f.roomA(), "09:00", "09:30"));
    create(f, session("Second", "contributed-talk", f.roomA(), "09:30", "09:45"));
    create(f, session("Third", "contributed-talk", f.roomA(), "09:45", "10:00"));
    create(f, session("Coffee", "break", f.roomA(), "10:00", "10:30"));
    create(f, session("After coffee", "invited-talk", f.roomA(), "10:30", "11:00"));
    create(f, session("Elsewhere", "panel", f.roomB(), "09:30", "10:00"));
    String topic = "event:" + f.slug() + ":schedule";
    long seq = await(server.server.live().lastSeq(topic));
    long version = schedule(f.slug()).getLong("version");

    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/rooms/" + f.roomA()
        + "/delay", f.organizer(), new JsonObject().put("minutes", 10).put("at", "2023-07-29T09:35:00-10:00"));

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject s = schedule(f.slug());
    assertThat(s.getLong("version")).isEqualTo(version + 1);
    assertThat(byTitle(s, "First").getString("endsAt")).isEqualTo("2023-07-29T09:30:00-10:00");
    assertThat(byTitle(s, "Second").getString("endsAt")).isEqualTo("2023-07-29T09:55:00-10:00");
    assertThat(byTitle(s, "Third").getString("startsAt")).isEqualTo("2023-07-29T09:55:00-10:00");
    assertThat(byTitle(s, "Third").getString("endsAt")).isEqualTo("2023-07-29T10:10:00-10:00");
    assertThat(byTitle(s, "Coffee").getString("startsAt")).isEqualTo("2023-07-29T10:10:00-10:00");
    assertThat(byTitle(s, "Coffee").getString("endsAt")).isEqualTo("2023-07-29T10:30:00-10:00");
    assertThat(byTitle(s, "After coffee").getString("startsAt")).isEqualTo("2023-07-29T10:30:00-10:00");
    assertThat(byTitle(s, "Elsewhere").getString("startsAt")).isEqualTo("2023-07-29T09:30:00-10:00");
    JsonArray changes = call(HttpMethod.GET, "/api/events/" + f.slug() + "/schedule/changes?since=" + version, null,
        null).bodyAsJsonObject().getJsonArray("changes");
    assertThat(changes).hasSize(3);
    assertThat(changes.stream().map(JsonObject.class::cast).map(c -> c.getString("kind")).distinct())
        .containsExactly("delayed");
    List<LiveMessage> messages = await(server.server.live().since(topic, seq, 10));
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).payload().getString("kind")).isEqualTo("delayed");
    assertThat(messages.get(0).payload().getLong("version")).isEqualTo(version + 1);
    assertThat(messages.get(0).payload().getJsonArray("sessions")).hasSize(3);
  }

  @Test
  void aSubscribedWebSocketClientReceivesAChangeWithinASecond() throws Exception {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30"));
    String ticket = call(HttpMethod.POST, "/api/live/ticket", null, null).bodyAsJsonObject().getString("ticket");
    BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(server.port())
          .setURI("/live?ticket=" + ticket).addHeader("Origin", server.baseUrl())));
      ws.textMessageHandler(text -> received.add(new JsonObject(text)));
      String topic = "event:" + f.slug() + ":schedule";
      await(ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", topic).encode()));
      next(received, "subscribed", 10_000);

      long sent = System.nanoTime();
      call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/sessions/" + talk.getLong("id") + "/move",
          f.organizer(), new JsonObject().put("startsAt", "2023-07-29T09:10:00-10:00"));
      JsonObject message = next(received, "message", 1_000);
      assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(1_000);
      assertThat(message.getString("topic")).isEqualTo(topic);
      JsonObject data = message.getJsonObject("data");
      assertThat(data.getString("kind")).isEqualTo("moved");
      assertThat(data.getJsonArray("sessions").getJsonObject(0).getString("startsAt"))
          .isEqualTo("2023-07-29T09:10:00-10:00");
    } finally {
      await(client.close());
    }
  }

  private static JsonObject next(BlockingQueue<JsonObject> queue, String type, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      JsonObject m = queue.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("no '" + type + "' message within " + timeoutMillis + " ms");
      }
      if (type.equals(m.getString("type"))) {
        return m;
      }
    }
  }

  @Test
  void aDelayLongerThanTheBreakIsRefusedNamingTheBreak() {
    Fixture f = fixture();
    create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "10:00"));
    create(f, session("Coffee", "break", f.roomA(), "10:00", "10:15"));
    long version = schedule(f.slug()).getLong("version");
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/rooms/" + f.roomA()
        + "/delay", f.organizer(), new JsonObject().put("minutes", 20).put("at", "2023-07-29T09:50:00-10:00"));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("'Coffee'").contains("10:00–10:15");
    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version);
    HttpResponse<Buffer> nothing = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/rooms/" + f.roomB()
        + "/delay", f.organizer(), new JsonObject().put("minutes", 5).put("at", "2023-07-29T09:50:00-10:00"));
    assertThat(nothing.statusCode()).isEqualTo(409);
    assertThat(nothing.bodyAsJsonObject().getString("type")).isEqualTo("/problems/nothing-to-delay");
  }

  @Test
  void theScheduleAnswers304WhenNothingChangedSinceItsETag() {
    Fixture f = fixture();
    create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30"));
    String path = "/api/events/" + f.slug() + "/schedule";
    HttpResponse<Buffer> first = call(HttpMethod.GET, path, null, null);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"v");
    HttpResponse<Buffer> again = await(server.client.get(path).putHeader("If-None-Match", etag).send());
    assertThat(again.statusCode()).isEqualTo(304);
    create(f, session("Another", "contributed-talk", f.roomA(), "10:00", "10:30"));
    HttpResponse<Buffer> changed = await(server.client.get(path).putHeader("If-None-Match", etag).send());
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
  }

  @Test
  void starredSessionsThatMoveOrAreCancelledAreFlaggedUntilAcknowledged() {
    Fixture f = fixture();
    JsonObject moving = create(f, session("Moving", "contributed-talk", f.roomA(), "09:00", "09:30"));
    JsonObject steady = create(f, session("Steady", "contributed-talk", f.roomA(), "10:00", "10:30"));
    JsonObject dropped = create(f, session("Dropped", "contributed-talk", f.roomB(), "10:00", "10:30"));
    String agenda = "/api/events/" + f.slug() + "/agenda";
    for (JsonObject s : List.of(moving, steady, dropped)) {
      assertThat(call(HttpMethod.PUT, agenda + "/" + s.getLong("id"), f.attendee(), null).statusCode()).isEqualTo(204);
    }
    String sessions = "/api/events/" + f.slug() + "/schedule/sessions/";
    call(HttpMethod.POST, sessions + moving.getLong("id") + "/move", f.organizer(),
        new JsonObject().put("startsAt", "2023-07-29T09:30:00-10:00"));
    call(HttpMethod.PATCH, sessions + steady.getLong("id"), f.organizer(), new JsonObject().put("title", "Steady (renamed)"));
    call(HttpMethod.POST, sessions + dropped.getLong("id") + "/cancel", f.organizer(), null);

    JsonArray mine = call(HttpMethod.GET, agenda, f.attendee(), null).bodyAsJsonObject().getJsonArray("sessions");
    assertThat(mine).hasSize(3);
    assertThat(flag(mine, moving)).isTrue();
    assertThat(flag(mine, steady)).isFalse();
    assertThat(flag(mine, dropped)).isTrue();

    call(HttpMethod.PUT, agenda + "/" + moving.getLong("id"), f.attendee(), null);
    mine = call(HttpMethod.GET, agenda, f.attendee(), null).bodyAsJsonObject().getJsonArray("sessions");
    assertThat(flag(mine, moving)).isFalse();
    assertThat(call(HttpMethod.DELETE, agenda + "/" + steady.getLong("id"), f.attendee(), null).statusCode())
        .isEqualTo(204);
    assertThat(call(HttpMethod.GET, agenda, f.attendee(), null).bodyAsJsonObject().getJsonArray("sessions"))
        .hasSize(2);
    assertThat(call(HttpMethod.PUT, agenda + "/999999", f.attendee(), null).statusCode()).isEqualTo(404);
  }

  private static boolean flag(JsonArray agenda, JsonObject session) {
    return agenda.stream().map(JsonObject.class::cast).filter(s -> s.getLong("id").equals(session.getLong("id")))
        .findFirst().orElseThrow().getBoolean("changedSinceStarred");
  }

  @Test
  void onlyOrganizersEditTheSchedule() {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30"));
    String base = "/api/events/" + f.slug() + "/schedule";
    JsonObject body = session("Mine", "panel", f.roomA(), "11:00", "12:00");
    assertThat(call(HttpMethod.POST, base + "/sessions", f.attendee(), body).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, base + "/sessions", null, body).statusCode()).isEqualTo(401);
    assertThat(call(HttpMethod.POST, base + "/sessions/" + talk.getLong("id") + "/cancel", f.attendee(), null)
        .statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, base + "/rooms/" + f.roomA() + "/delay", f.attendee(),
        new JsonObject().put("minutes", 5)).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.GET, "/api/events/" + f.slug() + "/agenda", null, null).statusCode()).isEqualTo(401);
    // a demo organizer has no role in this event
    String stranger = server.sessionFor(demo, ORGANIZER);
    assertThat(call(HttpMethod.POST, base + "/sessions", stranger, body).statusCode()).isEqualTo(403);
  }

  @Test
  void nowAndNextNamesTheRunningAndTheFollowingSessionPerRoom() {
    JsonObject r = call(HttpMethod.GET, "/api/events/" + demo + "/schedule/now?at=2023-07-29T09:00:00-10:00", null,
        null).bodyAsJsonObject();
    JsonObject ballroom = r.getJsonArray("rooms").stream().map(JsonObject.class::cast)
        .filter(x -> x.getJsonObject("room").getString("name").equals("Ballroom A")).findFirst().orElseThrow();
    assertThat(ballroom.getJsonObject("now").getString("key")).isEqualTo("invited-1");
    assertThat(ballroom.getJsonObject("next").getString("key")).isEqualTo("contrib-1");
    JsonObject hall = r.getJsonArray("rooms").stream().map(JsonObject.class::cast)
        .filter(x -> x.getJsonObject("room").getString("name").equals("Exhibit Hall 1")).findFirst().orElseThrow();
    assertThat(hall.getJsonObject("now").getString("key")).isEqualTo("poster-setup");
    assertThat(hall.getJsonObject("next").getString("key")).isEqualTo("posters-1");
  }

  @Test
  void aMoveWhoseStartIsNotADateTimeStringIs400NamingTheFieldAndChangesNothing() {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30"));
    long version = schedule(f.slug()).getLong("version");
    String path = "/api/events/" + f.slug() + "/schedule/sessions/" + talk.getLong("id");

    HttpResponse<Buffer> numeric = call(HttpMethod.POST, path + "/move", f.organizer(),
        new JsonObject().put("startsAt", 123));
    assertThat(numeric.statusCode()).isEqualTo(400);
    assertThat(fields(numeric)).containsExactly("startsAt");
    HttpResponse<Buffer> textRoom = call(HttpMethod.POST, path + "/move", f.organizer(),
        new JsonObject().put("startsAt", "2023-07-29T10:00").put("roomId", String.valueOf(f.roomB())));
    assertThat(textRoom.statusCode()).isEqualTo(400);
    assertThat(fields(textRoom)).containsExactly("roomId");
    HttpResponse<Buffer> fractionRoom = call(HttpMethod.PATCH, path, f.organizer(),
        new JsonObject().put("roomId", f.roomB() + 0.5));
    assertThat(fractionRoom.statusCode()).isEqualTo(400);
    assertThat(fields(fractionRoom)).containsExactly("roomId");
    HttpResponse<Buffer> remoteAsText = call(HttpMethod.PATCH, path, f.organizer(), new JsonObject()
        .put("speakers", new JsonArray().add(new JsonObject().put("personId", 1).put("remote", "yes"))));
    assertThat(remoteAsText.statusCode()).isEqualTo(400);
    assertThat(fields(remoteAsText)).containsExactly("speakers");

    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version);
    assertThat(byTitle(schedule(f.slug()), "Talk").getString("startsAt")).isEqualTo("2023-07-29T09:00:00-10:00");
  }

  @Test
  void anEditThatChangesNothingAnswersTheSessionWithoutANewVersionChangelogOrLiveMessage() {
    Fixture f = fixture();
    JsonObject talk = create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30")
        .put("track", "Cosmology"));
    String topic = "event:" + f.slug() + ":schedule";
    long seq = await(server.server.live().lastSeq(topic));
    long version = schedule(f.slug()).getLong("version");
    String path = "/api/events/" + f.slug() + "/schedule/sessions/" + talk.getLong("id");

    HttpResponse<Buffer> same = call(HttpMethod.PATCH, path, f.organizer(),
        session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30").put("track", "Cosmology")
            .put("speakers", new JsonArray()));
    assertThat(same.statusCode()).as(same.bodyAsString()).isEqualTo(200);
    assertThat(same.bodyAsJsonObject()).isEqualTo(talk);
    HttpResponse<Buffer> sameSlot = call(HttpMethod.POST, path + "/move", f.organizer(),
        new JsonObject().put("startsAt", "2023-07-29T09:00").put("roomId", f.roomA()));
    assertThat(sameSlot.statusCode()).isEqualTo(200);
    assertThat(sameSlot.bodyAsJsonObject().getLong("version")).isEqualTo(talk.getLong("version"));

    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version);
    assertThat(call(HttpMethod.GET, "/api/events/" + f.slug() + "/schedule/changes?since=" + version, null, null)
        .bodyAsJsonObject().getJsonArray("changes")).isEmpty();
    assertThat(await(server.server.live().since(topic, seq, 10))).isEmpty();
    // a real edit still is one
    assertThat(call(HttpMethod.PATCH, path, f.organizer(), new JsonObject().put("track", "Galaxies")).statusCode())
        .isEqualTo(200);
    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version + 1);
  }

  @Test
  void aDelayPushingASessionPastMidnightIntoTheNextDaysFirstSessionIs409NamingIt() {
    Fixture f = fixture(2);
    create(f, session("Late talk", "contributed-talk", f.roomA(), "23:00", "23:50"));
    create(f, session("Early bird", "contributed-talk", f.roomA(), "09:00", "09:30")
        .put("startsAt", "2023-07-30T00:00:00-10:00").put("endsAt", "2023-07-30T00:30:00-10:00"));
    long version = schedule(f.slug()).getLong("version");

    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/events/" + f.slug() + "/schedule/rooms/" + f.roomA()
        + "/delay", f.organizer(), new JsonObject().put("minutes", 20).put("at", "2023-07-29T23:10:00-10:00"));

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/schedule-clash");
    assertThat(problem.getString("detail")).contains("'Late talk'").contains("'Early bird'")
        .contains("2023-07-30 00:00–00:30").contains("Room A");
    assertThat(problem.getJsonObject("clash").getString("title")).isEqualTo("Early bird");
    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version);
    assertThat(byTitle(schedule(f.slug()), "Late talk").getString("endsAt")).isEqualTo("2023-07-29T23:50:00-10:00");
  }

  @Test
  void theKeyOfAPublishedSessionNeverChanges() {
    Fixture f = fixture();
    JsonObject keyed = create(f, session("Posters", "poster-session", f.roomA(), "09:00", "10:00")
        .put("key", "posters-a"));
    JsonObject keyless = create(f, session("Talk", "contributed-talk", f.roomB(), "09:00", "09:30"));
    String sessions = "/api/events/" + f.slug() + "/schedule/sessions/";
    long version = schedule(f.slug()).getLong("version");

    HttpResponse<Buffer> renamed = call(HttpMethod.PATCH, sessions + keyed.getLong("id"), f.organizer(),
        new JsonObject().put("key", "posters-b"));
    assertThat(renamed.statusCode()).isEqualTo(409);
    assertThat(renamed.bodyAsJsonObject().getString("type")).isEqualTo("/problems/session-key-fixed");
    assertThat(renamed.bodyAsJsonObject().getString("detail")).contains("'posters-a'").contains("'posters-b'");
    HttpResponse<Buffer> removed = call(HttpMethod.PATCH, sessions + keyed.getLong("id"), f.organizer(),
        new JsonObject().putNull("key"));
    assertThat(removed.statusCode()).isEqualTo(409);
    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version);
    assertThat(byTitle(schedule(f.slug()), "Posters").getString("key")).isEqualTo("posters-a");

    // sending the same key with other edits is fine, and a session without a key may get one
    HttpResponse<Buffer> same = call(HttpMethod.PATCH, sessions + keyed.getLong("id"), f.organizer(),
        new JsonObject().put("key", "posters-a").put("title", "Posters, session A"));
    assertThat(same.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> given = call(HttpMethod.PATCH, sessions + keyless.getLong("id"), f.organizer(),
        new JsonObject().put("key", "talk-b"));
    assertThat(given.statusCode()).isEqualTo(200);
    assertThat(given.bodyAsJsonObject().getString("key")).isEqualTo("talk-b");
  }

  @Test
  void addingARoomIsAScheduleChangeSoCachedCopiesAndOpenPagesLearnOfIt() {
    Fixture f = fixture();
    create(f, session("Talk", "contributed-talk", f.roomA(), "09:00", "09:30"));
    String base = "/api/events/" + f.slug();
    List<String> representations = List.of("/schedule", "/schedule.xml", "/schedule.json", "/schedule.ics");
    List<String> etags = representations.stream()
        .map(p -> call(HttpMethod.GET, base + p, null, null).getHeader("ETag")).toList();
    String topic = "event:" + f.slug() + ":schedule";
    long seq = await(server.server.live().lastSeq(topic));
    long version = schedule(f.slug()).getLong("version");

    HttpResponse<Buffer> added = call(HttpMethod.POST, base + "/rooms", f.organizer(), new JsonObject()
        .put("name", "Room C").put("capacity", 30).put("streamUrl", "https://stream.example.org/room-c"));

    assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
    for (int i = 0; i < representations.size(); i++) {
      HttpResponse<Buffer> r = await(server.client.get(base + representations.get(i))
          .putHeader("If-None-Match", etags.get(i)).send());
      assertThat(r.statusCode()).as(representations.get(i)).isEqualTo(200);
    }
    JsonObject s = schedule(f.slug());
    assertThat(s.getLong("version")).isEqualTo(version + 1);
    assertThat(s.getJsonArray("rooms").stream().map(JsonObject.class::cast).map(r -> r.getString("name")))
        .containsExactly("Room A", "Room B", "Room C");
    assertThat(call(HttpMethod.GET, base + "/schedule.json", null, null).bodyAsString()).contains("\"Room C\"");
    List<LiveMessage> messages = await(server.server.live().since(topic, seq, 10));
    assertThat(messages).hasSize(1);
    JsonObject payload = messages.get(0).payload();
    assertThat(payload.getString("kind")).isEqualTo("room-added");
    assertThat(payload.getLong("version")).isEqualTo(version + 1);
    assertThat(payload.getJsonObject("room").getString("name")).isEqualTo("Room C");
    assertThat(payload.getJsonArray("sessions")).isEmpty();

    // a refused room is no change
    HttpResponse<Buffer> twice = call(HttpMethod.POST, base + "/rooms", f.organizer(), new JsonObject()
        .put("name", "Room C"));
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(call(HttpMethod.POST, base + "/rooms", f.attendee(), new JsonObject().put("name", "Room D"))
        .statusCode()).isEqualTo(403);
    assertThat(schedule(f.slug()).getLong("version")).isEqualTo(version + 1);
    assertThat(await(server.server.live().since(topic, seq, 10))).hasSize(1);
  }

  private static JsonObject lastChange(String slug) {
    JsonArray changes = call(HttpMethod.GET, "/api/events/" + slug + "/schedule/changes?since=0", null, null)
        .bodyAsJsonObject().getJsonArray("changes");
    return changes.getJsonObject(changes.size() - 1);
  }
}
