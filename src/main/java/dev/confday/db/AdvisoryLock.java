package dev.confday.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/**
 * A PostgreSQL session advisory lock held on one pooled connection while some work runs on
 * others: instances that would do the same one-off work (loading the demo event) take turns.
 * The lock goes with the connection, so a process that dies mid-work frees it.
 */
public final class AdvisoryLock {
  /** The wait for another holder may be long: not cut by the pool's statement_timeout. */
  private static final String NO_TIMEOUT = "SET statement_timeout = 0";
  private static final String LOCK = "SELECT pg_advisory_lock($1)";
  private static final String RESET = "RESET statement_timeout";
  private static final String UNLOCK = "SELECT pg_advisory_unlock($1)";

  private AdvisoryLock() {
  }

  /** Runs {@code work} while holding the lock {@code key}, waiting for any other holder. */
  public static <T> Future<T> withLock(Pool pool, long key, Supplier<Future<T>> work) {
    return pool.getConnection().compose(conn -> conn.query(NO_TIMEOUT).execute()
        .compose(none -> conn.preparedQuery(LOCK).execute(Tuple.of(key)))
        .eventually(() -> conn.query(RESET).execute())
        .compose(locked -> work.get())
        .eventually(() -> unlock(conn, key)));
  }

  private static Future<Void> unlock(SqlConnection conn, long key) {
    return conn.preparedQuery(UNLOCK).execute(Tuple.of(key)).mapEmpty()
        .eventually(conn::close).mapEmpty();
  }
}
