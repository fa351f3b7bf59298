package dev.confday.schedule;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedule as people live the day, in real Chromium with the browser's clock fixed inside
 * and outside the event's day: where the day stands, past / current / next and "jump to now",
 * the time-ordered view on a phone and the grid aligned by time on a laptop, my agenda with a
 * clash, a remote viewer in another zone (a session past their midnight), and the organizer's
 * running late on a day that is not today and form errors in the form's words.
 */
class ScheduleDayBrowserTest {
  static final AtomicInteger WORKSHOPS = new AtomicInteger();
  static TestServer server;
  static Browser browser;
  static String slug;
  static Event event;

  @BeforeAll
  static void start() {
    // patient with the database: the test machine is shared and busy (a first connection may take seconds)
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_DB_CONNECT_TIMEOUT_MS", "20000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "20000", "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "20000"));
    slug = server.seedDemo();
    event = await(server.server.events().event(slug));
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  static long demo(String key) {
    return await(server.server.schedule().schedule(event)).sessions().stream()
        .filter(s -> key.equals(s.key())).findFirst().orElseThrow().id();
  }

  static Locator card(Page page, long id) {
    return page.locator("#session-" + id);
  }

  /** A page whose clock stands still at `instant` (null: the real time), logged in as `email` (null: anonymous). */
  static Page schedule(String eventSlug, String email, int width, int height, String zone, String instant) {
    Page page = zone == null ? browser.page(width, height) : browser.page(width, height, zone);
    if (instant != null) page.clock().setFixedTime(instant);
    if (email != null) {
      page.navigate(server.loginLink(eventSlug, email));
      assertThat(page).hasURL(server.baseUrl() + "/e/" + eventSlug);
    }
    page.navigate(server.baseUrl() + "/e/" + eventSlug + "/schedule");
    assertThat(page.locator("#schedule-version")).hasCount(1);
    return page;
  }

  static void assertNoSidewaysScroll(Page page) {
    ScheduleBrowserTest.assertNoSidewaysScroll(page);
  }

  static BoundingBox box(Locator locator) {
    BoundingBox b = locator.boundingBox();
    org.assertj.core.api.Assertions.assertThat(b).as("box of " + locator).isNotNull();
    return b;
  }

  @Test
  void onAPhoneDuringTheDayTheScheduleMarksPastCurrentAndNextAcrossRoomsAndJumpsToNow() {
    Page page = schedule(slug, "grace.kim@example.org", 390, 844, null, "2023-07-29T10:05:00-10:00");
    Locator status = page.locator("#day-status");
    assertThat(status).hasAttribute("data-phase", "during");
    assertThat(status).containsText("Today is Saturday 29 July 2023, 10:05.");
    assertThat(page.locator("#day-title")).hasText("Saturday 29 July 2023");
    // time-ordered across rooms on a phone, not one room after the other
    assertThat(page.locator("#by-time")).isVisible();
    assertThat(page.locator("#timetable")).hasCount(0);
    List<String> order = ((List<?>) page.locator("#by-time .session").evaluateAll("els => els.map(e => e.id)"))
        .stream().map(String::valueOf).toList();
    org.assertj.core.api.Assertions.assertThat(order.subList(0, 3)).containsExactly(
        "session-" + demo("poster-setup"), "session-" + demo("opening"), "session-" + demo("invited-1"));
    assertThat(card(page, demo("opening")).locator(".room-name")).hasText("Ballroom A");

    assertThat(card(page, demo("opening"))).hasAttribute("data-phase", "past");
    assertThat(card(page, demo("opening")).locator(".badge.phase")).hasText("Over");
    assertThat(card(page, demo("break-1"))).hasAttribute("data-phase", "current");
    assertThat(card(page, demo("break-1")).locator(".badge.phase")).hasText("Now");
    assertThat(card(page, demo("invited-2"))).hasAttribute("data-phase", "next");
    assertThat(card(page, demo("invited-2")).locator(".badge.phase")).hasText("Next");
    assertThat(card(page, demo("panel"))).hasAttribute("data-phase", "later");
    assertThat(page.locator("#now-next")).containsText("Next: 10:30 Invited talk: Machine learning");

    // "Closing remarks" is not badged "Opening"; no star on a break; stars are 44 px targets
    assertThat(card(page, demo("closing")).locator(".type-badge")).hasText("Closing");
    assertThat(card(page, demo("opening")).locator(".type-badge")).hasText("Opening");
    assertThat(card(page, demo("break-1")).locator("button.star")).hasCount(0);
    assertThat(card(page, demo("lunch")).locator("button.star")).hasCount(0);
    BoundingBox star = box(card(page, demo("panel")).locator("button.star"));
    org.assertj.core.api.Assertions.assertThat(star.width).isGreaterThanOrEqualTo(44);
    org.assertj.core.api.Assertions.assertThat(star.height).isGreaterThanOrEqualTo(44);

    // the schedule's version is not shown to people
    assertThat(page.locator("#schedule-version")).isHidden();
    assertThat(page.locator("main")).not().containsText("version");

    // jump to now: the running session is brought into view and focused
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)");
    assertThat(card(page, demo("break-1"))).not().isInViewport();
    page.locator("#jump-now").click();
    assertThat(card(page, demo("break-1"))).isInViewport();
    assertThat(card(page, demo("break-1"))).isFocused();
    assertNoSidewaysScroll(page);

    // the shell on a phone: every nav entry fully on screen (it wraps), log-out at hand
    for (Locator link : page.locator("#nav a").all()) {
      BoundingBox b = box(link);
      org.assertj.core.api.Assertions.assertThat(b.x + b.width).as(link.textContent()).isLessThanOrEqualTo(390);
    }
    page.evaluate("() => window.scrollTo(0, 0)");
    assertThat(page.locator("#logout")).isInViewport();
  }

  @Test
  void onALaptopBeforeTheEventTheGridAlignsTheRoomsByTimeAndSaysWhenItStarts() {
    Page page = schedule(slug, null, 1280, 900, null, "2023-07-20T12:00:00-10:00");
    Locator status = page.locator("#day-status");
    assertThat(status).hasAttribute("data-phase", "before");
    assertThat(status).hasText("Starts on Saturday 29 July 2023 at 08:00.");
    assertThat(page.locator("#jump-now")).hasCount(0);
    assertThat(page.locator("#now-next")).hasCount(0);
    assertThat(page.locator(".badge.phase")).hasCount(0);
    assertThat(page.locator("#timetable")).isVisible();
    assertThat(page.locator("#timetable section.room")).hasCount(2);

    // a row line per start and end: the poster session (hall) and lunch (ballroom) line up with their times
    Locator labels = page.locator("#timetable .grid-time");
    BoundingBox at1145 = box(labels.filter(new Locator.FilterOptions().setHasText("11:45")));
    BoundingBox at1300 = box(labels.filter(new Locator.FilterOptions().setHasText("13:00")));
    BoundingBox posters = box(card(page, demo("posters-1")));
    BoundingBox lunch = box(card(page, demo("lunch")));
    BoundingBox contrib4 = box(card(page, demo("contrib-4")));
    org.assertj.core.api.Assertions.assertThat(posters.y).isCloseTo(at1145.y, org.assertj.core.data.Offset.offset(1.5));
    org.assertj.core.api.Assertions.assertThat(lunch.y).isCloseTo(at1300.y, org.assertj.core.data.Offset.offset(1.5));
    org.assertj.core.api.Assertions.assertThat(posters.y + posters.height).isLessThan(lunch.y);
    // side by side: the hall's column right of the ballroom's, contrib-4 (11:30) above the posters (11:45)
    org.assertj.core.api.Assertions.assertThat(posters.x).isGreaterThan(lunch.x + lunch.width - 1);
    org.assertj.core.api.Assertions.assertThat(contrib4.y + contrib4.height).isLessThanOrEqualTo(posters.y);

    // the person can pick the list instead
    page.locator(".view-tabs button[data-view=list]").click();
    assertThat(page.locator("#by-time")).isVisible();
    assertThat(page).hasURL(java.util.regex.Pattern.compile("\\?view=list$"));
  }

  @Test
  void afterTheEventTheScheduleSaysItTookPlaceAndEverySessionIsOver() {
    Page page = schedule(slug, null, 390, 844, null, "2023-08-05T09:00:00-10:00");
    assertThat(page.locator("#day-status")).hasAttribute("data-phase", "after");
    assertThat(page.locator("#day-status")).hasText("Took place on Saturday 29 July 2023.");
    assertThat(page.locator("#now-next")).hasCount(0);
    assertThat(page.locator("#jump-now")).hasCount(0);
    assertThat(page.locator(".session[data-phase=current], .session[data-phase=next], .session[data-phase=later]"))
        .hasCount(0);
    assertThat(card(page, demo("social"))).hasAttribute("data-phase", "past");
  }

  @Test
  void aRemoteAttendeeInBerlinSeesTheirOwnZoneAndTheSessionsPastTheirMidnightOnTheNextDay() {
    Page page = schedule(slug, "ines.moreau@example.org", 390, 844, "Europe/Berlin", "2023-07-29T09:00:00-10:00");
    Locator toggle = page.locator("#zone-toggle");
    assertThat(toggle).containsText("Times in your zone (Europe/Berlin)");
    // 08:30 in Honolulu is 20:30 in Berlin; the poster session 11:45–13:00 runs over Berlin's midnight
    assertThat(card(page, demo("opening")).locator(".time")).hasText("20:30–20:45");
    Locator posters = card(page, demo("posters-1"));
    assertThat(posters.locator(".time")).hasText("23:45–01:00");
    assertThat(posters.locator(".badge.next-day")).hasText("ends Sun 30 Jul");
    Locator dateChange = page.locator("#by-time .date-change");
    assertThat(dateChange).hasCount(1);
    assertThat(dateChange).hasText("Sunday 30 July 2023 (your zone)");
    // the date line comes right before lunch, which starts at 01:00 in Berlin
    org.assertj.core.api.Assertions.assertThat(page.evaluate(
        "() => document.querySelector('#by-time .date-change').nextElementSibling.querySelector('.session').id"))
        .isEqualTo("session-" + demo("lunch"));
    assertThat(card(page, demo("lunch")).locator(".time")).hasText("01:00–02:00");
    assertThat(page.locator("#day-status")).containsText("Today is Saturday 29 July 2023, 21:00.");

    // the switch: the event's zone, no day change
    toggle.click();
    assertThat(toggle).containsText("Times in the event's zone (Pacific/Honolulu)");
    assertThat(posters.locator(".time")).hasText("11:45–13:00");
    assertThat(posters.locator(".badge.next-day")).hasCount(0);
    assertThat(dateChange).hasCount(0);
    // the choice is kept
    page.reload();
    assertThat(page.locator("#zone-toggle")).containsText("Times in the event's zone (Pacific/Honolulu)");

    // on a laptop, the grid's time line shows where the viewer's day changes
    Page laptop = schedule(slug, "ines.moreau@example.org", 1280, 900, "Europe/Berlin", "2023-07-29T09:00:00-10:00");
    assertThat(laptop.locator("#timetable")).isVisible();
    assertThat(laptop.locator("#timetable .grid-time").first()).hasText("20:00");
    assertThat(laptop.locator("#timetable .grid-time.other-day").first()).hasText("Sun 30 Jul 01:00");
    assertThat(card(laptop, demo("posters-1")).locator(".badge.next-day")).hasText("ends Sun 30 Jul");
  }

  /** A one-day workshop in Honolulu with two rooms, an organizer and an attendee. */
  record Workshop(String slug, Event event, long roomA, long roomB, String organizer, String attendee) {
  }

  static Workshop workshop() {
    String name = "day-" + WORKSHOPS.incrementAndGet();
    Event e = await(server.server.events().createEvent(new NewEvent(name, "Workshop " + name, "Pacific/Honolulu",
        LocalDate.parse("2023-07-29"), LocalDate.parse("2023-07-29"), null, null)));
    long a = await(server.server.events().addRoom(e.id(), new NewRoom("Room A", 100, null))).id();
    long b = await(server.server.events().addRoom(e.id(), new NewRoom("Room B", 40, null))).id();
    String organizer = "org-" + name + "@example.org";
    String attendee = "att-" + name + "@example.org";
    await(server.server.events().addPerson(e.id(), organizer, "Olga Organizer", null, Role.ORGANIZER));
    await(server.server.events().addPerson(e.id(), attendee, "Arno Attendee", null, Role.ATTENDEE));
    return new Workshop(name, e, a, b, organizer, attendee);
  }

  static long session(Workshop w, String title, String type, long room, String start, String end) {
    return await(server.server.schedule().create(w.event(), null, new JsonObject().put("title", title)
        .put("type", type).put("roomId", room).put("startsAt", "2023-07-29T" + start)
        .put("endsAt", "2023-07-29T" + end))).id();
  }

  @Test
  void myAgendaListsTheStarredSessionsInTimeOrderAndShowsAClash() {
    Workshop w = workshop();
    long two = session(w, "Talk two", "contributed-talk", w.roomA(), "10:00", "10:30");
    long one = session(w, "Talk one", "contributed-talk", w.roomA(), "09:00", "09:30");
    long other = session(w, "Tutorial B", "panel", w.roomB(), "09:15", "10:00");
    long pause = session(w, "Coffee", "break", w.roomA(), "10:30", "11:00");
    Page page = schedule(w.slug(), w.attendee(), 390, 844, null, "2023-07-29T08:00:00-10:00");
    assertThat(card(page, pause).locator("button.star")).hasCount(0);
    for (long id : List.of(two, other, one)) {
      Locator star = card(page, id).locator("button.star");
      star.click();
      assertThat(star).hasAttribute("aria-pressed", "true");
    }
    page.locator(".view-tabs button[data-view=agenda]").click();
    Locator agenda = page.locator("#agenda");
    assertThat(agenda.locator(".session")).hasCount(3);
    Object ids = agenda.locator(".session").evaluateAll("els => els.map(e => e.id)");
    org.assertj.core.api.Assertions.assertThat(ids).isEqualTo(List.of("session-" + one, "session-" + other, "session-" + two));
    assertThat(page.locator("#agenda-summary")).containsText("3 starred sessions, 1 clash");
    assertThat(agenda.locator(".agenda-day")).hasText("Saturday 29 July 2023");
    assertThat(card(page, one).locator(".clash-note")).hasText("Clashes with Tutorial B (Room B, 09:15–10:00)");
    assertThat(card(page, other).locator(".clash-note")).hasText("Clashes with Talk one (Room A, 09:00–09:30)");
    assertThat(card(page, two).locator(".clash-note")).hasCount(0);
    assertNoSidewaysScroll(page);

    // kept on the server and in the address: a reload shows the agenda again
    page.reload();
    assertThat(page.locator("#agenda .session")).hasCount(3);
    // unstarring one of the clash ends it
    card(page, other).locator("button.star").click();
    assertThat(page.locator("#agenda .session")).hasCount(2);
    assertThat(page.locator("#agenda-summary")).hasText("2 starred sessions, no clashes.");
  }

  @Test
  void anOrganizerIsToldThatRunningLateNeedsATimeOnADayThatIsNotTodayAndFormErrorsUseTheFormsWords() {
    Workshop w = workshop();
    session(w, "Talk one", "contributed-talk", w.roomA(), "09:00", "09:30");
    Page page = schedule(w.slug(), w.organizer(), 390, 844, null, "2023-07-30T09:00:00-10:00");
    Locator room = page.locator("section.room[data-room-id='" + w.roomA() + "']");
    Locator delay = room.locator("form.delay");
    assertThat(delay.locator(".delay-note")).containsText(
        "Saturday 29 July 2023 is not today (today is Sunday 30 July 2023 in the event's zone)");
    delay.locator("button", new Locator.LocatorOptions().setHasText("Delay room")).click();
    assertThat(delay.locator(".delay-result")).containsText("give the time the room is late from in \"as of\"");
    assertThat(delay.locator(".delay-result")).not().containsText("No session");

    room.locator("button.add-session").click();
    Locator editor = room.locator("form.editor");
    editor.locator("input[name=title]").fill("Late addition");
    editor.locator("input[name=startsAt]").fill("2023-07-29T23:30");
    editor.locator("input[name=endsAt]").fill("2023-07-30T00:30");
    editor.locator("button", new Locator.LocatorOptions().setHasText("Create")).click();
    Locator error = editor.locator(".form-error");
    assertThat(error).containsText("Ends: must fall within the event's days");
    assertThat(error).not().containsText("endsAt");
    assertNoSidewaysScroll(page);
  }

  @Test
  void aLiveChangeIsAnnouncedInTheSmallLiveRegionNotByTheWholePage() {
    Workshop w = workshop();
    long talk = session(w, "Talk one", "contributed-talk", w.roomA(), "09:00", "09:30");
    Page page = schedule(w.slug(), w.attendee(), 390, 844, null, null);
    assertThat(page.locator("#live-status")).hasAttribute("data-state", "open");
    assertThat(page.locator("main")).not().hasAttribute("aria-live", java.util.regex.Pattern.compile(".*"));
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r = await(server.client
        .post("/api/events/" + w.slug() + "/schedule/sessions/" + talk + "/move")
        .bearerTokenAuthentication(server.sessionFor(w.slug(), w.organizer()))
        .sendJsonObject(new JsonObject().put("startsAt", "2023-07-29T09:15")));
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(200);
    assertThat(card(page, talk).locator(".time")).hasText("09:15–09:45");
    assertThat(page.locator("#announce")).hasAttribute("aria-live", "polite");
    assertThat(page.locator("#announce")).hasText("Schedule: Moved: Talk one");
  }
}
