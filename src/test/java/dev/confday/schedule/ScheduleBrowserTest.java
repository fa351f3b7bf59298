package dev.confday.schedule;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.confday.Browser;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedule page in real Chromium: live updates over the WebSocket without reload, the time
 * zone toggle, what changed since the last visit, stars, on a phone, and the organizer's tools.
 */
class ScheduleBrowserTest {
  static final AtomicInteger WORKSHOPS = new AtomicInteger();
  static TestServer server;
  static Browser browser;
  static String slug;
  static Event event;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    event = await(server.server.events().event(slug));
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  static Session demoSession(String key) {
    List<Session> sessions = await(server.server.schedule().schedule(event)).sessions();
    return sessions.stream().filter(s -> key.equals(s.key())).findFirst().orElseThrow();
  }

  static Page loggedIn(String email, int width, int height) {
    return loggedIn(slug, email, width, height);
  }

  static Page loggedIn(String eventSlug, String email, int width, int height) {
    Page page = browser.page(width, height);
    page.navigate(server.loginLink(eventSlug, email));
    assertThat(page).hasURL(server.baseUrl() + "/e/" + eventSlug);
    page.navigate(server.baseUrl() + "/e/" + eventSlug + "/schedule");
    return page;
  }

  /** A fresh one-day workshop (in Honolulu, like the demo) with two rooms, an organizer and an attendee. */
  record Workshop(String slug, Event event, long roomA, long roomB, String organizer, String attendee) {
  }

  static Workshop workshop() {
    String name = "browser-sched-" + WORKSHOPS.incrementAndGet();
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

  /** Creates a session at local times of the workshop's day; answers its id. */
  static long session(Workshop w, String title, long room, String start, String end) {
    return await(server.server.schedule().create(w.event(), null, new JsonObject().put("title", title)
        .put("type", "contributed-talk").put("roomId", room).put("startsAt", "2023-07-29T" + start)
        .put("endsAt", "2023-07-29T" + end))).id();
  }

  static HttpResponse<Buffer> asOrganizer(Workshop w, HttpMethod method, String path, JsonObject body) {
    HttpResponse<Buffer> r = await(server.client.request(method, "/api/events/" + w.slug() + path)
        .bearerTokenAuthentication(server.sessionFor(w.slug(), w.organizer())).sendJsonObject(body));
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.bodyAsString()).isBetween(200, 201);
    return r;
  }

  /**
   * What a schedule page knows about versions, for a failure's message: the version shown, the
   * changes listed, the tab's baseline and the browser's last-seen version, whether the app
   * worker controls it, the page's API requests (timing; a worker's answer has a workerStart),
   * and the server's changelog.
   */
  static String pageState(Page page, Workshop w) {
    Object state = page.evaluate("""
        (slug) => JSON.stringify({
          shown: document.querySelector('#schedule-version')?.dataset.version,
          listed: [...document.querySelectorAll('#changelog li')].map(li => li.dataset.sessionId + '@' + li.dataset.version),
          live: document.querySelector('#live-status')?.dataset.state,
          baseline: sessionStorage.getItem('confday.schedule.baseline.' + slug),
          seen: localStorage.getItem('confday.schedule.seen.' + slug),
          controlled: !!navigator.serviceWorker.controller,
          requests: performance.getEntriesByType('resource').filter(r => r.name.includes('/api/'))
            .map(r => [r.name.replace(location.origin, ''), Math.round(r.startTime), Math.round(r.duration),
              Math.round(r.workerStart), r.transferSize])
        })""", w.slug());
    HttpResponse<Buffer> changes = await(server.client.get("/api/events/" + w.slug() + "/schedule/changes?since=0").send());
    return "page: " + state + "\nserver: " + changes.bodyAsJsonObject().getLong("version") + " "
        + changes.bodyAsJsonObject().getJsonArray("changes").stream()
            .map(c -> ((JsonObject) c).getLong("sessionId") + "@" + ((JsonObject) c).getLong("version")).toList();
  }

  /** The page is as wide as the screen: nothing makes it scroll sideways. */
  static void assertNoSidewaysScroll(Page page) {
    JsonObject widths = new JsonObject((String) page.evaluate(
        "() => JSON.stringify({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth })"));
    org.assertj.core.api.Assertions.assertThat(widths.getInteger("scroll")).as("scrollWidth")
        .isLessThanOrEqualTo(widths.getInteger("inner"));
  }

  @Test
  void anAttendeesOpenPageShowsAnOrganizersDelayOverTheLiveConnectionWithinASecondWithoutReload() {
    Page page = loggedIn("grace.kim@example.org", 390, 844);
    Session contrib2 = demoSession("contrib-2");
    String selector = "[data-session-id='" + contrib2.id() + "'] .time";
    Locator time = page.locator(selector);
    assertThat(time).hasText("09:45–10:00");
    // live, not polling: the subscription is confirmed and the page has caught up
    assertThat(page.locator("#live-status")).hasAttribute("data-state", "open");
    page.evaluate("() => { window.noReload = true; }");
    String api = "/api/events/" + slug;
    List<String> fetched = new CopyOnWriteArrayList<>();
    page.onRequest(request -> {
      String path = URI.create(request.url()).getPath();
      if (path.equals(api + "/schedule") || path.equals(api + "/schedule/changes")) {
        fetched.add(request.url());
      }
    });
    // the page stamps, by its own clock, the moment the new time appears
    page.evaluate("([selector, text]) => { window.updatedAt = null; const seen = () => {"
        + " const el = document.querySelector(selector);"
        + " if (window.updatedAt === null && el && el.textContent === text) window.updatedAt = Date.now(); };"
        + " new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });"
        + " }", List.of(selector, "09:55–10:10"));
    long sentAt = ((Number) page.evaluate("() => Date.now()")).longValue();

    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    HttpResponse<Buffer> r = await(server.client.post(api + "/schedule/rooms/" + contrib2.roomId() + "/delay")
        .bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("minutes", 10).put("at", "2023-07-29T09:35:00-10:00")));
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(200);

    page.waitForFunction("() => window.updatedAt !== null");
    long updatedAt = ((Number) page.evaluate("() => window.updatedAt")).longValue();
    org.assertj.core.api.Assertions.assertThat(updatedAt - sentAt).as("ms from the API call to the page")
        .isLessThan(1000);
    assertThat(time).hasText("09:55–10:10");
    assertThat(page.locator("[data-session-id='" + demoSession("break-1").id() + "'] .time"))
        .hasText("10:10–10:30");
    assertThat(page.locator("#changelog")).containsText("Delayed: Contributed talk: Foundation models for light curves"
        + " — Time: 09:45–10:00 → 09:55–10:10");
    org.assertj.core.api.Assertions.assertThat(page.evaluate("() => window.noReload === true")).isEqualTo(true);
    org.assertj.core.api.Assertions.assertThat(fetched).as("schedule requests: the change came over the WebSocket")
        .isEmpty();
    assertNoSidewaysScroll(page);
  }

  @Test
  void theTimeZoneToggleShowsTheTimesInTheViewersZone() {
    Page page = browser.page(390, 844, "Europe/Berlin");
    page.navigate(server.baseUrl() + "/e/" + slug + "/schedule");
    Locator opening = page.locator("[data-session-id='" + demoSession("opening").id() + "'] .time");
    Locator toggle = page.locator("#zone-toggle");
    assertThat(opening).hasText("08:30–08:45");
    assertThat(toggle).containsText("Times in the event's zone (Pacific/Honolulu)");
    toggle.click();
    // 08:30 in Honolulu (UTC-10) is 20:30 in Berlin (UTC+2 in summer)
    assertThat(toggle).containsText("Times in your zone (Europe/Berlin)");
    assertThat(opening).hasText("20:30–20:45");
    toggle.click();
    assertThat(opening).hasText("08:30–08:45");
  }

  @Test
  void anAttendeeReturningToThePageSeesWhatChangedSinceTheirLastVisitListedAndHighlighted() {
    Workshop w = workshop();
    long one = session(w, "Talk one", w.roomA(), "09:00", "09:30");
    long two = session(w, "Talk two", w.roomA(), "10:00", "10:30");
    long panel = session(w, "Panel", w.roomB(), "11:00", "12:00");
    Page first = loggedIn(w.slug(), w.attendee(), 390, 844);
    assertThat(first.locator("#session-" + one + " .title")).hasText("Talk one");
    assertThat(first.locator("#changelog")).hasCount(0);
    BrowserContext browserContext = first.context();
    // the visit ends here: its live connection first, so that a renderer slow to go away (a loaded
    // machine) cannot still hear the changes below and note them as seen
    first.evaluate("async () => { const m = await import('/js/live.js'); m.live().disconnect(); }");
    first.close();

    asOrganizer(w, HttpMethod.PATCH, "/schedule/sessions/" + one,
        new JsonObject().put("title", "Talk one, revised").put("roomId", w.roomB()));
    asOrganizer(w, HttpMethod.POST, "/schedule/sessions/" + two + "/move",
        new JsonObject().put("startsAt", "2023-07-29T10:30"));

    Page page = browserContext.newPage();
    page.navigate(server.baseUrl() + "/e/" + w.slug() + "/schedule");
    Locator changelog = page.locator("#changelog");
    try {
      assertThat(changelog.locator("li")).hasCount(2);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + pageState(page, w), e);
    }
    assertThat(changelog.locator("li[data-session-id='" + one + "']"))
        .hasText("Moved: Talk one — Title: Talk one → Talk one, revised; Room: Room A → Room B");
    assertThat(changelog.locator("li[data-session-id='" + two + "']"))
        .hasText("Moved: Talk two — Time: 10:00–10:30 → 10:30–11:00");
    Pattern highlighted = Pattern.compile("\\bsince-last-look\\b");
    assertThat(page.locator("#session-" + one)).hasClass(highlighted);
    assertThat(page.locator("#session-" + one + " .badge.news")).hasText("Changed");
    assertThat(page.locator("#session-" + two)).hasClass(highlighted);
    assertThat(page.locator("#session-" + panel)).not().hasClass(highlighted);

    // a change while the page is open joins the list
    assertThat(page.locator("#live-status")).hasAttribute("data-state", "open");
    asOrganizer(w, HttpMethod.POST, "/schedule/sessions/" + panel + "/cancel", new JsonObject());
    assertThat(changelog.locator("li[data-session-id='" + panel + "']"))
        .hasText("Cancelled: Panel (11:00–12:00 in Room B)");
    assertThat(page.locator("#session-" + panel)).hasClass(highlighted);

    page.locator("#mark-seen").click();
    assertThat(changelog).hasCount(0);
    assertThat(page.locator(".session.since-last-look")).hasCount(0);
    page.reload();
    assertThat(page.locator("#session-" + panel + " .badge.bad")).hasText("Cancelled");
    assertThat(changelog).hasCount(0);
    assertThat(page.locator(".session.since-last-look")).hasCount(0);
  }

  @Test
  void aListOfChangesAnsweredFromAnOlderCopyIsAskedForAgainUntilItMatchesTheSchedule() {
    // the app worker answers from its cache when the server is slow (4 s): the changes since the
    // last look can come back older than the schedule shown. The page must not show "nothing
    // changed" for good, nor step the schedule back to an older copy.
    // Here the older answer is given by the test (the worker's own fetches cannot be routed), so
    // the worker is kept out of the way.
    Workshop w = workshop();
    long one = session(w, "Talk one", w.roomA(), "09:00", "09:30");
    Page first = browser.page(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(390, 844)
        .setServiceWorkers(com.microsoft.playwright.options.ServiceWorkerPolicy.BLOCK));
    first.navigate(server.loginLink(w.slug(), w.attendee()));
    assertThat(first).hasURL(server.baseUrl() + "/e/" + w.slug());
    first.navigate(server.baseUrl() + "/e/" + w.slug() + "/schedule");
    assertThat(first.locator("#session-" + one + " .title")).hasText("Talk one");
    String seen = first.locator("#schedule-version").getAttribute("data-version");
    BrowserContext browserContext = first.context();
    first.close();

    asOrganizer(w, HttpMethod.PATCH, "/schedule/sessions/" + one, new JsonObject().put("title", "Talk one, revised"));

    AtomicInteger stale = new AtomicInteger();
    browserContext.route(url -> url.endsWith("/schedule/changes?since=" + seen), route -> {
      if (stale.getAndIncrement() > 0) { route.resume(); return; }
      route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(200)
          .setHeaders(java.util.Map.of("Content-Type", "application/json", "X-Confday-Offline-Copy", "test"))
          .setBody(new JsonObject().put("version", Long.parseLong(seen)).put("since", Long.parseLong(seen))
              .put("truncated", false).put("changes", new io.vertx.core.json.JsonArray()).encode()));
    });
    Page page = browserContext.newPage();
    page.navigate(server.baseUrl() + "/e/" + w.slug() + "/schedule");
    assertThat(page.locator("#session-" + one + " .title")).hasText("Talk one, revised");
    assertThat(page.locator("#changelog li[data-session-id='" + one + "']"))
        .hasText("Updated: Talk one — Title: Talk one → Talk one, revised",
            new LocatorAssertions.HasTextOptions().setTimeout(12_000)); // asked again within 5 s
    org.assertj.core.api.Assertions.assertThat(stale.get()).as("the older copy was given, then the server asked again")
        .isGreaterThanOrEqualTo(2);
    assertThat(page.locator("#schedule-version")).hasAttribute("data-version", String.valueOf(Long.parseLong(seen) + 1));
  }

  @Test
  void aStarredSessionTheOrganizerMovesIsHighlightedUntilTheAttendeeAcknowledgesIt() {
    Workshop w = workshop();
    long talk = session(w, "Talk two", w.roomA(), "10:00", "10:30");
    long other = session(w, "Talk three", w.roomA(), "11:00", "11:30");
    Page page = loggedIn(w.slug(), w.attendee(), 390, 844);
    Locator card = page.locator("#session-" + talk);
    Locator star = card.locator("button.star");
    assertThat(star).hasAttribute("aria-pressed", "false");
    star.click();
    assertThat(star).hasAttribute("aria-pressed", "true");
    assertThat(star).hasText("★");
    assertThat(page.locator("#live-status")).hasAttribute("data-state", "open");

    asOrganizer(w, HttpMethod.POST, "/schedule/sessions/" + talk + "/move",
        new JsonObject().put("startsAt", "2023-07-29T10:30"));
    asOrganizer(w, HttpMethod.POST, "/schedule/sessions/" + other + "/move",
        new JsonObject().put("startsAt", "2023-07-29T11:30"));

    Pattern changed = Pattern.compile("\\bchanged\\b");
    assertThat(card.locator(".time")).hasText("10:30–11:00");
    assertThat(card).hasClass(changed);
    Locator note = card.locator(".changed-note");
    assertThat(note).containsText("Moved or cancelled since you starred it.");
    // only the starred one is flagged
    assertThat(page.locator("#session-" + other + " .time")).hasText("11:30–12:00");
    assertThat(page.locator("#session-" + other)).not().hasClass(changed);
    note.locator("button", new Locator.LocatorOptions().setHasText("Got it")).click();
    assertThat(card).not().hasClass(changed);
    assertThat(note).hasCount(0);

    page.reload();
    assertThat(card.locator("button.star")).hasAttribute("aria-pressed", "true");
    assertThat(card.locator(".time")).hasText("10:30–11:00");
    assertThat(card).not().hasClass(changed);
  }

  @Test
  void anOrganizerDelaysARoomAndEditsASessionOnAPhoneWithoutSidewaysScrolling() {
    Workshop w = workshop();
    long one = session(w, "Talk one", w.roomA(), "09:00", "09:30");
    long two = session(w, "Equivariant networks for strong-lensing reconstructions at survey scale", w.roomA(),
        "09:30", "10:00");
    Page page = loggedIn(w.slug(), w.organizer(), 390, 844);
    Locator room = page.locator("section.room[data-room-id='" + w.roomA() + "']");
    assertThat(room.locator("form.delay")).isVisible();
    assertNoSidewaysScroll(page);

    Locator delay = room.locator("form.delay");
    delay.locator("input.minutes").fill("15");
    delay.locator("input[name=at]").fill("09:10");
    delay.locator("button", new Locator.LocatorOptions().setHasText("Delay room")).click();
    assertThat(room.locator("form.delay .delay-result")).hasText("2 sessions shifted.");
    assertThat(page.locator("#session-" + one + " .time")).hasText("09:00–09:45");
    assertThat(page.locator("#session-" + two + " .time")).hasText("09:45–10:15");
    assertNoSidewaysScroll(page);

    Locator card = page.locator("#session-" + two);
    card.locator("button", new Locator.LocatorOptions().setHasText("Edit")).click();
    Locator editor = card.locator("form.editor");
    assertThat(editor.locator("input[name=title]")).isVisible();
    assertThat(editor.locator("textarea[name=abstract]")).isVisible();
    assertNoSidewaysScroll(page);
    editor.locator("input[name=title]").fill("Equivariant networks for lensing");
    editor.locator("input[name=track]").fill("Imaging");
    editor.locator("button", new Locator.LocatorOptions().setHasText("Save")).click();
    assertThat(card.locator(".title")).hasText("Equivariant networks for lensing");
    assertThat(card).containsText("Track: Imaging");
    assertThat(card.locator("form.editor")).hasCount(0);
    assertThat(card.locator(".time")).hasText("09:45–10:15");
    assertNoSidewaysScroll(page);
  }

  @Test
  void anOpenPageShowsARoomTheOrganizerAddsWithoutReload() {
    Workshop w = workshop();
    session(w, "Talk one", w.roomA(), "09:00", "09:30");
    Page page = loggedIn(w.slug(), w.attendee(), 1280, 900);
    assertThat(page.locator("section.room")).hasCount(2);
    assertThat(page.locator("#live-status")).hasAttribute("data-state", "open");
    page.evaluate("() => { window.noReload = true; }");

    long roomC = asOrganizer(w, HttpMethod.POST, "/rooms", new JsonObject().put("name", "Room C")
        .put("capacity", 25).put("streamUrl", "https://stream.example.org/room-c")).bodyAsJsonObject().getLong("id");

    Locator added = page.locator("section.room[data-room-id='" + roomC + "']");
    assertThat(added.locator("h2")).hasText("Room C · 25 seats");
    assertThat(added.locator("a", new Locator.LocatorOptions().setHasText("Stream")))
        .hasAttribute("href", "https://stream.example.org/room-c");
    assertThat(page.locator("section.room")).hasCount(3);
    org.assertj.core.api.Assertions.assertThat(page.evaluate("() => window.noReload === true")).isEqualTo(true);
  }

  @Test
  void aPageWithoutALiveConnectionFallsBackToPollingEveryFewSeconds() {
    Workshop w = workshop();
    long talk = session(w, "Talk one", w.roomA(), "09:00", "09:30");
    Page page = browser.page(390, 844);
    // no ticket, no WebSocket: as behind a proxy that does not pass it
    page.route("**/api/live/ticket", route -> route.abort());
    List<String> polled = new CopyOnWriteArrayList<>();
    page.onRequest(request -> {
      if (URI.create(request.url()).getPath().equals("/api/events/" + w.slug() + "/schedule/changes")) {
        polled.add(request.url());
      }
    });
    page.navigate(server.baseUrl() + "/e/" + w.slug() + "/schedule");
    assertThat(page.locator("#live-status")).hasAttribute("data-state", "down");
    assertThat(page.locator("#session-" + talk + " .time")).hasText("09:00–09:30");

    asOrganizer(w, HttpMethod.POST, "/schedule/sessions/" + talk + "/move",
        new JsonObject().put("startsAt", "2023-07-29T09:15"));

    assertThat(page.locator("#session-" + talk + " .time")).hasText("09:15–09:45",
        new LocatorAssertions.HasTextOptions().setTimeout(8000));
    org.assertj.core.api.Assertions.assertThat(polled).isNotEmpty();
  }

  @Test
  void anOrganizerCancelsAndMovesSessionsFromThePage() {
    Page page = loggedIn("ada.okafor@example.org", 390, 844);
    Session contrib3 = demoSession("contrib-3");
    Locator card = page.locator("#session-" + contrib3.id());
    // cancelling asks first, and says that everyone sees it at once
    card.locator("button.cancel-session").click();
    Locator confirm = card.locator(".confirm-cancel");
    assertThat(confirm).containsText("Everyone sees it at once");
    confirm.locator("button.confirm-no").click();
    assertThat(confirm).hasCount(0);
    assertThat(card).not().hasClass(Pattern.compile("\\bcancelled\\b"));
    card.locator("button.cancel-session").click();
    confirm.locator("button.confirm-yes").click();
    assertThat(card).hasClass(Pattern.compile("\\bcancelled\\b"));
    assertThat(card.locator(".badge.bad")).hasText("Cancelled");
    assertThat(card.locator(".undo-notice")).containsText("is cancelled. Everyone sees it now.");
    // and can be undone
    card.locator(".undo-notice button.undo").click();
    assertThat(card).not().hasClass(Pattern.compile("\\bcancelled\\b"));
    assertThat(card.locator(".undo-notice")).containsText("is back on");

    Session social = demoSession("social");
    Locator socialCard = page.locator("#session-" + social.id());
    socialCard.locator("button", new Locator.LocatorOptions().setHasText("Move")).click();
    socialCard.locator("input[name=startsAt]").fill("2023-07-29T17:30");
    socialCard.locator("form.editor button", new Locator.LocatorOptions().setHasText("Move")).click();
    assertThat(page.locator("#session-" + social.id() + " .time")).hasText("17:30–19:00");

    Locator posters = page.locator("#session-" + demoSession("posters-2").id());
    posters.locator("button", new Locator.LocatorOptions().setHasText("Move")).click();
    posters.locator("input[name=startsAt]").fill("2023-07-29T17:00");
    posters.locator("form.editor button", new Locator.LocatorOptions().setHasText("Move")).click();
    assertThat(posters.locator(".form-error")).containsText("overlap");
    assertThat(posters.locator(".form-error")).containsText("'Workshop social' (17:30–19:00");
  }

  @Test
  void aPosterSessionListsItsPostersWithBoardsThatFollowAMoveAndLinkToTheMap() {
    Session session = demoSession("posters-1");
    String base = "/api/events/" + slug;
    JsonObject schedule = await(server.client.get(base + "/schedule").send()).bodyAsJsonObject();
    List<JsonObject> posters = schedule.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getLong("id") == session.id()).findFirst().orElseThrow().getJsonArray("posters").stream()
        .map(JsonObject.class::cast).toList();
    String board1 = posters.get(0).getString("board");
    String board2 = posters.get(1).getString("board");

    Page page = loggedIn("grace.kim@example.org", 390, 844);
    Locator list = page.locator("#session-" + session.id() + " .session-posters");
    assertThat(list.locator("summary")).hasText(posters.size() + " posters");
    list.locator("summary").click();
    Locator first = list.locator("li[data-number='1']");
    assertThat(first).containsText("board " + board1);
    org.assertj.core.api.Assertions.assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo(390);

    // an organizer puts poster 1 on poster 2's board: the two swap, and the open page follows
    long posterId = await(server.client.get(base + "/posters?q=1").send()).bodyAsJsonArray().getJsonObject(0)
        .getLong("id");
    long boardId = await(server.client.get(base + "/areas").send()).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).flatMap(a -> a.getJsonArray("boards").stream().map(JsonObject.class::cast))
        .filter(b -> b.getString("label").equals(board2)).findFirst().orElseThrow().getLong("id");
    HttpResponse<Buffer> moved = await(server.client.put(base + "/poster-sessions/posters-1/assignments/" + posterId)
        .bearerTokenAuthentication(server.sessionFor(slug, "ada.okafor@example.org"))
        .sendJsonObject(new JsonObject().put("board", boardId)));
    org.assertj.core.api.Assertions.assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(first).containsText("board " + board2);
    assertThat(list).hasAttribute("open", "");

    first.locator("a").click();
    assertThat(page).hasURL(server.baseUrl() + "/e/" + slug + "/posters?q=1&session=posters-1");
    assertThat(page.locator("#poster-search")).hasValue("1");
    assertThat(page.locator(".poster-board.hit")).hasAttribute("data-label", board2);
    assertThat(page.locator(".poster-status")).containsText("board " + board2);
  }
}
