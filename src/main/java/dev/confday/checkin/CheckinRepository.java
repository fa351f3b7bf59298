package dev.confday.checkin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/** Runs the statements of {@link CheckinSql}, on the pool or within the caller's transaction. */
final class CheckinRepository {
  private final Pool pool;

  CheckinRepository(Pool pool) {
    this.pool = pool;
  }

  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work::apply);
  }

  /** One statement of {@link CheckinSql} on {@code client} (the pool, or a transaction's connection). */
  Future<RowSet<Row>> run(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args);
  }
}
