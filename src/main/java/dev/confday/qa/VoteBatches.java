package dev.confday.qa;

import dev.confday.db.DbErrors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for votes: the votes an event loop takes in from one round of reads (a vote storm
 * comes in many at once) go to PostgreSQL as one batch of {@link QaSql#CAST_VOTE}, each vote its
 * own statement with its own answer, all in one round trip and one commit, instead of a round
 * trip and a commit each. A vote that comes alone goes as it did, alone.
 *
 * <p>The batch is one implicit transaction (the protocol's batch ends with one Sync): its
 * statements run in order, each seeing the ones before it (so a person's two votes in one batch
 * count once, and an up then a down leaves none), and a failure of any (a deadlock between two
 * batches, a statement timeout) rolls back all of them. Then each vote of it runs again on its
 * own, one after another in the batch's order, as a lone vote does (a vote is idempotent: up twice
 * is up). Votes go question by question (ascending id, one person's votes on one question in
 * their order), so batches take row locks in the order a merge takes them. At most {@link #MAX} votes a
 * batch; the batch is sent when the loop has handled what it read, so no vote waits for another
 * beyond that.
 */
final class VoteBatches {
  private static final Logger LOG = LoggerFactory.getLogger(VoteBatches.class);
  /** At most this many votes in one batch (a storm's reads of one loop round come in far fewer). */
  static final int MAX = 64;

  private record Vote(Tuple args, Promise<Row> answer) {
  }

  private final Pool pool;
  /** Batches of more than one vote sent so far. */
  private final AtomicLong batches = new AtomicLong();
  /** The votes waiting on each event loop (touched only from that loop's thread). */
  private final Map<Thread, List<Vote>> waiting = new ConcurrentHashMap<>();

  VoteBatches(Pool pool) {
    this.pool = pool;
  }

  /** The row {@link QaSql#CAST_VOTE} answers for these arguments, the vote committed; retried ×3 after a deadlock. */
  Future<Row> cast(Tuple args) {
    Context context = Vertx.currentContext();
    if (context == null || !Context.isOnEventLoopThread()) {
      return alone(args, 3);
    }
    Promise<Row> answer = Promise.promise();
    List<Vote> batch = waiting.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>());
    batch.add(new Vote(args, answer));
    if (batch.size() == 1) {
      // after the loop has run the other requests of this round of reads
      context.runOnContext(v -> send(Thread.currentThread()));
    } else if (batch.size() >= MAX) {
      send(Thread.currentThread());
    }
    return answer.future();
  }

  private void send(Thread loop) {
    List<Vote> batch = waiting.remove(loop);
    if (batch == null || batch.isEmpty()) {
      return;
    }
    if (batch.size() == 1) {
      Vote v = batch.get(0);
      alone(v.args(), 3).onComplete(v.answer());
      return;
    }
    // question by question (stable: one person's votes on one question keep their order): row
    // locks taken in ascending id, as a merge takes them, so batches and merges cannot deadlock
    batch.sort(Comparator.comparingLong(v -> v.args().getValue(1) instanceof Number n ? n.longValue()
        : Long.MAX_VALUE));
    batches.incrementAndGet();
    pool.preparedQuery(QaSql.CAST_VOTE).executeBatch(batch.stream().map(Vote::args).toList()).onComplete(ar -> {
      if (ar.succeeded()) {
        RowSet<Row> result = ar.result();
        for (Vote v : batch) {
          Row row = result.iterator().next();
          result = result.next();
          try {
            v.answer().complete(row);
          } catch (RuntimeException e) {
            // one vote's answer failing downstream must not strand the others
            LOG.warn("Answering a batched vote failed", e);
          }
        }
      } else {
        // nothing of the batch was kept: each vote on its own, one after another in the batch's order
        Future<?> chain = Future.succeededFuture();
        for (Vote v : batch) {
          chain = chain.transform(x -> alone(v.args(), 3).onComplete(v.answer()));
        }
      }
    });
  }

  /** Batches of more than one vote sent so far. */
  long batches() {
    return batches.get();
  }

  private Future<Row> alone(Tuple args, int attempts) {
    return pool.preparedQuery(QaSql.CAST_VOTE).execute(args).map(rows -> rows.iterator().next())
        .recover(t -> attempts > 1 && DbErrors.retryable(t) ? alone(args, attempts - 1) : Future.failedFuture(t));
  }
}
