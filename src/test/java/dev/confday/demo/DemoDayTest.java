package dev.confday.demo;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.FreshServerTestBase;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo day is under way whenever the server starts with the demo; real events never move. */
class DemoDayTest extends FreshServerTestBase {
  static final String SLUG = DemoSeed.data().getJsonObject("event").getString("slug");
  /** 2026-12-02 11:07:30 in Honolulu. */
  static final Instant NOW = Instant.parse("2026-12-02T21:07:30Z");

  @Test
  void demoStartedTodayIsUnderWayInTheEventsTimeZoneWithItsShapeKept() {
    await(DemoSeed.load(server.server));
    HttpResponse<Buffer> before = get("/api/events/" + SLUG + "/schedule");
    long version = before.bodyAsJsonObject().getLong("version");

    await(DemoSeed.loadUnderWay(server.server, Clock.fixed(NOW, ZoneOffset.UTC)));

    JsonObject now = now(NOW);
    // right after boot every room has a session running now
    assertThat(now.getJsonArray("rooms")).hasSize(DemoSeed.data().getJsonArray("rooms").size());
    for (Object r : now.getJsonArray("rooms")) {
      JsonObject room = (JsonObject) r;
      assertThat(room.getJsonObject("now")).as(room.getJsonObject("room").getString("name")).isNotNull();
    }
    assertThat(room(now, "Ballroom A").getJsonObject("now").getString("key")).isEqualTo("opening");
    assertThat(room(now, "Exhibit Hall 1").getJsonObject("now").getString("key")).isEqualTo("poster-setup");
    assertThat(room(now, "Exhibit Hall 1").getJsonObject("next").getString("key")).isEqualTo("posters-1");
    HttpResponse<Buffer> after = get("/api/events/" + SLUG + "/schedule");
    JsonObject schedule = after.bodyAsJsonObject();
    assertThat(schedule.getJsonArray("days")).containsExactly("2026-12-02");
    assertThat(schedule.getLong("version")).isEqualTo(version + 1);
    assertThat(after.getHeader("ETag")).isNotNull().isNotEqualTo(before.getHeader("ETag"));
    // the published programme, every session moved by the same amount: 08:30 became 11:07
    Map<String, JsonObject> byKey = schedule.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(s -> s.getString("key"), s -> s));
    for (Object o : DemoSeed.data().getJsonArray("sessions")) {
      JsonObject published = (JsonObject) o;
      JsonObject moved = byKey.get(published.getString("key"));
      assertThat(local(moved.getString("startsAt")))
          .as(published.getString("key")).isEqualTo(LocalTime.parse(published.getString("start")).plusMinutes(157));
      assertThat(local(moved.getString("endsAt")))
          .as(published.getString("key")).isEqualTo(LocalTime.parse(published.getString("end")).plusMinutes(157));
    }
    // the change went out like any other: in the changelog, as one version
    JsonObject changes = get("/api/events/" + SLUG + "/schedule/changes?since=" + version).bodyAsJsonObject();
    assertThat(changes.getJsonArray("changes")).hasSize(byKey.size());
  }

  @Test
  void restartWhileTheDayRunsLeavesItAndALaterDayOrTheDayOverMovesItAgain() {
    await(DemoSeed.loadUnderWay(server.server, Clock.fixed(NOW, ZoneOffset.UTC)));
    long version = version();

    Instant lunch = NOW.plus(Duration.ofHours(5));
    await(DemoSeed.loadUnderWay(server.server, Clock.fixed(lunch, ZoneOffset.UTC)));
    assertThat(version()).isEqualTo(version);
    assertThat(room(now(lunch), "Ballroom A").getJsonObject("now").getString("key")).isEqualTo("lunch");

    Instant dayOver = NOW.plus(Duration.ofHours(12));
    assertThat(room(now(dayOver), "Ballroom A").getValue("now")).isNull();
    await(DemoSeed.loadUnderWay(server.server, Clock.fixed(dayOver, ZoneOffset.UTC)));
    assertThat(version()).isEqualTo(version + 1);
    assertThat(room(now(dayOver), "Ballroom A").getJsonObject("now").getString("key")).isEqualTo("opening");

    Instant later = NOW.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(17));
    await(DemoSeed.loadUnderWay(server.server, Clock.fixed(later, ZoneOffset.UTC)));
    assertThat(version()).isEqualTo(version + 2);
    assertThat(room(now(later), "Ballroom A").getJsonObject("now").getString("key")).isEqualTo("opening");
    assertThat(get("/api/events/" + SLUG + "/schedule").bodyAsJsonObject().getJsonArray("days"))
        .containsExactly("2026-12-05");
  }

  @Test
  void aRealEventIsNeverMoved() {
    Event real = await(server.server.events().createEvent(NewEvent.fromJson(new JsonObject()
        .put("slug", "real-2023").put("name", "A real workshop").put("timeZone", "Pacific/Honolulu")
        .put("startsOn", "2023-07-29").put("endsOn", "2023-07-29"))));
    var room = await(server.server.schedule().addRoom(real, NewRoom.fromJson(new JsonObject().put("name", "Hall"))));
    await(server.server.schedule().create(real, null, new JsonObject().put("title", "Talk")
        .put("type", "contributed-talk").put("roomId", room.id())
        .put("startsAt", "2023-07-29T09:00").put("endsAt", "2023-07-29T09:30")));
    long version = await(server.server.schedule().version(real));

    assertThatThrownBy(() -> await(DemoSchedule.keepUnderWay(server.server.schedule(), real, NOW)))
        .hasRootCauseInstanceOf(ApiError.class).rootCause().hasMessageContaining("real event");

    assertThat(await(server.server.schedule().version(real))).isEqualTo(version);
    JsonObject schedule = get("/api/events/real-2023/schedule").bodyAsJsonObject();
    assertThat(schedule.getJsonArray("days")).containsExactly("2023-07-29");
    assertThat(schedule.getJsonArray("sessions").getJsonObject(0).getString("startsAt"))
        .isEqualTo("2023-07-29T09:00:00-10:00");
  }

  private long version() {
    return get("/api/events/" + SLUG + "/schedule").bodyAsJsonObject().getLong("version");
  }

  private JsonObject now(Instant at) {
    return get("/api/events/" + SLUG + "/schedule/now?at=" + at).bodyAsJsonObject();
  }

  private static JsonObject room(JsonObject nowAndNext, String name) {
    return nowAndNext.getJsonArray("rooms").stream().map(JsonObject.class::cast)
        .filter(r -> r.getJsonObject("room").getString("name").equals(name)).findFirst().orElseThrow();
  }

  private static LocalTime local(String iso) {
    return OffsetDateTime.parse(iso).toLocalTime();
  }

  private HttpResponse<Buffer> get(String path) {
    return await(server.client.get(path).send());
  }
}
