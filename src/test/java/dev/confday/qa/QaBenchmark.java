package dev.confday.qa;

import static dev.confday.TestServer.await;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.db.Database;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.events.Person;
import dev.confday.live.LiveBenchmark;
import dev.confday.live.LiveMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One session's Q&A with many subscribers: attendees on real WebSockets (loopback) subscribed to
 * {@code session:<id>:qa}, 4 questions a second and a vote storm (every voter upvotes the newest
 * question at once, a third of the way in), for a bounded time, sent as the Q&A page sends them:
 * {@code qa.ask} / {@code qa.vote} requests over each asker's and voter's own live socket, which
 * follows the topic too and is one of the subscribers ({@code -Dvia=rest}: by REST instead, on
 * HTTP connections beside the subscribers). Then a
 * minimal raw Vert.x WebSocket broadcaster (pieces of {@link LiveBenchmark}) sends the very same
 * frames, at the same moments, to as many clients in the same run. Prints the server's CPU (its
 * event-loop threads; clients run on another Vert.x) per delivered frame and the p99 time from
 * asking (raw: from broadcasting) to the last client having the question. Not a test; run with
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.confday.qa.QaBenchmark 1000 20
 * </pre>
 *
 * Arguments: subscribers (default 1000), seconds (default 20), voters (default 300); {@code -Dloops=N}
 * sets the server's HTTP event loops (default: one per processor), {@code -Dwarmup=N} the questions
 * asked (each with a vote) to warm the server up before anything is measured (default 2000). Both
 * servers are measured warm: after their warm-up the JIT is let finish compiling.
 */
public final class QaBenchmark {
  private static final int QUESTIONS_PER_SECOND = 4;
  private static final int MAX_SEQ = 100_000;
  /** Questions asked (and voted on) to warm the server up before anything is measured; -Dwarmup=N. */
  private static final int WARMUP_ASKS = Integer.getInteger("warmup", 2000);
  /**
   * Frames broadcast to all subscribers before measuring, by each server (confday: questions on
   * another session's Q&A that every subscriber follows too; raw: the same frames again); -Dfanwarmup=N.
   * The broadcast loops run per message over hundreds of sockets: measured after a few dozen
   * messages, they would still be running in the interpreter.
   */
  private static final int FANOUT_WARMUP = Integer.getInteger("fanwarmup", 300);
  /** The HTTP event loops of both servers (confday's CONFDAY_HTTP_EVENT_LOOPS, the raw server's); -Dloops=N. */
  private static final int LOOPS = Integer.getInteger("loops", Runtime.getRuntime().availableProcessors());
  /** -Dvia=rest: confday's asks and votes by HTTP; by default over the people's live sockets (as the Q&A page sends them). */
  private static final boolean VIA_REST = "rest".equals(System.getProperty("via"));

  private QaBenchmark() {
  }

  /** What arrived at the clients: per topic sequence number, how many clients and when the last one. */
  static final class Arrivals {
    final AtomicLongArray last = new AtomicLongArray(MAX_SEQ);
    final AtomicIntegerArray count = new AtomicIntegerArray(MAX_SEQ);
    final AtomicLong frames = new AtomicLong();
    /** How a message frame of the measured topic starts; other frames are not counted here. */
    final String prefix;

    Arrivals(String topic) {
      this.prefix = "{\"type\":\"message\",\"topic\":" + Json.encode(topic) + ",";
    }

    void arrived(String text) {
      if (!text.startsWith(prefix)) {
        return;
      }
      int at = text.indexOf("\"seq\":") + 6;
      int end = at;
      while (Character.isDigit(text.charAt(end))) {
        end++;
      }
      int seq = Integer.parseInt(text, at, end, 10);
      long now = System.nanoTime();
      frames.incrementAndGet();
      count.incrementAndGet(seq);
      long prev;
      do {
        prev = last.get(seq);
      } while (prev < now && !last.compareAndSet(seq, prev, now));
    }
  }

  /** Ends a {@code -Dbaseonly=true} run after the asks and votes without subscribers. */
  static final class BaseOnly extends RuntimeException {
    BaseOnly() {
      super("-Dbaseonly=true: stopped after the asks and votes without subscribers", null, false, false);
    }
  }

  record Result(String name, String topic, long cpuNanos, long frames, long wallMs, long pgCpuMs, double p99Ms, double maxMs,
      int questions, int voteFrames, double p50Ms) {
  }

  /** A frame of the confday run, to be replayed by the raw server: when (ns after start), its text, a question? */
  record Sent(long atNanos, String text, boolean question) {
  }

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int voters = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    Vertx clientVertx = Vertx.vertx();
    try {
      List<Sent> replay = new ArrayList<>();
      Result ours = runConfday(clientVertx, subscribers, seconds, voters, replay);
      Result raw = runRaw(clientVertx, subscribers, replay, ours.topic);
      Result rawQa = Boolean.parseBoolean(System.getProperty("rawqa", "true"))
          ? runRawQa(clientVertx, subscribers, seconds, voters, ours.topic) : null;
      System.out.printf("%n%d subscribers, %d s, %d questions/s, %d voters%n", subscribers, seconds,
          QUESTIONS_PER_SECOND, voters);
      System.out.printf("%-26s %10s %10s %12s %9s %9s %9s %10s %10s %8s%n", "server", "frames", "CPU ms",
          "CPU us/frame", "p50 ms", "p99 ms", "max ms", "questions", "vote msgs", "PG CPU");
      for (Result r : rawQa == null ? List.of(raw, ours) : List.of(raw, rawQa, ours)) {
        System.out.printf("%-26s %10d %10.1f %12.2f %9.1f %9.1f %9.1f %10d %10d %8s%n", r.name, r.frames,
            r.cpuNanos / 1e6, r.cpuNanos / 1e3 / r.frames, r.p50Ms, r.p99Ms, r.maxMs, r.questions, r.voteFrames,
            r.pgCpuMs < 0 ? "n/a" : Long.toString(r.pgCpuMs));
      }
      System.out.printf("confday / raw CPU per frame: %.2fx%n",
          ((double) ours.cpuNanos / ours.frames) / ((double) raw.cpuNanos / raw.frames));
      if (rawQa != null) {
        System.out.printf("confday / raw Q&A in memory (the same asks and votes, %s) CPU per frame: %.2fx%n",
            VIA_REST ? "by HTTP" : "over the people's sockets",
            ((double) ours.cpuNanos / ours.frames) / ((double) rawQa.cpuNanos / rawQa.frames));
      }
    } catch (BaseOnly e) {
      System.out.println(e.getMessage());
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    } finally {
      try {
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // the figures are printed; the clients' thousands of sockets may take longer to close
        System.out.println("(the benchmark's clients did not close within 10 s; exiting anyway)");
      }
    }
    System.exit(0);
  }

  private static Result runConfday(Vertx clientVertx, int subscribers, int seconds, int voterCount, List<Sent> replay)
      throws Exception {
    Database db = TestDatabase.migratedDatabase();
    Map<String, String> env = new HashMap<>(Map.of("CONFDAY_LIVE_RATE_BURST", "1000",
        "CONFDAY_LIVE_RATE_PER_SECOND", "1000", "CONFDAY_LIVE_RETENTION_MESSAGES", "100000",
        "CONFDAY_DB_POOL_SIZE", "20", "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "30000",
        "CONFDAY_HTTP_EVENT_LOOPS", Integer.toString(LOOPS)));
    try (TestServer server = TestServer.start(db, env)) {
      System.out.println("confday: transport " + (server.vertx.isNativeTransportEnabled() ? "native" : "NIO"));
      // the event: an open session, askers (5 questions a minute each at most), voters, listeners
      String slug = "qa-bench";
      // three days around today: the session runs from an hour ago to two hours on, whatever the hour
      Event event = await(server.server.events().createEvent(new NewEvent(slug, "Q&A benchmark", "UTC",
          LocalDate.now().minusDays(1), LocalDate.now().plusDays(1), null, null)));
      long room = await(server.server.events().addRoom(event.id(), new NewRoom("Hall", 10_000, null))).id();
      await(server.server.events().addPerson(event.id(), "org@example.org", "Org", null, Role.ORGANIZER));
      int askers = QUESTIONS_PER_SECOND * seconds / 4 + 1;
      int listeners = 50;
      int warmAskers = WARMUP_ASKS / QaRoutes.ASKS_PER_MINUTE + 1;
      StringBuilder csv = new StringBuilder("name,email,ticket\n");
      people(csv, "Asker", askers, true);
      people(csv, "Voter", voterCount, false);
      people(csv, "Listener", listeners, false);
      people(csv, "Warm", warmAskers, true);
      people(csv, "Fan", FANOUT_WARMUP / QaRoutes.ASKS_PER_MINUTE + 1, true);
      await(server.server.events().importRegistrations(event.id(), csv.toString()));
      List<Person> people = await(server.server.events().people(event.id()));
      Map<String, String> tokens = new ConcurrentHashMap<>();
      for (Person p : people) {
        String link = server.server.events().loginLink(event, p);
        tokens.put(p.email(), await(server.server.events().startSession(link.substring(link.indexOf("#token=") + 7)))
            .getString("token"));
      }
      String organizer = tokens.get("org@example.org");
      // the load's clients run on the clients' Vert.x: on the server's, their CPU counted as the server's
      WebClient http = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(20));
      // voters are other people than askers: their own connections, so asks do not queue behind votes here
      WebClient voting = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(20));
      long session = openSession(http, slug, organizer, room, "Keynote");
      String topic = QaService.topic(session);
      WebSocketClient wsClient = clientVertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(subscribers + askers + voterCount + warmAskers + 100));
      // -Dvia=rest: asks and votes by HTTP; by default over each person's live socket, as the page sends them
      LiveActions overLive = VIA_REST ? null : LiveActions.confday(http, wsClient, server.port(), server.baseUrl(), slug,
          tokens);
      Actions act = VIA_REST ? new Rest(http, voting, slug, tokens) : overLive;
      System.out.println("confday: asks and votes " + (VIA_REST ? "by HTTP" : "over the askers' and voters' live sockets"));
      // the same load on another session without subscribers: warms the JIT up, and its CPU is the
      // cost of taking questions and votes, without any fan-out
      long side = await(server.server.events().addRoom(event.id(), new NewRoom("Side room", 100, null))).id();
      long warm = openSession(http, slug, organizer, side, "Warm-up");
      Set<Long> threads = LiveBenchmark.serverThreads(server.vertx);
      // a server that has run for a while: its request paths compiled by the JIT, as they are after
      // the first minutes of a real day (80 asks alone would be measured mostly in the interpreter)
      long warm0 = LiveBenchmark.cpu(threads);
      warmUp(act, warm, warmAskers, voterCount, askers);
      if (overLive != null) {
        overLive.close("warm");
      }
      System.out.printf("confday: warm-up (%d asks, their votes) took %.1f ms of server CPU; the JIT compiled "
          + "for %d ms more after it%n", WARMUP_ASKS, (LiveBenchmark.cpu(threads) - warm0) / 1e6, jitSettled());
      // the server's own work over the same time with no request at all (timers, polls, presence)
      long idle0 = LiveBenchmark.cpu(threads);
      Thread.sleep(Boolean.getBoolean("baseonly") ? 0 : TimeUnit.SECONDS.toMillis(seconds));
      long idle = LiveBenchmark.cpu(threads) - idle0;
      System.out.printf("confday: server CPU idle for %d s: %.1f ms%n", seconds, idle / 1e6);
      long base0 = LiveBenchmark.cpu(threads);
      phase("confday-base", server.vertx);
      System.out.println("confday: asks and votes without subscribers from " + java.time.Instant.now());
      drive(act, warm, askers, voterCount, seconds, new HashMap<>(), System.nanoTime());
      Thread.sleep(VoteCoalescer.INTERVAL_MS * 2);
      long baseline = LiveBenchmark.cpu(threads) - base0;
      System.out.println("confday: asks and votes without subscribers until " + java.time.Instant.now());
      System.out.printf("confday: server CPU of asks and votes without subscribers %.1f ms%n", baseline / 1e6);
      if (Boolean.getBoolean("baseonly")) {
        Thread.sleep(3000); // for a profiler to stop first
        throw new BaseOnly();
      }

      // the subscribers: the measured session's Q&A, and the warm-up session's for the fan-out's warm-up
      Arrivals arrivals = new Arrivals(topic);
      Arrivals warmArrivals = new Arrivals(QaService.topic(warm));
      AtomicLong subscribed = new AtomicLong();
      List<WebSocket> sockets = new CopyOnWriteArrayList<>();
      String subscribe = new JsonObject().put("type", "subscribe").put("topic", topic).encode();
      String subscribeWarm = new JsonObject().put("type", "subscribe").put("topic", QaService.topic(warm)).encode();
      java.util.function.Consumer<String> frames = t -> {
        if (t.startsWith("{\"type\":\"subscribed\"")) {
          subscribed.incrementAndGet();
        } else {
          arrivals.arrived(t);
          warmArrivals.arrived(t);
        }
      };
      for (int from = 0; from < subscribers; from += 100) {
        List<Future<WebSocket>> batch = new ArrayList<>();
        for (int i = from; i < Math.min(subscribers, from + 100); i++) {
          // over live sockets the voters and askers follow the Q&A on the sockets they vote and ask on
          String actor = i < voterCount ? "voter" + i + "@example.org"
              : i < voterCount + askers ? "asker" + (i - voterCount) + "@example.org" : null;
          Actor own = overLive == null || actor == null ? null : overLive.opened(actor);
          if (own != null) {
            own.frames = frames;
            own.ws.writeTextMessage(subscribe);
            own.ws.writeTextMessage(subscribeWarm);
            sockets.add(own.ws);
            continue;
          }
          String bearer = tokens.get("listener" + (i % listeners) + "@example.org");
          batch.add(http.post("/api/live/ticket").bearerTokenAuthentication(bearer).send()
              .compose(r -> wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                  .setPort(server.port()).setURI("/live?ticket=" + r.bodyAsJsonObject().getString("ticket"))
                  .addHeader("Origin", server.baseUrl())))
              .onSuccess(ws -> {
                ws.textMessageHandler(frames::accept);
                ws.writeTextMessage(subscribe);
                ws.writeTextMessage(subscribeWarm);
                sockets.add(ws);
              }));
        }
        await(Future.all(batch));
      }
      waitFor(subscribed, 2L * subscribers, 60);
      warmFanOut(act, warm, warmArrivals, subscribers);
      if (overLive != null) {
        overLive.close("fan");
      }
      System.out.printf("confday: fan-out warm-up (%d questions to every subscriber) done; the JIT compiled for %d ms "
          + "more after it%n", FANOUT_WARMUP, jitSettled());
      Thread.sleep(1000); // let things settle before measuring (a benchmark, not a test)

      phase("confday-measure", server.vertx);
      // -Dprofiler=<libasyncProfiler.so>: the measured window profiled into /tmp/qabench-measure.collapsed
      QaCostProbe.profiler("start,event=cpu,interval=1ms,threads");
      long cpu0 = LiveBenchmark.cpu(threads);
      long user0 = LiveBenchmark.userCpu(threads);
      long pg0 = LiveBenchmark.postgresCpuMs();
      long t0 = System.nanoTime();
      Map<Long, Long> askedAt = new ConcurrentHashMap<>();
      drive(act, session, askers, voterCount, seconds, askedAt, t0);
      // everything stored must reach every client
      Thread.sleep(VoteCoalescer.INTERVAL_MS * 2);
      List<LiveMessage> stored = await(server.server.live().since(topic, 0, MAX_SEQ - 1));
      long expected = (long) stored.stream().filter(m -> m.seq() > 0).count() * subscribers;
      long firstSeq = stored.isEmpty() ? 0 : stored.get(0).seq();
      // the settings message came before the clients subscribed
      long before = stored.stream().filter(m -> "settings".equals(m.payload().getString("type"))).count();
      expected -= before * subscribers;
      waitFor(arrivals.frames, expected, 120);
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = LiveBenchmark.cpu(threads) - cpu0;
      long user = LiveBenchmark.userCpu(threads) - user0;
      QaCostProbe.profiler("stop,file=/tmp/qabench-measure.collapsed,collapsed,threads");
      System.out.printf("confday: server CPU %.1f ms, of which in the kernel (system calls) %.1f ms%n", cpu / 1e6,
          (cpu - user) / 1e6);
      long pg = pg0 < 0 ? -1 : LiveBenchmark.postgresCpuMs() - pg0;

      List<Double> latencies = new ArrayList<>();
      List<double[]> slowest = new ArrayList<>();
      int voteFrames = 0;
      String prefix = "{\"type\":\"message\",\"topic\":" + Json.encode(topic) + ",\"seq\":";
      for (LiveMessage m : stored) {
        String type = m.payload().getString("type");
        if ("settings".equals(type)) {
          continue;
        }
        int seq = (int) m.seq();
        long arrivedLast = arrivals.last.get(seq);
        String text = prefix + seq + ",\"data\":" + m.payload().encode() + "}";
        boolean question = "question".equals(type);
        if (question) {
          Long asked = askedAt.get(m.payload().getJsonObject("question").getLong("id"));
          latencies.add((arrivedLast - asked) / 1e6);
          slowest.add(new double[] {(arrivedLast - asked) / 1e6, (asked - t0) / 1e6});
          replay.add(new Sent(asked - t0, text, true));
        } else {
          voteFrames++;
          // replayed when its last client had it (its publish moment is not known to the client)
          replay.add(new Sent(arrivedLast - t0, text, false));
        }
      }
      replay.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
      slowest.sort((a, b) -> Double.compare(b[0], a[0]));
      System.out.printf("confday: slowest questions (ms to the last client, asked at ms): %s; "
          + "the vote storm at %d ms%n",
          slowest.stream().limit(5).map(x -> String.format("%.0f at %.0f", x[0], x[1])).toList(),
          1000L * (QUESTIONS_PER_SECOND * seconds / 3) / QUESTIONS_PER_SECOND);
      sockets.forEach(WebSocket::close);
      wsClient.close();
      http.close();
      voting.close();
      System.out.println("confday stats: " + server.server.live().stats() + ", first seq " + firstSeq);
      System.out.printf("confday: server CPU of the same asks and votes without subscribers %.1f ms; the rest, "
          + "%.1f ms, is %.2f us per delivered frame%n", baseline / 1e6, (cpu - baseline) / 1e6,
          (cpu - baseline) / 1e3 / arrivals.frames.get());
      return new Result("confday Q&A (PostgreSQL)", topic, cpu, arrivals.frames.get(), wall, pg, p99(latencies),
          latencies.stream().mapToDouble(x -> x).max().orElse(0), latencies.size(), voteFrames, p50(latencies));
    }
  }

  /**
   * Appends {@code count} registrations to the CSV: "<Kind> i", "<kind>i@example.org"; remote, or
   * alternating remote and in-person when {@code mixed}.
   */
  private static void people(StringBuilder csv, String kind, int count, boolean mixed) {
    for (int i = 0; i < count; i++) {
      csv.append(kind).append(' ').append(i).append(',').append(kind.toLowerCase(java.util.Locale.ROOT)).append(i)
          .append("@example.org,").append(mixed && i % 2 != 0 ? "In-person" : "Remote").append('\n');
    }
  }

  /** A running session of the benchmark's event; answers its id. */
  private static long openSession(WebClient http, String slug, String organizer, long room, String title) {
    HttpResponse<Buffer> created = await(http.post("/api/events/" + slug + "/schedule/sessions")
        .bearerTokenAuthentication(organizer).sendJsonObject(new JsonObject().put("title", title)
            .put("type", "invited-talk").put("roomId", room)
            .put("startsAt", OffsetDateTime.now().minusHours(1).toString())
            .put("endsAt", OffsetDateTime.now().plusHours(2).toString())));
    if (created.statusCode() != 201) {
      throw new IllegalStateException(created.bodyAsString());
    }
    long session = created.bodyAsJsonObject().getLong("id");
    await(http.put("/api/events/" + slug + "/sessions/" + session + "/qa").bearerTokenAuthentication(organizer)
        .sendJsonObject(new JsonObject().put("state", "open")));
    return session;
  }

  /**
   * Asks 4 questions a second for {@code seconds} (round robin over the askers) and, a third of
   * the way in, has every voter upvote the newest question at once; returns when all answered.
   */
  /** How the benchmark's people ask and vote: by HTTP ({@link Rest}) or over their live sockets ({@link LiveActions}). */
  interface Actions {
    /** Asks as {@code email} in session {@code session}; answers the question's id. */
    Future<Long> ask(String email, long session, String text);

    /** Upvotes {@code question} as {@code email}. */
    Future<Void> vote(String email, long session, long question);
  }

  /** Asking and voting by HTTP: POST …/questions, PUT …/questions/{id}/vote (voters on their own connections). */
  record Rest(WebClient http, WebClient voting, String slug, Map<String, String> tokens) implements Actions {
    private String base(long session) {
      return "/api/events/" + slug + "/sessions/" + session;
    }

    @Override
    public Future<Long> ask(String email, long session, String text) {
      return http.post(base(session) + "/questions").bearerTokenAuthentication(tokens.get(email))
          .sendJsonObject(new JsonObject().put("text", text)).compose(r -> r.statusCode() == 201
              ? Future.succeededFuture(r.bodyAsJsonObject().getLong("id"))
              : Future.failedFuture("ask: " + r.statusCode() + " " + r.bodyAsString()));
    }

    @Override
    public Future<Void> vote(String email, long session, long question) {
      return voting.put(base(session) + "/questions/" + question + "/vote").bearerTokenAuthentication(tokens.get(email))
          .send().compose(r -> r.statusCode() == 200 ? Future.<Void>succeededFuture()
              : Future.failedFuture("vote: " + r.statusCode() + " " + r.bodyAsString()));
    }
  }

  /** One person's live socket: requests answered by id, every other frame handed to {@code frames}. */
  static final class Actor {
    final WebSocket ws;
    private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    volatile java.util.function.Consumer<String> frames = t -> { };

    Actor(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(t -> {
        if (t.startsWith("{\"type\":\"reply\"")) {
          JsonObject m = new JsonObject(t);
          Promise<JsonObject> p = pending.remove(m.getString("id"));
          if (p != null && m.containsKey("error")) {
            p.fail(m.getJsonObject("error").encode());
          } else if (p != null) {
            p.complete(m.getJsonObject("result"));
          }
        } else {
          frames.accept(t);
        }
      });
    }

    Future<JsonObject> request(String name, JsonObject params) {
      String id = "r" + ids.incrementAndGet();
      Promise<JsonObject> p = Promise.promise();
      pending.put(id, p);
      ws.writeTextMessage(new JsonObject().put("type", "request").put("id", id).put("name", name).put("params", params)
          .encode());
      return p.future();
    }
  }

  /**
   * Asking and voting over each person's own live socket ({@code qa.ask}, {@code qa.vote}), as the
   * Q&A page does when its connection is open; a person's socket is opened on first use (a ticket,
   * then the upgrade) and kept, so it may follow topics too ({@link #actor}).
   */
  static final class LiveActions implements Actions {
    private final WebSocketClient client;
    private final java.util.function.Function<String, Future<WebSocketConnectOptions>> connecting;
    private final String slug;
    private final Map<String, Future<Actor>> actors = new ConcurrentHashMap<>();

    /** {@code connecting}: how a person's socket is opened (confday: a ticket first). */
    LiveActions(WebSocketClient client, java.util.function.Function<String, Future<WebSocketConnectOptions>> connecting,
        String slug) {
      this.client = client;
      this.connecting = connecting;
      this.slug = slug;
    }

    /** confday's: a ticket for the person's session, then the upgrade from the page's origin. */
    static LiveActions confday(WebClient http, WebSocketClient client, int port, String origin, String slug,
        Map<String, String> tokens) {
      return new LiveActions(client, email -> http.post("/api/live/ticket").bearerTokenAuthentication(tokens.get(email))
          .send().map(r -> new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/live?ticket=" + r.bodyAsJsonObject().getString("ticket")).addHeader("Origin", origin)), slug);
    }

    Future<Actor> actor(String email) {
      return actors.computeIfAbsent(email, e -> connecting.apply(e).compose(client::connect).map(Actor::new));
    }

    /** The sockets opened so far. */
    List<Actor> all() {
      return actors.values().stream().filter(Future::succeeded).map(Future::result).toList();
    }

    /** The socket of {@code email} if it was opened, else null. */
    Actor opened(String email) {
      Future<Actor> f = actors.get(email);
      return f == null || !f.succeeded() ? null : f.result();
    }

    /** Closes the sockets of the people whose address starts with {@code prefix} (done with them). */
    void close(String prefix) {
      actors.entrySet().removeIf(e -> {
        if (e.getKey().startsWith(prefix)) {
          e.getValue().onSuccess(a -> a.ws.close());
          return true;
        }
        return false;
      });
    }

    @Override
    public Future<Long> ask(String email, long session, String text) {
      return actor(email).compose(a -> a.request("qa.ask", new JsonObject().put("event", slug).put("session", session)
          .put("text", text))).map(r -> r.getJsonObject("question").getLong("id"));
    }

    @Override
    public Future<Void> vote(String email, long session, long question) {
      return actor(email).compose(a -> a.request("qa.vote", new JsonObject().put("event", slug).put("session", session)
          .put("question", question).put("up", true))).mapEmpty();
    }
  }

  /**
   * Asks 4 questions a second for {@code seconds} (round robin over the askers) and, a third of
   * the way in, has every voter upvote the newest question at once; returns when all answered.
   */
  private static void drive(Actions act, long session, int askers, int voterCount, int seconds, Map<Long, Long> askedAt,
      long t0) throws InterruptedException {
    List<Future<?>> work = new ArrayList<>();
    int total = QUESTIONS_PER_SECOND * seconds;
    AtomicLong newest = new AtomicLong();
    for (int q = 0; q < total; q++) {
      long due = t0 + TimeUnit.MILLISECONDS.toNanos(1000L * q / QUESTIONS_PER_SECOND);
      sleepUntil(due);
      long start = System.nanoTime();
      work.add(act.ask("asker" + (q % askers) + "@example.org", session, "Question " + q + ": how does the method scale?")
          .onSuccess(id -> {
            synchronized (askedAt) {
              askedAt.put(id, start);
            }
            newest.accumulateAndGet(id, Math::max);
          }).onFailure(t -> System.err.println(t.getMessage())));
      if (q == total / 3) {
        long target = newest.get();
        for (int v = 0; v < voterCount; v++) {
          work.add(act.vote("voter" + v + "@example.org", session, target)
              .onFailure(t -> System.err.println(t.getMessage())));
        }
      }
    }
    await(Future.join(work));
  }

  /**
   * Warms the server up: {@link #WARMUP_ASKS} questions from the warm-up askers (at most 20 in
   * flight), each upvoted by one of the voters and askers; nothing measured.
   */
  private static void warmUp(Actions act, long session, int warmAskers, int voters, int askers) {
    List<String> voterEmails = new ArrayList<>();
    for (int i = 0; i < voters; i++) {
      voterEmails.add("voter" + i + "@example.org");
    }
    for (int i = 0; i < askers; i++) {
      voterEmails.add("asker" + i + "@example.org");
    }
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(20);
    List<Future<?>> work = new ArrayList<>();
    for (int q = 0; q < WARMUP_ASKS; q++) {
      inFlight.acquireUninterruptibly();
      String voter = voterEmails.get(q % voterEmails.size());
      Future<?> f = act.ask("warm" + (q % warmAskers) + "@example.org", session, "Warm-up question " + q)
          .compose(id -> act.vote(voter, session, id))
          .onComplete(ar -> inFlight.release());
      work.add(f);
    }
    await(Future.all(work));
  }

  /**
   * Warms the fan-out up: {@link #FANOUT_WARMUP} questions asked one after another, 5 ms apart,
   * by the "Fan" people on the warm-up session, which every subscriber follows; waits until every
   * subscriber has them all.
   */
  private static void warmFanOut(Actions act, long session, Arrivals arrived, int subscribers)
      throws InterruptedException {
    int fans = FANOUT_WARMUP / QaRoutes.ASKS_PER_MINUTE + 1;
    long before = arrived.frames.get();
    for (int q = 0; q < FANOUT_WARMUP; q++) {
      await(act.ask("fan" + (q % fans) + "@example.org", session, "Fan-out warm-up question " + q));
      Thread.sleep(5);
    }
    // each question, and the vote-count messages none of these get: at least the questions
    waitFor(arrived.frames, before + (long) FANOUT_WARMUP * subscribers, 120);
  }

  private static Result runRaw(Vertx clientVertx, int subscribers, List<Sent> replay, String topic) throws Exception {
    Vertx serverVertx = rawVertx();
    try {
      RawServer raw = rawServer(serverVertx, null);
      java.util.concurrent.atomic.AtomicReference<Arrivals> current = new java.util.concurrent.atomic.AtomicReference<>(
          new Arrivals(topic));
      WebSocketClient client = raw.connect(clientVertx, subscribers, current);
      System.out.println("raw: " + LOOPS + " event loops, transport "
          + (serverVertx.isNativeTransportEnabled() ? "native" : "NIO") + ", sockets per loop "
          + raw.sockets().stream().map(List::size).toList());
      // warmed up as the confday server was: as many frames (the replay's, over and over), 5 ms
      // apart, through the same broadcast as measured, not measured
      for (int i = 0; i < FANOUT_WARMUP; i++) {
        Sent s = replay.get(i % replay.size());
        await(raw.broadcast(s.text));
        Thread.sleep(5);
      }
      waitFor(current.get().frames, (long) FANOUT_WARMUP * subscribers, 120);
      Arrivals arrivals = new Arrivals(topic);
      current.set(arrivals);
      jitSettled();
      Set<Long> threads = LiveBenchmark.serverThreads(serverVertx);
      phase("raw-measure", serverVertx);
      long cpu0 = LiveBenchmark.cpu(threads);
      long user0 = LiveBenchmark.userCpu(threads);
      long t0 = System.nanoTime();
      long[] sentAt = new long[replay.size()];
      Promise<Void> done = Promise.promise();
      AtomicLong left = new AtomicLong(replay.size());
      for (int i = 0; i < replay.size(); i++) {
        int index = i;
        Sent s = replay.get(i);
        long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(s.atNanos));
        serverVertx.setTimer(delayMs, id -> {
          sentAt[index] = System.nanoTime();
          raw.broadcast(s.text).onComplete(x -> {
            if (left.decrementAndGet() == 0) {
              done.complete();
            }
          });
        });
      }
      await(done.future());
      waitFor(arrivals.frames, (long) replay.size() * subscribers, 120);
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = LiveBenchmark.cpu(threads) - cpu0;
      System.out.printf("raw: server CPU %.1f ms, of which in the kernel (system calls) %.1f ms%n", cpu / 1e6,
          (cpu - (LiveBenchmark.userCpu(threads) - user0)) / 1e6);
      List<Double> latencies = new ArrayList<>();
      for (int i = 0; i < replay.size(); i++) {
        if (replay.get(i).question) {
          String text = replay.get(i).text;
          int at = text.indexOf("\"seq\":") + 6;
          int seq = Integer.parseInt(text.substring(at, text.indexOf(',', at)));
          latencies.add((arrivals.last.get(seq) - sentAt[i]) / 1e6);
        }
      }
      client.close();
      return new Result("raw Vert.x broadcast", topic, cpu, arrivals.frames.get(), wall, -1, p99(latencies),
          latencies.stream().mapToDouble(x -> x).max().orElse(0), latencies.size(),
          replay.size() - latencies.size(), p50(latencies));
    } finally {
      serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * For comparison, not the goal's reference: a minimal in-memory Q&A on raw Vert.x that takes
   * the very same load the same way (the same {@link #drive}: asks at 4/s, the vote storm; over the
   * askers' and voters' own sockets as {@code qa.ask}/{@code qa.vote} requests, or by REST with
   * {@code -Dvia=rest}) on as many
   * event loops, with no sign-in, database or moderation: an ask is parsed, numbered and broadcast
   * (through {@link #broadcast}); a vote is counted per person in memory and the counts that
   * changed are broadcast every {@link VoteCoalescer#INTERVAL_MS} ms. Warmed up as the confday
   * server is (the 2000 asks with a vote, the JIT wait, the fan-out warm-up).
   */
  private static Result runRawQa(Vertx clientVertx, int subscribers, int seconds, int voterCount, String topic)
      throws Exception {
    Vertx serverVertx = rawVertx();
    try {
      AtomicLong ids = new AtomicLong();
      AtomicLong seqs = new AtomicLong();
      Map<Long, Long> seqOf = new ConcurrentHashMap<>();
      Map<Long, Set<String>> voters = new ConcurrentHashMap<>();
      Set<Long> changed = ConcurrentHashMap.newKeySet();
      String prefix = "{\"type\":\"message\",\"topic\":" + Json.encode(topic) + ",\"seq\":";
      // an ask: numbered and broadcast; a vote: counted per person (the counts go out on the tick below)
      java.util.function.BiFunction<RawServer, String, JsonObject> askRaw = (self, text) -> {
        long id = ids.incrementAndGet();
        long seq = seqs.incrementAndGet();
        seqOf.put(id, seq);
        JsonObject question = new JsonObject().put("id", id).put("sessionId", 1).put("text", text)
            .put("anonymous", false).put("origin", "remote").put("status", "visible").put("pinned", false)
            .put("answered", false).put("askedAt", java.time.Instant.now().toString()).put("votes", 0)
            .put("voted", false).put("edited", false)
            .put("author", new JsonObject().put("personId", id).put("name", "Asker"));
        self.broadcast(prefix + seq + ",\"data\":"
            + new JsonObject().put("type", "question").put("question", question).encode() + "}");
        return question;
      };
      java.util.function.BiFunction<Long, String, JsonObject> voteRaw = (id, who) -> {
        Set<String> all = voters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
        all.add(who);
        changed.add(id);
        return new JsonObject().put("id", id).put("votes", all.size()).put("voted", true);
      };
      RawServer raw = rawServer(serverVertx, self -> req ->
            req.body().onSuccess(body -> {
              String path = req.path();
              if (req.method() == io.vertx.core.http.HttpMethod.POST && path.endsWith("/questions")) {
                JsonObject question = askRaw.apply(self, body.toJsonObject().getString("text"));
                req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .end(question.encode());
              } else if (req.method() == io.vertx.core.http.HttpMethod.PUT && path.endsWith("/vote")) {
                String[] parts = path.split("/");
                JsonObject r = voteRaw.apply(Long.parseLong(parts[parts.length - 2]),
                    String.valueOf(req.getHeader("Authorization")));
                req.response().putHeader("Content-Type", "application/json").end(r.encode());
              } else {
                req.response().setStatusCode(404).end();
              }
            }), self -> (ws, text) -> {
              // over a socket as confday's qa.ask / qa.vote: the person is the one the socket was opened for
              JsonObject m = new JsonObject(text);
              JsonObject params = m.getJsonObject("params");
              JsonObject result = "qa.ask".equals(m.getString("name"))
                  ? new JsonObject().put("question", askRaw.apply(self, params.getString("text"))).put("replayed", false)
                  : voteRaw.apply(params.getLong("question"), ws.query());
              ws.writeTextMessage(new JsonObject().put("type", "reply").put("id", m.getValue("id")).put("result", result)
                  .encode());
            });
      int port = raw.port();
      // the coalesced vote counts, as VoteCoalescer's pace
      serverVertx.setPeriodic(VoteCoalescer.INTERVAL_MS, t -> {
        for (Long id : List.copyOf(changed)) {
          changed.remove(id);
          raw.broadcast(prefix + seqs.incrementAndGet() + ",\"data\":" + new JsonObject()
              .put("type", "votes").put("id", id).put("votes", voters.get(id).size()).encode() + "}");
        }
      });
      WebClient http = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(20));
      WebClient voting = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(20));
      int askers = QUESTIONS_PER_SECOND * seconds / 4 + 1;
      Map<String, String> tokens = new HashMap<>();
      for (int i = 0; i < Math.max(askers, Math.max(voterCount, WARMUP_ASKS / QaRoutes.ASKS_PER_MINUTE + 1)); i++) {
        for (String kind : List.of("asker", "voter", "warm", "fan")) {
          tokens.put(kind + i + "@example.org", kind + "-token-" + i);
        }
      }
      WebSocketClient actorClient = clientVertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(askers + voterCount + WARMUP_ASKS / QaRoutes.ASKS_PER_MINUTE + 100));
      // as confday's: over the askers' and voters' own sockets (the person named in the socket's query)
      LiveActions overLive = VIA_REST ? null : new LiveActions(actorClient, email -> Future.succeededFuture(
          new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/?" + email)), "raw");
      Actions act = VIA_REST ? new Rest(http, voting, "raw", tokens) : overLive;
      Set<Long> threads = LiveBenchmark.serverThreads(serverVertx);
      warmUp(act, 2, WARMUP_ASKS / QaRoutes.ASKS_PER_MINUTE + 1, voterCount, askers);
      if (overLive != null) {
        overLive.close("warm");
        Thread.sleep(1000);
      }
      jitSettled();
      java.util.concurrent.atomic.AtomicReference<Arrivals> current = new java.util.concurrent.atomic.AtomicReference<>(
          new Arrivals(topic));
      // the askers' and voters' sockets are among the subscribers, as on confday
      List<Actor> actors = overLive == null ? List.of() : overLive.all();
      actors.forEach(a -> a.frames = t -> current.get().arrived(t));
      WebSocketClient client = raw.connect(clientVertx, subscribers - actors.size(), current);
      // the fan-out warm-up: as many questions, 5 ms apart (the warm-up's asks went to no one)
      long before = current.get().frames.get();
      for (int q = 0; q < FANOUT_WARMUP; q++) {
        await(http.post("/api/events/raw/sessions/3/questions").sendJsonObject(new JsonObject().put("text", "Fan " + q)));
        Thread.sleep(5);
      }
      waitFor(current.get().frames, before + (long) FANOUT_WARMUP * subscribers, 120);
      jitSettled();
      Arrivals arrivals = new Arrivals(topic);
      current.set(arrivals);
      Thread.sleep(1000);
      phase("rawqa-measure", serverVertx);
      long cpu0 = LiveBenchmark.cpu(threads);
      long user0 = LiveBenchmark.userCpu(threads);
      long t0 = System.nanoTime();
      long firstSeq = seqs.get() + 1;
      Map<Long, Long> askedAt = new ConcurrentHashMap<>();
      drive(act, 1, askers, voterCount, seconds, askedAt, t0);
      Thread.sleep(VoteCoalescer.INTERVAL_MS * 2);
      long messages = seqs.get() - firstSeq + 1;
      waitFor(arrivals.frames, messages * subscribers, 120);
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = LiveBenchmark.cpu(threads) - cpu0;
      System.out.printf("raw Q&A: server CPU %.1f ms, of which in the kernel (system calls) %.1f ms%n", cpu / 1e6,
          (cpu - (LiveBenchmark.userCpu(threads) - user0)) / 1e6);
      List<Double> latencies = new ArrayList<>();
      askedAt.forEach((id, at) -> latencies.add((arrivals.last.get(seqOf.get(id).intValue()) - at) / 1e6));
      client.close();
      http.close();
      voting.close();
      return new Result(VIA_REST ? "raw Q&A in memory (REST)" : "raw Q&A in memory (sockets)", topic, cpu,
          arrivals.frames.get(), wall, -1, p99(latencies),
          latencies.stream().mapToDouble(x -> x).max().orElse(0), latencies.size(),
          (int) (messages - latencies.size()), p50(latencies));
    } finally {
      serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The raw server's broadcast: the text as one final text frame to every socket, through the public API. */
  private static void broadcast(List<ServerWebSocket> sockets, String text) {
    for (ServerWebSocket ws : sockets) {
      ws.writeFinalTextFrame(text);
    }
  }

  /**
   * A raw server on as many event loops as the confday server's HTTP server: one HTTP server per
   * loop on one port (Vert.x spreads the connections), each loop's sockets written from that loop.
   */
  record RawServer(List<io.vertx.core.Context> loops, List<List<ServerWebSocket>> sockets, int port) {
    /** {@link #broadcast} on every loop, each to its own sockets; completes when all have written. */
    Future<Void> broadcast(String text) {
      List<Future<Void>> all = new ArrayList<>();
      for (int l = 0; l < loops.size(); l++) {
        List<ServerWebSocket> own = sockets.get(l);
        Promise<Void> written = Promise.promise();
        loops.get(l).runOnContext(v -> {
          QaBenchmark.broadcast(own, text);
          written.complete();
        });
        all.add(written.future());
      }
      return Future.all(all).mapEmpty();
    }

    /** Connects {@code subscribers} WebSockets (100 at a time); each text goes to the Arrivals {@code current} holds. */
    WebSocketClient connect(Vertx clientVertx, int subscribers,
        java.util.concurrent.atomic.AtomicReference<Arrivals> current) {
      WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(subscribers));
      for (int from = 0; from < subscribers; from += 100) {
        List<Future<WebSocket>> batch = new ArrayList<>();
        for (int i = from; i < Math.min(subscribers, from + 100); i++) {
          batch.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
              .onSuccess(ws -> ws.textMessageHandler(t -> current.get().arrived(t))));
        }
        await(Future.all(batch));
      }
      return client;
    }
  }

  /**
   * Starts a {@link RawServer} on {@code vertx}; {@code requests} (may be null: WebSockets only)
   * gives the HTTP request handler, knowing the server it serves.
   */
  private static RawServer rawServer(Vertx vertx,
      java.util.function.Function<RawServer, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest>> requests)
      throws Exception {
    return rawServer(vertx, requests, null);
  }

  /** As above; {@code messages} (may be null) takes each text message a socket sends. */
  private static RawServer rawServer(Vertx vertx,
      java.util.function.Function<RawServer, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest>> requests,
      java.util.function.Function<RawServer, java.util.function.BiConsumer<ServerWebSocket, String>> messages)
      throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // Vert.x shares a server between loops only on a port given to each
    }
    List<io.vertx.core.Context> loops = new ArrayList<>();
    List<List<ServerWebSocket>> sockets = new ArrayList<>();
    for (int l = 0; l < LOOPS; l++) {
      loops.add(((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext());
      sockets.add(new CopyOnWriteArrayList<>());
    }
    RawServer server = new RawServer(loops, sockets, port);
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler = requests == null ? null : requests.apply(server);
    java.util.function.BiConsumer<ServerWebSocket, String> onMessage = messages == null ? null : messages.apply(server);
    for (int l = 0; l < LOOPS; l++) {
      List<ServerWebSocket> own = sockets.get(l);
      Promise<HttpServer> listening = Promise.promise();
      loops.get(l).runOnContext(v -> {
        HttpServer http = vertx.createHttpServer().webSocketHandler(ws -> {
          own.add(ws);
          if (onMessage != null) {
            ws.textMessageHandler(t -> onMessage.accept(ws, t));
          }
        });
        if (handler != null) {
          http.requestHandler(handler);
        }
        http.listen(port, "127.0.0.1").onComplete(listening);
      });
      await(listening.future());
    }
    return server;
  }

  /**
   * Waits (at most 60 s) until the JIT has stopped compiling what the warm-up made hot: its total
   * compilation time grew by less than 10 ms in a second. Answers how long it compiled meanwhile (ms).
   */
  static long jitSettled() throws InterruptedException {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      Thread.sleep(5000);
      return -1;
    }
    long start = jit.getTotalCompilationTime();
    long before = start;
    for (int i = 0; i < 60; i++) {
      Thread.sleep(1000);
      long now = jit.getTotalCompilationTime();
      if (now - before < 10) {
        return now - start;
      }
      before = now;
    }
    return before - start;
  }

  /**
   * With {@code -Dphases=true}, prints "PHASE name tids a,b,..." (the server's event-loop threads as the
   * kernel numbers them) as a measured part starts, for a profiler to attach to (e.g. perf record -t).
   */
  /**
   * The raw servers' Vert.x: its defaults (the JDK's NIO transport), the "minimal raw Vert.x"
   * of the goal; {@code -Drawnative=true} gives it the native transport confday runs on, for comparison.
   */
  private static Vertx rawVertx() {
    return Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(Boolean.getBoolean("rawnative")));
  }

  private static void phase(String name, Vertx vertx) throws Exception {
    if (Boolean.getBoolean("phases")) {
      System.out.println("PHASE " + name + " tids " + nativeTids(vertx));
    }
  }

  private static String nativeTids(Vertx vertx) throws Exception {
    StringBuilder b = new StringBuilder();
    io.vertx.core.internal.VertxInternal internal = (io.vertx.core.internal.VertxInternal) vertx;
    for (io.netty.util.concurrent.EventExecutor e : internal.eventLoopGroup()) {
      b.append(e.submit(() -> java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).getFileName().toString()).get(5, TimeUnit.SECONDS)).append(',');
    }
    return b.toString();
  }

  private static double p50(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(x -> x).sorted().toArray();
    return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
  }

  private static double p99(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] sorted = values.stream().mapToDouble(x -> x).toArray();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static void waitFor(AtomicLong counter, long target, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (counter.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (counter.get() < target) {
      throw new IllegalStateException("only " + counter.get() + " of " + target + " arrived");
    }
  }
}
