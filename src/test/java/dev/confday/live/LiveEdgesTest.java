package dev.confday.live;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.confday.TestServer;
import dev.confday.auth.TokenType;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The live backbone at its edges: frames that are not UTF-8, clients without an Origin, the
 * request log of an upgrade, an expired ticket, and a LISTEN connection cut from the database.
 */
class LiveEdgesTest {

  @Test
  void textFrameThatIsNotUtf8ClosesWith1007AndFragmentedUtf8IsFine() throws Exception {
    try (TestServer server = TestServer.start()) {
      try (RawWebSocket ws = new RawWebSocket(server.port(), "/live?ticket=" + LiveClient.ticket(server, null), 65536)) {
        // "é" split across two frames is one valid message
        byte[] ping = "{\"type\":\"ping\",\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        int split = "{\"type\":\"ping\",\"x\":\"".length() + 1;
        ws.sendFrame(0x1, false, java.util.Arrays.copyOfRange(ping, 0, split));
        ws.sendFrame(0x0, true, java.util.Arrays.copyOfRange(ping, split, ping.length));
        ws.sendFrame(0x1, true, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        List<RawWebSocket.Frame> frames = ws.readUntilClose(10);
        assertThat(frames.stream().filter(f -> f.opcode() == 0x1)
            .map(f -> new String(f.payload(), StandardCharsets.UTF_8)))
            .anySatisfy(t -> assertThat(t).contains("\"pong\""))
            .noneSatisfy(t -> assertThat(t).contains("bad-message"));
        RawWebSocket.Frame last = frames.get(frames.size() - 1);
        assertThat(last.opcode()).isEqualTo(0x8);
        assertThat(last.closeCode()).isEqualTo(1007);
      }
    }
  }

  @Test
  void clientWithoutOriginConnectsWithATicketOnlyAndEachUpgradeIsLoggedOnce() throws Exception {
    ListAppender<ILoggingEvent> access = attach("confday.access");
    try (TestServer server = TestServer.start()) {
      // no Origin header (a non-browser client): refused without a ticket, before any upgrade
      HttpResponse<Buffer> noTicket = await(server.client.get("/live").putHeader("Upgrade", "websocket")
          .putHeader("Connection", "Upgrade").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
          .putHeader("Sec-WebSocket-Version", "13").send());
      assertThat(noTicket.statusCode()).isEqualTo(401);
      // with a ticket it connects (RawWebSocket sends no Origin and fails unless it gets 101)
      try (RawWebSocket ws = new RawWebSocket(server.port(), "/live?ticket=" + LiveClient.ticket(server, null), 65536)) {
        ws.sendText("{\"type\":\"ping\"}");
        waitFor(() -> upgrades(access) == 1, "the access log line of the upgrade");
      }
      try (RawWebSocket ws = new RawWebSocket(server.port(), "/live?ticket=" + LiveClient.ticket(server, null), 65536)) {
        waitFor(() -> upgrades(access) == 2, "the access log line of the second upgrade");
      }
      assertThat(access.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("GET /live 101")))
          .allSatisfy(m -> assertThat(m).matches("GET /live 101 upgraded to WebSocket \\d+ms id=\\S+"))
          .noneSatisfy(m -> assertThat(m).contains("ticket"));
      // a closed WebSocket is not an HTTP request whose client went away
      assertThat(access.list.stream().map(ILoggingEvent::getFormattedMessage))
          .noneSatisfy(m -> assertThat(m).startsWith("GET /live 499"));
    } finally {
      detach("confday.access", access);
    }
  }

  @Test
  void expiredTicketIsDescribedAsAnExpiredLiveTicket() {
    try (TestServer server = TestServer.start()) {
      String expired = server.server.tokens().issue(TokenType.WS_TICKET, "0", null, null, Duration.ofSeconds(-5));
      HttpResponse<Buffer> r = await(server.client.get("/live?ticket=" + expired).putHeader("Upgrade", "websocket")
          .putHeader("Connection", "Upgrade").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
          .putHeader("Sec-WebSocket-Version", "13").send());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.bodyAsJsonObject().getString("detail"))
          .isEqualTo("The live ticket has expired; ask for a new one (POST /api/live/ticket).");
    }
  }

  @Test
  void listenConnectionCutByTheDatabaseLogsOneWarningAndReconnectsWithNothingOnStderr() throws Exception {
    ListAppender<ILoggingEvent> live = attach(LiveService.class.getName());
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      TestServer server = TestServer.start();
      try (Connection c = DriverManager.getConnection(server.database.jdbcUrl(), server.database.user(),
          server.database.password()); Statement s = c.createStatement()) {
        long first = waitForListener(s, -1);
        s.execute("select pg_terminate_backend(" + first + ")");
        long second = waitForListener(s, first);
        assertThat(second).isNotEqualTo(first);
      }
      List<String> warnings = live.list.stream().filter(e -> e.getLevel() == Level.WARN)
          .map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(warnings).hasSize(1);
      // the cause as the driver saw it: the backend's FATAL, or the reset that carried it
      assertThat(warnings.get(0)).startsWith("LISTEN connection lost (").endsWith("; reconnecting");
      server.close();
      // and nothing at shutdown
      assertThat(live.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))).hasSize(1);
    } finally {
      System.setErr(stderr);
      detach(LiveService.class.getName(), live);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("PgException").doesNotContain("terminating");
  }

  /** The pid of this database's LISTEN backend, once it is another than {@code not}. */
  private static long waitForListener(Statement s, long not) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (ResultSet rs = s.executeQuery("select pid from pg_stat_activity where datname = current_database()"
          + " and query ilike 'listen %' and pid <> " + not)) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no LISTEN connection (other than " + not + ") within 20 s");
  }

  private static long upgrades(ListAppender<ILoggingEvent> access) {
    return access.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("GET /live 101"))
        .count();
  }

  private static void waitFor(Supplier<Boolean> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static ListAppender<ILoggingEvent> attach(String name) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    // this appender only, at INFO: the console keeps the test configuration's level
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    return appender;
  }

  private static void detach(String name, ListAppender<ILoggingEvent> appender) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    logger.detachAppender(appender);
    logger.setLevel(null);
    logger.setAdditive(true);
  }
}
