package dev.confday.db;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database is answering, as the pool last saw it, so an outage is logged as one
 * WARN line when it starts and one INFO line when the database answers again, not as a stack
 * trace per refused request.
 */
public final class DbOutage {
  private static final Logger LOG = LoggerFactory.getLogger(DbOutage.class);

  /** Nanos since the outage started, or null while the database answers. */
  private final AtomicReference<Long> since = new AtomicReference<>();
  private final AtomicLong refused = new AtomicLong();

  /** A call failed because the database is unavailable. */
  void failed(Throwable cause) {
    refused.incrementAndGet();
    if (since.compareAndSet(null, System.nanoTime())) {
      LOG.warn("Database unavailable ({}): answering 503 with Retry-After until it is back", describe(cause));
    }
  }

  /** The database answered a call (successfully or with an error about the request). */
  void answered() {
    Long started = since.get();
    if (started != null && since.compareAndSet(started, null)) {
      LOG.info("Database answers again after {} ms ({} calls refused meanwhile)",
          (System.nanoTime() - started) / 1_000_000, refused.getAndSet(0));
    }
  }

  public boolean down() {
    return since.get() != null;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
