package dev.confday.demo;

import dev.confday.events.Event;
import dev.confday.events.EventService;
import dev.confday.events.Person;
import dev.confday.posters.AutoAssignRequest;
import dev.confday.posters.BoardDraft;
import dev.confday.posters.FloorPlan;
import dev.confday.posters.NewArea;
import dev.confday.posters.NewPoster;
import dev.confday.posters.PosterService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's posters, through {@link PosterService}: the 30 posters of ml4astro.json, the
 * "Exhibit Hall 1" area with its SVG plan and 36 boards (demo/exhibit-hall-1.json), and the
 * automatic board plan of both poster sessions (session I: Galaxies, Cosmology, Time-domain;
 * session II: the other two tracks), referenced by their schedule keys "posters-1" and
 * "posters-2".
 */
final class PosterDemo {
  /** The poster session assigned last (exhibit-hall-1.json): its plan marks a finished demo. */
  static final String LAST_SESSION = "posters-2";

  private PosterDemo() {
  }

  static Future<Void> fill(PosterService posters, EventService events, Event event, JsonObject demo) {
    JsonObject hall = new JsonObject(Buffer.buffer(resource("demo/exhibit-hall-1.json")));
    return events.people(event.id())
        .compose(people -> addPosters(posters, event, demo.getJsonArray("posters"), people))
        .compose(v -> posters.createArea(event.id(), new NewArea(hall.getString("name"), 0, 1200, 800)))
        .compose(area -> posters.uploadPlan(event.id(), event.slug(), area.id(), FloorPlan.SVG,
            Buffer.buffer(resource(hall.getString("plan")))))
        .compose(area -> posters.replaceBoards(event.id(), event.slug(), area.id(), BoardDraft.listFromJson(hall)))
        .compose(boards -> assignSessions(posters, event, hall.getJsonArray("sessions")));
  }

  private static Future<Void> addPosters(PosterService posters, Event event, JsonArray list, List<Person> people) {
    Map<String, Long> ids = people.stream().collect(Collectors.toMap(p -> p.email().toLowerCase(), Person::id));
    Future<Void> chain = Future.succeededFuture();
    for (Object o : list) {
      JsonObject p = (JsonObject) o;
      List<String> authors = new ArrayList<>();
      p.getJsonArray("authors", new JsonArray()).forEach(a -> authors.add(String.valueOf(a)));
      Long presenter = ids.get(p.getString("presenterEmail", "").toLowerCase());
      NewPoster poster = new NewPoster(p.getInteger("number"), p.getString("title"), p.getString("abstract"),
          p.getString("track"), authors, presenter, p.getBoolean("remote", false));
      chain = chain.compose(v -> posters.createPoster(event.id(), poster).mapEmpty());
    }
    return chain;
  }

  private static Future<Void> assignSessions(PosterService posters, Event event, JsonArray sessions) {
    Future<Void> chain = Future.succeededFuture();
    for (Object o : sessions) {
      JsonObject s = (JsonObject) o;
      List<String> tracks = new ArrayList<>();
      s.getJsonArray("tracks").forEach(t -> tracks.add(String.valueOf(t)));
      AutoAssignRequest request = new AutoAssignRequest(s.getString("ref"), null, tracks, List.of());
      chain = chain.compose(v -> posters.autoAssign(event.id(), event.slug(), request).mapEmpty());
    }
    return chain;
  }

  private static byte[] resource(String name) {
    try (InputStream in = PosterDemo.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
