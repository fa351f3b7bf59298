package dev.confday.qa;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One question of a session's Q&A, with its vote count as seen by one person. */
record Question(long id, long sessionId, long personId, String author, String text, boolean anonymous, String origin,
    String status, boolean pinned, boolean answered, Instant askedAt, long votes, boolean voted) {

  /**
   * The question for moderators (author and time always) or for attendees, who never see who
   * asked an anonymous question; {@code viewer} is the person looking (their own question is marked).
   */
  JsonObject toJson(boolean moderator, long viewer) {
    JsonObject json = new JsonObject().put("id", id).put("sessionId", sessionId).put("text", text)
        .put("anonymous", anonymous).put("origin", origin).put("status", status).put("pinned", pinned)
        .put("answered", answered).put("askedAt", askedAt.toString()).put("votes", votes).put("voted", voted);
    if (moderator || !anonymous) {
      json.put("author", new JsonObject().put("personId", personId).put("name", author));
    }
    if (viewer != 0) {
      json.put("mine", viewer == personId);
    }
    return json;
  }
}
