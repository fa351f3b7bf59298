package dev.confday.live;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.db.Database;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server CPU per delivered frame: confday's live backbone (publish in a transaction, NOTIFY,
 * read from PostgreSQL, fan-out) against a minimal raw Vert.x WebSocket broadcast server, with
 * the same clients, message sizes and pacing, in the same run. Server CPU is the CPU time of
 * the server's own event-loop threads (clients run on a separate Vert.x instance); the
 * PostgreSQL processes' CPU is reported separately. Not part of the test suite; run with
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.confday.live.LiveBenchmark 100 3000
 * </pre>
 *
 * Optional arguments: clients messages (default 50 2000).
 */
public final class LiveBenchmark {
  private static final int BATCH = 20;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private LiveBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    String payloadText = "x".repeat(160);
    Vertx clientVertx = Vertx.vertx();
    try {
      // a first round warms up the JIT for both; the figures are of the rounds after it
      List<Result> results = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        Result raw = runRaw(clientVertx, clients, messages, payloadText);
        Result ours = runConfday(clientVertx, clients, messages, payloadText);
        if (round > 0) {
          results.add(raw);
          results.add(ours);
        }
      }
      System.out.printf("%n%d clients x %d messages (%d frames each run), payload %d bytes%n", clients, messages,
          (long) clients * messages, payloadText.length());
      System.out.printf("%-28s %14s %14s %12s %14s%n", "server", "server CPU ms", "CPU us/frame", "wall ms",
          "PostgreSQL CPU ms");
      for (Result r : results) {
        System.out.printf("%-28s %14.1f %14.2f %12d %14s%n", r.name, r.cpuNanos / 1e6, r.cpuNanos / 1e3 / r.frames,
            r.wallMs, r.pgCpuMs < 0 ? "n/a" : Long.toString(r.pgCpuMs));
      }
    } finally {
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  private record Result(String name, long cpuNanos, long frames, long wallMs, long pgCpuMs) {
  }

  private static Result runConfday(Vertx clientVertx, int clients, int messages, String payloadText) throws Exception {
    Database db = TestDatabase.migratedDatabase();
    try (TestServer server = TestServer.start(db, Map.of("CONFDAY_LIVE_RATE_BURST", "1000",
        "CONFDAY_LIVE_RATE_PER_SECOND", "1000", "CONFDAY_LIVE_RETENTION_MESSAGES", "100000"))) {
      String slug = server.seedDemo();
      String topic = "event:" + slug + ":schedule";
      AtomicLong received = new AtomicLong();
      List<LiveClient> sockets = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        LiveClient c = LiveClient.connect(clientVertx, server, null);
        c.ws.textMessageHandler(t -> {
          if (t.startsWith("{\"type\":\"message\"")) {
            received.incrementAndGet();
          }
        });
        c.send(new JsonObject().put("type", "subscribe").put("topic", topic));
        sockets.add(c);
      }
      Thread.sleep(500); // let the subscriptions settle before measuring (not a test: a benchmark)
      Set<Long> threads = serverThreads(server.vertx);
      long cpu0 = cpu(threads);
      long pg0 = postgresCpuMs();
      long t0 = System.nanoTime();
      JsonObject payload = new JsonObject().put("text", payloadText);
      for (int sent = 0; sent < messages; sent += BATCH) {
        List<Future<Long>> batch = new ArrayList<>();
        for (int i = 0; i < BATCH && sent + i < messages; i++) {
          batch.add(server.publish(topic, payload));
        }
        TestServer.await(Future.all(batch));
      }
      waitFor(received, (long) clients * messages);
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = cpu(threads) - cpu0;
      long pg = postgresCpuMs() < 0 ? -1 : postgresCpuMs() - pg0;
      sockets.forEach(LiveClient::close);
      System.out.println("confday stats: " + server.server.live().stats());
      return new Result("confday live (PostgreSQL)", cpu, (long) clients * messages, wall, pg);
    }
  }

  private static Result runRaw(Vertx clientVertx, int clients, int messages, String payloadText) throws Exception {
    Vertx serverVertx = Vertx.vertx();
    try {
      List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
      HttpServer http = await(serverVertx.createHttpServer().webSocketHandler(sockets::add).listen(0, "127.0.0.1"));
      // one pool for all clients: its default of 50 connections would stall a larger run
      WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients));
      AtomicLong received = new AtomicLong();
      for (int i = 0; i < clients; i++) {
        WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(http.actualPort()).setURI("/")));
        ws.textMessageHandler(t -> received.incrementAndGet());
      }
      Thread.sleep(500);
      Set<Long> threads = serverThreads(serverVertx);
      long cpu0 = cpu(threads);
      long t0 = System.nanoTime();
      Promise<Void> done = Promise.promise();
      serverVertx.runOnContext(v -> broadcast(serverVertx, sockets, 0, messages, payloadText, done));
      await(done.future());
      waitFor(received, (long) clients * messages);
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = cpu(threads) - cpu0;
      client.close();
      return new Result("raw Vert.x broadcast", cpu, (long) clients * messages, wall, -1);
    } finally {
      serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The same pacing as the confday run: batches of messages, each serialized once to its JSON
   * text and that text written to every socket as one final text frame, as confday does.
   */
  private static void broadcast(Vertx vertx, List<ServerWebSocket> sockets, int seq, int messages, String payloadText,
      Promise<Void> done) {
    if (seq >= messages) {
      done.complete();
      return;
    }
    int end = Math.min(messages, seq + BATCH);
    for (int s = seq; s < end; s++) {
      String frame = new JsonObject().put("type", "message").put("topic", "bench").put("seq", s + 1)
          .put("data", new JsonObject().put("text", payloadText)).encode();
      for (ServerWebSocket ws : sockets) {
        ws.writeFinalTextFrame(frame); // as in LiveSocket.sendFrame
      }
    }
    vertx.runOnContext(v -> broadcast(vertx, sockets, end, messages, payloadText, done));
  }

  private static void waitFor(AtomicLong counter, long target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (counter.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    if (counter.get() < target) {
      throw new IllegalStateException("only " + counter.get() + " of " + target + " frames arrived");
    }
  }

  /** The ids of a Vert.x instance's event-loop and acceptor threads. */
  public static Set<Long> serverThreads(Vertx vertx) throws Exception {
    Set<Long> ids = new HashSet<>();
    VertxInternal internal = (VertxInternal) vertx;
    for (EventLoopGroup group : List.of(internal.eventLoopGroup(), internal.acceptorEventLoopGroup())) {
      for (EventExecutor executor : group) {
        ids.add(executor.submit(() -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS));
      }
    }
    return ids;
  }

  /** The CPU time (user + system, ns) of the given threads. */
  public static long cpu(Set<Long> threads) {
    return sum(threads, THREADS::getThreadCpuTime);
  }

  /** The user-mode part of {@link #cpu(Set)} (the rest is the kernel's: system calls). */
  public static long userCpu(Set<Long> threads) {
    return sum(threads, THREADS::getThreadUserTime);
  }

  /** Sums a per-thread time over the threads still alive (a dead thread answers -1). */
  private static long sum(Set<Long> threads, java.util.function.LongUnaryOperator time) {
    long sum = 0;
    for (long id : threads) {
      long t = time.applyAsLong(id);
      if (t > 0) {
        sum += t;
      }
    }
    return sum;
  }

  /** CPU (user + system) of the embedded PostgreSQL of this test run and its backends, from /proc. */
  public static long postgresCpuMs() {
    try {
      String dataDir = Path.of("target", "test-postgres").toAbsolutePath().toString();
      Long postmaster = null;
      List<long[]> stats = new ArrayList<>();
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
          try {
            String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
            String stat = Files.readString(p.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(p.getFileName().toString());
            stats.add(new long[] {pid, Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])});
            if (cmd.contains("postgres") && cmd.contains(dataDir)) {
              postmaster = pid;
            }
          } catch (IOException | RuntimeException e) {
            // process ended meanwhile
          }
        }
      }
      if (postmaster == null) {
        return -1;
      }
      long ticks = 0;
      for (long[] s : stats) {
        if (s[0] == postmaster || s[1] == postmaster) {
          ticks += s[2];
        }
      }
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException e) {
      return -1;
    }
  }

  private static <T> T await(Future<T> f) {
    return TestServer.await(f);
  }
}
