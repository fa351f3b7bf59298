package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import dev.confday.Browser;
import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * webroot/js/live.js in real Chromium against the real server: what a page receives when its
 * connection is cut, goes silent, or the page reloads. The page records what the module hands
 * it on {@code window}.
 */
class LiveBrowserTest {
  /** Subscribes the page to a topic through the module, recording into window.got/errors/states. */
  private static final String SUBSCRIBE = """
      async (topic) => {
        const live = await import('/js/live.js');
        Object.assign(window, { got: [], errors: [], states: [], subscribedAt: undefined });
        live.live().onStatus((s) => window.states.push(s));
        live.subscribe('nonsense', () => {}, { onError: (e) => window.errors.push(e.code) });
        live.subscribe(topic, (data, msg) => window.got.push(msg.seq),
          { onSubscribed: (seq) => { if (window.subscribedAt === undefined) window.subscribedAt = seq; } });
      }""";
  private static TestServer server;
  private static Browser browser;
  private static String slug;

  @BeforeAll
  static void start() {
    // pings every second, so a silent connection is given up within about 2.5 s
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of(
        "CONFDAY_LIVE_PING_SECONDS", "1",
        "CONFDAY_LIVE_POLL_MS", "60000",
        "CONFDAY_LIVE_PRESENCE_MS", "60000"));
    slug = server.seedDemo();
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  private static long publish(String topic, int n) {
    long last = 0;
    for (int i = 0; i < n; i++) {
      last = await(server.publish(topic, new JsonObject().put("change", "moved")));
    }
    return last;
  }

  private static long subscribe(Page page, String topic) {
    page.evaluate(SUBSCRIBE, topic);
    page.waitForFunction("() => window.subscribedAt !== undefined");
    return ((Number) page.evaluate("() => window.subscribedAt")).longValue();
  }

  private static void awaitReceived(Page page, long seq) {
    page.waitForFunction("(seq) => window.got.length > 0 && window.got[window.got.length - 1] >= seq", (int) seq);
  }

  private static void awaitStates(Page page, String state, int times) {
    page.waitForFunction("([s, n]) => window.states.filter((x) => x === s).length >= n", List.of(state, times));
  }

  @SuppressWarnings("unchecked")
  private static List<Long> received(Page page) {
    return ((List<Number>) page.evaluate("() => window.got")).stream().map(Number::longValue).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<String> errors(Page page) {
    return (List<String>) page.evaluate("() => window.errors");
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  @Test
  void pageWhoseConnectionIsCutGetsEveryMessageOnceInOrderAndAReloadStartsFromNow() {
    String topic = "event:" + slug + ":schedule";
    Page page = browser.page();
    AtomicBoolean ticketsRefused = new AtomicBoolean();
    page.route("**/api/live/ticket", route -> {
      if (ticketsRefused.get()) {
        route.abort();
      } else {
        route.resume();
      }
    });
    page.navigate(server.baseUrl() + "/");
    long start = subscribe(page, topic);
    assertThat(errors(page)).containsExactly("unknown-topic");

    long live = publish(topic, 5);
    awaitReceived(page, live);

    // the server cuts the connection and the page cannot get back in while messages go out
    ticketsRefused.set(true);
    server.server.live().closeAllSockets(LiveSocket.GOING_AWAY, "restart");
    awaitStates(page, "closed", 1);
    long missed = publish(topic, 5);
    ticketsRefused.set(false);
    awaitStates(page, "open", 2);
    long after = publish(topic, 5);
    awaitReceived(page, after);

    assertThat(missed).isEqualTo(live + 5);
    assertThat(received(page)).containsExactlyElementsOf(range(start + 1, after));
    // the refused topic was not asked for again on the new connection
    assertThat(errors(page)).containsExactly("unknown-topic");

    // cut again, messages go out, and the page reloads: it loads its state by REST, so it must
    // not be handed what came before the reload
    ticketsRefused.set(true);
    server.server.live().closeAllSockets(LiveSocket.GOING_AWAY, "restart");
    awaitStates(page, "closed", 2);
    long beforeReload = publish(topic, 3);
    ticketsRefused.set(false);
    page.reload();
    long fresh = subscribe(page, topic);
    assertThat(fresh).isEqualTo(beforeReload);
    long next = publish(topic, 1);
    awaitReceived(page, next);
    assertThat(received(page)).containsExactly(next);
  }

  @Test
  void pageWhoseConnectionGoesSilentReconnectsAndResumes() {
    String topic = "event:" + slug + ":posters";
    Page page = browser.page();
    AtomicInteger connections = new AtomicInteger();
    AtomicBoolean firstGoesSilent = new AtomicBoolean();
    // between page and server: the first connection can be made to drop everything the server
    // sends (a dead network path that never reports a close)
    page.routeWebSocket(Pattern.compile(".*/live\\?.*"), ws -> {
      int n = connections.incrementAndGet();
      WebSocketRoute toServer = ws.connectToServer();
      toServer.onMessage(frame -> {
        if (!(n == 1 && firstGoesSilent.get())) {
          ws.send(frame.text());
        }
      });
    });
    page.navigate(server.baseUrl() + "/");
    long start = subscribe(page, topic);
    long heard = publish(topic, 3);
    awaitReceived(page, heard);

    firstGoesSilent.set(true);
    long lost = publish(topic, 3);
    // pings go unanswered for 2.5 intervals: the page gives up and reconnects by itself
    awaitStates(page, "open", 2);
    awaitReceived(page, lost);

    assertThat(connections.get()).isEqualTo(2);
    assertThat(received(page)).containsExactlyElementsOf(range(start + 1, lost));
  }

  @Test
  void pageWhoseSessionEndsGoesOnAnonymouslyWithoutTheDeadSession() {
    String session = server.sessionFor(slug, "elena.garcia@example.org");
    String schedule = "event:" + slug + ":schedule";
    String checkins = "event:" + slug + ":checkins";
    Page page = browser.page();
    AtomicInteger tickets = new AtomicInteger();
    page.route("**/api/live/ticket", route -> {
      tickets.incrementAndGet();
      route.resume();
    });
    page.navigate(server.baseUrl() + "/");
    page.evaluate("(token) => localStorage.setItem('confday.session', JSON.stringify({ token }))", session);
    page.evaluate("""
        async ([schedule, checkins]) => {
          const live = await import('/js/live.js');
          Object.assign(window, { got: [], errors: [], states: [], door: 0 });
          live.live().onStatus((s) => window.states.push(s));
          live.subscribe(checkins, () => {}, { onSubscribed: () => window.door++, onError: (e) => window.errors.push(e.code) });
          live.subscribe(schedule, (data, msg) => window.got.push(msg.seq));
        }""", List.of(schedule, checkins));
    page.waitForFunction("() => window.door === 1");
    awaitStates(page, "open", 1);

    assertThat(await(server.client.post("/api/auth/logout").bearerTokenAuthentication(session).send()).statusCode())
        .isEqualTo(204);
    // the heartbeat is a minute here: run the check it would run
    await(server.server.live().closeEndedSessions());

    awaitStates(page, "open", 2);
    page.waitForFunction("() => window.errors.length > 0");
    // anonymous now: the door staff topic is refused once, and nothing reconnects in a loop
    assertThat(errors(page)).containsExactly("unauthorized");
    assertThat(page.evaluate("() => localStorage.getItem('confday.session')")).isNull();
    long next = publish(schedule, 1);
    awaitReceived(page, next);
    assertThat(tickets.get()).isEqualTo(2);
  }
}
