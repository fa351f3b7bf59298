package dev.confday;

import dev.confday.config.Config;
import dev.confday.db.Database;
import dev.confday.db.Migrations;
import dev.confday.demo.DemoPosterFiles;
import dev.confday.demo.DemoSeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Boot: config, then the database and its migrations, then the server, then the demo event. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    long started = System.nanoTime();
    Config config;
    try {
      config = Config.fromEnv(System.getenv());
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Database db = Database.open(config);
    Vertx vertx = null;
    Thread hook = null;
    try {
      Migrations.migrate(db);
      vertx = Vertx.vertx(Server.vertxOptions());
      Server server = await(Server.start(vertx, config, db), 60);
      Vertx running = vertx;
      // registered before the demo loads, so a Ctrl-C during the first start still drains and stops
      hook = new Thread(() -> {
        LOG.info("Shutting down: draining requests for up to {} s", config.shutdownGrace().toSeconds());
        await(server.stop(), config.shutdownGrace().toSeconds() + 5);
        await(running.close(), 10);
        db.close();
      }, "confday-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      LOG.info("confday listening on {} (port {}) after {} ms, network transport {}", config.publicUrl(), server.port(),
          (System.nanoTime() - started) / 1_000_000, running.isNativeTransportEnabled() ? "native (epoll)" : "NIO");
      if (config.demo()) {
        String links = await(DemoSeed.loadUnderWay(server, java.time.Clock.systemUTC()), 120);
        System.out.println(links);
        // in the background: drawn PDFs (with previews) for the first demo posters
        DemoPosterFiles.upload(server, DemoSeed.data().getJsonObject("event").getString("slug"), 8);
      }
    } catch (RuntimeException e) {
      // Vert.x threads would keep a half-started process alive: say why and exit
      LOG.error("confday could not start: {}", e.getMessage(), e);
      if (hook != null) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
      if (vertx != null) {
        vertx.close();
      }
      db.close();
      System.exit(1);
    }
  }

  private static <T> T await(Future<T> future, long seconds) {
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(ar -> done.countDown());
    try {
      if (!done.await(seconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Timed out after " + seconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (future.failed()) {
      throw new IllegalStateException("Start failed: " + future.cause().getMessage(), future.cause());
    }
    return future.result();
  }
}
