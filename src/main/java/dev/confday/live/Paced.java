package dev.confday.live;

import dev.confday.db.DbErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work per key done after a change, coalesced and paced: at most one run per key per
 * {@code interval}; the changes that come while one waits or runs share the next one, which is
 * given the latest change and reads what committed before it, so the last run counts them all.
 * For figures derived from many rows and published on a topic (a check-in list's counts, an
 * event's hybrid attendance), which would cost a recount and a live message per change. Per
 * instance: several instances may each publish a change, a duplicate message, never a lost one.
 * A failed run is logged (an outage only once, by the pool); the next change runs it again.
 */
public final class Paced<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(Paced.class);

  private final Vertx vertx;
  private final long intervalMs;
  private final String what;
  private final Function<V, Future<Void>> work;
  /** One small state per key that changed since start (kept: it remembers the last run). */
  private final Map<K, State<V>> byKey = new HashMap<>();

  private static final class State<V> {
    boolean scheduled;
    boolean running;
    boolean again;
    long lastRun = Long.MIN_VALUE / 2;
    V latest;
  }

  /** {@code what} names the work in the log, e.g. "Check-in counts". */
  public Paced(Vertx vertx, long intervalMs, String what, Function<V, Future<Void>> work) {
    this.vertx = vertx;
    this.intervalMs = intervalMs;
    this.what = what;
    this.work = work;
  }

  /** Something behind {@code key}'s figures changed (and is committed); {@code latest} says what. */
  public synchronized void changed(K key, V latest) {
    State<V> s = byKey.computeIfAbsent(key, k -> new State<>());
    s.latest = latest;
    if (s.scheduled) {
      return; // the run waiting reads this change too
    }
    if (s.running) {
      s.again = true; // it may have read the figures before this change
      return;
    }
    schedule(key, s);
  }

  private void schedule(K key, State<V> s) {
    s.scheduled = true;
    long wait = Math.max(1, s.lastRun + intervalMs - System.currentTimeMillis());
    vertx.setTimer(wait, id -> run(key, s));
  }

  private void run(K key, State<V> s) {
    V latest;
    synchronized (this) {
      s.scheduled = false;
      s.running = true;
      s.lastRun = System.currentTimeMillis();
      latest = s.latest;
    }
    // composed from a completed future so that work throwing synchronously still ends the run
    Future.succeededFuture(latest).compose(work).onComplete(ar -> {
      if (ar.failed() && !DbErrors.isOutage(ar.cause())) {
        LOG.warn("{} of {} not published", what, key, ar.cause());
      }
      synchronized (this) {
        s.running = false;
        if (s.again) {
          s.again = false;
          schedule(key, s);
        }
      }
    });
  }
}
