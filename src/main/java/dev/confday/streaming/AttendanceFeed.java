package dev.confday.streaming;

import dev.confday.db.DbErrors;
import dev.confday.events.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an event's hybrid attendance on its organizer-only topic after a change (a first
 * stream join, a room check-in), coalesced: at most one publication per event per
 * {@code interval}; changes while one is waiting or under way share the next one, which reads
 * the figures after they committed. Per instance: several instances may each publish a change,
 * which costs a duplicate message, never a lost one.
 */
final class AttendanceFeed {
  private static final Logger LOG = LoggerFactory.getLogger(AttendanceFeed.class);

  private final Vertx vertx;
  private final long intervalMs;
  private final Function<Event, Future<Void>> publish;
  /** One small state per event that changed since start (kept: it remembers the last publication). */
  private final Map<String, State> bySlug = new HashMap<>();

  private static final class State {
    boolean scheduled;
    boolean running;
    boolean again;
    long lastRun = Long.MIN_VALUE / 2;
    Event event;
  }

  AttendanceFeed(Vertx vertx, long intervalMs, Function<Event, Future<Void>> publish) {
    this.vertx = vertx;
    this.intervalMs = intervalMs;
    this.publish = publish;
  }

  /** Something in the event's attendance changed (and is committed). */
  synchronized void changed(Event event) {
    State s = bySlug.computeIfAbsent(event.slug(), k -> new State());
    s.event = event;
    if (s.scheduled) {
      return; // the publication waiting reads this change too
    }
    if (s.running) {
      s.again = true; // it may have read the figures before this change
      return;
    }
    schedule(s);
  }

  private void schedule(State s) {
    s.scheduled = true;
    long wait = Math.max(1, s.lastRun + intervalMs - System.currentTimeMillis());
    vertx.setTimer(wait, id -> run(s));
  }

  private void run(State s) {
    Event event;
    synchronized (this) {
      s.scheduled = false;
      s.running = true;
      s.lastRun = System.currentTimeMillis();
      event = s.event;
    }
    Future<Void> f;
    try {
      f = publish.apply(event);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed() && !DbErrors.isOutage(ar.cause())) {
        LOG.warn("Attendance of {} not published", event.slug(), ar.cause());
      }
      synchronized (this) {
        s.running = false;
        if (s.again) {
          s.again = false;
          schedule(s);
        }
      }
    });
  }

  static JsonObject message(JsonObject attendance) {
    return attendance.copy().put("kind", "attendance");
  }
}
