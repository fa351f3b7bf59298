package dev.confday.qa;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One question of a session's Q&A, with its vote count as seen by one person (its own votes and
 * those of the duplicates merged into it, each person once). {@code originalText} is the text as
 * asked when a moderator edited it (else null); {@code mergedInto} the question a duplicate was
 * merged into (else null).
 */
record Question(long id, long sessionId, long personId, String author, String text, boolean anonymous, String origin,
    String status, boolean pinned, boolean answered, Instant askedAt, long votes, boolean voted, String originalText,
    Instant editedAt, Long mergedInto) {

  /**
   * The question for moderators (author and time always, the original text of an edited one, the
   * question a duplicate was merged into) or for attendees, who never see who asked an anonymous
   * question; {@code viewer} is the person looking (their own question is marked).
   */
  JsonObject toJson(boolean moderator, long viewer) {
    JsonObject json = new JsonObject().put("id", id).put("sessionId", sessionId).put("text", text)
        .put("anonymous", anonymous).put("origin", origin).put("status", status).put("pinned", pinned)
        .put("answered", answered).put("askedAt", askedAt.toString()).put("votes", votes).put("voted", voted)
        .put("edited", originalText != null);
    if (moderator || !anonymous) {
      json.put("author", new JsonObject().put("personId", personId).put("name", author));
    }
    if (moderator && originalText != null) {
      json.put("originalText", originalText).put("editedAt", editedAt.toString());
    }
    if (moderator && mergedInto != null) {
      json.put("mergedInto", mergedInto);
    }
    if (viewer != 0) {
      json.put("mine", viewer == personId);
    }
    return json;
  }
}
