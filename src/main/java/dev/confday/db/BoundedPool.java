package dev.confday.db;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.TransactionPropagation;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.spi.DatabaseMetadata;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * The reactive pool every feature uses, with each call bounded in time: a statement (also each
 * statement of a transaction, and its begin and commit) or the wait for a connection fails
 * after {@code timeout} even when PostgreSQL does not answer at all (frozen, or a network that
 * drops packets), where its own {@code statement_timeout} cannot help. A transaction is bounded
 * per statement, not as a whole, so a long import of many quick statements is not cut; one
 * whose statement is given up on is rolled back (the rollback is queued behind the stalled
 * statement), so nothing of it is committed. Failures that mean "the database is unavailable" leave
 * as {@link DbErrors#unavailableError()} (503 with Retry-After); errors about the request itself
 * (a unique violation...) pass unchanged. Records outages in {@link DbOutage}.
 *
 * <p>A single statement or a commit given up on keeps running on its connection until
 * PostgreSQL answers or the connection closes: such a write whose caller got 503 may still have
 * happened, as with any timeout. {@link #getConnection()} gives a connection of one's own whose
 * statements are not bounded here (for long waits such as {@link AdvisoryLock}).
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
    return getConnection().compose(conn -> {
      Future<Transaction> began = timed(conn.begin());
      // the work starts at once, not when BEGIN has answered: its first statement goes to the
      // connection right behind BEGIN (the connection runs them in order, inside the transaction
      // begin() opened at once), so BEGIN costs no round trip of its own
      Future<T> work = apply(function, new BoundedConnection(conn));
      return began.transform(b -> work.transform(done -> {
        Transaction tx = b.succeeded() ? b.result() : conn.transaction();
        if (b.succeeded() && done.succeeded()) {
          return timed(tx.commit()).map(done.result());
        }
        // not awaited: on a frozen database it queues behind the stalled statement and runs right after it on thaw,
        // before any later user of this connection
        if (tx != null) {
          tx.rollback();
        }
        return Future.<T>failedFuture(b.failed() ? b.cause() : done.cause());
      })).onComplete(done -> release(conn));
    });
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation propagation,
      Function<SqlConnection, Future<T>> function) {
    if (propagation != TransactionPropagation.NONE) {
      throw new UnsupportedOperationException("only TransactionPropagation.NONE is used here");
    }
    return withTransaction(function);
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
    return getConnection().compose(conn -> apply(function, new BoundedConnection(conn))
        .onComplete(done -> release(conn)));
  }

  /** Gives a connection back without waiting: on a frozen database that would wait behind the stalled statement. */
  private static void release(SqlConnection conn) {
    conn.close();
  }

  private static <T> Future<T> apply(Function<SqlConnection, Future<T>> function, SqlConnection conn) {
    try {
      return function.apply(conn);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
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

  /** A pooled connection lent to a transaction: each statement on it is bounded like the pool's. */
  private final class BoundedConnection implements SqlConnection {
    private final SqlConnection conn;
    BoundedConnection(SqlConnection conn) {
      this.conn = conn;
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
      return new BoundedQuery<>(conn.query(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
      return new BoundedPreparedQuery<>(conn.preparedQuery(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
      return new BoundedPreparedQuery<>(conn.preparedQuery(sql, options));
    }

    @Override
    public Future<PreparedStatement> prepare(String sql) {
      return timed(conn.prepare(sql));
    }

    @Override
    public Future<PreparedStatement> prepare(String sql, PrepareOptions options) {
      return timed(conn.prepare(sql, options));
    }

    @Override
    public SqlConnection exceptionHandler(Handler<Throwable> handler) {
      conn.exceptionHandler(handler);
      return this;
    }

    @Override
    public SqlConnection closeHandler(Handler<Void> handler) {
      conn.closeHandler(handler);
      return this;
    }

    @Override
    public Future<Transaction> begin() {
      throw new UnsupportedOperationException("the transaction is begun and ended by withTransaction");
    }

    @Override
    public Transaction transaction() {
      return conn.transaction();
    }

    @Override
    public boolean isSSL() {
      return conn.isSSL();
    }

    @Override
    public DatabaseMetadata databaseMetadata() {
      return conn.databaseMetadata();
    }

    @Override
    public Future<Void> close() {
      throw new UnsupportedOperationException("the connection is returned by withTransaction");
    }
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
