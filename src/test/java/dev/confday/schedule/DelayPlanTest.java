package dev.confday.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.confday.events.Event;
import dev.confday.events.Room;
import dev.confday.http.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The "running late" rules on their own: sessions in, new times or a refusal out; no server, no database. */
class DelayPlanTest {
  private static final ZoneId ZONE = ZoneId.of("Pacific/Honolulu");
  private static final LocalDate DAY = LocalDate.of(2023, 7, 29);
  private static final Event EVENT = new Event(1, "ml4astro", "ML for Astrophysics", ZONE.getId(), DAY,
      DAY.plusDays(1), "Hall", null);
  private static final Room ROOM = new Room(7, "Room A", 100, null, 0);

  private final List<Session> sessions = new ArrayList<>();

  @Test
  void theBreakAbsorbsTheDelayAndLaterSessionsStay() {
    Session opening = session("Opening", SessionType.OPENING, "09:00", "10:00");
    Session talk = session("Invited talk", SessionType.INVITED_TALK, "10:00", "10:30");
    Session next = session("Contributed talk", SessionType.CONTRIBUTED_TALK, "10:30", "11:00");
    Session coffee = session("Coffee", SessionType.BREAK, "11:00", "11:30");
    session("Panel", SessionType.PANEL, "11:30", "12:30");

    DelayPlan plan = DelayPlan.of(EVENT, ROOM, sessions, at(DAY, "10:15"), Duration.ofMinutes(10));

    // the break first, then the shifted sessions latest first: no intermediate state overlaps
    assertThat(plan.shifts()).extracting(s -> s.session().title())
        .containsExactly("Coffee", "Contributed talk", "Invited talk");
    assertThat(plan.shifts().get(0)).isEqualTo(new DelayPlan.Shift(coffee, at(DAY, "11:10"), at(DAY, "11:30")));
    assertThat(plan.shifts().get(1)).isEqualTo(new DelayPlan.Shift(next, at(DAY, "10:40"), at(DAY, "11:10")));
    // the session running now keeps its start and ends later
    assertThat(plan.shifts().get(2)).isEqualTo(new DelayPlan.Shift(talk, at(DAY, "10:00"), at(DAY, "10:40")));
    assertThat(plan.shifts()).extracting(DelayPlan.Shift::session).doesNotContain(opening);
  }

  @Test
  void aDelayThatEndsInsideTheBreakGapLeavesTheBreakAlone() {
    session("Invited talk", SessionType.INVITED_TALK, "10:00", "10:30");
    session("Coffee", SessionType.BREAK, "10:45", "11:15");

    DelayPlan plan = DelayPlan.of(EVENT, ROOM, sessions, at(DAY, "10:15"), Duration.ofMinutes(10));

    assertThat(plan.shifts()).extracting(s -> s.session().title()).containsExactly("Invited talk");
    assertThat(plan.shifts().get(0).endsAt()).isEqualTo(at(DAY, "10:40"));
  }

  @Test
  void aDelayThatLeavesNothingOfTheBreakIsRefusedNamingIt() {
    session("Invited talk", SessionType.INVITED_TALK, "10:00", "10:30");
    session("Contributed talk", SessionType.CONTRIBUTED_TALK, "10:30", "11:00");
    session("Coffee", SessionType.BREAK, "11:00", "11:30");

    ApiError refusal = refusal(at(DAY, "10:15"), 30);

    assertThat(refusal.status()).isEqualTo(409);
    assertThat(refusal.type()).isEqualTo("delay-swallows-break");
    assertThat(refusal.detail()).isEqualTo("A delay of 30 minutes would leave nothing of 'Coffee' (11:00–11:30) in"
        + " Room A; delay by less, or move sessions one by one.");
    assertThat(refusal.extensions().getJsonObject("clash").getString("title")).isEqualTo("Coffee");
    assertThat(refusal.extensions().getJsonObject("clash").getString("room")).isEqualTo("Room A");
  }

  @Test
  void withNoBreakAheadTheRestOfTheDayShifts() {
    session("Invited talk", SessionType.INVITED_TALK, "10:00", "10:30");
    session("Contributed talk", SessionType.CONTRIBUTED_TALK, "10:30", "11:00");
    session("Panel", SessionType.PANEL, "15:00", "16:00");
    session("Social", SessionType.SOCIAL, "18:00", "20:00");
    session("Next day's opening", SessionType.OPENING, "09:00", "10:00", DAY.plusDays(1));

    DelayPlan plan = DelayPlan.of(EVENT, ROOM, sessions, at(DAY, "10:15"), Duration.ofMinutes(15));

    assertThat(plan.shifts()).extracting(s -> s.session().title())
        .containsExactly("Social", "Panel", "Contributed talk", "Invited talk");
    assertThat(plan.shifts().get(0).startsAt()).isEqualTo(at(DAY, "18:15"));
    assertThat(plan.shifts().get(0).endsAt()).isEqualTo(at(DAY, "20:15"));
    assertThat(plan.shifts().get(1).startsAt()).isEqualTo(at(DAY, "15:15"));
  }

  @Test
  void aDelayPushingASessionPastMidnightIntoTheNextDaysFirstSessionIsRefusedNamingIt() {
    session("Late social", SessionType.SOCIAL, "23:00", "23:50");
    session("Early bird", SessionType.OPENING, "00:00", "01:00", DAY.plusDays(1));

    ApiError refusal = refusal(at(DAY, "23:10"), 20);

    assertThat(refusal.status()).isEqualTo(409);
    assertThat(refusal.type()).isEqualTo("schedule-clash");
    // the other session is on another day: its date is named
    assertThat(refusal.detail()).isEqualTo("'Late social' would overlap 'Early bird' (2023-07-30 00:00–01:00"
        + " Pacific/Honolulu) in Room A.");
    assertThat(refusal.extensions().getJsonObject("clash").getString("title")).isEqualTo("Early bird");
  }

  @Test
  void aDelayPastTheEventsLastDayIsAFieldError() {
    session("Closing social", SessionType.SOCIAL, "23:00", "23:50", DAY.plusDays(1));

    ApiError refusal = refusal(at(DAY.plusDays(1), "23:10"), 20);

    assertThat(refusal.status()).isEqualTo(400);
    assertThat(refusal.extensions().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("minutes");
    assertThat(refusal.extensions().getJsonArray("errors").getJsonObject(0).getString("message"))
        .isEqualTo("would push 'Closing social' past the end of the event's last day");
  }

  @Test
  void withNothingRunningTheSessionsThatFollowShift() {
    session("Invited talk", SessionType.INVITED_TALK, "10:00", "10:30");
    Session next = session("Contributed talk", SessionType.CONTRIBUTED_TALK, "10:45", "11:15");

    DelayPlan plan = DelayPlan.of(EVENT, ROOM, sessions, at(DAY, "10:35"), Duration.ofMinutes(5));

    assertThat(plan.shifts()).containsExactly(new DelayPlan.Shift(next, at(DAY, "10:50"), at(DAY, "11:20")));
  }

  @Test
  void withNothingRunningOrFollowingBeforeTheBreakThereIsNothingToDelay() {
    session("Invited talk", SessionType.INVITED_TALK, "10:00", "10:30");
    session("Lunch", SessionType.BREAK, "12:00", "13:00");
    session("Panel", SessionType.PANEL, "13:00", "14:00");

    ApiError refusal = refusal(at(DAY, "11:00"), 10);

    assertThat(refusal.status()).isEqualTo(409);
    assertThat(refusal.type()).isEqualTo("nothing-to-delay");
    assertThat(refusal.detail())
        .isEqualTo("No session of Room A runs at 11:00 or follows it before the next break.");
  }

  @Test
  void anEmptyRoomHasNothingToDelay() {
    assertThat(refusal(at(DAY, "11:00"), 10).type()).isEqualTo("nothing-to-delay");
  }

  private ApiError refusal(Instant at, int minutes) {
    ApiError e = catchThrowableOfType(ApiError.class,
        () -> DelayPlan.of(EVENT, ROOM, sessions, at, Duration.ofMinutes(minutes)));
    assertThat(e).as("a refusal").isNotNull();
    return e;
  }

  private Session session(String title, SessionType type, String start, String end) {
    return session(title, type, start, end, DAY);
  }

  private Session session(String title, SessionType type, String start, String end, LocalDate day) {
    Instant from = at(day, start);
    Instant to = at(day, end);
    Session s = new Session(sessions.size() + 1, UUID.randomUUID(), null, title, type, null, null, ROOM.id(),
        ROOM.name(), from, to, false, 1, 0, from, List.of());
    sessions.add(s);
    return s;
  }

  private static Instant at(LocalDate day, String time) {
    return LocalDateTime.of(day, LocalTime.parse(time)).atZone(ZONE).toInstant();
  }
}
