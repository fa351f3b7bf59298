package dev.confday.schedule;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A poster hanging in a poster session, as the schedule and its exports show it: its number on
 * the programme, its title, the label of its board and the area the board stands in.
 */
public record SessionPoster(int number, String title, String board, String area) {
  public SessionPoster {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(board, "board");
  }

  public JsonObject toJson() {
    return new JsonObject().put("number", number).put("title", title).put("board", board).put("area", area);
  }

  /** One line of an export's description: "#1 Title — board A1, Exhibit Hall 1". */
  String line() {
    return "#" + number + " " + title + " — board " + board + (area == null ? "" : ", " + area);
  }
}
