package dev.confday.schedule;

import dev.confday.auth.TokenType;
import dev.confday.auth.Tokens;
import dev.confday.config.Config;
import dev.confday.events.Event;
import dev.confday.events.EventService;
import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each person's starred agenda: stars (starring again acknowledges a session's changes), the
 * sessions flagged when they moved or were cancelled since starred, and the personal calendar
 * link with its iCalendar feed. The sessions themselves are the {@link ScheduleService}'s.
 */
public final class AgendaService {
  static final Duration CALENDAR_LINK_TTL = Duration.ofDays(400);

  private final ScheduleRepository repository;
  private final ScheduleService schedule;
  private final EventService events;
  private final Tokens tokens;
  private final Config config;

  public AgendaService(Pool pool, ScheduleService schedule, EventService events, Tokens tokens, Config config) {
    this.repository = new ScheduleRepository(pool);
    this.schedule = schedule;
    this.events = events;
    this.tokens = tokens;
    this.config = config;
  }

  public Future<Void> star(Event event, long personId, long sessionId) {
    return schedule.session(event, sessionId).compose(s -> repository.version(event.id()))
        .compose(version -> repository.star(event.id(), personId, sessionId, version));
  }

  public Future<Void> unstar(Event event, long personId, long sessionId) {
    return repository.unstar(event.id(), personId, sessionId).compose(found -> found ? Future.succeededFuture()
        : Future.failedFuture(ApiError.notFound("Session " + sessionId + " is not starred.")));
  }

  /** The person's starred sessions in time order, each flagged when it moved or was cancelled since seen. */
  public Future<JsonObject> agenda(Event event, long personId) {
    ZoneId zone = event.zone();
    return starred(event, personId).map(list -> new JsonObject().put("sessions", new JsonArray(list.stream()
        .map(e -> e.session().toJson(zone).put("starredAt", e.star().starredAt().toString())
            .put("changedSinceStarred", e.star().changedSinceStarred()))
        .toList())));
  }

  private record Starred(Star star, Session session) {
  }

  private Future<List<Starred>> starred(Event event, long personId) {
    return repository.stars(event.id(), personId).compose(stars -> {
      if (stars.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      Map<Long, Star> byId = new HashMap<>();
      stars.forEach(s -> byId.put(s.sessionId(), s));
      return events.rooms(event.id()).compose(rooms -> repository.sessions(event.id(), List.copyOf(byId.keySet()))
          .map(sessions -> ScheduleService.named(sessions, rooms).stream()
              .map(s -> new Starred(byId.get(s.id()), s)).toList()));
    });
  }

  /** A URL a calendar app can subscribe to: the person's starred sessions, with its own token. */
  public Future<String> calendarLink(Event event, long personId) {
    return events.person(event.id(), personId).map(p -> config.publicUrl() + "/api/events/" + event.slug()
        + "/agenda.ics?token=" + tokens.issue(TokenType.CALENDAR, Long.toString(p.id()), event.slug(),
            p.tokenVersion(), CALENDAR_LINK_TTL));
  }

  /** The iCalendar feed of a calendar token's owner; the token must be for this event and not revoked. */
  public Future<String> agendaFeed(Event event, String token) {
    return tokens.verify(token, TokenType.CALENDAR).compose(t -> {
      if (!event.slug().equals(t.event())) {
        return Future.failedFuture(ApiError.forbidden("This calendar link belongs to another event."));
      }
      return events.person(event.id(), t.personId())
          .recover(e -> Future.failedFuture(ApiError.unauthorized("This calendar link belongs to nobody any more.")))
          .compose(p -> {
            if (t.version() == null || p.tokenVersion() != t.version()) {
              return Future.failedFuture(ApiError.unauthorized("This calendar link has been revoked."));
            }
            return starred(event, p.id()).compose(list -> {
              List<Session> sessions = list.stream().map(Starred::session)
                  .sorted(Comparator.comparing(Session::startsAt)).toList();
              return schedule.posters(event, sessions).map(posters -> ICalendar.write(event, config.publicUrl(),
                  event.name() + " – " + p.name(), sessions, posters));
            });
          });
    });
  }
}
