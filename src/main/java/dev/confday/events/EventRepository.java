package dev.confday.events;

import dev.confday.db.DbErrors;
import dev.confday.db.Rows;
import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL and row mapping for events, rooms, people, registrations and roles. */
final class EventRepository {
  private final Pool pool;

  EventRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<Event>> listEvents() {
    return pool.query(EventSql.LIST_EVENTS).execute().map(rows -> Rows.list(rows, EventRepository::event));
  }

  Future<Optional<Event>> findEvent(String slug) {
    return pool.preparedQuery(EventSql.EVENT_BY_SLUG).execute(Tuple.of(slug))
        .map(rows -> Rows.first(rows, EventRepository::event));
  }

  Future<Event> insertEvent(NewEvent e) {
    return pool.preparedQuery(EventSql.INSERT_EVENT)
        .execute(Tuple.tuple(Arrays.asList(e.slug(), e.name(), e.timeZone(), e.startsOn(), e.endsOn(), e.venue(),
            e.description())))
        .map(rows -> event(rows.iterator().next()))
        .recover(t -> DbErrors.map(t, "An event with the slug '" + e.slug() + "' exists already."));
  }

  Future<Void> markDemo(long eventId) {
    return pool.preparedQuery(EventSql.MARK_DEMO).execute(Tuple.of(eventId)).mapEmpty();
  }

  Future<Void> deleteEvent(long eventId) {
    return pool.preparedQuery(EventSql.DELETE_EVENT).execute(Tuple.of(eventId)).mapEmpty();
  }

  Future<List<Room>> rooms(long eventId) {
    return pool.preparedQuery(EventSql.ROOMS).execute(Tuple.of(eventId))
        .map(rows -> Rows.list(rows, EventRepository::room));
  }

  Future<Room> insertRoom(long eventId, NewRoom room) {
    return insertRoom(pool, eventId, room);
  }

  Future<Room> insertRoom(SqlClient client, long eventId, NewRoom room) {
    return client.preparedQuery(EventSql.INSERT_ROOM)
        .execute(Tuple.of(eventId, room.name(), room.capacity(), room.streamUrl()))
        .map(rows -> room(rows.iterator().next()))
        .recover(t -> DbErrors.map(t, "A room named '" + room.name() + "' exists already."));
  }

  /** Imports all rows in one transaction: either every registration is written or none. */
  Future<Integer> importRegistrations(long eventId, List<Registration> rows) {
    return pool.withTransaction(conn -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (Registration r : rows) {
        chain = chain.compose(n -> upsertRegistration(conn, eventId, r)
            .recover(t -> DbErrors.<Void>map(t, "").recover(e -> Future.failedFuture(
                e instanceof ApiError api && api.status() == 409 ? RegistrationCsv.lineError(r.line(),
                    "order code " + r.orderCode() + " belongs to another registration of this event") : e)))
            .map(v -> n + 1));
      }
      return chain;
    });
  }

  private Future<Void> upsertRegistration(SqlConnection conn, long eventId, Registration r) {
    return conn.preparedQuery(EventSql.UPSERT_IMPORTED_PERSON)
        .execute(Tuple.of(r.email(), r.name(), r.affiliation(), eventId))
        .map(rows -> rows.iterator().next().getLong("id"))
        .compose(personId -> conn.preparedQuery(EventSql.UPSERT_REGISTRATION)
            .execute(Tuple.tuple(Arrays.asList(eventId, personId, r.attendance(), r.ticketType(), r.orderCode(),
                r.name(), r.affiliation())))
            .compose(x -> conn.preparedQuery(EventSql.GRANT_ROLE).execute(Tuple.of(eventId, personId, "attendee"))))
        .mapEmpty();
  }

  Future<Long> upsertPerson(String email, String name, String affiliation) {
    return pool.preparedQuery(EventSql.UPSERT_PERSON).execute(Tuple.of(email, name, affiliation))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  Future<Void> makeAdmin(long personId) {
    return pool.preparedQuery(EventSql.MAKE_ADMIN).execute(Tuple.of(personId)).mapEmpty();
  }

  Future<Void> setRoles(long eventId, long personId, List<String> roles) {
    return pool.withTransaction(conn -> {
      Future<Void> chain = conn.preparedQuery(EventSql.REVOKE_ROLES).execute(Tuple.of(eventId, personId)).mapEmpty();
      for (String role : roles) {
        chain = chain.compose(v -> conn.preparedQuery(EventSql.GRANT_ROLE).execute(Tuple.of(eventId, personId, role))
            .mapEmpty());
      }
      return chain;
    }).recover(t -> DbErrors.map(t, "conflict"));
  }

  Future<Void> grantRole(long eventId, long personId, String role) {
    return pool.preparedQuery(EventSql.GRANT_ROLE).execute(Tuple.of(eventId, personId, role)).mapEmpty();
  }

  Future<List<Person>> people(long eventId) {
    return pool.preparedQuery(EventSql.PEOPLE).execute(Tuple.of(eventId))
        .map(rows -> Rows.list(rows, EventRepository::person));
  }

  Future<Optional<Person>> person(long eventId, long personId) {
    return pool.preparedQuery(EventSql.PERSON_IN_EVENT).execute(Tuple.of(eventId, personId))
        .map(rows -> Rows.first(rows, EventRepository::person));
  }

  /** A person outside any event (id, email, name, admin flag, token version); roles left empty. */
  Future<Optional<Person>> personById(long personId) {
    return pool.preparedQuery(EventSql.PERSON_BY_ID).execute(Tuple.of(personId))
        .map(rows -> Rows.first(rows, r -> new Person(r.getLong("id"), r.getString("email"), r.getString("name"),
            r.getString("affiliation"), r.getInteger("token_version"), null, null, null, List.of(),
            r.getBoolean("is_admin"))));
  }

  /** Ends one session (log-out) on every instance; also forgets sessions that expired anyway. */
  Future<Void> endSession(String jti, java.time.Instant expiresAt) {
    return pool.preparedQuery(EventSql.PRUNE_ENDED_SESSIONS).execute()
        .compose(r -> pool.preparedQuery(EventSql.END_SESSION)
            .execute(Tuple.of(jti, java.time.OffsetDateTime.ofInstant(expiresAt, java.time.ZoneOffset.UTC))))
        .mapEmpty();
  }

  Future<Integer> bumpTokenVersion(long personId) {
    return pool.preparedQuery(EventSql.BUMP_TOKEN_VERSION).execute(Tuple.of(personId))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0));
  }

  Future<Optional<Integer>> tokenVersion(long personId) {
    return pool.preparedQuery(EventSql.PERSON_VERSION).execute(Tuple.of(personId))
        .map(rows -> Rows.first(rows, r -> r.getInteger(0)));
  }

  Future<List<io.vertx.core.json.JsonObject>> myEvents(long personId) {
    return pool.preparedQuery(EventSql.MY_EVENTS).execute(Tuple.of(personId)).map(rows -> Rows.list(rows,
        r -> new io.vertx.core.json.JsonObject().put("slug", r.getString("slug")).put("name", r.getString("name"))
            .put("roles", new io.vertx.core.json.JsonArray(Arrays.asList(r.getArrayOfStrings("roles"))))));
  }

  static Event event(Row r) {
    return new Event(r.getLong("id"), r.getString("slug"), r.getString("name"), r.getString("time_zone"),
        r.getLocalDate("starts_on"), r.getLocalDate("ends_on"), r.getString("venue"), r.getString("description"));
  }

  private static Room room(Row r) {
    return new Room(r.getLong("id"), r.getString("name"), r.getInteger("capacity"), r.getString("stream_url"),
        r.getInteger("position"));
  }

  private static Person person(Row r) {
    return new Person(r.getLong("id"), r.getString("email"), r.getString("name"), r.getString("affiliation"),
        r.getInteger("token_version"), r.getString("attendance"), r.getString("ticket_type"), r.getString("order_code"),
        Arrays.asList(r.getArrayOfStrings("roles")), r.getBoolean("is_admin"));
  }
}
