package dev.confday.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.schedule.Session;
import dev.confday.schedule.SessionType;
import dev.confday.schedule.Speaker;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamStatusTest {
  static final ZoneId HONOLULU = ZoneId.of("Pacific/Honolulu");
  static final Instant NINE = Instant.parse("2023-07-29T19:00:00Z"); // 09:00 in Honolulu

  static Session session(long id, String title, long room, Instant start, int minutes, boolean cancelled) {
    return new Session(id, UUID.randomUUID(), null, title, SessionType.fromWire("invited-talk").orElseThrow(), null, null, room, "Room",
        start, start.plusSeconds(minutes * 60L), cancelled, 1, 0, start,
        List.of(new Speaker(7, "Ana Speaker", true)));
  }

  static final List<Session> DAY = List.of(
      session(1, "Opening", 1, NINE, 30, false),
      session(2, "Keynote", 1, NINE.plusSeconds(3600), 60, false),
      session(3, "Cancelled talk", 1, NINE.plusSeconds(1800), 30, true),
      session(4, "Other room", 2, NINE.plusSeconds(1800), 30, false));

  static JsonObject at(Instant t, String mode) {
    return StreamStatus.of(1, DAY, mode, t, HONOLULU);
  }

  @Test
  void followsTheScheduleInTheEventsTimeZone() {
    assertThat(at(NINE.minusSeconds(600), "auto").getString("label")).isEqualTo("Next at 09:00: Opening");
    JsonObject live = at(NINE.plusSeconds(60), "auto");
    assertThat(live.getString("state")).isEqualTo("live");
    assertThat(live.getString("label")).isEqualTo("Live now: Opening");
    assertThat(live.getJsonObject("session").getJsonArray("speakers").getJsonObject(0).getString("name"))
        .isEqualTo("Ana Speaker");
    assertThat(live.getJsonObject("next").getString("title")).isEqualTo("Keynote");
    // the gap: the cancelled talk and the other room's session do not count
    assertThat(at(NINE.plusSeconds(1900), "auto").getString("label")).isEqualTo("Next at 10:00: Keynote");
    assertThat(at(NINE.plusSeconds(3 * 3600), "auto").getString("state")).isEqualTo("ended");
    assertThat(StreamStatus.of(9, DAY, "auto", NINE, HONOLULU).getString("state")).isEqualTo("idle");
  }

  @Test
  void theOrganizersSwitchOverridesTheSchedule() {
    assertThat(at(NINE.plusSeconds(60), "technical-difficulty").getString("state")).isEqualTo("technical-difficulty");
    assertThat(at(NINE.plusSeconds(60), "technical-difficulty").getJsonObject("session").getString("title"))
        .isEqualTo("Opening");
    assertThat(at(NINE.plusSeconds(60), "off-air").getString("label")).isEqualTo("Off air");
    JsonObject onAir = at(NINE.plusSeconds(1900), "on-air");
    assertThat(onAir.getString("state")).isEqualTo("live");
    assertThat(onAir.getString("label")).isEqualTo("On air");
    assertThat(at(NINE.plusSeconds(60), "on-air").getString("label")).isEqualTo("Live now: Opening");
  }
}
