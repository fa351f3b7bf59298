package dev.confday.db;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.confday.TestServer;
import dev.confday.http.ApiError;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The server against a PostgreSQL that is restarted, killed and frozen under it: every answer
 * while it is away is 503 problem+json with Retry-After, none waits longer than the configured
 * bound, service returns within seconds of the database, and every acknowledged write is kept.
 */
class DatabaseOutageTest {
  /** Small bounds so the test is quick: a call waits at most 1.5 + 1 s. */
  private static final Map<String, String> ENV = Map.of(
      "CONFDAY_DB_CONNECT_TIMEOUT_MS", "1000",
      "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "1000",
      "CONFDAY_DB_STATEMENT_TIMEOUT_MS", "1500",
      "CONFDAY_LIVE_POLL_MS", "500");
  private static final long BOUND_MS = 2500;
  /** Scheduling slack on a busy two-core machine. */
  private static final long MARGIN_MS = 2000;

  private static ControlledPostgres pg;
  private static TestServer server;
  private static WebClient client;
  private static String slug;
  private static String organizer;

  @BeforeAll
  static void start() {
    pg = new ControlledPostgres("outage-postgres");
    Migrations.migrate(pg.database());
    server = TestServer.start(pg.database(), ENV);
    client = WebClient.create(server.vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    slug = "outage-test";
    Event event = await(server.server.events().createEvent(new NewEvent(slug, "Outage workshop", "UTC",
        LocalDate.parse("2023-07-29"), LocalDate.parse("2023-07-29"), null, null)));
    await(server.server.events().addPerson(event.id(), "org@example.org", "Olga Organizer", null, Role.ORGANIZER));
    organizer = server.sessionFor(slug, "org@example.org");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      client.close();
      server.close();
    }
    pg.close();
  }

  /** One answer as a client saw it, with how long it took. */
  record Answer(int status, String contentType, String retryAfter, String type, long millis, String label) {
    boolean unavailable() {
      return status == 503 && contentType != null && contentType.startsWith("application/problem+json")
          && retryAfter != null && Integer.parseInt(retryAfter) > 0 && "/problems/unavailable".equals(type);
    }
  }

  private static Future<Answer> timed(String label, Future<HttpResponse<Buffer>> call) {
    long started = System.nanoTime();
    return call.map(r -> {
      String type = null;
      if (r.getHeader("Content-Type") != null && r.getHeader("Content-Type").startsWith("application/problem+json")) {
        type = r.bodyAsJsonObject().getString("type");
      }
      return new Answer(r.statusCode(), r.getHeader("Content-Type"), r.getHeader("Retry-After"), type,
          (System.nanoTime() - started) / 1_000_000, label);
    });
  }

  private static Future<Answer> addRoom(String name) {
    return timed("add " + name, client.post("/api/events/" + slug + "/rooms").bearerTokenAuthentication(organizer)
        .timeout(30_000).sendJsonObject(new JsonObject().put("name", name).put("capacity", 10)));
  }

  private static Future<Answer> readSchedule() {
    return timed("schedule", client.get("/api/events/" + slug + "/schedule").timeout(30_000).send());
  }

  private static Future<Answer> readPeople() {
    return timed("people", client.get("/api/events/" + slug + "/people").bearerTokenAuthentication(organizer)
        .timeout(30_000).send());
  }

  private static Answer ready() {
    return await(timed("ready", client.get("/health/ready").timeout(30_000).send()));
  }

  /** Polls until the API answers 200 again; answers how long that took. */
  private static long millisUntilServing(long limitMs) {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(limitMs);
    while (System.nanoTime() < deadline) {
      if (await(readPeople()).status() == 200) {
        return (System.nanoTime() - started) / 1_000_000;
      }
    }
    throw new AssertionError("not serving again within " + limitMs + " ms");
  }

  private static Set<String> roomNames() {
    HttpResponse<Buffer> r = await(client.get("/api/events/" + slug).send());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("rooms").stream().map(o -> ((JsonObject) o).getString("name"))
        .collect(Collectors.toSet());
  }

  /** Collects what a logger writes while a test runs. */
  private static ListAppender<ILoggingEvent> capture(Class<?> type) {
    Logger logger = (Logger) LoggerFactory.getLogger(type);
    logger.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static void release(Class<?> type, ListAppender<ILoggingEvent> appender) {
    Logger logger = (Logger) LoggerFactory.getLogger(type);
    logger.detachAppender(appender);
    logger.setLevel(null);
  }

  @Test
  void aFrozenDatabaseIsA503WithinTheBoundForEveryRequestAndServiceResumes() {
    assertThat(await(readPeople()).status()).isEqualTo(200);
    ListAppender<ILoggingEvent> outageLog = capture(DbOutage.class);
    ListAppender<ILoggingEvent> problemLog = capture(dev.confday.http.Problems.class);
    pg.freeze();
    List<Answer> answers;
    Answer readiness;
    try {
      // more requests at once than the pool has connections: some wait for a connection, some for a statement
      List<Future<Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        calls.add(readPeople());
        calls.add(readSchedule());
        calls.add(addRoom("frozen-" + i));
      }
      readiness = ready();
      answers = await(Future.all(calls)).list();
    } finally {
      pg.thaw();
    }
    System.out.printf("frozen: %d answers, slowest %d ms, statuses %s; ready answered %d in %d ms%n", answers.size(),
        answers.stream().mapToLong(Answer::millis).max().orElse(0),
        answers.stream().map(a -> a.status()).collect(Collectors.toSet()), readiness.status(), readiness.millis());
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.millis()).isLessThan(2000 + MARGIN_MS);
    assertThat(answers).allSatisfy(a -> {
      assertThat(a.unavailable()).as(a.toString()).isTrue();
      assertThat(a.millis()).as(a.toString()).isLessThanOrEqualTo(BOUND_MS + MARGIN_MS);
    });
    long back = millisUntilServing(10_000);
    System.out.printf("frozen: serving again %d ms after the thaw%n", back);
    assertThat(back).isLessThan(5_000);
    assertThat(ready().status()).isEqualTo(200);
    release(DbOutage.class, outageLog);
    release(dev.confday.http.Problems.class, problemLog);
    // one line when it started, one when it ended; no trace per refused request
    assertThat(outageLog.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    assertThat(outageLog.list.get(0).getFormattedMessage()).startsWith("Database unavailable");
    assertThat(outageLog.list.get(1).getFormattedMessage()).startsWith("Database answers again");
    assertThat(problemLog.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  @Test
  void aTransactionWhoseStatementIsGivenUpOnCommitsNothing() {
    Pool pool = server.server.pool();
    await(pool.query("create table if not exists outage_probe (label text primary key)").execute());
    long started = System.nanoTime();
    Future<Integer> tx = pool.withTransaction(conn -> conn.query("insert into outage_probe values ('frozen-tx')")
        .execute()
        .compose(inserted -> server.vertx.executeBlocking(() -> {
          pg.freeze();
          return 0;
        }))
        .compose(frozen -> conn.query("select 1").execute().map(r -> r.size())));
    Throwable failure;
    try {
      failure = tx.toCompletionStage().toCompletableFuture().handle((r, t) -> t).join();
    } finally {
      pg.thaw();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(failure).isInstanceOf(ApiError.class);
    assertThat(((ApiError) failure).status()).isEqualTo(503);
    assertThat(millis).isLessThanOrEqualTo(BOUND_MS + MARGIN_MS);
    millisUntilServing(10_000);
    assertThat(await(pool.query("select count(*) from outage_probe where label = 'frozen-tx'").execute())
        .iterator().next().getLong(0)).isZero();
  }

  @Test
  void aLongTransactionOfQuickStatementsIsNotCut() {
    // 12 statements of 0.3 s: 3.6 s in all, longer than the bound of one statement (2.5 s)
    Integer done = await(server.server.pool().withTransaction(conn -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (int i = 0; i < 12; i++) {
        chain = chain.compose(n -> conn.query("select pg_sleep(0.3)").execute().map(r -> n + 1));
      }
      return chain;
    }));
    assertThat(done).isEqualTo(12);
  }

  @Test
  void aStatementLongerThanTheStatementTimeoutIsCancelledWith503() {
    long started = System.nanoTime();
    Throwable failure = server.server.pool().query("select pg_sleep(10)").execute().toCompletionStage()
        .toCompletableFuture().handle((r, t) -> t).join();
    assertThat(failure).isInstanceOf(ApiError.class);
    assertThat(((ApiError) failure).status()).isEqualTo(503);
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1000L, BOUND_MS + MARGIN_MS);
  }

  @Test
  void aRestartedDatabaseIs503MeanwhileAndEveryAcknowledgedWriteIsKept() {
    assertAcknowledgedWritesSurvive("restart", pg::stop);
  }

  @Test
  void aKilledDatabaseIs503MeanwhileAndEveryAcknowledgedWriteIsKept() {
    assertAcknowledgedWritesSurvive("kill", pg::kill);
  }

  private void assertAcknowledgedWritesSurvive(String label, Runnable outage) {
    List<String> acknowledged = new ArrayList<>();
    List<Answer> refused = new ArrayList<>();
    // before: writes succeed
    for (int i = 0; i < 5; i++) {
      Answer a = await(addRoom(label + "-before-" + i));
      assertThat(a.status()).as(a.toString()).isEqualTo(201);
      acknowledged.add(label + "-before-" + i);
    }
    outage.run();
    // while down: a bounded number of writes, each refused with 503 in time
    for (int i = 0; i < 10; i++) {
      Answer a = await(addRoom(label + "-down-" + i));
      if (a.status() == 201) {
        acknowledged.add(label + "-down-" + i);
      } else {
        refused.add(a);
      }
    }
    long restarted = System.nanoTime();
    pg.start();
    long startMs = (System.nanoTime() - restarted) / 1_000_000;
    // after: writes are acknowledged again within seconds; count each outcome
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int after = 0;
    long firstOkMs = -1;
    for (int i = 0; i < 200 && after < 5 && System.nanoTime() < deadline; i++) {
      Answer a = await(addRoom(label + "-after-" + i));
      if (a.status() == 201) {
        acknowledged.add(label + "-after-" + i);
        after++;
        if (firstOkMs < 0) {
          firstOkMs = (System.nanoTime() - restarted) / 1_000_000 - startMs;
        }
      } else {
        refused.add(a);
      }
    }
    System.out.printf("%s: %d acknowledged, %d refused (slowest %d ms), first write %d ms after the database was up "
        + "(its start took %d ms)%n", label, acknowledged.size(), refused.size(),
        refused.stream().mapToLong(Answer::millis).max().orElse(0), firstOkMs, startMs);
    assertThat(after).as("writes acknowledged after the database returned").isEqualTo(5);
    assertThat(firstOkMs).as("ms from the database being up to the first acknowledged write").isLessThan(5_000);
    assertThat(refused).isNotEmpty().allSatisfy(a -> {
      assertThat(a.unavailable()).as(a.toString()).isTrue();
      assertThat(a.millis()).as(a.toString()).isLessThanOrEqualTo(BOUND_MS + MARGIN_MS);
    });
    assertThat(roomNames()).containsAll(acknowledged);
  }
}
