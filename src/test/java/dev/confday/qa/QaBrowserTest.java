package dev.confday.qa;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.TestServer.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.confday.Browser;
import dev.confday.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Q&A views in real Chromium: the attendee panel, the moderator's phone view and the projector link. */
class QaBrowserTest {
  static final AtomicInteger EVENTS = new AtomicInteger(100);
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  static JsonObject call(HttpMethod method, String path, String token, JsonObject body, int status) {
    HttpRequest<Buffer> req = server.client.request(method, path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    HttpResponse<Buffer> r = await(body == null ? req.send() : req.sendJsonObject(body));
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.body() == null || r.body().length() == 0 ? null : r.bodyAsJsonObject();
  }

  static ProjectorApiTest.Fixture fixture(boolean premoderated) {
    ProjectorApiTest.Fixture f = ProjectorApiTest.fixture(server, EVENTS);
    call(HttpMethod.PUT, f.base() + "/qa", f.moderator(),
        new JsonObject().put("state", "open").put("premoderated", premoderated), 200);
    return f;
  }

  static long ask(ProjectorApiTest.Fixture f, String token, String text, boolean anonymous) {
    return call(HttpMethod.POST, f.base() + "/questions", token,
        new JsonObject().put("text", text).put("anonymous", anonymous), 201).getLong("id");
  }

  /** A page logged in as the person, showing the session's Q&A page. */
  static Page qaPage(ProjectorApiTest.Fixture f, String email, int width, int height, String view) {
    Page page = browser.page(width, height);
    page.navigate(server.loginLink(f.slug(), email));
    assertThat(page.locator("#welcome")).isVisible();
    page.navigate(server.baseUrl() + "/e/" + f.slug() + "/qa?session=" + f.session() + (view == null ? "" : "&view=" + view));
    return page;
  }

  static Locator question(Page page, String text) {
    return page.locator(".qa-question", new Page.LocatorOptions().setHasText(text));
  }

  @Test
  void aModeratorsPinReachesTheProjectorWithoutReloadAndWithoutLogin() {
    ProjectorApiTest.Fixture f = fixture(false);
    ask(f, f.remote(), "Which telescope took the deep field?", true);
    ask(f, f.inPerson(), "How long did the training take?", false);
    String url = call(HttpMethod.POST, f.links(), f.moderator(), null, 201).getString("url");

    Page projector = browser.page(1280, 720);
    java.util.List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    projector.onConsoleMessage(m -> {
      if (m.type().equals("error")) {
        errors.add(m.text());
      }
    });
    projector.onPageError(errors::add);
    java.util.List<String> requested = new java.util.concurrent.CopyOnWriteArrayList<>();
    projector.onRequest(r -> requested.add(r.url()));
    projector.navigate(url);
    assertThat(projector.locator("#projector-current")).containsText("when the moderator puts one on screen");
    assertThat(projector.locator("#projector-next")).containsText("Which telescope took the deep field?");
    assertThat(projector.locator(".projector-status")).containsText("Live");
    projector.evaluate("() => { window.__notReloaded = true; }");

    Page moderator = qaPage(f, "mod-" + f.slug() + "@example.org", 1280, 900, "moderate");
    Locator anonymous = question(moderator, "Which telescope took the deep field?");
    // the moderator sees who asked, also when attendees do not
    assertThat(anonymous).containsText("Rita Remote");
    assertThat(anonymous).containsText("remote");
    anonymous.locator(".qa-act-pin").click();
    assertThat(anonymous.locator(".qa-pinned")).isVisible();

    assertThat(projector.locator("#projector-current")).containsText("Which telescope took the deep field?");
    assertThat(projector.locator("#projector-current")).containsText("Anonymous");
    assertThat(projector.locator("#projector-current")).containsText("remote");
    assertThat(projector.locator("#projector-next")).containsText("How long did the training take?");
    org.assertj.core.api.Assertions.assertThat(projector.evaluate("() => window.__notReloaded === true")).isEqualTo(true);
    org.assertj.core.api.Assertions.assertThat(projector.locator("body").innerText()).doesNotContain("Rita");
    // nothing refused by the CSP (script-src 'self'), no script error
    org.assertj.core.api.Assertions.assertThat(errors).isEmpty();
    // the secret stays in the fragment: no request carried it in its URL (so no log or Referer has it)
    String secret = url.substring(url.indexOf('#') + 1);
    org.assertj.core.api.Assertions.assertThat(requested).isNotEmpty().noneMatch(u -> u.contains(secret));
  }

  @Test
  void aRemoteAttendeesQuestionAppearsOnARoomAttendeesPageTaggedRemote() {
    ProjectorApiTest.Fixture f = fixture(false);
    Page room = qaPage(f, "room-" + f.slug() + "@example.org", 1280, 900, null);
    assertThat(room.locator(".qa-panel .live-status")).containsText("Live");
    assertThat(room.locator(".qa-empty")).isVisible();

    Page remote = qaPage(f, "remote-" + f.slug() + "@example.org", 390, 844, null);
    remote.locator(".qa-input").fill("Can you share the slides?");
    assertThat(remote.locator(".qa-count-chars")).containsText("25 / 500");
    remote.locator(".qa-send").click();
    assertThat(remote.locator(".qa-note")).containsText("Thanks");
    // asked over the live connection the page holds, not by an HTTP request of its own
    assertThat(remote.locator(".qa-panel")).hasAttribute("data-sent-via", "live");

    Locator seen = question(room, "Can you share the slides?");
    assertThat(seen.locator(".qa-origin")).hasText("remote");
    assertThat(seen).containsText("Rita Remote");
    // the room attendee upvotes (a 44 px target), and the vote survives a reload
    Locator vote = seen.locator(".qa-vote");
    org.assertj.core.api.Assertions.assertThat(vote.boundingBox().height).isGreaterThanOrEqualTo(44);
    org.assertj.core.api.Assertions.assertThat(vote.boundingBox().width).isGreaterThanOrEqualTo(44);
    vote.click();
    assertThat(vote).hasAttribute("aria-pressed", "true");
    assertThat(vote.locator(".qa-count")).hasText("1");
    assertThat(room.locator(".qa-panel")).hasAttribute("data-sent-via", "live");
    // the asker sees the count move live
    assertThat(question(remote, "Can you share the slides?").locator(".qa-count")).hasText("1");
    room.reload();
    assertThat(question(room, "Can you share the slides?").locator(".qa-vote")).hasAttribute("aria-pressed", "true");
    assertThat(question(room, "Can you share the slides?").locator(".qa-origin")).hasText("remote");
  }

  @Test
  void anAttendeePageThatLosesItsConnectionMissesNothing() {
    ProjectorApiTest.Fixture f = fixture(false);
    long first = ask(f, f.remote(), "Asked before the cut", false);
    Page room = qaPage(f, "room-" + f.slug() + "@example.org", 390, 844, null);
    assertThat(room.locator(".qa-panel .live-status")).containsText("Live");
    assertThat(question(room, "Asked before the cut")).isVisible();

    // the connection drops and cannot come back for a while
    room.route("**/api/live/ticket", route -> route.abort());
    room.evaluate("async () => { const m = await import('/js/live.js'); m.live().ws.close(); }");
    assertThat(room.locator(".qa-panel .live-status")).containsText("Reconnecting");
    ask(f, f.remote(), "Asked while the page was offline", true);
    call(HttpMethod.PUT, f.base() + "/questions/" + first + "/vote", f.inPerson(), null, 200);
    // the page itself asks meanwhile: by HTTP, as its connection is down
    room.locator(".qa-input").fill("Asked by the page while reconnecting");
    room.locator(".qa-send").click();
    assertThat(room.locator(".qa-note")).containsText("Thanks");
    assertThat(room.locator(".qa-panel")).hasAttribute("data-sent-via", "http");

    room.unroute("**/api/live/ticket");
    room.evaluate("() => window.dispatchEvent(new Event('online'))");
    assertThat(room.locator(".qa-panel .live-status")).containsText("Live");
    Locator missed = question(room, "Asked while the page was offline");
    assertThat(missed.locator(".qa-origin")).hasText("remote");
    assertThat(missed).containsText("Anonymous");
    assertThat(question(room, "Asked before the cut").locator(".qa-count")).hasText("1");
    assertThat(question(room, "Asked before the cut").locator(".qa-vote")).hasAttribute("aria-pressed", "true");
    org.assertj.core.api.Assertions.assertThat(missed.innerText()).doesNotContain("Rita");
    assertThat(question(room, "Asked by the page while reconnecting")).isVisible();

    // a reply lost on the way (the ask reached the server over the socket and was stored): the page
    // asks again by HTTP with the ask's key, and the question is there once
    room.evaluate("async () => { const m = await import('/js/live.js'); const l = m.live(); const r = l.receive.bind(l);"
        + " l.receive = (msg) => { if (msg.type !== 'reply') r(msg); }; }");
    room.locator(".qa-input").fill("Asked as its reply got lost");
    room.locator(".qa-send").click();
    assertThat(room.locator(".qa-note")).containsText("Thanks", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(15_000));
    assertThat(room.locator(".qa-panel")).hasAttribute("data-sent-via", "http");
    assertThat(question(room, "Asked as its reply got lost")).hasCount(1);
    org.assertj.core.api.Assertions.assertThat(await(server.server.pool()
        .preparedQuery("select count(*) from qa_questions where session_id = $1 and text = $2")
        .execute(io.vertx.sqlclient.Tuple.of(f.session(), "Asked as its reply got lost"))).iterator().next().getLong(0))
        .isEqualTo(1);
  }

  @Test
  void theModeratorViewWorksOnAPhone() {
    ProjectorApiTest.Fixture f = fixture(true);
    ask(f, f.remote(), "Remote: what about the systematic errors?", true);
    ask(f, f.inPerson(), "Room: is the code public?", false);
    Page phone = qaPage(f, "mod-" + f.slug() + "@example.org", 390, 844, null);
    // the queue first, room and remote questions in one list, who asked and when
    assertThat(phone.locator(".qa-filter-queue")).hasAttribute("aria-selected", "true");
    assertThat(phone.locator(".qa-filter-queue")).containsText("(2)");
    Locator remoteQ = question(phone, "Remote: what about the systematic errors?");
    Locator roomQ = question(phone, "Room: is the code public?");
    assertThat(remoteQ.locator(".qa-origin")).hasText("remote");
    assertThat(remoteQ.locator(".qa-author")).hasText("Rita Remote");
    assertThat(remoteQ.locator(".qa-anon")).isVisible();
    assertThat(remoteQ.locator(".qa-when")).containsText("just now");
    assertThat(roomQ.locator(".qa-origin")).hasText("in the room");
    assertThat(roomQ.locator(".qa-author")).hasText("Ian Inperson");
    org.assertj.core.api.Assertions.assertThat(phone.evaluate("() => document.documentElement.scrollWidth"))
        .isEqualTo(390);
    org.assertj.core.api.Assertions.assertThat(roomQ.locator(".qa-act-approve").boundingBox().height)
        .isGreaterThanOrEqualTo(44);

    // a new question arrives live
    ask(f, f.remote(), "Remote: a third one", false);
    assertThat(phone.locator(".qa-filter-queue")).containsText("(3)");
    // said to a screen reader, as is the moderator's own action below
    assertThat(phone.locator("#announce")).containsText("New question waiting for approval: “Remote: a third one”");

    roomQ.locator(".qa-act-approve").click();
    assertThat(phone.locator("#announce")).containsText("Approved: “Room: is the code public?");
    assertThat(phone.locator(".qa-filter-queue")).containsText("(2)");
    assertThat(phone.locator(".qa-filter-live")).containsText("(1)");
    // undo puts it back in the queue
    phone.locator(".qa-undo-button").click();
    assertThat(phone.locator(".qa-filter-queue")).containsText("(3)");
    assertThat(phone.locator(".qa-filter-live")).containsText("(0)");
    org.assertj.core.api.Assertions.assertThat(call(HttpMethod.GET, f.base() + "/questions", f.moderator(), null, 200)
        .getJsonArray("questions").stream().map(JsonObject.class::cast).filter(q -> q.getString("text").startsWith("Room"))
        .findFirst().orElseThrow().getString("status")).isEqualTo("pending");

    // approve and pin the remote one; attendees then see it
    remoteQ.locator(".qa-act-approve").click();
    phone.locator(".qa-filter-live").click();
    remoteQ.locator(".qa-act-pin").click();
    assertThat(remoteQ.locator(".qa-pinned")).isVisible();
    org.assertj.core.api.Assertions.assertThat(call(HttpMethod.GET, f.base() + "/questions", f.inPerson(), null, 200)
        .getJsonArray("questions").getJsonObject(0).getBoolean("pinned")).isTrue();
  }

  @Test
  void aRevokedProjectorLinkStopsWorking() {
    ProjectorApiTest.Fixture f = fixture(false);
    ask(f, f.inPerson(), "Is the dataset public?", false);
    JsonObject link = call(HttpMethod.POST, f.links(), f.moderator(), null, 201);
    Page projector = browser.page(1280, 720);
    projector.navigate(link.getString("url"));
    assertThat(projector.locator("#projector-next")).containsText("Is the dataset public?");
    assertThat(projector.locator(".projector-status")).containsText("Live");

    // revoked from the moderator view
    Page moderator = qaPage(f, "mod-" + f.slug() + "@example.org", 390, 844, "moderate");
    moderator.locator(".qa-projector-links summary").click();
    Locator row = moderator.locator(".qa-links li[data-link='" + link.getLong("id") + "']");
    row.locator(".qa-link-revoke").click();
    assertThat(moderator.locator(".qa-projector-links")).containsText("revoked");

    // the open projector hears of it and stops
    assertThat(projector.locator("#projector-revoked")).containsText("revoked");
    assertThat(projector.locator("#projector-next")).isEmpty();
    // and the link opens nothing any more
    Page again = browser.page(1280, 720);
    again.navigate(link.getString("url"));
    assertThat(again.locator("#projector-revoked")).containsText("revoked");
  }
}
