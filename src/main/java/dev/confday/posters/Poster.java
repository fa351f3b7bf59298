package dev.confday.posters;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A poster of an event: its number on the programme, title, track, authors and presenter. */
public record Poster(long id, long eventId, int number, String title, String abstractText, String track,
    List<String> authors, Long presenterId, boolean remote) {

  public Poster {
    authors = List.copyOf(authors);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("number", number).put("title", title).put("abstract", abstractText)
        .put("track", track).put("authors", new JsonArray(authors)).put("presenterId", presenterId)
        .put("remote", remote);
  }
}
