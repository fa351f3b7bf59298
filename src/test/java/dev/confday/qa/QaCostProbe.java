package dev.confday.qa;

import static dev.confday.TestServer.await;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.events.Person;
import dev.confday.live.LiveBenchmark;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * What one Q&A request costs the server, request kind by kind: the server's event-loop CPU per
 * request for a cheap read through the access check (the Q&A settings), an ask and a vote, each
 * sent back to back and spaced out (as a session's 4 questions a second arrive: an idle server
 * woken for each). A diagnostic next to {@link QaBenchmark}, whose gap to the raw server is the
 * cost of taking questions and votes; not a test. Run as QaBenchmark is, with
 * {@code dev.confday.qa.QaCostProbe [requests per phase, default 80] [spacing ms, default 250]}.
 */
public final class QaCostProbe {
  private QaCostProbe() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 80;
    int spacingMs = args.length > 1 ? Integer.parseInt(args[1]) : 250;
    Vertx clientVertx = Vertx.vertx();
    try (TestServer server = TestServer.start(TestDatabase.migratedDatabase(), Map.of(
        "CONFDAY_DB_POOL_SIZE", "20", "CONFDAY_HTTP_EVENT_LOOPS",
        Integer.toString(Runtime.getRuntime().availableProcessors())))) {
      String slug = "qa-probe";
      Event event = await(server.server.events().createEvent(new NewEvent(slug, "Q&A probe", "UTC",
          LocalDate.now().minusDays(1), LocalDate.now().plusDays(1), null, null)));
      long room = await(server.server.events().addRoom(event.id(), new NewRoom("Hall", 1000, null))).id();
      await(server.server.events().addPerson(event.id(), "org@example.org", "Org", null, Role.ORGANIZER));
      // every ask of a phase by another person (5 a minute each at most)
      int warm = 2000;
      int people = (warm + 6 * count) / QaRoutes.ASKS_PER_MINUTE + 1 + count * 4;
      StringBuilder csv = new StringBuilder("name,email,ticket\n");
      for (int i = 0; i < people; i++) {
        csv.append("Person ").append(i).append(",p").append(i).append("@example.org,")
            .append(i % 2 == 0 ? "Remote" : "In-person").append('\n');
      }
      await(server.server.events().importRegistrations(event.id(), csv.toString()));
      Map<String, String> tokens = new HashMap<>();
      for (Person p : await(server.server.events().people(event.id()))) {
        String link = server.server.events().loginLink(event, p);
        tokens.put(p.email(), await(server.server.events().startSession(link.substring(link.indexOf("#token=") + 7)))
            .getString("token"));
      }
      List<String> bearers = new ArrayList<>();
      for (int i = 0; i < people; i++) {
        bearers.add(tokens.get("p" + i + "@example.org"));
      }
      WebClient http = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(20));
      HttpResponse<Buffer> created = await(http.post("/api/events/" + slug + "/schedule/sessions")
          .bearerTokenAuthentication(tokens.get("org@example.org")).sendJsonObject(new JsonObject()
              .put("title", "Talk").put("type", "invited-talk").put("roomId", room)
              .put("startsAt", OffsetDateTime.now().minusHours(1).toString())
              .put("endsAt", OffsetDateTime.now().plusHours(2).toString())));
      String base = "/api/events/" + slug + "/sessions/" + created.bodyAsJsonObject().getLong("id");
      int[] asker = {0};
      IntFunction<HttpRequest<Buffer>> settings = i -> http.get(base + "/qa")
          .bearerTokenAuthentication(bearers.get(i % people));
      IntFunction<Future<HttpResponse<Buffer>>> ask = i -> http.post(base + "/questions")
          .bearerTokenAuthentication(bearers.get(asker[0]++ % people))
          .sendJsonObject(new JsonObject().put("text", "Question " + i + ": how does the method scale?"));
      long[] target = {0};
      IntFunction<Future<HttpResponse<Buffer>>> vote = i -> http.put(base + "/questions/" + target[0] + "/vote")
          .bearerTokenAuthentication(bearers.get(i % people)).send();

      Set<Long> threads = LiveBenchmark.serverThreads(server.vertx);
      tids = nativeTids(server.vertx);
      Semaphore inFlight = new Semaphore(20);
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < warm; i++) {
        inFlight.acquireUninterruptibly();
        int n = i;
        work.add(ask.apply(i).compose(r -> {
          target[0] = r.bodyAsJsonObject().getLong("id");
          return vote.apply(n);
        }).compose(r -> settings.apply(n).send()).onComplete(ar -> inFlight.release()));
      }
      await(Future.all(work));
      QaBenchmark.jitSettled();
      Thread.sleep(1000);
      System.out.printf("%-40s %8s %12s %12s %12s%n", "phase", "requests", "CPU us/req", "kernel us", "wakes/req");
      for (int round = 0; round < 2; round++) {
        phase("settings (access + 1 read), back to back", threads, count, 0, i -> settings.apply(i).send(), 200);
        phase("settings, " + spacingMs + " ms apart", threads, count, spacingMs, i -> settings.apply(i).send(), 200);
        phase("ask, back to back", threads, count, 0, ask, 201);
        phase("ask, " + spacingMs + " ms apart", threads, count, spacingMs, ask, 201);
        HttpResponse<Buffer> last = await(ask.apply(-1));
        target[0] = last.bodyAsJsonObject().getLong("id");
        phase("vote, " + count + " at once", threads, count, -1, vote, 200);
        phase("vote, " + spacingMs + " ms apart", threads, count, spacingMs, i -> vote.apply(i + count), 200);
        long idle0 = LiveBenchmark.cpu(threads);
        long wakes0 = switches();
        Thread.sleep((long) count * spacingMs);
        System.out.printf("%-40s %8d %12.1f %12s %12.1f%n", "idle, as long (us per 'request')", count,
            (LiveBenchmark.cpu(threads) - idle0) / 1e3 / count, "", (double) (switches() - wakes0) / count);
      }
      http.close();
    } finally {
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  /** {@code count} requests: one after another (spacing 0), all at once (-1) or spaced; prints CPU per request. */
  private static void phase(String name, Set<Long> threads, int count, int spacingMs,
      IntFunction<Future<HttpResponse<Buffer>>> request, int expected) throws InterruptedException {
    Thread.sleep(500);
    profiler("start,event=cpu,interval=100us,threads");
    long cpu0 = LiveBenchmark.cpu(threads);
    long user0 = LiveBenchmark.userCpu(threads);
    long wakes0 = switches();
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Future<HttpResponse<Buffer>> f = request.apply(i);
      all.add(f);
      if (spacingMs == 0) {
        await(f);
      } else if (spacingMs > 0) {
        Thread.sleep(spacingMs);
      }
    }
    await(Future.all(all));
    Thread.sleep(Math.max(300, spacingMs)); // what a request set off after its answer (a flush, a NOTIFY)
    long cpu = LiveBenchmark.cpu(threads) - cpu0;
    long user = LiveBenchmark.userCpu(threads) - user0;
    long wakes = switches() - wakes0;
    profiler("stop,file=/tmp/probe-" + name.replaceAll("[^a-z0-9]+", "-") + "-" + (++profiles) + ".collapsed,collapsed,threads");
    for (Future<HttpResponse<Buffer>> f : all) {
      if (f.result().statusCode() != expected) {
        throw new IllegalStateException(name + ": " + f.result().statusCode() + " " + f.result().bodyAsString());
      }
    }
    System.out.printf("%-40s %8d %12.1f %12.1f %12.1f%n", name, count, cpu / 1e3 / count, (cpu - user) / 1e3 / count,
        (double) wakes / count);
  }

  private static List<String> tids = List.of();
  private static int profiles;

  /**
   * With {@code -Dprofiler=<libasyncProfiler.so>} and async-profiler's jar on the class path, runs
   * an async-profiler command (each phase is profiled into /tmp/probe-*.collapsed).
   */
  static void profiler(String command) {
    String lib = System.getProperty("profiler");
    if (lib == null) {
      return;
    }
    try {
      Class<?> c = Class.forName("one.profiler.AsyncProfiler");
      Object p = c.getMethod("getInstance", String.class).invoke(null, lib);
      c.getMethod("execute", String.class).invoke(p, command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The kernel's thread ids of a Vert.x instance's event loops. */
  private static List<String> nativeTids(Vertx vertx) throws Exception {
    List<String> ids = new ArrayList<>();
    for (io.netty.util.concurrent.EventExecutor e : ((io.vertx.core.internal.VertxInternal) vertx).eventLoopGroup()) {
      ids.add(e.submit(() -> java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"))
          .getFileName().toString()).get(5, TimeUnit.SECONDS));
    }
    return ids;
  }

  /** Voluntary context switches of the server's event loops so far: how often they slept and were woken. */
  private static long switches() {
    long sum = 0;
    for (String tid : tids) {
      try {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/task/" + tid + "/status"))) {
          if (line.startsWith("voluntary_ctxt_switches:")) {
            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
          }
        }
      } catch (java.io.IOException e) {
        // thread gone
      }
    }
    return sum;
  }
}
