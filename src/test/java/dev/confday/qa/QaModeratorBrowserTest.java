package dev.confday.qa;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.confday.qa.QaBrowserTest.ask;
import static dev.confday.qa.QaBrowserTest.call;
import static dev.confday.qa.QaBrowserTest.question;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.confday.Browser;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The moderator's edit, merge, mute and fair-order controls on a phone (390 px), seen live on attendees' pages. */
class QaModeratorBrowserTest {
  @BeforeAll
  static void start() {
    QaBrowserTest.start();
  }

  @AfterAll
  static void stop() {
    QaBrowserTest.stop();
  }

  static Page page(ProjectorApiTest.Fixture f, String who, String view) {
    return QaBrowserTest.qaPage(f, who + "-" + f.slug() + "@example.org", 390, 844, view);
  }

  /** Measured in the page in one go: a live redraw may replace the element between two Playwright calls. */
  static void atLeast44(Locator target) {
    assertThat(target).isVisible();
    Object size = target.evaluate("e => { const r = e.getBoundingClientRect(); return Math.min(r.width, r.height); }");
    org.assertj.core.api.Assertions.assertThat(((Number) size).doubleValue()).isGreaterThanOrEqualTo(44);
  }

  @Test
  void aModeratorEditsMergesMutesAndUndoesAMergeOnAPhone() {
    ProjectorApiTest.Fixture f = QaBrowserTest.fixture(false);
    ask(f, f.remote(), "How does the detektor work?", false);
    long target = ask(f, f.inPerson(), "Is the code public?", false);
    long duplicate = ask(f, f.remote(), "Will the code be published?", false);
    call(HttpMethod.PUT, f.base() + "/questions/" + target + "/vote", f.remote(), null, 200);
    call(HttpMethod.PUT, f.base() + "/questions/" + duplicate + "/vote", f.inPerson(), null, 200);

    Page room = page(f, "room", null);
    assertThat(room.locator(".qa-panel .live-status")).containsText("Live");
    Page mod = page(f, "mod", "moderate");
    assertThat(mod.locator(".qa-settings .live-status")).containsText("Live");

    // edit a typo, by keyboard only
    Locator typo = question(mod, "How does the detektor work?");
    Locator edit = typo.locator(".qa-act-edit");
    atLeast44(edit);
    edit.focus();
    mod.keyboard().press("Enter");
    Locator input = typo.locator(".qa-edit-input");
    assertThat(input).isFocused();
    input.fill("How does the detector work?");
    mod.keyboard().press("Tab");
    assertThat(typo.locator(".qa-edit-save")).isFocused();
    atLeast44(typo.locator(".qa-edit-save"));
    mod.keyboard().press("Enter");
    Locator edited = question(mod, "How does the detector work?");
    assertThat(edited.locator(".qa-edited")).isVisible();
    // the moderator still sees the text as asked
    assertThat(edited.locator(".qa-original")).containsText("How does the detektor work?");
    assertThat(mod.locator("#announce")).containsText("Edited: “How does the detector work?”");
    // attendees see the new text live, marked edited, never the original
    Locator seen = question(room, "How does the detector work?");
    assertThat(seen.locator(".qa-edited")).hasText("edited");
    org.assertj.core.api.Assertions.assertThat(room.locator(".qa-list").innerText()).doesNotContain("detektor");

    // merge the duplicate: it disappears and its votes show on the target, each person once
    Locator dup = question(mod, "Will the code be published?");
    atLeast44(dup.locator(".qa-act-merge"));
    dup.locator(".qa-act-merge").click();
    dup.locator(".qa-merge-into").selectOption(String.valueOf(target));
    dup.locator(".qa-merge-save").click();
    assertThat(mod.locator("#announce")).containsText("Merged “Will the code be published?” into “Is the code public?”");
    assertThat(question(mod, "Will the code be published?")).hasCount(0);
    assertThat(question(mod, "Is the code public?").locator(".qa-votes")).hasText("2 votes");
    assertThat(question(room, "Will the code be published?")).hasCount(0);
    assertThat(question(room, "Is the code public?").locator(".qa-count")).hasText("2");

    // undo the merge: the duplicate is back with its own vote, the target loses it
    atLeast44(mod.locator(".qa-undo-button"));
    mod.locator(".qa-undo-button").click();
    assertThat(question(mod, "Will the code be published?").locator(".qa-votes")).hasText("1 vote");
    assertThat(question(mod, "Is the code public?").locator(".qa-votes")).hasText("1 vote");
    assertThat(question(room, "Will the code be published?").locator(".qa-count")).hasText("1");
    assertThat(question(room, "Is the code public?").locator(".qa-count")).hasText("1");

    // mute the remote attendee: their next question is refused with a clear message
    Locator mute = question(mod, "Will the code be published?").locator(".qa-act-mute");
    assertThat(mute).hasText("Mute Rita Remote");
    atLeast44(mute);
    mute.click();
    assertThat(mod.locator("#announce")).containsText("Muted Rita Remote in this session");
    assertThat(question(mod, "Will the code be published?").locator(".qa-act-unmute")).hasText("Unmute Rita Remote");
    org.assertj.core.api.Assertions.assertThat(call(HttpMethod.GET, f.base() + "/mutes", f.moderator(), null, 200)
        .getJsonArray("mutes")).hasSize(1);
    Page remote = page(f, "remote", null);
    remote.locator(".qa-input").fill("One more from me?");
    remote.locator(".qa-send").click();
    assertThat(remote.locator(".qa-note")).containsText("A moderator muted you in this session's Q&A");
    assertThat(remote.locator(".qa-note")).hasClass(java.util.regex.Pattern.compile("error"));

    // fair ordering, with its undo: room and remote questions take turns on everyone's page
    ask(f, f.inPerson(), "Room: one more?", false);
    Locator texts = room.locator(".qa-question .qa-text");
    String[] byVotes = {"Is the code public?", "Will the code be published?", "How does the detector work?", "Room: one more?"};
    assertThat(texts).hasText(byVotes);
    mod.locator(".qa-fair-order").check();
    assertThat(texts).hasText(new String[] {"Is the code public?", "Will the code be published?", "Room: one more?",
        "How does the detector work?"});
    assertThat(mod.locator("#announce")).containsText("Fair order on");
    org.assertj.core.api.Assertions.assertThat(call(HttpMethod.GET, f.base() + "/qa", f.moderator(), null, 200)
        .getBoolean("fairOrder")).isTrue();
    mod.locator(".qa-undo-button").click();
    assertThat(mod.locator(".qa-fair-order")).not().isChecked();
    assertThat(texts).hasText(byVotes);
    org.assertj.core.api.Assertions.assertThat(call(HttpMethod.GET, f.base() + "/qa", f.moderator(), null, 200)
        .getBoolean("fairOrder")).isFalse();
    org.assertj.core.api.Assertions.assertThat(mod.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(390);
  }
}
