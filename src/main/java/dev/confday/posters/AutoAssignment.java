package dev.confday.posters;

import dev.confday.http.ApiError;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The automatic board plan of one poster session: posters grouped by track, the groups one
 * after another along the walking order, posters by number inside a group. Pure: the service
 * loads posters and boards and writes the answer.
 */
public final class AutoAssignment {
  private AutoAssignment() {
  }

  /**
   * Plans {@code posters} onto {@code boards} (already in walking order). Tracks named in
   * {@code trackOrder} come first, in that order; the others follow in the order of their
   * lowest poster number, so the plan is the same every time it is run on the same data.
   * Fails with 409 {@code not-enough-boards} when there are more posters than boards.
   */
  public static List<Assignment> plan(String sessionRef, List<Poster> posters, List<Board> boards,
      List<String> trackOrder) {
    if (posters.size() > boards.size()) {
      int missing = posters.size() - boards.size();
      throw new ApiError(409, "not-enough-boards", "Not enough boards",
          posters.size() + " posters need a board but there " + (boards.size() == 1 ? "is " : "are ")
              + boards.size() + "; add " + missing + " more board" + (missing == 1 ? "" : "s")
              + " or place fewer posters in this session.",
          new JsonObject().put("posters", posters.size()).put("boards", boards.size()).put("missing", missing));
    }
    List<Assignment> plan = new ArrayList<>();
    int next = 0;
    for (List<Poster> group : groupsByTrack(posters, trackOrder)) {
      for (Poster p : group) {
        plan.add(new Assignment(sessionRef, p.id(), boards.get(next++).id()));
      }
    }
    return plan;
  }

  static List<List<Poster>> groupsByTrack(List<Poster> posters, List<String> trackOrder) {
    List<Poster> byNumber = new ArrayList<>(posters);
    byNumber.sort(Comparator.comparingInt(Poster::number));
    Map<String, List<Poster>> groups = new LinkedHashMap<>();
    for (String track : trackOrder) {
      groups.put(key(track), new ArrayList<>());
    }
    // posters sorted by number, so unnamed tracks are met in the order of their lowest number
    for (Poster p : byNumber) {
      groups.computeIfAbsent(key(p.track()), k -> new ArrayList<>()).add(p);
    }
    return groups.values().stream().filter(g -> !g.isEmpty()).toList();
  }

  private static String key(String track) {
    return Objects.requireNonNullElse(track, "").trim().toLowerCase();
  }
}
