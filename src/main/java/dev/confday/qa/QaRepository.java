package dev.confday.qa;

import dev.confday.auth.CallerCheck;
import dev.confday.auth.Principal;
import dev.confday.db.DbErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
  private final VoteBatches voteBatches;
  /** {@link QaSql#ask} with the backbone's publishing CTEs. */
  private final String askSql;

  QaRepository(Pool pool, String publishing) {
    this.pool = pool;
    this.voteBatches = new VoteBatches(pool);
    this.askSql = QaSql.ask(publishing);
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

  /**
   * What {@link QaSql#ask} found and did (the caller admitted, as {@code asker}): the question when
   * it was stored (else null), the question the person asked with the same key before ({@code
   * priorId}, else null) and the messages it published (the {@code live_*} arrays; empty when
   * nothing was stored); see there.
   */
  record Asked(Principal asker, String attendance, Boolean open, boolean muted, Question question, Long priorId,
      String[] topics, Long[] seqs, String[] payloads) {
  }

  /**
   * A question asked and published in one statement ({@link QaSql#ask}) that also checks the
   * caller ({@code check}; a refused caller fails with the access check's refusal); {@code draft}
   * is the question as it will be stored, its id, origin, status and author's name still to be
   * decided by the statement; {@code key} the client's key of the ask (null: none); with {@code
   * mayStore} false only an earlier ask with the key is looked for; run again
   * (up to three times) after a deadlock.
   */
  Future<Asked> ask(CallerCheck check, Question draft, String key, boolean mayStore, String moderatorsTopic,
      String attendeesTopic) {
    Tuple args = Tuple.of(draft.sessionId(), draft.personId(), draft.text(), draft.anonymous(),
        draft.askedAt().atOffset(ZoneOffset.UTC))
        .addString(moderatorsTopic).addString(attendeesTopic)
        .addValue(new JsonObject().put("type", "question").put("question", draft.toJson(true, 0)))
        .addValue(new JsonObject().put("type", "question").put("question", draft.toJson(false, 0)));
    return ask(check.bind(args).addString(key).addBoolean(mayStore), check, draft, 3);
  }

  private Future<Asked> ask(Tuple args, CallerCheck check, Question draft, int attempts) {
    return pool.preparedQuery(askSql).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      Principal asker = check.principal(r);
      Long id = r.getLong("id");
      Question q = id == null ? null : new Question(id, draft.sessionId(), draft.personId(), asker.name(),
          draft.text(), draft.anonymous(), r.getString("origin"), r.getString("status"), false, false,
          draft.askedAt(), 0, false, null, null, null);
      // the arrays are null when nothing was published
      boolean published = r.getArrayOfStrings("live_topics") != null;
      return new Asked(asker, r.getString("attendance"), r.getBoolean("open"), r.getBoolean("muted"), q,
          r.getLong("prior_id"), published ? r.getArrayOfStrings("live_topics") : new String[0],
          published ? r.getArrayOfLongs("live_seqs") : new Long[0],
          published ? r.getArrayOfStrings("live_payloads") : new String[0]);
    }).recover(t -> attempts > 1 && DbErrors.retryable(t) ? ask(args, check, draft, attempts - 1)
        : Future.failedFuture(t));
  }

  /** The question person {@code personId} asked in the event's session with the client's key {@code key}, if any. */
  Future<Optional<Long>> askedWith(long eventId, long sessionId, long personId, String key) {
    return pool.preparedQuery(QaSql.BY_KEY).execute(Tuple.of(sessionId, personId, key, eventId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
  }

  Future<Optional<Question>> question(long sessionId, long id, long viewer) {
    return question(pool, sessionId, id, viewer);
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
  record Vote(Principal voter, boolean registered, Boolean open, String status, Long mergedInto, long votes,
      boolean voted, boolean changed) {
  }

  /**
   * A vote cast in one statement ({@link QaSql#CAST_VOTE}) that also checks the caller
   * ({@code check}); sent with the votes that came in with it ({@link VoteBatches}).
   */
  Future<Vote> castVote(CallerCheck check, long sessionId, long id, boolean up, Instant now) {
    return voteBatches.cast(voteArgs(check, sessionId, id, up, now)).map(r -> {
      Principal voter = check.principal(r);
      return new Vote(voter, r.getBoolean("registered"), r.getBoolean("open"), r.getString("status"),
          r.getLong("merged_into"), r.getLong("votes"), r.getBoolean("voted"), r.getBoolean("changed"));
    });
  }

  /** {@link QaSql#CAST_VOTE}'s arguments for one vote. */
  static Tuple voteArgs(CallerCheck check, long sessionId, long id, boolean up, Instant now) {
    return check.bind(Tuple.of(sessionId, id, check.session().personId(), up, now.atOffset(ZoneOffset.UTC)));
  }

  VoteBatches voteBatches() {
    return voteBatches;
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
