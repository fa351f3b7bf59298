package dev.confday.posters;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A poster as the poster hall shows it: the poster, its presenter's name and its board in each session. */
public record PosterEntry(Poster poster, String presenterName, List<Placement> placements) {

  public PosterEntry {
    placements = List.copyOf(placements);
  }

  public JsonObject toJson() {
    // previewUrl stays null until the upload work stores accepted PDFs and their previews
    return poster.toJson().put("presenter", presenterName).put("previewUrl", (String) null)
        .put("boards", new JsonArray(placements.stream().map(Placement::toJson).toList()));
  }
}
