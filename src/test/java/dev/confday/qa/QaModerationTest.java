package dev.confday.qa;

import static dev.confday.TestServer.await;
import static dev.confday.qa.QaApiTest.ask;
import static dev.confday.qa.QaApiTest.call;
import static dev.confday.qa.QaApiTest.fixture;
import static dev.confday.qa.QaApiTest.messages;
import static dev.confday.qa.QaApiTest.ok;
import static dev.confday.qa.QaApiTest.open;
import static dev.confday.qa.QaApiTest.questions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import dev.confday.live.LiveMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Editing, merging, muting, fair ordering, and who may do them. */
class QaModerationTest extends ServerTestBase {

  /** Registers {@code n} more attendees (alternately remote and in person) and answers their session tokens. */
  static List<String> voters(QaApiTest.Fixture f, String prefix, int n) {
    StringBuilder csv = new StringBuilder("name,email,ticket\n");
    for (int i = 0; i < n; i++) {
      csv.append(prefix).append(' ').append(i).append(',').append(prefix).append(i).append('-').append(f.slug())
          .append("@example.org,").append(i % 2 == 0 ? "Remote" : "In-person").append('\n');
    }
    await(QaApiTest.server.server.events().importRegistrations(f.eventId(), csv.toString()));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tokens.add(QaApiTest.server.sessionFor(f.slug(), prefix + i + "-" + f.slug() + "@example.org"));
    }
    return tokens;
  }

  static long personId(QaApiTest.Fixture f, String emailPrefix) {
    return await(QaApiTest.server.server.events().people(f.eventId())).stream()
        .filter(p -> p.email().startsWith(emailPrefix)).findFirst().orElseThrow().id();
  }

  static JsonObject question(QaApiTest.Fixture f, String token, long id) {
    return questions(f, token, "time").stream().filter(q -> q.getLong("id") == id).findFirst().orElseThrow();
  }

  @Test
  void aModeratorEditsATypoTheOriginalIsKeptForModeratorsAndUneditRestoresIt() {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "How do you calibarte the flux?", false).getLong("id");
    String path = f.base() + "/questions/" + id;
    JsonObject edit = new JsonObject().put("text", "How do you calibrate the flux?");
    // refusals first: nothing changes
    for (String token : List.of(f.inPerson(), f.remote(), other.moderator(), other.organizer())) {
      HttpResponse<Buffer> refused = call(HttpMethod.PATCH, path, token, edit);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(call(HttpMethod.PATCH, path, f.moderator(), new JsonObject().put("text", " ")).statusCode())
        .isEqualTo(400);
    assertThat(question(f, f.inPerson(), id).getBoolean("edited")).isFalse();

    JsonObject edited = ok(call(HttpMethod.PATCH, path, f.moderator(), edit), 200);
    assertThat(edited.getString("text")).isEqualTo("How do you calibrate the flux?");
    assertThat(edited.getString("originalText")).isEqualTo("How do you calibarte the flux?");
    assertThat(edited.getString("editedAt")).isNotBlank();
    // a second edit keeps the text as asked
    ok(call(HttpMethod.PATCH, path, f.moderator(), new JsonObject().put("text", "How do you calibrate fluxes?")), 200);
    JsonObject forMod = question(f, f.moderator(), id);
    assertThat(forMod.getString("originalText")).isEqualTo("How do you calibarte the flux?");
    JsonObject forRoom = question(f, f.inPerson(), id);
    assertThat(forRoom.getString("text")).isEqualTo("How do you calibrate fluxes?");
    assertThat(forRoom.getBoolean("edited")).isTrue();
    assertThat(forRoom.containsKey("originalText")).isFalse();
    List<LiveMessage> live = messages(QaService.topic(f.session()));
    JsonObject last = live.get(live.size() - 1).payload();
    assertThat(last.getString("type")).isEqualTo("question");
    assertThat(last.getJsonObject("question").getString("text")).isEqualTo("How do you calibrate fluxes?");
    assertThat(last.encode()).doesNotContain("calibarte");

    assertThat(call(HttpMethod.POST, path + "/unedit", f.inPerson(), null).statusCode()).isEqualTo(403);
    JsonObject undone = ok(call(HttpMethod.POST, path + "/unedit", f.moderator(), null), 200);
    assertThat(undone.getString("text")).isEqualTo("How do you calibarte the flux?");
    assertThat(undone.getBoolean("edited")).isFalse();
    assertThat(undone.containsKey("originalText")).isFalse();
  }

  @Test
  void mergingCombinesVotesCountingEachPersonOnceAndUnmergeRestoresTheDuplicatesOwnVotes() {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    List<String> v = voters(f, "voter", 1);
    long a = ask(f, f.remote(), "What limits the resolution?", false).getLong("id");
    long b = ask(f, f.inPerson(), "What sets the resolution limit?", false).getLong("id");
    String q = f.base() + "/questions/";
    for (String token : List.of(f.inPerson(), f.remote())) {
      ok(call(HttpMethod.PUT, q + a + "/vote", token, null), 200);
    }
    for (String token : List.of(f.remote(), v.get(0))) {
      ok(call(HttpMethod.PUT, q + b + "/vote", token, null), 200);
    }
    JsonObject into = new JsonObject().put("into", a);
    for (String token : List.of(f.inPerson(), other.moderator(), other.organizer())) {
      assertThat(call(HttpMethod.POST, q + b + "/merge", token, into).statusCode()).isEqualTo(403);
    }
    assertThat(call(HttpMethod.POST, q + b + "/merge", f.moderator(), new JsonObject().put("into", b)).statusCode())
        .isEqualTo(400);
    assertThat(call(HttpMethod.POST, q + b + "/merge", f.moderator(), new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(call(HttpMethod.POST, q + b + "/merge", f.moderator(), new JsonObject().put("into", 999999999))
        .statusCode()).isEqualTo(404);

    JsonObject merged = ok(call(HttpMethod.POST, q + b + "/merge", f.moderator(), into), 200);
    assertThat(merged.getString("status")).isEqualTo("merged");
    assertThat(merged.getLong("mergedInto")).isEqualTo(a);
    // the remote attendee voted for both: counted once
    assertThat(question(f, f.inPerson(), a).getLong("votes")).isEqualTo(3);
    assertThat(question(f, v.get(0), a).getBoolean("voted")).isTrue();
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id")).containsExactly(a);
    // attendees are told b is hidden, then get a with the combined count (coalesced vote messages may interleave)
    List<JsonObject> live = messages(QaService.topic(f.session())).stream().map(LiveMessage::payload)
        .filter(m -> !m.getString("type").equals("votes")).toList();
    assertThat(live.get(live.size() - 2)).isEqualTo(new JsonObject().put("type", "question-hidden").put("id", b));
    assertThat(live.get(live.size() - 1).getJsonObject("question").getLong("votes")).isEqualTo(3);
    // a merged question takes no votes, pins or other merges until unmerged
    assertThat(call(HttpMethod.PUT, q + b + "/vote", f.inPerson(), null).statusCode()).isEqualTo(404);
    assertThat(call(HttpMethod.POST, q + b + "/pin", f.moderator(), null).statusCode()).isEqualTo(409);
    // a vote's answer counts each person once over the question and its duplicates
    for (String token : List.of(f.remote(), v.get(0))) {
      JsonObject up = ok(call(HttpMethod.PUT, q + a + "/vote", token, null), 200);
      assertThat(up.getLong("votes")).isEqualTo(3);
      assertThat(up.getBoolean("voted")).isTrue();
      JsonObject down = ok(call(HttpMethod.DELETE, q + a + "/vote", token, null), 200);
      assertThat(down.getLong("votes")).isEqualTo(3); // still counted through the duplicate
      assertThat(down.getBoolean("voted")).isTrue();
    }
    ok(call(HttpMethod.PUT, q + a + "/vote", f.remote(), null), 200);
    assertThat(call(HttpMethod.POST, q + a + "/merge", f.moderator(), new JsonObject().put("into", b)).statusCode())
        .isEqualTo(409);
    assertThat(call(HttpMethod.POST, q + a + "/unmerge", f.moderator(), null).statusCode()).isEqualTo(409);
    assertThat(call(HttpMethod.POST, q + b + "/unmerge", f.inPerson(), null).statusCode()).isEqualTo(403);

    JsonObject back = ok(call(HttpMethod.POST, q + b + "/unmerge", f.moderator(), null), 200);
    assertThat(back.getString("status")).isEqualTo("visible");
    assertThat(back.getLong("votes")).isEqualTo(2);
    assertThat(back.containsKey("mergedInto")).isFalse();
    assertThat(question(f, f.inPerson(), a).getLong("votes")).isEqualTo(2);
    assertThat(question(f, v.get(0), a).getBoolean("voted")).isFalse();
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id")).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void aMutedPersonsNewQuestionsAreRefusedWith403UntilUnmuted() {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    long room = personId(f, "room-");
    String mute = f.base() + "/mutes/" + room;
    for (String token : List.of(f.inPerson(), f.remote(), other.moderator(), other.organizer())) {
      assertThat(call(HttpMethod.PUT, mute, token, null).statusCode()).isEqualTo(403);
    }
    assertThat(call(HttpMethod.GET, f.base() + "/mutes", f.inPerson(), null).statusCode()).isEqualTo(403);
    // only people of this event
    assertThat(call(HttpMethod.PUT, f.base() + "/mutes/" + personId(other, "room-"), f.moderator(), null)
        .statusCode()).isEqualTo(404);
    long before = ask(f, f.inPerson(), "Before the mute", false).getLong("id");

    JsonObject muted = ok(call(HttpMethod.PUT, mute, f.moderator(), null), 200);
    assertThat(muted.getBoolean("muted")).isTrue();
    assertThat(muted.getString("name")).isEqualTo("Ian Inperson");
    ok(call(HttpMethod.PUT, mute, f.moderator(), null), 200);
    HttpResponse<Buffer> refused = call(HttpMethod.POST, f.base() + "/questions", f.inPerson(),
        new JsonObject().put("text", "Muted?"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/muted");
    // reading and voting go on; others still ask
    ok(call(HttpMethod.PUT, f.base() + "/questions/" + before + "/vote", f.inPerson(), null), 200);
    ask(f, f.remote(), "Not muted", false);
    JsonObject list = ok(call(HttpMethod.GET, f.base() + "/mutes", f.moderator(), null), 200);
    assertThat(list.getJsonArray("mutes")).hasSize(1);
    assertThat(list.getJsonArray("mutes").getJsonObject(0).getLong("personId")).isEqualTo(room);
    assertThat(messages(QaService.moderationTopic(f.session()))).extracting(m -> m.payload().getString("type"))
        .contains("mute");
    assertThat(messages(QaService.topic(f.session()))).extracting(m -> m.payload().getString("type"))
        .doesNotContain("mute");

    assertThat(call(HttpMethod.DELETE, mute, f.inPerson(), null).statusCode()).isEqualTo(403);
    assertThat(ok(call(HttpMethod.DELETE, mute, f.moderator(), null), 200).getBoolean("muted")).isFalse();
    ask(f, f.inPerson(), "After the mute", false);
    assertThat(ok(call(HttpMethod.GET, f.base() + "/mutes", f.moderator(), null), 200).getJsonArray("mutes"))
        .isEmpty();
  }

  @Test
  void fairOrderingLetsRoomAndRemoteQuestionsTakeTurns() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    List<String> v = voters(f, "fan", 3);
    long r1 = ask(f, f.remote(), "Remote one", false).getLong("id");
    long r2 = ask(f, f.remote(), "Remote two", false).getLong("id");
    long r3 = ask(f, f.remote(), "Remote three", false).getLong("id");
    long m1 = ask(f, f.inPerson(), "Room one", false).getLong("id");
    long m2 = ask(f, f.inPerson(), "Room two", false).getLong("id");
    String q = f.base() + "/questions/";
    for (int i = 0; i < 3; i++) {
      ok(call(HttpMethod.PUT, q + r1 + "/vote", v.get(i), null), 200);
    }
    for (int i = 0; i < 2; i++) {
      ok(call(HttpMethod.PUT, q + r2 + "/vote", v.get(i), null), 200);
    }
    ok(call(HttpMethod.PUT, q + r3 + "/vote", v.get(0), null), 200);
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id"))
        .containsExactly(r1, r2, r3, m1, m2);
    assertThat(call(HttpMethod.PUT, f.base() + "/qa", f.inPerson(), new JsonObject().put("fairOrder", true))
        .statusCode()).isEqualTo(403);
    JsonObject qa = ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("fairOrder", true)),
        200);
    assertThat(qa.getBoolean("fairOrder")).isTrue();
    assertThat(qa.getString("state")).isEqualTo("open");
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id"))
        .containsExactly(r1, m1, r2, m2, r3);
    assertThat(questions(f, f.moderator(), "time")).extracting(x -> x.getLong("id"))
        .containsExactly(m2, r3, m1, r2, r1);
    // the pinned question leads, the others still take turns
    ok(call(HttpMethod.POST, q + m2 + "/pin", f.moderator(), null), 200);
    assertThat(questions(f, f.inPerson(), "votes")).extracting(x -> x.getLong("id"))
        .containsExactly(m2, r1, m1, r2, r3);
    assertThat(ok(call(HttpMethod.GET, f.base() + "/qa", f.inPerson(), null), 200).getBoolean("fairOrder")).isTrue();
  }

  @Test
  void moderatorsSeeWhoAskedAndWhenEvenForAnonymousQuestions() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    JsonObject asked = ask(f, f.remote(), "Anonymous but not to moderators", true);
    JsonObject forMod = question(f, f.moderator(), asked.getLong("id"));
    assertThat(forMod.getJsonObject("author").getString("name")).isEqualTo("Rita Remote");
    assertThat(forMod.getJsonObject("author").getLong("personId")).isEqualTo(f.remoteId());
    assertThat(forMod.getString("askedAt")).isEqualTo(asked.getString("askedAt"));
    assertThat(forMod.getString("origin")).isEqualTo("remote");
    JsonObject live = messages(QaService.moderationTopic(f.session())).stream()
        .filter(m -> "question".equals(m.payload().getString("type"))).findFirst().orElseThrow().payload()
        .getJsonObject("question");
    assertThat(live.getJsonObject("author").getString("name")).isEqualTo("Rita Remote");
    assertThat(live.getString("askedAt")).isNotBlank();
    assertThat(question(f, f.inPerson(), asked.getLong("id")).containsKey("author")).isFalse();
  }

  @Test
  void aClosedQaTakesNoVotes() {
    QaApiTest.Fixture f = fixture();
    open(f, false);
    long id = ask(f, f.remote(), "Vote while you can", false).getLong("id");
    String vote = f.base() + "/questions/" + id + "/vote";
    ok(call(HttpMethod.PUT, vote, f.inPerson(), null), 200);
    ok(call(HttpMethod.PUT, f.base() + "/qa", f.moderator(), new JsonObject().put("state", "closed")), 200);
    HttpResponse<Buffer> closed = call(HttpMethod.PUT, vote, f.remote(), null);
    assertThat(closed.statusCode()).isEqualTo(409);
    assertThat(closed.bodyAsJsonObject().getString("type")).endsWith("qa-closed");
    assertThat(call(HttpMethod.DELETE, vote, f.inPerson(), null).statusCode()).isEqualTo(409);
    assertThat(question(f, f.moderator(), id).getLong("votes")).isEqualTo(1);
  }
}
