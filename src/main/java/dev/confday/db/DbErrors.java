package dev.confday.db;

import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Maps PostgreSQL errors to domain errors once, so no feature looks at SQLSTATEs itself: a
 * broken rule becomes 409 or 400, and a database that is not there (down, restarting, frozen,
 * out of connections) becomes {@code 503 /problems/unavailable} with {@code Retry-After}.
 */
public final class DbErrors {
  /** Seconds a client is told to wait before retrying while the database is unavailable. */
  public static final int RETRY_AFTER_SECONDS = 5;

  /**
   * SQLSTATEs that say the database, not the request, is the problem: admin shutdown, crash
   * shutdown, starting up, too many connections, statement cancelled by {@code statement_timeout}
   * (or an operator), and the whole class 08 (connection exceptions).
   */
  private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "57P04", "57P05",
      "53300", "57014");

  /** SQLSTATE of a unique violation: a second row with the same key. */
  public static final String UNIQUE_VIOLATION = "23505";
  /** SQLSTATE of an exclusion violation: two rows an exclusion constraint keeps apart (e.g. overlapping times). */
  public static final String EXCLUSION_VIOLATION = "23P01";

  /** SQLSTATE of a deadlock PostgreSQL broke by aborting this transaction. */
  public static final String DEADLOCK = "40P01";
  /** SQLSTATE of a serialization failure: the transaction may succeed if run again. */
  public static final String SERIALIZATION_FAILURE = "40001";

  private DbErrors() {
  }

  /**
   * Whether the transaction that failed with {@code t} was aborted by PostgreSQL only because of
   * another one at the same time (deadlock, serialization failure): running it again is safe
   * (nothing of it was kept) and normally succeeds.
   */
  public static boolean retryable(Throwable t) {
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof PgException pg) {
        String state = String.valueOf(pg.getSqlState());
        return DEADLOCK.equals(state) || SERIALIZATION_FAILURE.equals(state);
      }
    }
    return false;
  }

  /**
   * {@code pool.withTransaction(work)}, run again (up to {@code attempts} times in all) when
   * PostgreSQL aborted it for a deadlock or a serialization failure; any other failure, or the
   * last attempt's, is the answer. {@code work} must do nothing outside the transaction.
   */
  public static <T> Future<T> withRetriedTransaction(io.vertx.sqlclient.Pool pool, int attempts,
      java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<T>> work) {
    return pool.withTransaction(work::apply).recover(t -> attempts > 1 && retryable(t)
        ? withRetriedTransaction(pool, attempts - 1, work)
        : Future.failedFuture(t));
  }

  /** Use in {@code recover}: a unique violation becomes 409, a foreign key or check violation 400. */
  public static <T> Future<T> map(Throwable t, String conflictDetail) {
    if (t instanceof PgException pg) {
      return switch (String.valueOf(pg.getSqlState())) {
        case UNIQUE_VIOLATION -> Future.failedFuture(ApiError.conflict(conflictDetail));
        case "23503", "23514", "22P02", "22007", "22008" -> Future.failedFuture(
            ApiError.badRequest("The request refers to something that does not exist or is out of range."));
        default -> Future.failedFuture(t);
      };
    }
    return Future.failedFuture(t);
  }

  /**
   * Use in {@code recover} around writes an exclusion constraint guards: an exclusion violation
   * becomes {@code conflict} (a 409 naming what the constraint guards against, with the
   * feature's own problem type); anything else fails as it was.
   */
  public static <T> Future<T> mapExclusion(Throwable t, ApiError conflict) {
    if (t instanceof PgException pg && EXCLUSION_VIOLATION.equals(pg.getSqlState())) {
      return Future.failedFuture(conflict);
    }
    return Future.failedFuture(t);
  }

  /**
   * Whether {@code t} (or one of its causes) says the database cannot be reached or does not
   * answer: refused, reset or closed connections, a shutdown or start-up in progress, a full
   * pool, a timeout. Not for errors the database answered about the request itself.
   */
  public static boolean unavailable(Throwable t) {
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof PgException pg) {
        String state = String.valueOf(pg.getSqlState());
        return state.startsWith("08") || UNAVAILABLE_STATES.contains(state);
      }
      if (t instanceof ApiError api) {
        return api.status() == 503 && "unavailable".equals(api.type());
      }
      if (t instanceof java.nio.file.FileSystemException || t instanceof io.vertx.core.file.FileSystemException) {
        return false; // a file, not the database (a full disk is 507, not 503)
      }
      if (t instanceof ClosedConnectionException || t instanceof ConnectionPoolTooBusyException
          || t instanceof TimeoutException || t instanceof IOException
          || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
      if (t instanceof VertxException && t.getMessage() != null
          && (t.getMessage().startsWith("Timeout waiting for connection") || t.getMessage().contains("closed"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code t} is the pool's "database unavailable" answer: background work (polls,
   * presence, key refresh) need not log it again, {@link DbOutage} logged the outage once.
   */
  public static boolean isOutage(Throwable t) {
    return t instanceof ApiError api && api.status() == 503 && "unavailable".equals(api.type());
  }

  /** The answer to every request that needed the database while it was unavailable. */
  public static ApiError unavailableError() {
    return new ApiError(503, "unavailable", "Service unavailable",
        "The database is not answering right now. Nothing was changed unless you were told so; "
            + "please try again in a few seconds.").with("retryAfter", RETRY_AFTER_SECONDS);
  }
}
