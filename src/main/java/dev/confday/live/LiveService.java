package dev.confday.live;

import dev.confday.auth.Access;
import dev.confday.auth.VerifiedToken;
import dev.confday.auth.Role;
import dev.confday.auth.TokenType;
import dev.confday.auth.Tokens;
import dev.confday.config.LiveLimits;
import dev.confday.db.DbErrors;
import dev.confday.http.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime backbone every feature publishes through. A feature calls {@link #publish}
 * inside the transaction of the change it describes, so a message exists exactly when the
 * change does. Topics are strings such as {@code event:<slug>:schedule}.
 *
 * <p>Delivery: when a publishing transaction commits, the topic is marked dirty; at most once
 * per notify delay, this instance wakes its own feeds and sends one {@code NOTIFY} naming all
 * dirty topics, which wakes the feeds of the other instances. A change after a quiet spell
 * (nothing flushed within the notify delay) is flushed at once, in the commit's callback; those
 * that follow within the delay share one flush at its end. The flush hands this instance's
 * hubs the messages committed here, which a feed in step sends as they are; any other change
 * (another instance's, or one a feed is not in step for) the feed reads from PostgreSQL. A slow poll of the topics' newest sequence numbers covers a lost
 * notification or a lost LISTEN connection.
 *
 * <p>Over 400 lines because publishing, cross-instance delivery (NOTIFY, LISTEN, the slow poll),
 * presence and the ended-session sweep all drive the one hub and its timers started here; the
 * delivery half is the seam to split along when this grows again.
 */
public final class LiveService {
  private static final Logger LOG = LoggerFactory.getLogger(LiveService.class);
  static final Duration TICKET_TTL = Duration.ofSeconds(30);
  /** Published payloads above this size are refused: they would not fit a frame. */
  public static final int MAX_PAYLOAD_BYTES = 32 * 1024;
  /** pg_notify accepts less than 8000 bytes. */
  private static final int MAX_NOTIFY_BYTES = 7000;
  /** Sessions checked per query pair when looking for ended ones (an instance holds a few thousand sockets). */
  static final int SESSION_CHECK_BATCH = 1000;

  /** Counters for tests, metrics and the benchmark. */
  static final class Counters {
    final AtomicLong sockets = new AtomicLong();
    final AtomicLong framesBuilt = new AtomicLong();
    final LongAdder framesSent = new LongAdder();
    /** Of {@link #framesSent}, those written as a duplicate of a frame encoded once ({@link SharedFrames}). */
    final LongAdder framesShared = new LongAdder();
    final AtomicLong catchUpFrames = new AtomicLong();
    final AtomicLong slowConsumers = new AtomicLong();
    final AtomicLong notifies = new AtomicLong();
    final AtomicLong readFailures = new AtomicLong();
    /** Of {@link #framesBuilt}, those of a message committed here and sent as handed off, not read back. */
    final AtomicLong framesHandedOff = new AtomicLong();
  }

  /** A snapshot of this instance's counters. */
  public record Stats(long sockets, long framesBuilt, long framesSent, long catchUpFrames, long slowConsumers,
      long notifies, long readFailures, long framesShared, long framesHandedOff) {
  }

  private final Vertx vertx;
  private final LiveRepository repository;
  private final PgConnectOptions listenOptions;
  private final LiveLimits limits;
  private final Tokens tokens;
  private final Topics topics;
  private final String instanceId = UUID.randomUUID().toString();
  private final Counters counters = new Counters();
  private final Map<Thread, LiveHub> hubs = new ConcurrentHashMap<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  /** Messages committed here since the last flush, for this instance's hubs (see {@link #committed}). */
  private final Queue<LiveHub.HandOff> handOffs = new ConcurrentLinkedQueue<>();
  private final AtomicInteger handOffCount = new AtomicInteger();
  /** Topics with a committed message that was not handed off (past the bound): the hubs read them. */
  private final Set<String> unhanded = ConcurrentHashMap.newKeySet();
  /** At most this many committed messages wait for a flush with their JSON; beyond, the hubs read them. */
  static final int MAX_HAND_OFFS = 1024;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  /** When the last flush ran (System.nanoTime); long ago at start. */
  private final AtomicLong lastFlush = new AtomicLong(System.nanoTime() - TimeUnit.HOURS.toNanos(1));
  /** The check for ended sessions under way, if any: a slow database never stacks them up. */
  private final Object checkingSessions = new Object();
  private Future<Void> sessionCheck;
  private final List<Long> timers = new ArrayList<>();
  private volatile PgConnection listener;
  /** The last error of the LISTEN connection, named when its close is logged. */
  private volatile Throwable listenerError;
  private volatile boolean stopped;
  private long listenBackoffMs = 500;
  private final Access access;
  private final LiveRequests requests;
  /** Per grant kind, how to find revoked grants among those of open topic-ticket sockets. */
  private final Map<String, Function<Set<String>, Future<Set<String>>>> grants = new ConcurrentHashMap<>();
  /** Whether the last presence round wrote people (see {@link #savePeople}). */
  private volatile boolean hadPeople;

  public LiveService(Vertx vertx, Pool pool, PgConnectOptions listenOptions, LiveLimits limits, Access access,
      Tokens tokens) {
    this.vertx = vertx;
    this.repository = new LiveRepository(pool);
    this.listenOptions = listenOptions;
    this.limits = limits;
    this.tokens = tokens;
    this.topics = new Topics(access);
    this.requests = new LiveRequests();
    this.access = access;
    registerCoreTopics();
  }

  /** The topic families the roadmap needs; features may add more through {@link #topics()}. */
  private void registerCoreTopics() {
    topics.kind("event", Future::succeededFuture);
    topics.kind("room", Topics.numericIds("room", id -> repository.roomEventSlug(id)
        .map(slug -> slug.orElseThrow(() -> ApiError.notFound("There is no room " + id + ".")))));
    // the schedule feature says how a session id leads to its event (topics().kind("session", ...))
    topics.kind("session", id -> Future.failedFuture(ApiError.notFound("There is no session " + id + ".")));
    topics.register("event", "schedule", TopicPolicy.anyOf(Role.PUBLIC));
    topics.register("event", "posters", TopicPolicy.anyOf(Role.PUBLIC));
    topics.register("event", "checkins", TopicPolicy.anyOf(Role.DOOR_STAFF));
    topics.register("session", "qa", TopicPolicy.anyOf(Role.ATTENDEE, Role.MODERATOR, Role.PRESENTER));
    topics.register("session", "moderation", TopicPolicy.anyOf(Role.MODERATOR));
    topics.register("room", "stream", TopicPolicy.anyOf(Role.ATTENDEE, Role.MODERATOR, Role.PRESENTER));
  }

  /** Where features register their topic families and who may subscribe to them. */
  public Topics topics() {
    return topics;
  }

  /** Where features register the requests a signed-in socket may send (e.g. stream.access). */
  public LiveRequests requests() {
    return requests;
  }

  /**
   * Whether a socket's session has ended (person revoked, logged out) since the last check: a
   * request is answered only for a current session, not up to a presence interval later.
   */
  Future<Boolean> ended(Access.LiveSession session) {
    return access.ended(List.of(session)).map(ended -> !ended.isEmpty());
  }

  /** The caller of a socket's request: its person, seen from the event its session belongs to. */
  LiveRequests.Caller caller(long personId, String scope, Access.LiveSession session) {
    return new LiveRequests.Caller(personId, scope, access, session);
  }

  /**
   * Appends {@code payload} to {@code topic} within the caller's transaction; answers its
   * sequence number. Subscribers are woken once the transaction commits (several commits in a
   * short interval share one wake-up).
   */
  public Future<Long> publish(SqlConnection tx, String topic, JsonObject payload) {
    if (!Topics.wellFormed(topic)) {
      return Future.failedFuture(new IllegalArgumentException("Malformed topic " + topic));
    }
    Buffer encoded = payload.toBuffer();
    if (encoded.length() > MAX_PAYLOAD_BYTES) {
      return Future.failedFuture(ApiError.tooLarge("A live message is limited to " + MAX_PAYLOAD_BYTES + " bytes."));
    }
    return repository.append(tx, topic, payload).onSuccess(seq -> {
      Transaction transaction = tx.transaction();
      if (transaction == null) {
        committed(topic, seq, encoded);
      } else {
        transaction.completion().onSuccess(v -> committed(topic, seq, encoded));
      }
    });
  }

  /**
   * A message this instance committed: handed to its own hubs with the next flush (as the JSON it
   * was stored from), so a feed that is in step sends it without reading it back; a feed that is
   * not, or a message past the bound of waiting hand-offs, is read from the database as before.
   */
  private void committed(String topic, long seq, Buffer payload) {
    handOff(topic, seq, payload.toString(StandardCharsets.UTF_8));
    markDirty(topic);
  }

  private void handOff(String topic, long seq, String payload) {
    if (handOffCount.incrementAndGet() <= MAX_HAND_OFFS) {
      handOffs.add(new LiveHub.HandOff(topic, seq, payload));
    } else {
      handOffCount.decrementAndGet();
      unhanded.add(topic);
    }
  }

  /**
   * Publishing from within a feature's own statement, for a hot path that must not spend a
   * transaction and its round trips on a change and its messages: CTEs to follow the statement's
   * own, which append every row of its CTE {@code outbox (ord, topic, payload jsonb)} (one row
   * per topic at most, each a topic {@link Topics#wellFormed}) as {@link #publish} does (each
   * topic's next sequence number, the topics' rows locked in {@code ord} order as every publisher
   * locks them) and wake the other instances (a {@code pg_notify} the commit delivers). The
   * statement's final select must read {@code live_woken} (a CTE nobody reads does not run) and
   * answer {@code live_published}'s rows ({@code topic, seq, payload} text, in topic order)
   * to {@link #committedHere} once it has committed. Autocommit only: {@link #committedHere} hands
   * the messages on as committed.
   */
  public String outboxSql() {
    // the instance id is ours (a UUID), spliced as a literal; the channel a constant
    return """
        live_next as (
          insert into live_topics (topic, last_seq) select topic, 1 from outbox order by ord
          on conflict (topic) do update set last_seq = live_topics.last_seq + 1
          returning topic, last_seq
        ), live_published as (
          insert into live_messages (topic, seq, payload)
          select n.topic, n.last_seq, o.payload from live_next n join outbox o on o.topic = n.topic
          returning topic, seq, payload::text as payload
        ), live_woken as (
          select pg_notify('%s', '%s' || string_agg(E'\n' || topic, '' order by topic)) as woken
            from live_published having count(*) > 0
        )""".formatted(LiveSql.CHANNEL, instanceId);
  }

  /**
   * The messages a statement with {@link #outboxSql} committed (its autocommit ended): handed to
   * this instance's hubs with the next flush, without another NOTIFY (the statement sent it).
   * The arrays are {@code live_published}'s columns, row by row.
   */
  public void committedHere(String[] topicsPublished, Long[] seqs, String[] payloads) {
    for (int i = 0; i < topicsPublished.length; i++) {
      handOff(topicsPublished[i], seqs[i], payloads[i]);
    }
    if (topicsPublished.length > 0) {
      scheduleFlush();
    }
  }

  /** Messages of a topic after {@code afterSeq}, oldest first, at most {@code limit}. */
  public Future<List<LiveMessage>> since(String topic, long afterSeq, int limit) {
    return repository.since(topic, afterSeq, limit);
  }

  /** The newest sequence number of a topic, 0 when nothing was published yet. */
  public Future<Long> lastSeq(String topic) {
    return repository.lastSeq(topic);
  }

  /** Subscriber counts of a topic over all instances (refreshed every few seconds). */
  public Future<Presence> presence(String topic) {
    return repository.presence(topic, limits.presenceInterval().multipliedBy(3));
  }

  /** Presence for a caller who may subscribe to the topic (0 = anonymous). */
  public Future<Presence> presenceFor(String topic, long personId) {
    return presenceFor(topic, personId, null);
  }

  /** Like {@link #presenceFor(String, long)} for a caller whose session belongs to event {@code scope}. */
  public Future<Presence> presenceFor(String topic, long personId, String scope) {
    return topics.authorize(topic, personId, scope).compose(g -> presence(topic));
  }

  public Stats stats() {
    return new Stats(counters.sockets.get(), counters.framesBuilt.get(), counters.framesSent.sum(),
        counters.catchUpFrames.get(), counters.slowConsumers.get(), counters.notifies.get(),
        counters.readFailures.get(), counters.framesShared.sum(), counters.framesHandedOff.get());
  }

  Counters counters() {
    return counters;
  }

  LiveRepository repository() {
    return repository;
  }

  /** A short-lived, single-use ticket to open the WebSocket (personId 0: anonymous, public topics only). */
  String issueTicket(long personId) {
    return issueTicket(personId, null, 0, null, null);
  }

  /**
   * A ticket for a person's session: it carries the session's event ({@code scope}, null for a
   * deployment-wide session), the person's token version and the session's id (its jti), so a
   * revocation refuses it and, once the socket is open, a revocation or a log-out closes it; and
   * when the session expires ({@code sessionExpiresAt}), when the socket closes too.
   */
  String issueTicket(long personId, String scope, int version, String sessionId, Instant sessionExpiresAt) {
    return tokens.issue(TokenType.WS_TICKET, Long.toString(personId), scope, version, sessionId, sessionExpiresAt,
        TICKET_TTL);
  }

  /**
   * An anonymous ticket that opens one connection limited to {@code topic} of event
   * {@code eventSlug}, whatever that topic's roles: for a caller the feature has authorized by
   * other means (a projector link's secret). The feature checks its grant before each ticket,
   * so a revoked grant is refused at the next connect.
   */
  public String issueTopicTicket(String eventSlug, String topic, String grant) {
    if (!Topics.wellFormed(topic) || topics.policy(topic).isEmpty()) {
      throw new IllegalArgumentException("no such topic family: " + topic);
    }
    if (!grants.containsKey(grantKind(grant))) {
      throw new IllegalArgumentException("no grant check for " + grant);
    }
    return tokens.issueTopicTicket(eventSlug, topic, grant, TICKET_TTL);
  }

  /**
   * Says how to tell revoked grants of one kind (grants look like {@code <kind>:<id>}): given
   * the grants of open topic-ticket sockets, answer those revoked. Checked with presence, so a
   * revoked grant's sockets close (4003) within about one presence interval, on every instance.
   */
  public void grantCheck(String kind, Function<Set<String>, Future<Set<String>>> revoked) {
    grants.put(kind, revoked);
  }

  private static String grantKind(String grant) {
    int colon = grant == null ? -1 : grant.indexOf(':');
    return colon < 0 ? "" : grant.substring(0, colon);
  }

  /** How long a ticket may wait to be used. */
  public static Duration ticketTtl() {
    return TICKET_TTL;
  }

  /**
   * Checks a ticket (its person not revoked, its session not logged out) and burns it (on every
   * instance); answers whose it is.
   */
  Future<VerifiedToken> redeemTicket(String ticket) {
    return tokens.verify(ticket, TokenType.WS_TICKET)
        .compose(t -> (t.personId() == 0 ? Future.succeededFuture(Set.<Access.LiveSession>of())
            : access.ended(List.of(liveSession(t))))
            .map(ended -> {
              if (!ended.isEmpty()) {
                throw new ApiError(401, "session-ended", "Session ended",
                    "This ticket's session was logged out or revoked; log in again through your personal link.");
              }
              return t;
            }))
        .compose(t -> repository.redeem(t.id(), t.expiresAt())
        .map(fresh -> {
          if (!fresh) {
            throw new ApiError(401, "ticket-used", "Ticket already used",
                "Each ticket opens one connection; ask for a new one (POST /api/live/ticket).");
          }
          return t;
        }));
  }

  /**
   * Takes over an accepted WebSocket opened with {@code ticket} (called on its event loop); the
   * socket closes when the ticket's session ends.
   */
  void accept(ServerWebSocket ws, SharedFrames.Writer writer, VerifiedToken ticket) {
    new LiveSocket(ws, writer, hub(), this, limits, ticket.personId(), ticket.event(),
        ticket.personId() == 0 ? null : liveSession(ticket), ticket.topic(),
        ticket.topic() == null ? null : ticket.sessionId(), ticket.sessionExpiresAt()).start();
  }

  /** What a signed-in socket keeps of its ticket (a ticket always carries its person's version). */
  private static Access.LiveSession liveSession(VerifiedToken ticket) {
    return new Access.LiveSession(ticket.personId(), ticket.version(), ticket.sessionId());
  }

  /** The hub of the calling event loop (one per loop, so a socket is only written from its own thread). */
  private LiveHub hub() {
    return hubs.computeIfAbsent(Thread.currentThread(), t -> {
      Context context = vertx.getOrCreateContext();
      LiveHub hub = new LiveHub(context, repository, counters);
      // the heartbeat round: pings due, peers gone quiet, queues full too long (a slow consumer is
      // dropped between one and two rounds after its tolerance); every socket of the hub each round
      long tick = Math.min(2500, Math.max(100, limits.slowConsumer().toMillis() / 2));
      long id = vertx.setPeriodic(tick, x -> hub.tick(System.nanoTime()));
      synchronized (timers) {
        timers.add(id);
      }
      return hub;
    });
  }

  /**
   * A throttle with a leading edge: a lone change (nothing flushed within the notify delay) is
   * flushed now, not held back by the delay; changes close behind it wait for the delay's end
   * and share one flush. Either way at most one flush per notify delay.
   */
  private void markDirty(String topic) {
    dirty.add(topic);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flushScheduled.compareAndSet(false, true)) {
      long wait = limits.notifyDelay().toNanos() - (System.nanoTime() - lastFlush.get());
      if (wait <= 0) {
        // right after this callback, not in it: the other topics the same commit marks (a
        // question goes to two) are then in the same flush
        vertx.runOnContext(v -> flush());
      } else {
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> flush());
      }
    }
  }

  /** Wakes local feeds and other instances for every topic that changed since the last flush. */
  private void flush() {
    lastFlush.set(System.nanoTime());
    flushScheduled.set(false);
    List<String> topicsNow = new ArrayList<>();
    for (String t : dirty) {
      if (dirty.remove(t)) {
        topicsNow.add(t);
      }
    }
    // drained after the dirty topics: a message is queued before its topic is marked, so every
    // topic taken above has its hand-offs here (or in an earlier flush)
    List<LiveHub.HandOff> handed = new ArrayList<>();
    for (LiveHub.HandOff h; (h = handOffs.poll()) != null;) {
      handOffCount.decrementAndGet();
      handed.add(h);
    }
    if ((topicsNow.isEmpty() && handed.isEmpty()) || stopped) {
      return;
    }
    // per topic in sequence order: commits of one topic come in that order, their callbacks
    // (on several event loops) not always
    handed.sort(Comparator.comparing(LiveHub.HandOff::topic).thenComparingLong(LiveHub.HandOff::seq));
    Set<String> read = new HashSet<>(topicsNow);
    handed.forEach(h -> read.remove(h.topic()));
    for (String t : unhanded) {
      if (unhanded.remove(t)) {
        read.add(t);
      }
    }
    for (LiveHub hub : hubs.values()) {
      hub.run(() -> hub.handOff(handed, read));
    }
    if (topicsNow.isEmpty()) {
      return;
    }
    List<String> payloads = notifyPayloads(topicsNow);
    counters.notifies.addAndGet(payloads.size());
    repository.notify(payloads).onFailure(t -> {
      if (!DbErrors.isOutage(t)) {
        LOG.warn("NOTIFY failed; other instances rely on their poll", t);
      }
    });
  }

  /** "instance\ntopic\ntopic..." split under the pg_notify size limit. */
  private List<String> notifyPayloads(List<String> topicList) {
    List<String> payloads = new ArrayList<>();
    StringBuilder current = new StringBuilder(instanceId);
    int bytes = current.length();
    for (String t : topicList) {
      int add = t.getBytes(StandardCharsets.UTF_8).length + 1;
      if (bytes + add > MAX_NOTIFY_BYTES) {
        payloads.add(current.toString());
        current = new StringBuilder(instanceId);
        bytes = current.length();
      }
      current.append('\n').append(t);
      bytes += add;
    }
    payloads.add(current.toString());
    return payloads;
  }

  private void onNotification(String payload) {
    int nl = payload.indexOf('\n');
    String from = nl < 0 ? payload : payload.substring(0, nl);
    if (from.equals(instanceId) || nl < 0) {
      return;
    }
    wakeLocal(List.of(payload.substring(nl + 1).split("\n")));
  }

  private void wakeLocal(List<String> topicList) {
    for (LiveHub hub : hubs.values()) {
      hub.run(() -> topicList.forEach(hub::wake));
    }
  }

  private void wakeAllLocal() {
    hubs.values().forEach(hub -> hub.run(hub::wakeAll));
  }

  /** Starts listening for other instances' wake-ups and the periodic poll, presence and pruning. */
  public Future<Void> start() {
    long poll = vertx.setPeriodic(limits.poll().toMillis(), id -> poll());
    long presence = vertx.setPeriodic(limits.presenceInterval().toMillis(), id -> {
      savePresence();
      closeEndedSessions();
      closeRevokedGrants();
    });
    long prune = vertx.setPeriodic(limits.pruneInterval().toMillis(), id -> prune()
        .onFailure(t -> {
          if (!DbErrors.isOutage(t)) {
            LOG.warn("Pruning live messages failed", t);
          }
        }));
    synchronized (timers) {
      timers.addAll(List.of(poll, presence, prune));
    }
    return listen().recover(t -> {
      // keep starting: the poll delivers until the LISTEN connection comes back
      LOG.warn("LISTEN connection failed; retrying", t);
      return Future.succeededFuture();
    });
  }

  private Future<Void> listen() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return PgConnection.connect(vertx, listenOptions)
        .compose(conn -> {
          conn.notificationHandler(n -> onNotification(n.getPayload()));
          // without it Vert.x prints the error (a terminated backend, a stopping database) bare on stderr;
          // the close that follows says it once, in the log
          conn.exceptionHandler(t -> listenerError = t);
          conn.closeHandler(v -> listenerLost(conn));
          return conn.query(LiveSql.LISTEN).execute().map(conn);
        })
        .onSuccess(conn -> {
          listener = conn;
          listenBackoffMs = 500;
          // anything published while we were not listening
          wakeAllLocal();
        })
        .onFailure(t -> retryListen())
        .mapEmpty();
  }

  private void listenerLost(PgConnection conn) {
    if (listener == conn) {
      listener = null;
    }
    Throwable cause = listenerError;
    listenerError = null;
    if (!stopped) {
      LOG.warn("LISTEN connection lost{}; reconnecting", cause == null ? "" : " (" + cause.getMessage() + ")");
      retryListen();
    }
  }

  private void retryListen() {
    if (stopped) {
      return;
    }
    long delay = listenBackoffMs;
    listenBackoffMs = Math.min(30_000, listenBackoffMs * 2);
    vertx.setTimer(delay, id -> listen());
  }

  /** The safety net: wakes feeds whose topic moved on without us hearing of it. */
  private void poll() {
    Set<String> all = new LinkedHashSet<>();
    hubs.values().forEach(h -> all.addAll(h.topics()));
    if (all.isEmpty() || stopped) {
      return;
    }
    repository.lastSeqs(List.copyOf(all))
        .onSuccess(seqs -> hubs.values().forEach(hub -> hub.run(() -> hub.wakeIfBehind(seqs))))
        .onFailure(t -> {
          if (!DbErrors.isOutage(t)) {
            LOG.warn("Live poll failed", t);
          }
        });
  }

  private Future<Void> savePresence() {
    if (stopped) {
      return Future.succeededFuture();
    }
    List<Future<Map<String, int[]>>> parts = hubs.values().stream().map(LiveHub::counts).toList();
    return Future.all(parts).compose(all -> {
      Map<String, int[]> sum = new HashMap<>();
      for (Future<Map<String, int[]>> part : parts) {
        part.result().forEach((topic, c) -> {
          int[] s = sum.computeIfAbsent(topic, t -> new int[c.length]);
          for (int i = 0; i < c.length; i++) {
            s[i] += c[i];
          }
        });
      }
      Map<String, Presence> rows = new HashMap<>();
      sum.forEach((topic, c) -> rows.put(topic, new Presence(topic, c[Topics.PresenceKind.IN_PERSON.ordinal()],
          c[Topics.PresenceKind.REMOTE.ordinal()], c[Topics.PresenceKind.ANONYMOUS.ordinal()],
          c[Topics.PresenceKind.OTHER.ordinal()])));
      return repository.savePresence(instanceId, rows, limits.presenceInterval());
    }).compose(v -> savePeople()).onFailure(t -> {
      if (!DbErrors.isOutage(t)) {
        LOG.warn("Saving presence failed", t);
      }
    });
  }

  private Future<Void> savePeople() {
    List<Future<Map<String, Set<Long>>>> parts = hubs.values().stream().map(h -> h.people(topics::countsPeople)).toList();
    return Future.all(parts).compose(all -> {
      Map<String, Set<Long>> sum = new HashMap<>();
      parts.forEach(p -> p.result().forEach((topic, ids) -> sum.computeIfAbsent(topic, t -> new java.util.HashSet<>()).addAll(ids)));
      boolean none = sum.values().stream().allMatch(Set::isEmpty);
      // nothing to write and nothing written last time: no statement at all (most rounds without streams)
      if (none && !hadPeople) {
        return Future.succeededFuture();
      }
      hadPeople = !none;
      return repository.savePeople(instanceId, sum, limits.presenceInterval());
    });
  }

  /**
   * The distinct signed-in people subscribed to each of {@code topicList} over all instances
   * (refreshed every presence interval); only for families that {@link Topics#countPeople} opted in.
   * A topic nobody is subscribed to is missing from the answer.
   */
  public Future<Map<String, Set<Long>>> people(List<String> topicList) {
    if (topicList.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return repository.people(topicList, limits.presenceInterval().multipliedBy(3));
  }

  /**
   * Closes (4003) the sockets of this instance whose session ended since they opened: their
   * person was revoked or the session logged out, on whichever instance. Runs with the presence
   * heartbeat; one pair of queries per {@value #SESSION_CHECK_BATCH} distinct sessions.
   */
  Future<Void> closeEndedSessions() {
    if (stopped) {
      return Future.succeededFuture();
    }
    synchronized (checkingSessions) {
      if (sessionCheck != null) {
        return sessionCheck;
      }
      List<LiveHub> hubList = List.copyOf(hubs.values());
      List<Future<Set<Access.LiveSession>>> parts = hubList.stream().map(LiveHub::sessions).toList();
      Future<Void> check = Future.all(parts).compose(all -> {
        Set<Access.LiveSession> open = new LinkedHashSet<>();
        parts.forEach(p -> open.addAll(p.result()));
        return checkBatches(new ArrayList<>(open), 0, hubList);
      }).onFailure(t -> {
        if (!DbErrors.isOutage(t)) {
          LOG.warn("Checking live sessions failed", t);
        }
      });
      sessionCheck = check;
      check.onComplete(ar -> {
        synchronized (checkingSessions) {
          sessionCheck = null;
        }
      });
      return check;
    }
  }

  private Future<Void> checkBatches(List<Access.LiveSession> open, int from, List<LiveHub> hubList) {
    if (from >= open.size() || stopped) {
      return Future.succeededFuture();
    }
    List<Access.LiveSession> batch = open.subList(from, Math.min(open.size(), from + SESSION_CHECK_BATCH));
    return access.ended(batch).compose(ended -> {
      if (ended.isEmpty()) {
        return Future.succeededFuture();
      }
      LOG.info("Closing live sockets of {} ended session(s)", ended.size());
      return Future.all(hubList.stream().map(h -> h.closeEnded(ended)).toList()).<Void>mapEmpty();
    }).compose(v -> checkBatches(open, from + SESSION_CHECK_BATCH, hubList));
  }

  /** Closes (4003) the topic-ticket sockets of this instance whose grant was revoked. */
  Future<Void> closeRevokedGrants() {
    if (stopped || grants.isEmpty()) {
      return Future.succeededFuture();
    }
    List<LiveHub> hubList = List.copyOf(hubs.values());
    List<Future<Set<String>>> parts = hubList.stream().map(LiveHub::grants).toList();
    return Future.all(parts).compose(all -> {
      Map<String, Set<String>> byKind = new HashMap<>();
      parts.forEach(p -> p.result().forEach(g -> byKind.computeIfAbsent(grantKind(g), k -> new LinkedHashSet<>()).add(g)));
      List<Future<Set<String>>> checks = new ArrayList<>();
      byKind.forEach((kind, open) -> {
        Function<Set<String>, Future<Set<String>>> check = grants.get(kind);
        // a grant nobody can check any more is treated as revoked
        checks.add(check == null ? Future.succeededFuture(open) : check.apply(open));
      });
      return Future.all(checks).map(x -> {
        Set<String> revoked = new LinkedHashSet<>();
        checks.forEach(c -> revoked.addAll(c.result()));
        return revoked;
      });
    }).compose(revoked -> revoked.isEmpty() ? Future.succeededFuture()
        : Future.all(hubList.stream().map(h -> h.closeGrants(revoked)).toList()).<Void>mapEmpty())
        .onFailure(t -> {
          if (!DbErrors.isOutage(t)) {
            LOG.warn("Checking live grants failed", t);
          }
        });
  }

  /** Writes this instance's presence counts now (tests; otherwise every few seconds). */
  public Future<Void> refreshPresence() {
    return savePresence();
  }

  /** Deletes messages beyond the retention (count per topic and age) and expired tickets. */
  public Future<Integer> prune() {
    return repository.prune(limits.retentionMessages(), limits.retentionAge());
  }

  /** Closes every socket of this instance; their clients reconnect and resume (tests cut connections so). */
  void closeAllSockets(short code, String reason) {
    hubs.values().forEach(h -> h.closeAll(code, reason));
  }

  /** Closes every socket (1001, going away), stops listening and forgets this instance's presence. */
  public Future<Void> stop() {
    stopped = true;
    synchronized (timers) {
      timers.forEach(vertx::cancelTimer);
      timers.clear();
    }
    closeAllSockets(LiveSocket.GOING_AWAY, "server stopping");
    PgConnection conn = listener;
    Future<Void> closed = conn == null ? Future.succeededFuture() : conn.close();
    return closed.recover(t -> Future.succeededFuture())
        .compose(v -> repository.deletePresence(instanceId).recover(t -> Future.succeededFuture()))
        .compose(v -> repository.savePeople(instanceId, Map.of(), limits.presenceInterval()).recover(t -> Future.succeededFuture()));
  }
}
