package dev.confday.checkin;

import dev.confday.TestServer;
import dev.confday.db.Database;
import dev.confday.db.Migrations;
import dev.confday.events.Event;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Redeem calls at a fixed offered rate, each a new badge, against pgbench running the same insert
 * (the nonce claim of a scan) against the same embedded PostgreSQL, in the same run. Prints the
 * achieved rate and p50/p99 latency of both; latency is measured from each call's scheduled start
 * (open loop: a slow answer does not delay the next call, so queueing shows). Not a test; run with
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.confday.checkin.RedeemBenchmark 500 10
 * </pre>
 *
 * Arguments: rate per second, seconds (default 500 10). Needs {@code pgbench} on the PATH.
 */
public final class RedeemBenchmark {
  private RedeemBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    try {
      bench(args);
    } finally {
      System.exit(0);
    }
  }

  private static void bench(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int warmup = Math.max(1, seconds / 3);
    Path dir = Path.of("target", "bench-postgres").toAbsolutePath();
    deleteRecursively(dir);
    Database pg = Database.startEmbedded(dir, 0, "postgres");
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("create database bench");
    }
    Database db = pg.withDatabase("bench");
    Migrations.migrate(db);
    try (TestServer server = TestServer.start(db, settings())) {
      String slug = server.seedDemo();
      Event event = TestServer.await(server.server.events().event(slug));
      long venue = TestServer.await(server.server.checkin().lists(event.id())).get(0).id();
      int people = rate * (seconds + warmup);
      List<String> badges = registerPeople(server, event, slug, people);
      String scanner = TestServer.await(server.server.checkin().createScanner(event, "Bench door")).getString("token");

      Result pgbench = pgbench(db, event.id(), venue, rate, seconds);
      Vertx clientVertx = Vertx.vertx();
      WebClient client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
      String path = "/api/events/" + slug + "/checkin/scanner/redeem";
      run(clientVertx, client, path, scanner, venue, badges.subList(0, rate * warmup), rate, warmup);
      Result redeem = run(clientVertx, client, path, scanner, venue, badges.subList(rate * warmup, people), rate,
          seconds);
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      System.out.printf("%noffered %d/s for %d s (after %d s warm-up), each call a new badge%n", rate, seconds, warmup);
      System.out.printf("%-34s %10s %10s %10s %8s %12s%n", "", "calls/s", "p50 ms", "p99 ms", "errors", "PG CPU ms");
      for (Result r : List.of(pgbench, redeem)) {
        System.out.printf("%-34s %10.1f %10.2f %10.2f %8d %12.3f%n", r.name, r.perSecond, r.p50, r.p99, r.errors,
            r.pgCpuMsPerCall);
      }
      System.out.printf("redeem / pgbench rate: %.2fx; JVM CPU (server and client) %.2f ms per call; load average %.1f%n",
          redeem.perSecond / pgbench.perSecond, redeem.cpuMsPerCall,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** The server's settings: {@code -Dpool=} and {@code -Dloops=} (the HTTP event loops, unset: the default). */
  private static Map<String, String> settings() {
    Map<String, String> env = new java.util.HashMap<>(Map.of("CONFDAY_DB_POOL_SIZE", System.getProperty("pool", "32")));
    if (System.getProperty("loops") != null) {
      env.put("CONFDAY_HTTP_EVENT_LOOPS", System.getProperty("loops"));
    }
    return env;
  }

  private record Result(String name, double perSecond, double p50, double p99, long errors, double cpuMsPerCall,
      double pgCpuMsPerCall) {
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * CPU time of the embedded PostgreSQL so far, in ms: the postmaster with the exited backends it
   * reaped, and its live backends (Linux /proc; NaN elsewhere). "PG CPU ms" per call is its growth.
   */
  private static double postgresCpuMs() {
    try (Stream<Path> walk = Files.walk(Path.of("target", "bench-postgres"))) {
      Path pidFile = walk.filter(f -> f.getFileName().toString().equals("postmaster.pid")).findFirst().orElseThrow();
      long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      double ticks = procTicks(postmaster, true);
      for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().descendants().toList()) {
        ticks += procTicks(child.pid(), false);
      }
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** utime + stime (and the reaped children's, when asked) of a process, in clock ticks; 0 if it is gone. */
  private static long procTicks(long pid, boolean withChildren) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the name: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** People registered in person by SQL (fast), and a badge for each. */
  private static List<String> registerPeople(TestServer server, Event event, String slug, int n) {
    var rows = TestServer.await(server.server.pool().preparedQuery("""
        with p as (insert into people (email, name)
                   select 'bench' || i || '@example.org', 'Bench ' || i from generate_series(1, $2) i returning id, name)
        insert into registrations (event_id, person_id, attendance, name)
        select $1, id, 'in-person', name from p returning person_id""").execute(Tuple.of(event.id(), n)));
    List<String> badges = new ArrayList<>();
    for (Row r : rows) {
      badges.add(server.server.tokens().issueBadge(r.getLong(0), slug, 1));
    }
    return badges;
  }

  /** Calls at a fixed rate from a timer (open loop), latency from the scheduled start. */
  private static Result run(Vertx vertx, WebClient client, String path, String scanner, long list, List<String> badges,
      int rate, int seconds) throws InterruptedException {
    int total = Math.min(badges.size(), rate * seconds);
    double[] latency = new double[total];
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(total);
    long cpu0 = processCpuNanos();
    double pg0 = postgresCpuMs();
    long start = System.nanoTime() + 50_000_000L;
    long intervalNanos = 1_000_000_000L / rate;
    long[] timer = new long[1];
    timer[0] = vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (sent.get() < total && start + sent.get() * intervalNanos <= now) {
        int i = sent.getAndIncrement();
        long scheduled = start + i * intervalNanos;
        JsonObject body = new JsonObject().put("badge", badges.get(i)).put("listId", list).put("direction", "entry")
            .put("scannedAt", Instant.now().toString()).put("nonce", UUID.randomUUID().toString());
        client.request(HttpMethod.POST, path).bearerTokenAuthentication(scanner).sendJsonObject(body)
            .onComplete(ar -> {
              latency[i] = (System.nanoTime() - scheduled) / 1e6;
              if (ar.failed() || ar.result().statusCode() != 200
                  || !ar.result().bodyAsString().contains("\"status\":\"ok\"")) {
                errors.incrementAndGet();
              }
              done.countDown();
            });
      }
      if (sent.get() >= total) {
        vertx.cancelTimer(timer[0]);
      }
    });
    done.await(seconds + 120L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (Boolean.getBoolean("timeline")) {
      // per second of schedule: median and worst latency, so that queueing (growing) and stalls (spikes) show
      for (int from = 0; from < total; from += rate) {
        double[] second = Arrays.copyOfRange(latency, from, Math.min(total, from + rate));
        Arrays.sort(second);
        System.out.printf("  second %2d: p50 %8.1f ms, max %8.1f ms%n", from / rate, percentile(second, 0.5),
            second[second.length - 1]);
      }
    }
    Arrays.sort(latency);
    return new Result("confday POST …/checkin/scanner/redeem", total / elapsed, percentile(latency, 0.50),
        percentile(latency, 0.99), errors.get(), (processCpuNanos() - cpu0) / 1e6 / total,
        (postgresCpuMs() - pg0) / total);
  }

  /** pgbench at the same rate, the insert a redeem starts with (its nonce claim), per-transaction log. */
  private static Result pgbench(Database db, long eventId, long list, int rate, int seconds)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("pgbench");
    Path script = work.resolve("claim.sql");
    Files.writeString(script, """
        insert into checkin_scans (event_id, nonce, list_id, list_name, direction, scanned_at, status, offline, scanner_id, staff_id) \
        values (:event, md5(random()::text || clock_timestamp()::text), :list, (select name from checkin_lists where id = :list), \
        'entry', now(), 'pending', false, null, null) on conflict (event_id, nonce) do nothing returning id;
        """);
    var options = db.connectOptions();
    double pg0 = postgresCpuMs();
    ProcessBuilder pb = new ProcessBuilder("pgbench", "-n", "-h", options.getHost(), "-p",
        Integer.toString(options.getPort()), "-U", options.getUser(), "-c", "8", "-j", "2", "-R", Integer.toString(rate),
        "-T", Integer.toString(seconds), "-D", "event=" + eventId, "-D", "list=" + list, "-M", "prepared",
        "-f", script.toString(), "-l", "--log-prefix=" + work.resolve("log"), options.getDatabase())
        .directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", options.getPassword());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("pgbench failed:\n" + out);
    }
    double pgCpu = postgresCpuMs() - pg0;
    System.out.println(out);
    double tps = Stream.of(out.split("\n")).filter(l -> l.startsWith("tps = ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(6).split(" ")[0])).orElseThrow();
    List<Double> lat = new ArrayList<>();
    try (Stream<Path> logs = Files.list(work)) {
      for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("log")).toList()) {
        for (String line : Files.readAllLines(log)) {
          // client transaction time_us script epoch epoch_us [schedule_lag_us]: latency from the scheduled start
          String[] f = line.trim().split("\\s+");
          long us = Long.parseLong(f[2]) + (f.length > 6 ? Long.parseLong(f[6]) : 0);
          lat.add(us / 1000.0);
        }
      }
    }
    double[] sorted = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Result("pgbench (same insert, same server)", tps, percentile(sorted, 0.50), percentile(sorted, 0.99), 0,
        Double.NaN, pgCpu / sorted.length);
  }

  private static double percentile(double[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
