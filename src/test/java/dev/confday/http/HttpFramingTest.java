package dev.confday.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.confday.ServerTestBase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * RFC 9112 6.1 and 6.3 over raw sockets: a request whose framing is ambiguous is answered 400
 * problem+json and its connection closed, so a second request hidden in it (smuggled) gets no
 * answer of its own; and none of it logs an error.
 */
class HttpFramingTest extends ServerTestBase {
  static final String SMUGGLED = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ListAppender<ILoggingEvent> log;

  @BeforeEach
  void watchLog() {
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterEach
  void noErrorWasLogged() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
  }

  private static void refusedAndClosed(RawHttp.Answer answer) {
    assertThat(answer.text()).startsWith("HTTP/1.1 400 ");
    assertThat(answer.text()).containsIgnoringCase("Content-Type: application/problem+json");
    assertThat(answer.responses()).as(answer.text()).isEqualTo(1);
    assertThat(answer.closed()).as("connection closed").isTrue();
    String body = answer.text().substring(answer.text().indexOf("\r\n\r\n") + 4);
    assertThat(new JsonObject(body).getInteger("status")).isEqualTo(400);
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAndClosed() throws Exception {
    refusedAndClosed(RawHttp.exchange(server.port(), "POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + SMUGGLED, 5000));
  }

  @Test
  void transferEncodingOtherThanChunkedIsRefused() throws Exception {
    for (String te : new String[] {"chunked, identity", "identity", "gzip, chunked", "chunked, chunked"}) {
      refusedAndClosed(RawHttp.exchange(server.port(), "POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\n"
          + "Transfer-Encoding: " + te + "\r\n\r\n0\r\n\r\n" + SMUGGLED, 5000));
    }
  }

  @Test
  void twoTransferEncodingHeadersAreRefused() throws Exception {
    refusedAndClosed(RawHttp.exchange(server.port(), "POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\n"
        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n" + SMUGGLED, 5000));
  }

  @Test
  void obsFoldedHeadersAreRefused() throws Exception {
    refusedAndClosed(RawHttp.exchange(server.port(), "POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\n"
        + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 5000));
    refusedAndClosed(RawHttp.exchange(server.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
        + "X-Note: one\r\n\ttwo\r\n\r\n", 5000));
  }

  @Test
  void twoHostHeadersOrNoneAreRefused() throws Exception {
    refusedAndClosed(RawHttp.exchange(server.port(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
        + "Host: evil.example\r\n\r\n", 5000));
    refusedAndClosed(RawHttp.exchange(server.port(), "GET /health/live HTTP/1.1\r\n\r\n", 5000));
  }

  @Test
  void chunkSizeOverflowIsAnswered400WithoutAnErrorInTheLog() throws Exception {
    refusedAndClosed(RawHttp.exchange(server.port(), "POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "FFFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n" + SMUGGLED, 5000));
    // the request whose body broke ends on the server after the answer: give its failure a second to show
    long end = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < end && log.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))) {
      Thread.sleep(20);
    }
  }

  @Test
  void wellFramedRequestsStillWorkOnOneKeptAliveConnection() throws Exception {
    String chunked = "POST /api/auth/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + "d\r\n{\"token\":\"x\"}\r\n0\r\n\r\n";
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer answer = http.send(chunked + SMUGGLED).read(1500);
      assertThat(answer.responses()).as(answer.text()).isEqualTo(2);
      assertThat(answer.text()).startsWith("HTTP/1.1 401 ").contains("HTTP/1.1 200 ");
      assertThat(answer.closed()).isFalse();
    }
  }
}
