package dev.confday.posters;

import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What to auto-assign: the poster session, optionally one area (default: every area, in area
 * order), optionally which posters (by track or by number; default: all posters of the event).
 * {@code tracks} also sets the order of the track groups along the walk.
 */
public record AutoAssignRequest(String session, Long areaId, List<String> tracks, List<Integer> numbers) {

  public AutoAssignRequest {
    session = session == null ? null : session.trim();
    tracks = tracks == null ? List.of() : List.copyOf(tracks);
    numbers = numbers == null ? List.of() : List.copyOf(numbers);
    Validation v = new Validation();
    checkSessionRef(v, session);
    v.check(tracks.size() <= 100, "tracks", "has more than 100 tracks")
        .check(numbers.size() <= 10_000, "numbers", "has more than 10000 numbers")
        .throwIfInvalid();
  }

  /** A poster session reference: a schedule session key or id, 1 to 64 letters, digits, '.', '_', ':' or '-'. */
  static void checkSessionRef(Validation v, String ref) {
    v.check(ref != null && ref.matches("[A-Za-z0-9._:-]{1,64}"), "session",
        "must be the poster session's key or id (1-64 letters, digits, '.', '_', ':', '-')");
  }

  public static AutoAssignRequest fromJson(JsonObject json) {
    try {
      Number area = json.getNumber("area");
      List<String> tracks = new ArrayList<>();
      json.getJsonArray("tracks", new JsonArray()).forEach(t -> tracks.add(String.valueOf(t)));
      List<Integer> numbers = new ArrayList<>();
      json.getJsonArray("numbers", new JsonArray()).forEach(n -> numbers.add(((Number) n).intValue()));
      return new AutoAssignRequest(json.getString("session"), area == null ? null : area.longValue(), tracks, numbers);
    } catch (ClassCastException e) {
      throw ApiError.badRequest("Auto-assign takes session (text), and optionally area (id), tracks (list of "
          + "names) and numbers (list of poster numbers).");
    }
  }
}
