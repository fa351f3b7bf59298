package dev.confday.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.TransactionPropagation;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * The reactive pool every feature uses, with each call bounded in time: a statement, a
 * transaction or the wait for a connection fails after {@code timeout} even when PostgreSQL
 * does not answer at all (frozen, or a network that drops packets), where its own
 * {@code statement_timeout} cannot help. Failures that mean "the database is unavailable" leave
 * as {@link DbErrors#unavailableError()} (503 with Retry-After); errors about the request itself
 * (a unique violation...) pass unchanged. Records outages in {@link DbOutage}.
 *
 * <p>A call given up on keeps running on its connection until PostgreSQL answers or the
 * connection closes: a write whose caller got 503 may still commit, as with any timeout.
 */
public final class BoundedPool implements Pool {
  private final Pool pool;
  private final long timeoutMs;
  private final DbOutage outage;

  public BoundedPool(Pool pool, Duration timeout, DbOutage outage) {
    this.pool = pool;
    this.timeoutMs = timeout.toMillis();
    this.outage = outage;
  }

  public DbOutage outage() {
    return outage;
  }

  @Override
  public Future<SqlConnection> getConnection() {
    Future<SqlConnection> acquired = pool.getConnection();
    return bound(acquired.timeout(timeoutMs, TimeUnit.MILLISECONDS).onFailure(t ->
        // a connection that arrives after we gave up goes straight back to the pool
        acquired.onSuccess(SqlConnection::close)));
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return new BoundedQuery<>(pool.query(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return new BoundedPreparedQuery<>(pool.preparedQuery(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new BoundedPreparedQuery<>(pool.preparedQuery(sql, options));
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
    return timed(pool.withTransaction(function));
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation propagation,
      Function<SqlConnection, Future<T>> function) {
    return timed(pool.withTransaction(propagation, function));
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
    return timed(pool.withConnection(function));
  }

  @Override
  public int size() {
    return pool.size();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private <T> Future<T> timed(Future<T> call) {
    return bound(call.timeout(timeoutMs, TimeUnit.MILLISECONDS));
  }

  private <T> Future<T> bound(Future<T> call) {
    return call.transform(ar -> {
      if (ar.succeeded()) {
        outage.answered();
        return Future.succeededFuture(ar.result());
      }
      if (DbErrors.unavailable(ar.cause())) {
        outage.failed(ar.cause());
        return Future.failedFuture(DbErrors.unavailableError());
      }
      outage.answered();
      return Future.failedFuture(ar.cause());
    });
  }

  private class BoundedQuery<T> implements Query<T> {
    private final Query<T> query;

    BoundedQuery(Query<T> query) {
      this.query = query;
    }

    @Override
    public Future<T> execute() {
      return timed(query.execute());
    }

    @Override
    public <R> Query<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new BoundedQuery<>(query.collecting(collector));
    }

    @Override
    public <U> Query<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new BoundedQuery<>(query.mapping(mapper));
    }
  }

  private final class BoundedPreparedQuery<T> extends BoundedQuery<T> implements PreparedQuery<T> {
    private final PreparedQuery<T> query;

    BoundedPreparedQuery(PreparedQuery<T> query) {
      super(query);
      this.query = query;
    }

    @Override
    public Future<T> execute(Tuple tuple) {
      return timed(query.execute(tuple));
    }

    @Override
    public Future<T> executeBatch(List<Tuple> batch) {
      return timed(query.executeBatch(batch));
    }

    @Override
    public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new BoundedPreparedQuery<>(query.collecting(collector));
    }

    @Override
    public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new BoundedPreparedQuery<>(query.mapping(mapper));
    }
  }
}
