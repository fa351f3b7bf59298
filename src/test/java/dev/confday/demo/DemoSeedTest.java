package dev.confday.demo;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.FreshServerTestBase;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo loads once, completely, whatever happened before: concurrent starts, an interrupted start. */
class DemoSeedTest extends FreshServerTestBase {
  static final Pattern LINK = Pattern.compile("^  (\\S.*?):\\s+(http://\\S+/login#token=(\\S+))$", Pattern.MULTILINE);

  @Test
  void printsOneWorkingLoginLinkPerRole() {
    String printed = await(DemoSeed.load(server.server));
    Matcher m = LINK.matcher(printed);
    List<String> roles = new java.util.ArrayList<>();
    while (m.find()) {
      roles.add(m.group(1));
      JsonObject session = await(server.server.events().startSession(m.group(3)));
      assertThat(session.getString("token")).as(m.group(1)).isNotBlank();
    }
    assertThat(roles).containsExactly("organizer", "moderator", "door-staff", "presenter",
        "attendee (in person)", "attendee (remote)");
  }

  @Test
  void printsTheAdminsOwnDeploymentWideLinkApart() {
    String printed = await(DemoSeed.load(server.server));
    Matcher m = Pattern.compile("^(http://\\S+/login#token=(\\S+))$", Pattern.MULTILINE).matcher(printed);
    assertThat(m.find()).as(printed).isTrue();
    JsonObject session = await(server.server.events().startSession(m.group(2)));
    assertThat(session.getBoolean("admin")).isTrue();
    assertThat(session.getString("event")).isNull();
    assertThat(m.find()).isFalse();
  }

  @Test
  void concurrentLoadsMakeOneCompleteDemo() {
    List<String> printed = await(Future.all(DemoSeed.load(server.server), DemoSeed.load(server.server)))
        .list();
    // the same people (each link is signed anew, so the tokens differ)
    assertThat(printed.get(0).replaceAll("#token=\\S+", "")).isEqualTo(printed.get(1).replaceAll("#token=\\S+", ""));
    assertThat(await(server.client.get("/api/events").send()).bodyAsJsonArray()).hasSize(1);
    assertDemoComplete();
  }

  @Test
  void halfLoadedDemoFromAnInterruptedStartIsLoadedAgain() {
    JsonObject demo = DemoSeed.data();
    // what a Ctrl-C right after the event row leaves behind
    Event partial = await(server.server.events().createEvent(NewEvent.fromJson(demo.getJsonObject("event"))));
    assertThat(await(server.server.events().people(partial.id()))).isEmpty();

    await(DemoSeed.load(server.server));

    assertDemoComplete();
  }

  private void assertDemoComplete() {
    String slug = DemoSeed.data().getJsonObject("event").getString("slug");
    Event event = await(server.server.events().event(slug));
    assertThat(await(server.server.events().people(event.id()))).hasSizeGreaterThanOrEqualTo(60);
    assertThat(await(server.server.posters().findPosters(event.id(), ""))).hasSize(30);
    assertThat(await(server.server.posters().boardsForSession(event.id(), PosterDemo.LAST_SESSION))).isNotEmpty();
    assertThat(await(server.client.get("/api/events/" + slug + "/schedule").send()).bodyAsJsonObject()
        .getJsonArray("sessions")).hasSizeGreaterThan(10);
  }
}
