package dev.confday.posters;

import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A poster to create, as the organizer (or the demo) gives it; validates itself. */
public record NewPoster(int number, String title, String abstractText, String track, List<String> authors,
    Long presenterId, boolean remote) {

  public NewPoster {
    authors = authors == null ? List.of() : authors.stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
    track = track == null || track.isBlank() ? null : track.trim();
    title = title == null ? null : title.trim();
    new Validation()
        .check(number > 0 && number < 100_000, "number", "must be a whole number from 1 to 99999")
        .required(title, "title", 300)
        .check(abstractText == null || abstractText.length() <= 5000, "abstract", "is longer than 5000 characters")
        .check(track == null || track.length() <= 100, "track", "is longer than 100 characters")
        .check(authors.size() <= 100, "authors", "has more than 100 names")
        .check(authors.stream().allMatch(a -> a.length() <= 200), "authors", "has a name longer than 200 characters")
        .throwIfInvalid();
  }

  public static NewPoster fromJson(JsonObject json) {
    try {
      JsonArray names = json.getJsonArray("authors", new JsonArray());
      List<String> authors = new ArrayList<>();
      names.forEach(n -> authors.add(String.valueOf(n)));
      Number presenter = json.getNumber("presenterId");
      return new NewPoster(json.getInteger("number", 0), json.getString("title"), json.getString("abstract"),
          json.getString("track"), authors, presenter == null ? null : presenter.longValue(),
          json.getBoolean("remote", false));
    } catch (ClassCastException e) {
      throw ApiError.badRequest("A poster needs number (integer), title, track, abstract (text), authors "
          + "(list of names), presenterId (integer) and remote (true/false).");
    }
  }
}
