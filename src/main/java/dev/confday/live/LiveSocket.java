package dev.confday.live;

import dev.confday.auth.Access;
import dev.confday.config.LiveLimits;
import dev.confday.http.ApiError;
import dev.confday.http.Problems;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads subscribe/unsubscribe/ping messages, checks each topic's
 * policy, enforces the per-connection rate limit and topic count, sends heartbeats and drops
 * the connection when its write queue stays full (a slow consumer) or its peer stops
 * answering. Runs on its hub's event loop.
 */
final class LiveSocket {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSocket.class);
  static final short GOING_AWAY = 1001;
  static final short UNSUPPORTED_DATA = 1003;
  static final short INVALID_PAYLOAD = 1007;
  static final short POLICY_VIOLATION = 1008;
  static final short MESSAGE_TOO_BIG = 1009;
  static final short INTERNAL_ERROR = 1011;
  /** The client did not read fast enough: its write queue stayed full. */
  static final short SLOW_CONSUMER = 4001;
  /** The client did not answer pings. */
  static final short NO_HEARTBEAT = 4002;
  /** The session the ticket came from ended (its person was revoked or it was logged out), or a topic ticket's grant was revoked. */
  static final short SESSION_ENDED = 4003;

  private final ServerWebSocket ws;
  /** Where this socket's shared frames are written from ({@link SharedFrames}); null: the public API only. */
  private final SharedFrames.Writer writer;
  private final LiveHub hub;
  private final LiveService service;
  private final LiveLimits limits;
  private final long personId;
  /** The event of the session the ticket came from (null: deployment-wide or anonymous). */
  private final String scope;
  /** The session the ticket came from, checked every few seconds; null for an anonymous socket. */
  private final Access.LiveSession session;
  /** The one topic a topic ticket opens (its grant was checked when the ticket was issued); null otherwise. */
  private final String onlyTopic;
  /** The grant a topic ticket was issued from (e.g. projector:12), checked every few seconds; null otherwise. */
  private final String grant;
  /** When the session the ticket came from expires (System.nanoTime), Long.MAX_VALUE when not known. */
  private final long sessionExpiresAt;
  private final Map<String, Subscription> subs = new HashMap<>();
  private final Map<String, Object> pending = new HashMap<>();
  private final List<Runnable> drainWaiters = new ArrayList<>();
  private double tokens;
  private long refilledAt;
  private long lastHeard;
  private long lastPing;
  private long fullSince = -1;
  private boolean closed;
  /** The text message being received, frame by frame; null between messages. */
  private Buffer textMessage;
  /** Who this socket's requests come from, made at its first request (a signed-in socket only). */
  private LiveRequests.Caller caller;
  /** Requests (see {@link LiveRequests}) of this socket not answered yet; more are refused. */
  private int requestsInFlight;
  static final int MAX_REQUESTS_IN_FLIGHT = 4;
  /** A request not answered in this time is answered with a 500 (and frees its slot). */
  static final long REQUEST_TIMEOUT_SECONDS = 10;
  /** As the server's maxWebSocketMessageSize: Vert.x's own check sits in the text handler not used here. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** The signed-in person of this socket, 0 when anonymous. */
  long personId() {
    return personId;
  }

  LiveSocket(ServerWebSocket ws, SharedFrames.Writer writer, LiveHub hub, LiveService service, LiveLimits limits,
      long personId, String scope, Access.LiveSession session, String onlyTopic, String grant,
      java.time.Instant sessionExpiresAt) {
    this.scope = scope;
    this.onlyTopic = onlyTopic;
    this.grant = onlyTopic == null ? null : grant;
    this.session = personId == 0 ? null : session;
    this.ws = ws;
    this.writer = writer;
    this.hub = hub;
    this.service = service;
    this.limits = limits;
    this.personId = personId;
    this.tokens = limits.rateBurst();
    long now = System.nanoTime();
    this.refilledAt = now;
    this.lastHeard = now;
    this.lastPing = now;
    this.sessionExpiresAt = sessionExpiresAt == null || personId == 0 ? Long.MAX_VALUE
        : now + java.time.Duration.between(java.time.Instant.now(), sessionExpiresAt).toNanos();
  }

  /** The session this socket was opened from expired: it acts for no one any more. */
  private boolean sessionExpired(long now) {
    return sessionExpiresAt != Long.MAX_VALUE && now - sessionExpiresAt >= 0;
  }

  void start() {
    // text messages are put together here, not by Vert.x's text handler, which decodes invalid
    // UTF-8 leniently: RFC 6455 8.1 asks that such a message close the connection with 1007
    ws.frameHandler(this::onFrame);
    ws.binaryMessageHandler(b -> closeWith(UNSUPPORTED_DATA, "send JSON text messages"));
    ws.pongHandler(b -> lastHeard = System.nanoTime());
    ws.exceptionHandler(this::onError);
    ws.drainHandler(v -> drained());
    ws.closeHandler(v -> dispose());
    hub.add(this);
    send(new JsonObject().put("type", "hello").put("anonymous", personId == 0)
        .put("maxTopics", limits.maxTopicsPerSocket()).put("pingSeconds", limits.ping().toSeconds()));
  }

  /** Vert.x reports oversized frames and messages here without closing: close with 1009 ourselves. */
  private void onError(Throwable t) {
    if (t instanceof CorruptedWebSocketFrameException corrupted) {
      closeWith((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
    } else if (t instanceof IllegalStateException) {
      // the frame aggregator's "message too big" (over maxWebSocketMessageSize)
      closeWith(MESSAGE_TOO_BIG, "message too big");
    } else {
      LOG.debug("WebSocket error from {}", ws.remoteAddress(), t);
    }
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame.type() == WebSocketFrameType.CLOSE) {
      // the peer said goodbye (Vert.x answers its close): nothing more is sent to it
      dispose();
      return;
    }
    boolean text = frame.type() == WebSocketFrameType.TEXT;
    if (!text && !(frame.type() == WebSocketFrameType.CONTINUATION && textMessage != null)) {
      return;
    }
    if (text || textMessage == null) {
      textMessage = Buffer.buffer();
    }
    if (textMessage.length() + frame.binaryData().length() > MAX_MESSAGE_BYTES) {
      textMessage = null;
      closeWith(MESSAGE_TOO_BIG, "message too big");
      return;
    }
    textMessage.appendBuffer(frame.binaryData());
    if (!frame.isFinal()) {
      return;
    }
    Buffer whole = textMessage;
    textMessage = null;
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(whole.getBytes())).toString();
    } catch (CharacterCodingException e) {
      closeWith(INVALID_PAYLOAD, "text is not valid UTF-8");
      return;
    }
    onText(decoded);
  }

  private void onText(String text) {
    long now = System.nanoTime();
    lastHeard = now;
    if (!takeToken(now)) {
      send(error(null, "rate-limited", "More than " + limits.ratePerSecond() + " messages a second."));
      closeWith(POLICY_VIOLATION, "rate limit");
      return;
    }
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      send(error(null, "bad-message", "Messages are JSON objects with a \"type\"."));
      return;
    }
    String type = String.valueOf(msg.getValue("type"));
    switch (type) {
      case "subscribe" -> subscribe(msg);
      case "unsubscribe" -> unsubscribe(msg);
      case "ping" -> send(new JsonObject().put("type", "pong"));
      case "request" -> request(msg);
      default -> send(error(null, "bad-message", "Unknown message type '" + type + "'."));
    }
  }

  /**
   * A named request (see {@link LiveRequests}), answered to this socket only with a reply that
   * carries the client's id: the handler's result, or a problem document like the HTTP API's.
   */
  private void request(JsonObject msg) {
    Object id = msg.getValue("id");
    if (!(id instanceof String s && !s.isEmpty() && s.length() <= 64)
        && !(id instanceof Number n && n.doubleValue() == n.longValue())) {
      send(error(null, "bad-message", "A request needs an \"id\": a string of 1 to 64 characters, or a whole number."));
      return;
    }
    Object name = msg.getValue("name");
    Object params = msg.getValue("params");
    if (!(name instanceof String n)) {
      reply(id, ApiError.badRequest("A request needs a \"name\", e.g. stream.access."));
      return;
    }
    if (params != null && !(params instanceof JsonObject)) {
      reply(id, ApiError.badRequest("\"params\" is a JSON object."));
      return;
    }
    if (personId == 0 || onlyTopic != null) {
      reply(id, ApiError.unauthorized("Requests need a connection opened from a personal session."));
      return;
    }
    LiveRequests.Handler handler = service.requests().handler(n).orElse(null);
    if (handler == null) {
      reply(id, new ApiError(400, "unknown-request", "Unknown request", "There is no request named " + n + "."));
      return;
    }
    if (sessionExpired(System.nanoTime())) {
      reply(id, new ApiError(401, "session-ended", "Session ended",
          "This connection's session expired; log in again through your personal link."));
      closeWith(SESSION_ENDED, "session expired");
      return;
    }
    if (requestsInFlight >= MAX_REQUESTS_IN_FLIGHT) {
      reply(id, new ApiError(429, "too-many-requests", "Too many requests",
          "At most " + MAX_REQUESTS_IN_FLIGHT + " requests of one connection at a time; wait for their replies."));
      return;
    }
    requestsInFlight++;
    JsonObject given = params == null ? new JsonObject() : (JsonObject) params;
    // the session is checked first (a revocation closes the socket only at the next presence
    // round); composed from a completed future so that a handler throwing synchronously still answers
    // (a handler that checks the session in its own statement is called at once)
    if (caller == null) {
      caller = service.caller(personId, scope, session);
    }
    boolean checking = service.requests().checksSession(n);
    Future.succeededFuture(given).compose(p -> checking ? handler.handle(caller, p)
        : service.ended(session).compose(ended -> {
          if (ended) {
            return Future.failedFuture(new ApiError(401, "session-ended", "Session ended",
                "This connection's session was logged out or revoked; log in again through your personal link."));
          }
          return handler.handle(caller, p);
        })).timeout(REQUEST_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
        // on the socket's own loop: a timeout completes on another thread, and this socket's
        // state (and its writes' order) belongs to its loop
        .onComplete(ar -> hub.run(() -> {
          requestsInFlight--;
          // the session ended (or its person is gone, which a statement's own check says with a 401)
          if (ar.failed() && ar.cause() instanceof ApiError e
              && ("session-ended".equals(e.type()) || checking && e.status() == 401)) {
            reply(id, e);
            closeWith(SESSION_ENDED, "session ended");
            return;
          }
          if (ar.succeeded()) {
            send(new JsonObject().put("type", "reply").put("id", id).put("result", ar.result()));
          } else if (ar.cause() instanceof ApiError) {
            reply(id, ar.cause());
          } else {
            String requestId = java.util.UUID.randomUUID().toString();
            LOG.warn("Request {} failed [{}]", n, requestId, ar.cause());
            send(new JsonObject().put("type", "reply").put("id", id)
                .put("error", Problems.documentOf(ar.cause(), requestId)));
          }
        }));
  }

  /** A reply carrying the problem of an ApiError (a database outage is one); other failures go through request(). */
  private void reply(Object id, Throwable failure) {
    send(new JsonObject().put("type", "reply").put("id", id).put("error", Problems.documentOf(failure, null)));
  }

  private boolean takeToken(long now) {
    tokens = Math.min(limits.rateBurst(), tokens + (now - refilledAt) / 1e9 * limits.ratePerSecond());
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  private void subscribe(JsonObject msg) {
    Object topicValue = msg.getValue("topic");
    Object sinceValue = msg.getValue("since");
    if (!(topicValue instanceof String topic)) {
      send(error(null, "bad-message", "subscribe needs a \"topic\"."));
      return;
    }
    if (sinceValue != null && !(sinceValue instanceof Number n && n.longValue() >= 0 && n.doubleValue() == n.longValue())) {
      send(error(topic, "bad-message", "\"since\" is the last sequence number seen: a whole number, 0 or more."));
      return;
    }
    Long since = sinceValue == null ? null : ((Number) sinceValue).longValue();
    if (!subs.containsKey(topic) && !pending.containsKey(topic)
        && subs.size() + pending.size() >= limits.maxTopicsPerSocket()) {
      send(error(topic, "too-many-topics", "At most " + limits.maxTopicsPerSocket() + " topics per connection."));
      return;
    }
    Object request = new Object();
    pending.put(topic, request);
    // composed from a completed future so that even a resolver throwing synchronously ends in
    // onFailure: the client gets its answer and the pending slot is freed
    Future.succeededFuture(topic).compose(this::authorize)
        .compose(grant -> service.repository().state(topic).map(state -> {
          start(grant, state, since, request);
          return state;
        }))
        .onFailure(t -> {
          if (!closed && pending.remove(topic, request)) {
            // start() may have failed after registering the subscription: take it back
            Subscription half = subs.remove(topic);
            if (half != null) {
              hub.unsubscribe(half);
            }
            send(t instanceof ApiError e ? error(topic, e.type(), e.detail())
                : error(topic, "internal-error", "The subscription failed; try again."));
            if (!(t instanceof ApiError)) {
              LOG.warn("Subscribing to {} failed", topic, t);
            }
          }
        });
  }

  /** A topic ticket's socket may follow its one topic and nothing else; others ask the topic's policy. */
  private Future<Topics.Grant> authorize(String topic) {
    if (onlyTopic == null) {
      return service.topics().authorize(topic, personId, scope);
    }
    if (!onlyTopic.equals(topic)) {
      return Future.failedFuture(ApiError.forbidden("This connection may only follow " + onlyTopic + "."));
    }
    return Future.succeededFuture(new Topics.Grant(topic, scope, Topics.PresenceKind.ANONYMOUS));
  }

  private void start(Topics.Grant grant, LiveRepository.TopicState state, Long since, Object request) {
    String topic = grant.topic();
    if (closed || pending.get(topic) != request) {
      return;
    }
    Subscription old = subs.remove(topic);
    if (old != null) {
      hub.unsubscribe(old);
    }
    long current = state.lastSeq();
    boolean missedTooMuch = since != null && since < current
        && (state.firstSeq() == 0 || since < state.firstSeq() - 1);
    boolean resync = since != null && (since > current || missedTooMuch);
    long from = since == null || resync ? current : since;
    Subscription sub = new Subscription(this, topic, grant.kind(), from);
    subs.put(topic, sub);
    if (resync) {
      sendResync(topic, current);
    } else {
      send(new JsonObject().put("type", "subscribed").put("topic", topic).put("seq", from));
    }
    hub.subscribe(sub, state);
    // freed last: should anything above throw, the failure handler still answers and frees it
    pending.remove(topic, request);
  }

  private void unsubscribe(JsonObject msg) {
    Object topic = msg.getValue("topic");
    if (!(topic instanceof String t)) {
      send(error(null, "bad-message", "unsubscribe needs a \"topic\"."));
      return;
    }
    pending.remove(t);
    Subscription sub = subs.remove(t);
    if (sub != null) {
      hub.unsubscribe(sub);
    }
    send(new JsonObject().put("type", "unsubscribed").put("topic", t));
  }

  /**
   * False once the socket is closed (Vert.x throws on a closed socket's queue check). With a
   * writer, the connection's own queue answers, without the WebSocket's two locks (its closed
   * check and its queue check): this runs for every socket on every message, and a socket the
   * peer closed meanwhile only has its write dropped (see {@link SharedFrames#write}).
   */
  boolean writeQueueFull() {
    if (closed) {
      return false;
    }
    return writer != null ? writer.connection().writeQueueFull() : !ws.isClosed() && ws.writeQueueFull();
  }

  /**
   * Writes a message frame whose JSON text was built once for all sockets: a duplicate of the
   * frame encoded once ({@code encoded}, see {@link SharedFrames}), queued on this connection; or,
   * without one (null, or a connection SharedFrames does not know), the text as one final text
   * frame through Vert.x's public API.
   */
  void sendFrame(String frame, ByteBuf encoded) {
    if (closed) {
      return;
    }
    if (SharedFrames.write(writer, encoded)) {
      service.counters().framesSent.increment();
      service.counters().framesShared.increment();
    } else if (!ws.isClosed()) {
      service.counters().framesSent.increment();
      ws.writeFinalTextFrame(frame);
    }
  }

  void sendResync(String topic, long seq) {
    send(new JsonObject().put("type", "resync").put("topic", topic).put("seq", seq));
  }

  private void send(JsonObject message) {
    if (!closed && !ws.isClosed()) {
      ws.writeFinalTextFrame(message.encode());
    }
  }

  private static JsonObject error(String topic, String code, String detail) {
    JsonObject e = new JsonObject().put("type", "error").put("code", code).put("detail", detail);
    return topic == null ? e : e.put("topic", topic);
  }

  void whenDrained(Runnable action) {
    drainWaiters.add(action);
  }

  private void drained() {
    fullSince = -1;
    List<Runnable> waiting = List.copyOf(drainWaiters);
    drainWaiters.clear();
    waiting.forEach(Runnable::run);
  }

  /** Heartbeat and slow-consumer checks. */
  void tick(long now, ByteBuf ping) {
    if (closed) {
      return;
    }
    if (ws.isClosed()) {
      // closed by the peer; its close handler may not have run yet
      dispose();
      return;
    }
    if (writeQueueFull()) {
      if (fullSince < 0) {
        fullSince = now;
      } else if (now - fullSince >= limits.slowConsumer().toNanos()) {
        service.counters().slowConsumers.incrementAndGet();
        LOG.info("Dropping slow consumer {} (write queue full for {} ms)", ws.remoteAddress(),
            (now - fullSince) / 1_000_000);
        closeWith(SLOW_CONSUMER, "slow consumer");
        return;
      }
    } else {
      fullSince = -1;
    }
    if (sessionExpired(now)) {
      closeWith(SESSION_ENDED, "session expired");
      return;
    }
    if (now - lastHeard > 2 * limits.ping().toNanos()) {
      closeWith(NO_HEARTBEAT, "no heartbeat");
      return;
    }
    if (now - lastPing >= limits.ping().toNanos()) {
      lastPing = now;
      if (!SharedFrames.write(writer, ping)) {
        ws.writePing(Buffer.buffer("hb"));
      }
    }
  }

  /** The grant of a topic ticket's socket; null for other sockets. */
  String grant() {
    return grant;
  }

  /** The session this socket was opened from; null when anonymous. */
  Access.LiveSession session() {
    return session;
  }

  /** Stops delivering at once and closes with a code the client can act on. */
  void closeWith(short code, String reason) {
    if (closed) {
      return;
    }
    dispose();
    ws.close(code, reason);
  }

  private void dispose() {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
    subs.values().forEach(hub::unsubscribe);
    subs.clear();
    drainWaiters.clear();
    hub.remove(this);
  }

  @Override
  public String toString() {
    return "LiveSocket[" + ws.remoteAddress() + ", person " + personId + ", topics " + Json.encode(subs.keySet()) + "]";
  }
}
