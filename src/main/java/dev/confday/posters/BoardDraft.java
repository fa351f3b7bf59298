package dev.confday.posters;

import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One board as the organizer places it on a plan; {@link #listFromJson} validates a whole layout. */
public record BoardDraft(String label, double x, double y, double width, double height, int walkOrder) {
  static final int MAX_BOARDS = 2000;

  public BoardDraft {
    label = label == null ? null : label.trim();
    new Validation()
        .required(label, "label", 16)
        .check(Double.isFinite(x) && Double.isFinite(y), "x", "x and y must be numbers")
        .check(width > 0 && height > 0, "width", "width and height must be above 0")
        .throwIfInvalid();
  }

  /**
   * Reads {@code {"boards": [{label, x, y, width, height, walkOrder?}]}}. Without walkOrder the
   * list order is the walking order. Labels must be unique.
   */
  public static List<BoardDraft> listFromJson(JsonObject body) {
    JsonArray list = body.getJsonArray("boards");
    if (list == null) {
      throw ApiError.validation("boards", "is required: a list of {label, x, y, width, height, walkOrder}");
    }
    if (list.size() > MAX_BOARDS) {
      throw ApiError.validation("boards", "has more than " + MAX_BOARDS + " boards");
    }
    List<BoardDraft> boards = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    Set<Integer> orders = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      BoardDraft b;
      try {
        JsonObject o = list.getJsonObject(i);
        b = new BoardDraft(o.getString("label"), number(o, "x"), number(o, "y"), number(o, "width"),
            number(o, "height"), o.getInteger("walkOrder", i + 1));
      } catch (ClassCastException | NullPointerException e) {
        throw ApiError.validation("boards[" + i + "]", "needs label (text) and x, y, width, height (numbers)");
      } catch (ApiError e) {
        throw ApiError.validation("boards[" + i + "]", e.detail());
      }
      if (!labels.add(b.label().toLowerCase())) {
        throw ApiError.validation("boards[" + i + "]", "label " + b.label() + " is used twice");
      }
      if (!orders.add(b.walkOrder())) {
        throw ApiError.validation("boards[" + i + "]", "walkOrder " + b.walkOrder() + " is used twice");
      }
      boards.add(b);
    }
    return boards;
  }

  private static double number(JsonObject o, String key) {
    return o.getNumber(key).doubleValue();
  }
}
