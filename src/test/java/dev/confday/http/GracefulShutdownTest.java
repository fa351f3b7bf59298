package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stopping drains: requests in flight finish, readiness turns 503 at once, new connections are refused. */
class GracefulShutdownTest {
  @Test
  void requestsInFlightFinishWhileTheServerStops() {
    TestServer server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_SHUTDOWN_GRACE_SECONDS", "5"));
    io.vertx.core.Promise<Void> received = io.vertx.core.Promise.promise();
    server.server.api().router().get("/test/slow").handler(ctx -> {
      received.tryComplete();
      server.vertx.setTimer(700, t -> ctx.response().end("done"));
    });
    var probe = io.vertx.ext.web.client.WebClient.create(server.vertx,
        new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("localhost").setDefaultPort(server.port()));
    // a second connection opened before the stop, to see readiness while draining
    assertThat(await(probe.get("/health/ready").send()).statusCode()).isEqualTo(200);
    Future<HttpResponse<Buffer>> slow = server.client.get("/test/slow").send();
    await(received.future());
    Future<Void> stopping = server.server.stop();
    // a load balancer's probe now sees "not ready": a 503, or its idle connection closed by the drain
    Integer ready = await(probe.get("/health/ready").send().map(HttpResponse::statusCode)
        .recover(t -> Future.succeededFuture(-1)));
    assertThat(ready).isIn(503, -1);
    HttpResponse<Buffer> r = await(slow);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsString()).isEqualTo("done");
    await(stopping);
    var fresh = io.vertx.ext.web.client.WebClient.create(server.vertx,
        new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("localhost").setDefaultPort(server.port()));
    assertThat(fresh.get("/health/live").send().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(10));
    await(server.vertx.close());
  }

}
