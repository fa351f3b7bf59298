package dev.confday.events;

import dev.confday.auth.Role;
import dev.confday.auth.TokenType;
import dev.confday.auth.Tokens;
import dev.confday.config.Config;
import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules for events, rooms, people and their roles, registration imports, personal login
 * links and the exchange of a login link for an API session. Other features look events up
 * here, never in its tables.
 */
public final class EventService {
  static final Duration LOGIN_LINK_TTL = Duration.ofDays(120);

  private final EventRepository repository;
  private final Tokens tokens;
  private final Config config;

  public EventService(Pool pool, Tokens tokens, Config config) {
    this.repository = new EventRepository(pool);
    this.tokens = tokens;
    this.config = config;
  }

  public Future<List<Event>> listEvents() {
    return repository.listEvents();
  }

  /**
   * The event in a row holding all of its columns, mapped as this feature maps it: how the
   * access check hands on the event it read (see Access), so routes need not read it again.
   */
  public static Event eventOf(Row row) {
    return EventRepository.event(row);
  }

  public Future<Event> event(String slug) {
    return repository.findEvent(slug)
        .map(found -> found.orElseThrow(() -> ApiError.notFound("There is no event '" + slug + "'.")));
  }

  public Future<Event> createEvent(NewEvent event) {
    return repository.insertEvent(event);
  }

  /** Marks the demo event, the one event whose day may be moved in time (see DemoSeed). */
  public Future<Void> markDemo(long eventId) {
    return repository.markDemo(eventId);
  }

  public Future<Void> deleteEvent(long eventId) {
    return repository.deleteEvent(eventId);
  }

  public Future<List<Room>> rooms(long eventId) {
    return repository.rooms(eventId);
  }

  /** Adds a room outside any schedule (seeding); the API adds rooms through the schedule, which versions them. */
  public Future<Room> addRoom(long eventId, NewRoom room) {
    return repository.insertRoom(eventId, room);
  }

  /** Adds a room within the caller's transaction: the room and what the caller records with it commit together. */
  public Future<Room> addRoom(SqlConnection tx, long eventId, NewRoom room) {
    return repository.insertRoom(tx, eventId, room);
  }

  /** Parses and imports a registration CSV: all rows or, if any row is bad, none. */
  public Future<Integer> importRegistrations(long eventId, String csv) {
    List<Registration> rows;
    try {
      rows = RegistrationCsv.parse(csv);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    return repository.importRegistrations(eventId, rows);
  }

  public Future<List<Person>> people(long eventId) {
    return repository.people(eventId);
  }

  public Future<Person> person(long eventId, long personId) {
    return repository.person(eventId, personId)
        .map(p -> p.orElseThrow(() -> ApiError.notFound("There is no person " + personId + ".")));
  }

  /** Adds (or finds by email) a person and gives them a role in the event. */
  public Future<Long> addPerson(long eventId, String email, String name, String affiliation, Role role) {
    return repository.upsertPerson(email, name, affiliation)
        .compose(id -> repository.grantRole(eventId, id, role.wire()).map(id));
  }

  public Future<Void> makeAdmin(long personId) {
    return repository.makeAdmin(personId);
  }

  public Future<Person> setRoles(long eventId, long personId, Set<Role> roles) {
    if (roles.stream().anyMatch(r -> !r.storedPerEvent())) {
      return Future.failedFuture(ApiError.validation("roles", "only organizer, moderator, presenter, attendee, door-staff"));
    }
    List<String> wire = roles.stream().map(Role::wire).sorted().collect(Collectors.toList());
    return person(eventId, personId)
        .compose(p -> repository.setRoles(eventId, personId, wire))
        .compose(v -> person(eventId, personId));
  }

  /**
   * The personal link that logs a person into one event (the token sits in the URL fragment).
   * The session it opens acts in that event only; a person of two events has one link per event.
   */
  public String loginLink(Event event, Person person) {
    String token = tokens.issue(TokenType.LOGIN_LINK, Long.toString(person.id()), event.slug(), person.tokenVersion(),
        LOGIN_LINK_TTL);
    return config.publicUrl() + "/e/" + event.slug() + "/login#token=" + token;
  }

  /**
   * The deployment admin's own link: opens a deployment-wide session (the only kind with admin
   * power). Printed at boot for the demo; never part of an organizer's export. {@code landing} is
   * the event page the browser opens after logging in.
   */
  public Future<String> adminLink(Event landing, long personId) {
    return repository.personById(personId).map(found -> {
      Person p = found.filter(Person::admin)
          .orElseThrow(() -> new IllegalArgumentException("person " + personId + " is not an admin"));
      return config.publicUrl() + "/e/" + landing.slug() + "/login#token="
          + tokens.issue(TokenType.ADMIN_LINK, Long.toString(p.id()), null, p.tokenVersion(), LOGIN_LINK_TTL);
    });
  }

  /** The people an organizer's login-link export lists: those of the event, never the deployment admin. */
  public Future<List<Person>> peopleWithLinks(long eventId) {
    return repository.people(eventId).map(list -> list.stream().filter(p -> !p.admin()).toList());
  }

  /**
   * Exchanges a login link for an API session. An event's link (checked: not revoked, and its
   * person still of that event) opens a session in that event only; an admin link opens a
   * deployment-wide session, and only for a person who is still an admin.
   */
  public Future<JsonObject> startSession(String loginToken) {
    return tokens.verify(loginToken, java.util.EnumSet.of(TokenType.LOGIN_LINK, TokenType.ADMIN_LINK))
        .compose(link -> holder(link).map(person -> {
          if (person.isEmpty() || person.get().tokenVersion() != link.version()) {
            throw ApiError.unauthorized("This login link has been revoked; ask the organizers for a new one.");
          }
          Person p = person.get();
          String session = tokens.issue(TokenType.SESSION, link.subject(), link.event(), p.tokenVersion(),
              config.sessionTtl());
          return new JsonObject().put("token", session).put("event", link.event()).put("personId", p.id())
              .put("admin", link.event() == null).put("expiresInSeconds", config.sessionTtl().toSeconds());
        }));
  }

  /** Whose link it is, if they may still use it: an admin for an admin link, a person of the event for an event's. */
  private Future<Optional<Person>> holder(dev.confday.auth.VerifiedToken link) {
    if (link.type() == TokenType.ADMIN_LINK) {
      return repository.personById(link.personId()).map(p -> p.filter(Person::admin));
    }
    return repository.findEvent(link.event()).compose(e -> e.isEmpty() ? Future.succeededFuture(Optional.empty())
        : repository.person(e.get().id(), link.personId()));
  }

  /** Ends one session (log-out): refused from then on, on every instance, until it would have expired. */
  public Future<Void> endSession(String jti, java.time.Instant expiresAt) {
    return repository.endSession(jti, expiresAt);
  }

  /**
   * Revokes everything issued to a person so far: login links, sessions, calendar feeds, live
   * tickets and badges all carry the token version, which every check compares with this one.
   */
  public Future<Integer> revoke(long personId) {
    return repository.bumpTokenVersion(personId);
  }

  public Future<List<JsonObject>> myEvents(long personId) {
    return repository.myEvents(personId);
  }
}
