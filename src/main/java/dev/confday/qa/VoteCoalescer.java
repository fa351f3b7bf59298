package dev.confday.qa;

import dev.confday.db.DbErrors;
import dev.confday.live.LiveService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesced vote-count updates. A vote commits its row and a row in {@code qa_vote_changes} in one
 * statement ({@link QaSql#CAST_VOTE}; a plain insert, no key: concurrent votes never wait for each
 * other, nor for the topics' sequence rows) and publishes nothing. After the commit the instance
 * schedules a flush of the session, at most one every {@link #INTERVAL_MS} ms: the flush takes the
 * session's advisory lock (so flushes of one session, from any instance, are ordered), deletes the
 * session's change rows and publishes the exact current count of each question they name, one
 * {@code votes} message per question on {@code session:<id>:moderation} and, for visible
 * questions, on {@code session:<id>:qa}. A change row is deleted only by a flush whose count
 * already includes its vote (the count statement runs after the delete, in the same transaction),
 * so the last vote message of a question always carries its final count. Change rows left by an
 * instance that died, or by a failed flush, are picked up by any instance's sweep every
 * {@link #SWEEP_MS} ms.
 */
final class VoteCoalescer {
  private static final Logger LOG = LoggerFactory.getLogger(VoteCoalescer.class);
  /** At most one flush per session and instance in this interval (about four updates a second). */
  static final long INTERVAL_MS = 250;
  /** The first change after a quiet spell waits this long, so a burst shares its first update. */
  static final long GATHER_MS = 20;
  static final long SWEEP_MS = 5000;

  /** Orders the flushes of one session over all instances. */
  static final String LOCK = "select pg_advisory_xact_lock(hashtextextended('qa-votes:' || $1::bigint, 0))";

  static final String TAKE = "delete from qa_vote_changes where session_id = $1 returning question_id";

  static final String COUNTS = """
      select q.id, q.status, (select count(*) from (
          select v.person_id from qa_votes v where v.question_id = q.id
          union select v.person_id from qa_votes v join qa_questions m on m.id = v.question_id
                 where m.merged_into = q.id) voters) as votes
        from qa_questions q where q.session_id = $1 and q.id = any($2) order by q.id""";

  static final String STALE = """
      select distinct session_id from qa_vote_changes where changed_at < now() - make_interval(secs => $1)""";

  /** What this instance knows of one session's flushes. */
  private static final class State {
    boolean busy; // a flush is scheduled or running
    boolean again; // a change came in meanwhile
    long last; // nanoTime of the last flush's start
  }

  private final Vertx vertx;
  private final Pool pool;
  private final LiveService live;
  private final Map<Long, State> sessions = new HashMap<>();
  private final long sweep;
  private volatile boolean stopped;

  VoteCoalescer(Vertx vertx, Pool pool, LiveService live) {
    this.vertx = vertx;
    this.pool = pool;
    this.live = live;
    this.sweep = vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  /** After a vote committed: a flush of the session soon (at most one per interval). */
  void changed(long sessionId) {
    if (stopped) {
      return;
    }
    long delay;
    synchronized (sessions) {
      State s = sessions.computeIfAbsent(sessionId, k -> new State());
      if (s.busy) {
        s.again = true;
        return;
      }
      s.busy = true;
      long since = (System.nanoTime() - s.last) / 1_000_000;
      delay = Math.max(GATHER_MS, INTERVAL_MS - since);
    }
    vertx.setTimer(delay, id -> flush(sessionId));
  }

  private void flush(long sessionId) {
    synchronized (sessions) {
      State s = sessions.get(sessionId);
      s.last = System.nanoTime();
      s.again = false;
    }
    publishCounts(sessionId).onComplete(ar -> {
      if (ar.failed() && !DbErrors.isOutage(ar.cause()) && !stopped) {
        LOG.warn("Publishing the vote counts of session {} failed; the sweep retries", sessionId, ar.cause());
      }
      boolean again;
      synchronized (sessions) {
        State s = sessions.get(sessionId);
        s.busy = false;
        again = s.again;
        if (!again) {
          sessions.remove(sessionId);
          // keep the pacing: the next burst still waits for the interval
          if (System.nanoTime() - s.last < INTERVAL_MS * 1_000_000) {
            State idle = new State();
            idle.last = s.last;
            sessions.put(sessionId, idle);
          }
        }
      }
      if (again) {
        changed(sessionId);
      }
    });
  }

  /** Publishes the exact counts of the session's changed questions; answers how many. */
  Future<Integer> publishCounts(long sessionId) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(sessionId))
        .compose(v -> tx.preparedQuery(TAKE).execute(Tuple.of(sessionId)))
        .compose(rows -> {
          Set<Long> ids = new LinkedHashSet<>();
          rows.forEach(r -> ids.add(r.getLong(0)));
          if (ids.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return tx.preparedQuery(COUNTS).execute(Tuple.of(sessionId, (Object) ids.toArray(new Long[0])))
              .compose(counts -> {
                List<Row> list = new ArrayList<>();
                counts.forEach(list::add);
                Future<Void> f = Future.succeededFuture();
                for (Row r : list) {
                  JsonObject msg = new JsonObject().put("type", "votes").put("id", r.getLong("id"))
                      .put("votes", r.getLong("votes"));
                  boolean visible = r.getString("status").equals("visible");
                  f = f.compose(x -> live.publish(tx, QaService.moderationTopic(sessionId), msg))
                      .compose(x -> visible ? live.publish(tx, QaService.topic(sessionId), msg).mapEmpty()
                          : Future.succeededFuture());
                }
                return f.map(list.size());
              });
        }));
  }

  /** Flushes sessions whose changes waited too long (their instance died, or a flush failed). */
  private void sweep() {
    if (stopped) {
      return;
    }
    synchronized (sessions) {
      // forget the pacing of sessions that went quiet
      long now = System.nanoTime();
      sessions.values().removeIf(s -> !s.busy && now - s.last > INTERVAL_MS * 1_000_000);
    }
    pool.preparedQuery(STALE).execute(Tuple.of((double) SWEEP_MS / 1000))
        .onSuccess(rows -> rows.forEach(r -> changed(r.getLong(0))))
        .onFailure(t -> {
          if (!DbErrors.isOutage(t) && !stopped) {
            LOG.warn("Sweeping Q&A vote changes failed", t);
          }
        });
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(sweep);
  }
}
