package dev.confday;

import dev.confday.auth.Access;
import dev.confday.checkin.CheckinRoutes;
import dev.confday.checkin.CheckinService;
import dev.confday.checkin.ScannerManifestRoutes;
import dev.confday.auth.SigningKeys;
import dev.confday.auth.Tokens;
import dev.confday.config.Config;
import dev.confday.db.Database;
import dev.confday.events.AppManifestRoutes;
import dev.confday.events.EventRoutes;
import dev.confday.events.EventService;
import dev.confday.http.ApiDocs;
import dev.confday.auth.ApiRouter;
import dev.confday.http.ConnectionGuard;
import dev.confday.http.Health;
import dev.confday.http.MetricsGate;
import dev.confday.http.OpenApi;
import dev.confday.http.Problems;
import dev.confday.http.Head;
import dev.confday.http.RateLimit;
import dev.confday.http.RequestLog;
import dev.confday.live.LiveRoutes;
import dev.confday.live.LiveService;
import dev.confday.posters.files.PosterFileRoutes;
import dev.confday.posters.files.PosterFileService;
import dev.confday.posters.PosterRoutes;
import dev.confday.posters.PosterService;
import dev.confday.posters.files.UploadSweep;
import dev.confday.qa.ProjectorRoutes;
import dev.confday.qa.ProjectorService;
import dev.confday.qa.QaRoutes;
import dev.confday.qa.QaService;
import dev.confday.schedule.AgendaService;
import dev.confday.schedule.PosterListing;
import dev.confday.schedule.ScheduleRoutes;
import dev.confday.schedule.ScheduleService;
import dev.confday.schedule.SessionPoster;
import dev.confday.streaming.StreamRoutes;
import dev.confday.streaming.StreamService;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The wiring: builds every component with explicit {@code new}, mounts the routes and starts
 * the HTTP server. Used by {@link Main} and by the tests, which start it on port 0.
 */
public final class Server {
  private final Vertx vertx;
  private final Config config;
  private final Pool pool;
  private final WorkerExecutor workers;
  private final Health health;
  private final SigningKeys keys;
  private final Tokens tokens;
  private final Access access;
  private final EventService events;
  private final LiveService live;
  private final ScheduleService schedule;
  private final AgendaService agenda;
  private final QaService qa;
  private final ProjectorService projector;
  private final PosterService posters;
  private final PosterFileService posterFiles;
  private final CheckinService checkin;
  private final StreamService streams;
  private ApiRouter api;
  /** The HTTP servers, one per event loop (the first bound the port). */
  private final java.util.List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Server(Vertx vertx, Config config, Database db) {
    this.vertx = vertx;
    this.config = config;
    this.pool = db.pool(vertx, config.dbPoolSize(), config.db());
    this.workers = vertx.createSharedWorkerExecutor("confday-work", config.workerPoolSize());
    this.health = new Health(pool);
    this.keys = new SigningKeys(pool, config.keyRotation());
    this.tokens = new Tokens(keys);
    this.access = new Access(tokens, pool, EventService::eventOf);
    this.events = new EventService(pool, tokens, config);
    this.live = new LiveService(vertx, pool, db.connectOptions(), config.live(), access, tokens);
    this.schedule = new ScheduleService(pool, events, live, config);
    this.agenda = new AgendaService(pool, schedule, events, tokens, config);
    // session:<id>:qa and the like belong to the event of the session
    live.topics().kind("session", dev.confday.live.Topics.numericIds("session", schedule::eventSlugOfSession));
    this.qa = new QaService(vertx, pool, live);
    this.projector = new ProjectorService(pool, live, config.publicUrl());
    this.posters = new PosterService(pool, events, schedule, live, workers, config);
    // poster sessions list their posters' boards; posters depend on the schedule, so this way round
    schedule.listPostersWith(new PosterListing(
        (eventId, sessionRef) -> posters.boardsForSession(eventId, sessionRef).map(list -> list.stream()
            .map(b -> new SessionPoster(b.posterNumber(), b.title(), b.boardLabel(), b.areaName())).toList()),
        event -> live.lastSeq(PosterService.topic(event.slug()))));
    this.posterFiles = new PosterFileService(vertx, pool, workers, live, posters, config);
    this.checkin = new CheckinService(vertx, pool, tokens, live);
    this.streams = new StreamService(vertx, pool, events, schedule, checkin, live, config.stream());
  }

  /** Vert.x options with Prometheus metrics enabled. */
  public static VertxOptions vertxOptions() {
    // epoll where Netty's native library loads (Linux x86_64, see the pom), else the JDK's NIO
    return new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setEnabled(true));
  }

  /** Starts a server against an already migrated database. */
  public static Future<Server> start(Vertx vertx, Config config, Database db) {
    Server server = new Server(vertx, config, db);
    return server.keys.start(vertx)
        .compose(v -> server.live.start())
        .compose(v -> server.listen())
        .map(server);
  }

  private Future<Void> listen() {
    Router router = Router.router(vertx);
    Problems problems = new Problems();
    router.route().method(HttpMethod.HEAD).handler(Head::asGet);
    router.route().handler(new RequestLog());
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    });
    health.mount(router);
    router.get("/metrics").handler(new MetricsGate(config.edge().metricsToken()))
        .handler(PrometheusScrapingHandler.create());
    RateLimit.limitUnauthenticated(router, config.edge());
    String openApi = OpenApi.document().encodePrettily();
    router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(openApi));
    ApiDocs.mount(router);

    api = new ApiRouter(router, access, config.maxBodyBytes());
    new EventRoutes(events, tokens).mount(api);
    new LiveRoutes(live, config.allowedOrigins()).mount(api);
    new ScheduleRoutes(schedule, agenda).mount(api);
    new QaRoutes(qa).mount(api, live.requests());
    new ProjectorRoutes(projector, config.edge()).mount(api);
    new PosterRoutes(posters, config.maxUploadBytes()).mount(api);
    new PosterFileRoutes(posterFiles).mount(api);
    new CheckinRoutes(checkin).mount(api);
    new StreamRoutes(streams).mount(api);
    streams.start();
    posterFiles.resumePreviews();
    new UploadSweep(vertx, pool, workers, config.uploadDir(), Path.of(System.getProperty("java.io.tmpdir"))).start();

    // the scanner page's installable-app manifest, before the page shell's catch-all
    router.get("/e/:event/scanner.webmanifest").handler(ScannerManifestRoutes::handle);
    // and the attendee app's (start URL and scope /e/<slug>/)
    router.get("/e/:event/app.webmanifest").handler(AppManifestRoutes::handle);
    String csp = webCsp(config.stream().origins());
    router.get("/e/*").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", csp).sendFile("webroot/index.html"));
    router.get("/").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", csp).sendFile("webroot/index.html"));
    router.get("/index.html").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", csp).sendFile("webroot/index.html"));
    // static files only outside the API, so that any method on an unknown API path is a 404, not a 405
    router.routeWithRegex("^/(?!api/|api$|live$|health/).*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, ctx -> {
      String allow = api.allowedMethods(ctx.request().path());
      if (!allow.isEmpty()) {
        ctx.response().putHeader("Allow", allow);
      }
      problems.handle(ctx);
    });
    router.errorHandler(500, problems);

    HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort())
        .setCompressionSupported(true).setMaxWebSocketFrameSize(64 * 1024).setMaxWebSocketMessageSize(64 * 1024)
        // live frames are serialized once and written to every socket: per-socket deflate would undo that
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
        // a peer that does not answer our close frame (a slow consumer) is cut after this many seconds
        .setWebSocketClosingTimeout(3)
        // a connection with nothing read or written for this long is closed (stalled headers or bodies too)
        .setIdleTimeout((int) config.edge().idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        // HTTP/1.1 only (a proxy in front speaks it): the connection guard is in place before the first byte
        .setHttp2ClearTextEnabled(false);
    ConnectionGuard guard = new ConnectionGuard(options, config.edge().requestTimeout());
    // One server per event loop, each deployed on a loop of its own (deployments take the loops in
    // turn): the first binds the port (0: any free one), the others share that port, and Vert.x hands
    // each accepted connection to one of them. A connection stays on its loop; live hubs are per loop.
    return deployServers(1, options, guard, router).compose(v -> {
      int more = config.edge().eventLoops() - 1;
      return more == 0 ? Future.succeededFuture()
          : deployServers(more, new HttpServerOptions(options).setPort(servers.get(0).actualPort()), guard, router);
    });
  }

  private Future<Void> deployServers(int instances, HttpServerOptions options, ConnectionGuard guard, Router router) {
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return serveOn(options, guard, router).onSuccess(servers::add);
      }
    }, new DeploymentOptions().setInstances(instances)).mapEmpty();
  }

  /** Starts one HTTP server on the calling context's event loop. */
  private Future<HttpServer> serveOn(HttpServerOptions options, ConnectionGuard guard, Router router) {
    return vertx.createHttpServer(options).connectionHandler(guard::install).requestHandler(router)
        .invalidRequestHandler(Problems::invalidRequest).listen();
  }

  /**
   * {@link #WEB_CSP} with the video origins added to connect-src (hls.js fetches playlists and
   * segments) and media-src (native HLS), and blob: to media-src (hls.js plays through Media
   * Source Extensions, a blob: URL). Workers stay 'self': the watch page runs hls.js with
   * enableWorker false rather than allowing blob: workers.
   */
  static String webCsp(java.util.List<String> videoOrigins) {
    String origins = videoOrigins.isEmpty() ? "" : " " + String.join(" ", videoOrigins);
    return WEB_CSP.replace("connect-src 'self';", "connect-src 'self'" + origins + "; media-src 'self' blob:" + origins + ";");
  }

  /** connect-src 'self' covers ws: and wss: to the page's own host (CSP Level 3); no other host. */
  static final String WEB_CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
      + "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";

  public int port() {
    return servers.get(0).actualPort();
  }

  public Config config() {
    return config;
  }

  public ApiRouter api() {
    return api;
  }

  public Tokens tokens() {
    return tokens;
  }

  public EventService events() {
    return events;
  }

  public QaService qa() {
    return qa;
  }

  public StreamService streams() {
    return streams;
  }

  public CheckinService checkin() {
    return checkin;
  }

  public LiveService live() {
    return live;
  }

  public ScheduleService schedule() {
    return schedule;
  }

  public AgendaService agenda() {
    return agenda;
  }

  public PosterService posters() {
    return posters;
  }

  public PosterFileService posterFiles() {
    return posterFiles;
  }

  public Pool pool() {
    return pool;
  }

  public WorkerExecutor workers() {
    return workers;
  }

  /** Stops accepting, lets requests in flight finish (up to the grace period), then closes. */
  public Future<Void> stop() {
    health.startDraining();
    streams.stop();
    qa.stop();
    posterFiles.stopPreviews();
    Future<Void> liveStopped = live.stop();
    Future<Void> drained = Future.all(servers.stream()
        .map(s -> s.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)).toList()).mapEmpty();
    return liveStopped.eventually(() -> drained).eventually(() -> pool.close()).eventually(() -> workers.close());
  }
}
