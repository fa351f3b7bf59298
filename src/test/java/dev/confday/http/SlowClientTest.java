package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients are cut within configured bounds (here 2 s to send a request head, 5 s idle): a
 * slowloris trickling its headers, a body that trickles or stops, a kept-alive connection left
 * silent. A WebSocket, once upgraded, is not subject to the request deadline.
 */
class SlowClientTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_HTTP_REQUEST_TIMEOUT_SECONDS", "2",
        "CONFDAY_HTTP_IDLE_TIMEOUT_SECONDS", "5"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSlowlorisTricklingItsHeadIsAnswered408AndCut() throws Exception {
    String head = "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(40) + "\r\n\r\n";
    try (RawHttp http = new RawHttp(server.port())) {
      long start = System.nanoTime();
      RawHttp.Answer answer = null;
      // one byte every 400 ms: the idle timeout alone would never fire
      for (int i = 0; i < head.length(); i++) {
        try {
          http.send(head.substring(i, i + 1));
        } catch (java.io.IOException closed) {
          break;
        }
        answer = http.read(400);
        if (answer.closed() || !answer.text().isEmpty()) {
          break;
        }
      }
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(answer).isNotNull();
      String text = answer.text().isEmpty() ? http.read(2000).text() : answer.text();
      assertThat(text).startsWith("HTTP/1.1 408 ").contains("application/problem+json");
      assertThat(tookMs).isBetween(1500L, 4500L);
    }
  }

  @Test
  void aHeadThatStopsHalfwayIsCut() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer answer = http.send("GET /health/live HTTP/1.1\r\nHost: loc").read(6000);
      assertThat(answer.text()).startsWith("HTTP/1.1 408 ");
      assertThat(answer.closed()).isTrue();
      assertThat(answer.millis()).isBetween(1500L, 4500L);
    }
  }

  @Test
  void aBodyThatStopsHalfwayIsCut() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer answer = http.send("POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"token\":").read(8000);
      assertThat(answer.text()).startsWith("HTTP/1.1 408 ");
      assertThat(answer.closed()).isTrue();
      assertThat(answer.millis()).isLessThan(6000L);
    }
  }

  @Test
  void aSilentKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer first = http.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n").read(500);
      assertThat(first.text()).startsWith("HTTP/1.1 200 ");
      assertThat(first.closed()).isFalse();
      RawHttp.Answer rest = http.read(9000);
      assertThat(rest.closed()).as("closed by the idle timeout").isTrue();
      assertThat(rest.millis()).isBetween(3000L, 8000L);
    }
  }

  @Test
  void aKeptAliveConnectionServesTheNextRequestAfterTheRequestTimeout() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      assertThat(http.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n").read(2500).text())
          .startsWith("HTTP/1.1 200 ");
      // 2.5 s later (beyond the 2 s request timeout, within the idle timeout) the next request is served
      assertThat(http.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n").read(500).text())
          .startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void anUpgradedWebSocketOutlivesTheRequestTimeout() throws Exception {
    String ticket = await(server.client.post("/api/live/ticket").send()).bodyAsJsonObject().getString("ticket");
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(server.port())
          .setURI("/live?ticket=" + ticket).addHeader("Origin", server.baseUrl())));
      java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
      ws.closeHandler(v -> closed.set(true));
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end && !closed.get()) {
        Thread.sleep(50);
      }
      assertThat(closed.get()).isFalse();
      assertThat(ws.isClosed()).isFalse();
    } finally {
      await(client.close());
    }
  }
}
