package dev.confday.schedule;

import dev.confday.db.DbErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** SQL and row mapping for sessions, speakers, the schedule version, its changelog and stars. */
final class ScheduleRepository {
  static final String OVERLAP = "The session overlaps another session of the same room.";

  private final Pool pool;

  ScheduleRepository(Pool pool) {
    this.pool = pool;
  }

  /** Runs {@code work} in one transaction. */
  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work::apply);
  }

  Future<Long> bumpVersion(SqlConnection tx, long eventId) {
    return tx.preparedQuery(ScheduleSql.BUMP_VERSION).execute(Tuple.of(eventId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  Future<Long> version(long eventId) {
    return pool.preparedQuery(ScheduleSql.VERSION).execute(Tuple.of(eventId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  Future<List<Session>> sessions(long eventId) {
    return pool.preparedQuery(ScheduleSql.SESSIONS).execute(Tuple.of(eventId)).map(ScheduleRepository::sessions);
  }

  Future<List<Session>> sessions(long eventId, List<Long> ids) {
    return sessions(pool, eventId, ids);
  }

  /** The event's sessions with these ids, in order of time; in one query. */
  Future<List<Session>> sessions(SqlClient client, long eventId, List<Long> ids) {
    return client.preparedQuery(ScheduleSql.SESSIONS_BY_IDS)
        .execute(Tuple.tuple().addLong(eventId).addArrayOfLong(ids.toArray(new Long[0])))
        .map(ScheduleRepository::sessions);
  }

  /** The event of a session; fails when there is no such session. */
  Future<Long> eventOfSession(long sessionId) {
    return pool.preparedQuery(ScheduleSql.EVENT_OF_SESSION).execute(Tuple.of(sessionId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  Future<Optional<Session>> session(long eventId, long sessionId) {
    return session(pool, eventId, sessionId);
  }

  Future<Optional<Session>> session(SqlClient client, long eventId, long sessionId) {
    return client.preparedQuery(ScheduleSql.SESSION).execute(Tuple.of(eventId, sessionId))
        .map(rows -> sessions(rows).stream().findFirst());
  }

  /** The room's sessions that are not cancelled, in order of time. */
  Future<List<Session>> roomSessions(SqlClient client, long eventId, long roomId) {
    return client.preparedQuery(ScheduleSql.ROOM_SESSIONS).execute(Tuple.of(eventId, roomId))
        .map(ScheduleRepository::sessions);
  }

  /** The first session of the room, other than {@code exceptId}, overlapping the given times. */
  Future<Optional<Session>> clash(SqlClient client, long eventId, long roomId, long exceptId, Instant start,
      Instant end) {
    return client.preparedQuery(ScheduleSql.CLASH).execute(Tuple.of(eventId, roomId, exceptId, utc(start), utc(end)))
        .map(rows -> sessions(rows).stream().findFirst());
  }

  Future<Long> insertSession(SqlConnection tx, long eventId, long version, SessionDraft d) {
    Tuple t = Tuple.tuple(Arrays.asList(eventId, UUID.randomUUID(), d.key(), d.title(), d.type().wire(), d.track(),
        d.abstractText(), d.roomId(), utc(d.startsAt()), utc(d.endsAt()), version));
    return tx.preparedQuery(ScheduleSql.INSERT_SESSION).execute(t)
        .map(rows -> rows.iterator().next().getLong(0))
        .recover(e -> DbErrors.map(e, "A session with the key '" + d.key() + "' exists already."));
  }

  Future<Void> updateSession(SqlConnection tx, long eventId, long sessionId, long version, SessionDraft d) {
    Tuple t = Tuple.tuple(Arrays.asList(eventId, sessionId, d.key(), d.title(), d.type().wire(), d.track(),
        d.abstractText(), d.roomId(), utc(d.startsAt()), utc(d.endsAt()), version));
    return tx.preparedQuery(ScheduleSql.UPDATE_SESSION).execute(t).<Void>mapEmpty()
        .recover(e -> DbErrors.map(e, "A session with the key '" + d.key() + "' exists already."));
  }

  Future<Void> setTimes(SqlConnection tx, long eventId, long sessionId, Instant start, Instant end, long version) {
    return tx.preparedQuery(ScheduleSql.SET_TIMES).execute(Tuple.of(eventId, sessionId, utc(start), utc(end), version))
        .mapEmpty();
  }

  /** False when the event is not a demo (and so was not moved). */
  Future<Boolean> moveDemoDays(SqlConnection tx, long eventId, LocalDate startsOn, LocalDate endsOn) {
    return tx.preparedQuery(ScheduleSql.MOVE_DEMO_DAYS).execute(Tuple.of(eventId, startsOn, endsOn))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Void> setCancelled(SqlConnection tx, long eventId, long sessionId, boolean cancelled, long version) {
    return tx.preparedQuery(ScheduleSql.SET_CANCELLED).execute(Tuple.of(eventId, sessionId, cancelled, version))
        .mapEmpty();
  }

  /** Replaces the session's speakers, keeping their order. */
  Future<Void> setSpeakers(SqlConnection tx, long sessionId, List<Speaker> speakers) {
    Future<Void> chain = tx.preparedQuery(ScheduleSql.DELETE_SPEAKERS).execute(Tuple.of(sessionId)).mapEmpty();
    if (speakers.isEmpty()) {
      return chain;
    }
    List<Tuple> batch = new ArrayList<>();
    for (int i = 0; i < speakers.size(); i++) {
      Speaker s = speakers.get(i);
      batch.add(Tuple.of(sessionId, s.personId(), s.name(), s.remote(), i));
    }
    return chain.compose(v -> tx.preparedQuery(ScheduleSql.INSERT_SPEAKER).executeBatch(batch)).mapEmpty();
  }

  Future<Void> logChange(SqlConnection tx, long eventId, long version, Long actorId, String kind, long sessionId,
      boolean notable, JsonObject oldValue, JsonObject newValue) {
    return tx.preparedQuery(ScheduleSql.INSERT_CHANGE)
        .execute(Tuple.tuple(Arrays.asList(eventId, version, sessionId, actorId, kind, notable, oldValue, newValue)))
        .mapEmpty();
  }

  Future<List<ScheduleChange>> changesSince(long eventId, long since, int limit) {
    return pool.preparedQuery(ScheduleSql.CHANGES_SINCE).execute(Tuple.of(eventId, since, limit)).map(rows -> {
      List<ScheduleChange> list = new ArrayList<>();
      for (Row r : rows) {
        list.add(new ScheduleChange(r.getLong("version"), r.getLong("session_id"),
            r.getOffsetDateTime("at").toInstant(), r.getString("kind"), r.getBoolean("notable"),
            (JsonObject) r.getValue("old_value"), (JsonObject) r.getValue("new_value")));
      }
      return list;
    });
  }

  Future<Void> star(long eventId, long personId, long sessionId, long seenVersion) {
    return pool.preparedQuery(ScheduleSql.STAR).execute(Tuple.of(eventId, personId, sessionId, seenVersion))
        .mapEmpty();
  }

  Future<Boolean> unstar(long eventId, long personId, long sessionId) {
    return pool.preparedQuery(ScheduleSql.UNSTAR).execute(Tuple.of(eventId, personId, sessionId))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<List<Star>> stars(long eventId, long personId) {
    return pool.preparedQuery(ScheduleSql.STARS).execute(Tuple.of(eventId, personId)).map(rows -> {
      List<Star> list = new ArrayList<>();
      for (Row r : rows) {
        list.add(new Star(r.getLong("session_id"), r.getOffsetDateTime("starred_at").toInstant(),
            r.getLong("seen_version"), r.getBoolean("changed")));
      }
      return list;
    });
  }

  private static List<Session> sessions(RowSet<Row> rows) {
    List<Session> list = new ArrayList<>();
    for (Row r : rows) {
      list.add(session(r));
    }
    return list;
  }

  private static Session session(Row r) {
    List<Speaker> speakers = new ArrayList<>();
    for (Object o : (JsonArray) r.getValue("speakers")) {
      JsonObject s = (JsonObject) o;
      speakers.add(new Speaker(s.getLong("personId"), s.getString("name"), s.getBoolean("remote")));
    }
    return new Session(r.getLong("id"), r.getUUID("guid"), r.getString("key"), r.getString("title"),
        SessionType.fromWire(r.getString("type")).orElseThrow(), r.getString("track"), r.getString("abstract"),
        r.getLong("room_id"), null, r.getOffsetDateTime("starts_at").toInstant(),
        r.getOffsetDateTime("ends_at").toInstant(), r.getBoolean("cancelled"), r.getLong("version"),
        r.getInteger("sequence"), r.getOffsetDateTime("updated_at").toInstant(), speakers);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
