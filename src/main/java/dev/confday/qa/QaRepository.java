package dev.confday.qa;

import dev.confday.db.DbErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** SQL and row mapping for Q&A settings, questions and votes. */
final class QaRepository {
  /** A session's Q&A state: the stored override, pre-moderation and whether the session runs now. */
  record Settings(long sessionId, String state, boolean premoderated, boolean fairOrder, boolean running) {
    boolean open() {
      return state.equals("open") || (state.equals("auto") && running);
    }
  }

  private final Pool pool;

  QaRepository(Pool pool) {
    this.pool = pool;
  }

  /** A transaction, run again (up to three times) when PostgreSQL broke a deadlock or a serialization conflict. */
  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return DbErrors.withRetriedTransaction(pool, 3, work);
  }

  Future<Optional<Settings>> settings(SqlClient client, long eventId, long sessionId, Instant now) {
    return client.preparedQuery(QaSql.SESSION).execute(Tuple.of(eventId, sessionId, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Settings(r.getLong("id"), r.getString("state"), r.getBoolean("premoderated"),
              r.getBoolean("fair_order"), r.getBoolean("running")));
        });
  }

  Future<Void> saveSettings(SqlConnection tx, long sessionId, String state, boolean premoderated, boolean fair) {
    return tx.preparedQuery(QaSql.UPSERT_SETTINGS).execute(Tuple.of(sessionId, state, premoderated, fair))
        .mapEmpty();
  }

  /** What {@link QaSql#ASK} found and did: the question when it was stored (else null); see there. */
  record Asked(String attendance, Boolean open, boolean muted, Question question) {
  }

  /** A question asked in one statement ({@link QaSql#ASK}). */
  Future<Asked> ask(SqlConnection tx, long eventId, long sessionId, long personId, String text, boolean anonymous,
      Instant now) {
    return tx.preparedQuery(QaSql.ASK)
        .execute(Tuple.of(eventId, sessionId, personId, text, anonymous, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Row r = rows.iterator().next();
          Long id = r.getLong("id");
          Question q = id == null ? null : new Question(id, sessionId, personId, r.getString("author"), text, anonymous,
              r.getString("origin"), r.getString("status"), false, false,
              r.getOffsetDateTime("asked_at").toInstant(), 0, false, null, null, null);
          return new Asked(r.getString("attendance"), r.getBoolean("open"), r.getBoolean("muted"), q);
        });
  }

  Future<Optional<Question>> question(SqlClient client, long sessionId, long id, long viewer) {
    return client.preparedQuery(QaSql.QUESTION).execute(Tuple.of(sessionId, id, viewer))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(question(rows.iterator().next())));
  }

  Future<List<Question>> questions(long sessionId, boolean visibleOnly, long viewer, String sort) {
    String order = switch (sort) {
      case "time" -> QaSql.ORDER_TIME;
      case "trending" -> QaSql.ORDER_TRENDING;
      default -> QaSql.ORDER_VOTES;
    };
    return pool.preparedQuery(QaSql.QUESTIONS + order).execute(Tuple.of(sessionId, visibleOnly, viewer)).map(rows -> {
      List<Question> list = new ArrayList<>();
      for (Row r : rows) {
        list.add(question(r));
      }
      return list;
    });
  }

  /** A question's status and the question it was merged into (null when not merged). */
  record Locked(String status, Long mergedInto) {
  }

  /** The question's status when it exists (its row is then locked until the transaction ends). */
  Future<Optional<Locked>> lock(SqlConnection tx, long sessionId, long id) {
    return lock(tx, QaSql.LOCK, sessionId, id);
  }

  private Future<Optional<Locked>> lock(SqlConnection tx, String sql, long sessionId, long id) {
    return tx.preparedQuery(sql).execute(Tuple.of(sessionId, id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new Locked(r.getString(0), r.getLong(1)));
    });
  }

  Future<Boolean> hasMerged(SqlClient client, long sessionId, long id) {
    return client.preparedQuery(QaSql.HAS_MERGED).execute(Tuple.of(sessionId, id)).map(rows -> rows.size() > 0);
  }

  /** Runs one statement of {@link QaSql} with its parameters. */
  Future<Void> exec(SqlConnection tx, String sql, Object... params) {
    return tx.preparedQuery(sql).execute(Tuple.from(params)).mapEmpty();
  }

  /** The name of a person of the event (registered or holding a role there). */
  Future<Optional<String>> eventPerson(SqlClient client, long eventId, long personId) {
    return client.preparedQuery(QaSql.EVENT_PERSON).execute(Tuple.of(eventId, personId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  Future<Instant> mute(SqlConnection tx, long sessionId, long personId, long by) {
    return tx.preparedQuery(QaSql.MUTE).execute(Tuple.of(sessionId, personId, by))
        .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
  }

  Future<Boolean> unmute(SqlConnection tx, long sessionId, long personId) {
    return tx.preparedQuery(QaSql.UNMUTE).execute(Tuple.of(sessionId, personId)).map(rows -> rows.rowCount() > 0);
  }

  /** A muted person of a session. */
  record Mute(long personId, String name, Instant mutedAt) {
  }

  Future<List<Mute>> mutes(long sessionId) {
    return pool.preparedQuery(QaSql.MUTES).execute(Tuple.of(sessionId)).map(rows -> {
      List<Mute> list = new ArrayList<>();
      for (Row r : rows) {
        list.add(new Mute(r.getLong(0), r.getString(1), r.getOffsetDateTime(2).toInstant()));
      }
      return list;
    });
  }

  /** What {@link QaSql#CAST_VOTE} found and did; see there. */
  record Vote(boolean registered, Boolean open, String status, Long mergedInto, long votes, boolean voted,
      boolean changed) {
  }

  /** A vote in one statement ({@link QaSql#CAST_VOTE}), run again (up to three times) after a deadlock. */
  Future<Vote> castVote(long eventId, long sessionId, long id, long personId, boolean up, boolean moderator,
      Instant now) {
    Tuple args = Tuple.of(eventId, sessionId, id, personId, up, moderator, now.atOffset(ZoneOffset.UTC));
    return castVote(args, 3);
  }

  private Future<Vote> castVote(Tuple args, int attempts) {
    return pool.preparedQuery(QaSql.CAST_VOTE).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      return new Vote(r.getBoolean(0), r.getBoolean(1), r.getString(2), r.getLong(3), r.getLong(4), r.getBoolean(5),
          r.getBoolean(6));
    }).recover(t -> attempts > 1 && DbErrors.retryable(t) ? castVote(args, attempts - 1) : Future.failedFuture(t));
  }

  Future<Void> update(SqlConnection tx, String sql, long sessionId, long id, Object value) {
    return tx.preparedQuery(sql).execute(Tuple.of(sessionId, id, value)).mapEmpty();
  }

  /** Unpins the session's other questions, after waiting for any other pin change of the session. */
  Future<Void> unpinOthers(SqlConnection tx, long sessionId, long id) {
    return tx.preparedQuery(QaSql.LOCK_SESSION).execute(Tuple.of(sessionId))
        .compose(v -> tx.preparedQuery(QaSql.UNPIN_ALL).execute(Tuple.of(sessionId, id))).mapEmpty();
  }

  Future<Boolean> speaker(long sessionId, long personId) {
    return pool.preparedQuery(QaSql.IS_SPEAKER).execute(Tuple.of(sessionId, personId)).map(rows -> rows.size() > 0);
  }

  private static Question question(Row r) {
    OffsetDateTime at = r.getOffsetDateTime("asked_at");
    OffsetDateTime edited = r.getOffsetDateTime("edited_at");
    return new Question(r.getLong("id"), r.getLong("session_id"), r.getLong("person_id"), r.getString("author"),
        r.getString("text"), r.getBoolean("anonymous"), r.getString("origin"), r.getString("status"),
        r.getBoolean("pinned"), r.getBoolean("answered"), at.toInstant(), r.getLong("votes"), r.getBoolean("voted"),
        r.getString("original_text"), edited == null ? null : edited.toInstant(), r.getLong("merged_into"));
  }
}
