package dev.confday.live;

import dev.confday.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A real WebSocket client of the live endpoint that records every message it receives. */
public final class LiveClient implements AutoCloseable {
  private final WebSocketClient client;
  final WebSocket ws;
  private final List<JsonObject> received = new ArrayList<>();
  private volatile Short closeCode;
  private volatile String closeReason;

  private LiveClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      synchronized (received) {
        received.add(new JsonObject(text));
        received.notifyAll();
      }
    });
    ws.closeHandler(v -> {
      closeReason = ws.closeReason();
      closeCode = ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode();
      synchronized (received) {
        received.notifyAll();
      }
    });
  }

  /** A ticket from the server (anonymous when bearer is null). */
  static String ticket(TestServer server, String bearer) {
    var request = server.client.post("/api/live/ticket");
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    var response = TestServer.await(request.send());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("ticket: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("ticket");
  }

  public static LiveClient connect(Vertx vertx, TestServer server, String bearer) {
    return connect(vertx, server, ticket(server, bearer), server.baseUrl());
  }

  /** Connects with the given ticket (e.g. a topic ticket) from the given Origin. */
  public static LiveClient connect(Vertx vertx, TestServer server, String ticket, String origin) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(256 * 1024)
        .setMaxMessageSize(256 * 1024));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(server.port())
        .setURI("/live?ticket=" + ticket);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    try {
      // handlers go on in the completion callback, on the socket's event loop, before any frame is read
      LiveClient live = TestServer.await(client.connect(options).map(ws -> new LiveClient(client, ws)));
      live.awaitMessage(m -> "hello".equals(m.getString("type")), Duration.ofSeconds(10));
      return live;
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  void send(JsonObject message) {
    TestServer.await(ws.writeTextMessage(message.encode()));
  }

  /** Sends a named request (live/LiveRequests) and answers the server's reply to its id. */
  public JsonObject request(String id, String name, JsonObject params) {
    JsonObject msg = new JsonObject().put("type", "request").put("id", id).put("name", name);
    if (params != null) {
      msg.put("params", params);
    }
    int before = count();
    send(msg);
    return awaitMessage(before, m -> "reply".equals(m.getString("type")) && id.equals(m.getValue("id")),
        Duration.ofSeconds(10));
  }

  /** Sends a raw message and answers the first message the server sends after it. */
  public JsonObject sendAndAwait(JsonObject message) {
    int before = count();
    send(message);
    return awaitMessage(before, m -> true, Duration.ofSeconds(10));
  }

  /** Subscribes and answers the server's reply (subscribed, resync or error). */
  public JsonObject subscribe(String topic, Long since) {
    JsonObject msg = new JsonObject().put("type", "subscribe").put("topic", topic);
    if (since != null) {
      msg.put("since", since);
    }
    int before = count();
    send(msg);
    return awaitMessage(before, m -> topic.equals(m.getString("topic"))
        && List.of("subscribed", "resync", "error").contains(m.getString("type")), Duration.ofSeconds(10));
  }

  /** How many messages have arrived so far. */
  public int count() {
    synchronized (received) {
      return received.size();
    }
  }

  /** The first message so far or within the timeout matching {@code test}. */
  public JsonObject awaitMessage(Predicate<JsonObject> test, Duration timeout) {
    return awaitMessage(0, test, timeout);
  }

  /** The first message matching {@code test} among those after the first {@code skip}. */
  JsonObject awaitMessage(int skip, Predicate<JsonObject> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        for (JsonObject m : received.subList(Math.min(skip, received.size()), received.size())) {
          if (test.test(m)) {
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || closeCode != null) {
          throw new AssertionError("no matching message within " + timeout + " (closed: " + closeCode + "); got "
              + (received.size() > 5 ? received.subList(received.size() - 5, received.size()) : received));
        }
        try {
          received.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Waits until a message of {@code topic} with sequence number {@code seq} has arrived. */
  void awaitSeq(String topic, long seq, Duration timeout) {
    awaitMessage(m -> "message".equals(m.getString("type")) && topic.equals(m.getString("topic"))
        && m.getLong("seq") >= seq, timeout);
  }

  /** Sequence numbers of the message frames received for a topic, in arrival order. */
  List<Long> seqs(String topic) {
    synchronized (received) {
      return received.stream().filter(m -> "message".equals(m.getString("type")) && topic.equals(m.getString("topic")))
          .map(m -> m.getLong("seq")).toList();
    }
  }

  public List<JsonObject> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The close code once the connection is closed, waiting at most {@code timeout}. */
  public Short awaitClose(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (closeCode == null && System.nanoTime() < deadline) {
        try {
          received.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return closeCode;
  }

  /** The reason the peer gave with its close frame; null while open. */
  String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    try {
      if (!ws.isClosed()) {
        TestServer.await(ws.close());
      }
    } catch (RuntimeException e) {
      // already gone
    }
    client.close();
  }
}
