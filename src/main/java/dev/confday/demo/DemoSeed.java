package dev.confday.demo;

import dev.confday.Server;
import dev.confday.auth.Role;
import dev.confday.db.AdvisoryLock;
import dev.confday.events.Event;
import dev.confday.events.EventService;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.events.Person;
import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo event (modelled on the ICML 2023 "Machine Learning for Astrophysics"
 * workshop; all people fictional) on first start, through the same services the API uses, and
 * returns one login link per role. Safe to run on every start, after an interrupted start and
 * from several instances at once.
 */
public final class DemoSeed {
  private static final Logger LOG = LoggerFactory.getLogger(DemoSeed.class);
  /** Advisory lock key of demo loading ("demo" in ASCII). */
  private static final long LOCK_KEY = 0x64656d6fL;

  private DemoSeed() {
  }

  public static JsonObject data() {
    return new JsonObject(Buffer.buffer(resource("demo/ml4astro.json")));
  }

  /**
   * Seeds when the demo event is missing or was left half-loaded (a start interrupted while
   * loading); answers with the login links to print. Instances starting together take turns
   * through an advisory lock, so the second one finds the finished demo.
   */
  public static Future<String> load(Server server) {
    return AdvisoryLock.withLock(server.pool(), LOCK_KEY, () -> loadLocked(server, null));
  }

  /**
   * As {@link #load(Server)}, and then places the demo day so that it is under way at the
   * clock's now in the event's time zone: the whole programme moves in time, shape kept,
   * whenever no room runs a session now (a later day, or the day over), to the first moment
   * as many rooms run as ever do.
   * The run command does this at every start; the tests that need the published 2023 dates
   * use {@link #load(Server)}.
   */
  public static Future<String> loadUnderWay(Server server, Clock clock) {
    return AdvisoryLock.withLock(server.pool(), LOCK_KEY, () -> loadLocked(server, clock));
  }

  private static Future<String> loadLocked(Server server, Clock clock) {
    EventService events = server.events();
    JsonObject demo = data();
    NewEvent newEvent = NewEvent.fromJson(demo.getJsonObject("event"));
    return events.event(newEvent.slug())
        .compose(existing -> isComplete(server, existing, demo).compose(complete -> {
          if (complete) {
            return Future.succeededFuture(existing);
          }
          LOG.warn("The demo event {} was left half-loaded; loading it again", existing.slug());
          return events.deleteEvent(existing.id()).compose(v -> create(server, newEvent, demo));
        }), t -> t instanceof ApiError e && e.status() == 404
            ? create(server, newEvent, demo) : Future.failedFuture(t))
        .compose(event -> events.markDemo(event.id()).map(event))
        .compose(event -> clock == null ? Future.succeededFuture(event) : underWay(server, event, clock))
        .compose(event -> links(events, event, demo));
  }

  private static Future<Event> underWay(Server server, Event event, Clock clock) {
    Instant now = clock.instant();
    return DemoSchedule.keepUnderWay(server.schedule(), event, now).compose(by -> {
      if (!by.isZero()) {
        LOG.info("Demo day moved by {} so that it is under way now ({} in {})", by,
            now.atZone(event.zone()).toLocalDateTime().withNano(0), event.timeZone());
      }
      // the event again: its days moved with the programme
      return server.events().event(event.slug());
    });
  }

  private static Future<Event> create(Server server, NewEvent newEvent, JsonObject demo) {
    EventService events = server.events();
    return events.createEvent(newEvent)
        .compose(event -> fill(server, event, demo).map(event)
            // a half-loaded demo is removed so that the next start loads it again
            .recover(t -> events.deleteEvent(event.id()).compose(v -> Future.failedFuture(t))));
  }

  /** The last step of {@link #fill} is the board plan of the last poster session. */
  private static Future<Boolean> isComplete(Server server, Event event, JsonObject demo) {
    Map<String, Object> wanted = demo.getJsonObject("loginLinksFor").getMap();
    return server.events().people(event.id())
        .map(people -> people.stream().map(p -> p.email().toLowerCase()).collect(Collectors.toSet())
            .containsAll(wanted.values().stream().map(e -> String.valueOf(e).toLowerCase()).toList()))
        .compose(people -> !people ? Future.succeededFuture(false)
            : server.posters().boardsForSession(event.id(), PosterDemo.LAST_SESSION).map(b -> !b.isEmpty())
                // no such poster session yet: the schedule was not loaded either
                .recover(t -> t instanceof ApiError e && e.status() == 404
                    ? Future.succeededFuture(false) : Future.failedFuture(t)));
  }

  private static Future<Void> fill(Server server, Event event, JsonObject demo) {
    EventService events = server.events();
    LOG.info("Loading demo event {}", event.slug());
    Future<Void> chain = Future.succeededFuture();
    for (Object room : demo.getJsonArray("rooms")) {
      chain = chain.compose(v -> events.addRoom(event.id(), NewRoom.fromJson((JsonObject) room)).mapEmpty());
    }
    String csv = new String(resource("demo/registrations.csv"), StandardCharsets.UTF_8);
    chain = chain.compose(v -> events.importRegistrations(event.id(), csv).mapEmpty());
    JsonObject admin = demo.getJsonObject("admin");
    chain = chain.compose(v -> events.addPerson(event.id(), admin.getString("email"), admin.getString("name"),
        admin.getString("affiliation"), Role.ORGANIZER)).compose(events::makeAdmin);
    for (Object o : demo.getJsonArray("roles")) {
      JsonObject grant = (JsonObject) o;
      chain = chain.compose(v -> events.people(event.id())).compose(people -> {
        Person p = people.stream().filter(x -> x.email().equalsIgnoreCase(grant.getString("email"))).findFirst()
            .orElseThrow(() -> new IllegalStateException("demo person missing: " + grant.getString("email")));
        Future<Void> g = Future.succeededFuture();
        for (Object role : grant.getJsonArray("roles")) {
          g = g.compose(v -> events.addPerson(event.id(), p.email(), p.name(), p.affiliation(),
              Role.fromWire((String) role)).mapEmpty());
        }
        return g;
      });
    }
    chain = chain.compose(v -> DemoSchedule.load(server.schedule(), events, event, demo.getJsonArray("sessions")));
    chain = chain.compose(v -> PosterDemo.fill(server.posters(), events, event, demo));
    return chain;
  }

  private static Future<String> links(EventService events, Event event, JsonObject demo) {
    Map<String, Object> wanted = demo.getJsonObject("loginLinksFor").getMap();
    return events.people(event.id()).compose(people -> {
      Map<String, Person> byEmail = people.stream().collect(Collectors.toMap(p -> p.email().toLowerCase(), p -> p));
      StringBuilder out = new StringBuilder();
      out.append("\nDemo event '").append(event.name()).append("' is ready. Log in as:\n");
      wanted.forEach((role, email) -> {
        Person p = byEmail.get(String.valueOf(email).toLowerCase());
        if (p != null) {
          out.append(String.format("  %-22s %s%n", role + ":", events.loginLink(event, p)));
        }
      });
      // the admin's own deployment-wide link: printed here, never in an organizer's export
      Person admin = people.stream().filter(Person::admin).findFirst().orElse(null);
      return admin == null ? Future.succeededFuture(out.toString()) : events.adminLink(event, admin.id())
          .map(link -> out.append("The deployment admin (creates events, organizer of every event):\n")
              .append(link).append('\n').toString());
    });
  }

  private static byte[] resource(String name) {
    try (InputStream in = DemoSeed.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
