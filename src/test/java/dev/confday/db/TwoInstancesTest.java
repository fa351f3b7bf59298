package dev.confday.db;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two instances booting at the same moment against one empty database both come up, with one schema. */
class TwoInstancesTest {
  @Test
  void twoInstancesBootingTogetherOnAnEmptyDatabaseBothServe() throws Exception {
    Database empty = TestDatabase.emptyDatabase();
    CyclicBarrier together = new CyclicBarrier(2);
    List<CompletableFuture<TestServer>> boots = List.of(boot(empty, together), boot(empty, together));
    TestServer a = boots.get(0).get(120, TimeUnit.SECONDS);
    TestServer b = boots.get(1).get(120, TimeUnit.SECONDS);
    try {
      String slug = a.seedDemo();
      assertThat(await(b.client.get("/api/events/" + slug).send()).statusCode()).isEqualTo(200);
      assertThat(await(a.client.get("/health/ready").send()).statusCode()).isEqualTo(200);
      assertThat(await(b.client.get("/health/ready").send()).statusCode()).isEqualTo(200);
      // one schema: each migration applied exactly once
      var rows = await(a.server.pool().query(
          "select version, count(*) from flyway_schema_history where success group by version having count(*) > 1")
          .execute());
      assertThat(rows.size()).isZero();
      // the demo is loaded once even when both instances try
      String again = b.seedDemo();
      assertThat(again).isEqualTo(slug);
      assertThat(await(b.client.get("/api/events").send()).bodyAsJsonArray()).hasSize(1);
    } finally {
      a.close();
      b.close();
    }
  }

  private static CompletableFuture<TestServer> boot(Database db, CyclicBarrier together) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        together.await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      Migrations.migrate(db);
      return TestServer.start(db, Map.of());
    });
  }
}
