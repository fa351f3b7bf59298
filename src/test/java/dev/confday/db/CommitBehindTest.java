package dev.confday.db;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.TestServer;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundedPool#commitBehind}: COMMIT sent right behind a transaction's last statements
 * keeps them all when they succeed, and keeps none when one of them fails.
 */
class CommitBehindTest {
  private static TestServer server;
  private static Pool pool;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    pool = server.server.pool();
    await(pool.query("create table commit_behind (k int primary key)").execute());
  }

  @AfterAll
  static void stop() {
    await(pool.query("drop table commit_behind").execute());
    server.close();
  }

  private static Future<Void> insert(io.vertx.sqlclient.SqlConnection tx, int k) {
    return tx.preparedQuery("insert into commit_behind (k) values ($1)").execute(Tuple.of(k)).mapEmpty();
  }

  private static List<Integer> keys() {
    List<Integer> keys = new ArrayList<>();
    for (Row r : await(pool.query("select k from commit_behind order by k").execute())) {
      keys.add(r.getInteger(0));
    }
    return keys;
  }

  @Test
  void statementsFollowedByCommitAreKeptAndCommittedBeforeTheWorkEnds() {
    List<Integer> seenFromOutside = await(pool.withTransaction(tx -> {
      Future<Void> a = insert(tx, 1);
      Future<Void> b = insert(tx, 2);
      // another connection sees both rows before the work's future completes: the COMMIT sent
      // behind them, not the one withTransaction would send afterwards, committed them
      return Future.all(a, b, BoundedPool.commitBehind(tx))
          .compose(v -> pool.query("select k from commit_behind order by k").execute())
          .map(rows -> {
            List<Integer> keys = new ArrayList<>();
            rows.forEach(r -> keys.add(r.getInteger(0)));
            return keys;
          });
    }));

    assertThat(seenFromOutside).containsExactly(1, 2);
    assertThat(keys()).containsExactly(1, 2);
  }

  @Test
  void aFailingStatementBeforeTheCommitLeavesNothing() {
    await(pool.query("insert into commit_behind (k) values (10)").execute());

    assertThatThrownBy(() -> await(pool.withTransaction(tx -> {
      Future<Void> a = insert(tx, 11);
      Future<Void> duplicate = insert(tx, 10);
      return Future.all(a, duplicate, BoundedPool.commitBehind(tx)).mapEmpty();
    }))).hasRootCauseInstanceOf(PgException.class);

    assertThat(keys()).contains(10).doesNotContain(11);
  }
}
