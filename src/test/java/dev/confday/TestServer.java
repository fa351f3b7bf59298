package dev.confday;

import dev.confday.config.Config;
import dev.confday.db.Database;
import dev.confday.demo.DemoSeed;
import dev.confday.events.Event;
import dev.confday.events.Person;
import dev.confday.http.ContractCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server on a free loopback port against a fresh, migrated PostgreSQL database, with a
 * real HTTP client whose traffic is checked against the OpenAPI document ({@link ContractCheck}).
 * API, WebSocket and browser tests start one per test class.
 */
public final class TestServer implements AutoCloseable {
  public final Vertx vertx;
  public final Server server;
  public final Database database;
  public final WebClient client;
  public final Path dataDir;

  private TestServer(Vertx vertx, Server server, Database database, Path dataDir) {
    this.vertx = vertx;
    this.server = server;
    this.database = database;
    this.dataDir = dataDir;
    // every exchange of the API tests is checked against the OpenAPI document
    this.client = ContractCheck.attach(WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.port())));
  }

  public static TestServer start() {
    return start(TestDatabase.migratedDatabase(), Map.of());
  }

  /** Starts on a migrated database with extra CONFDAY_* settings. */
  public static TestServer start(Database db, Map<String, String> env) {
    return start(db, env, Server.vertxOptions());
  }

  /** Like {@link #start(Database, Map)} on a Vert.x built with {@code options} (e.g. one event loop). */
  public static TestServer start(Database db, Map<String, String> env, VertxOptions options) {
    int port = freePort();
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("confday-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> settings = new HashMap<>(Map.of(
        "CONFDAY_HTTP_HOST", "127.0.0.1",
        "CONFDAY_HTTP_PORT", Integer.toString(port),
        "CONFDAY_DATA_DIR", dataDir.toString(),
        "CONFDAY_SHUTDOWN_GRACE_SECONDS", "1",
        // the first connection of a cold JVM on a loaded two-core machine can take longer than the
        // 2 s production bound; a test that is about those bounds sets its own (DatabaseOutageTest)
        "CONFDAY_DB_CONNECT_TIMEOUT_MS", "10000",
        "CONFDAY_DB_ACQUIRE_TIMEOUT_MS", "10000"));
    settings.putAll(env);
    Config config = Config.fromEnv(settings);
    Vertx vertx = Vertx.vertx(options);
    Server server = await(Server.start(vertx, config, db));
    return new TestServer(vertx, server, db, dataDir);
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://localhost:" + port();
  }

  /** Loads the demo event; answers its slug. */
  public String seedDemo() {
    await(DemoSeed.load(server));
    return DemoSeed.data().getJsonObject("event").getString("slug");
  }

  /** A personal login link for a person of the event, found by email. */
  public String loginLink(String slug, String email) {
    Event event = await(server.events().event(slug));
    List<Person> people = await(server.events().people(event.id()));
    Person p = people.stream().filter(x -> x.email().equalsIgnoreCase(email)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no person " + email));
    return server.events().loginLink(event, p);
  }

  /**
   * An API session token for a person, obtained through their login link like a browser does:
   * the event's link, or for the deployment admin their own (deployment-wide) admin link.
   */
  public String sessionFor(String slug, String email) {
    Event event = await(server.events().event(slug));
    Person person = await(server.events().people(event.id())).stream().filter(x -> x.email().equalsIgnoreCase(email))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no person " + email));
    String link = person.admin() ? await(server.events().adminLink(event, person.id())) : loginLink(slug, email);
    String token = link.substring(link.indexOf("#token=") + 7);
    JsonObject session = await(server.events().startSession(token));
    return session.getString("token");
  }

  /** A session opened with the person's login link of this event only, even for the admin (no admin power). */
  public String eventSessionFor(String slug, String email) {
    String link = loginLink(slug, email);
    String token = link.substring(link.indexOf("#token=") + 7);
    return await(server.events().startSession(token)).getString("token");
  }

  /** Publishes {@code payload} on {@code topic} in a transaction of its own; answers its sequence number. */
  public Future<Long> publish(String topic, JsonObject payload) {
    return server.pool().withTransaction(tx -> server.live().publish(tx, topic, payload));
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
    }
  }

  /** A TCP port free on loopback now (for a server or database a test starts). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    await(server.stop());
    await(vertx.close());
  }
}
