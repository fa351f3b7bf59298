package dev.confday.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Liveness ({@code /health/live}: the process answers) and readiness ({@code /health/ready}:
 * the database answers and the server is not draining), for nginx and orchestrators.
 */
public final class Health {
  private final Pool pool;
  private final AtomicBoolean draining = new AtomicBoolean();

  public Health(Pool pool) {
    this.pool = pool;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  /** From now on readiness answers 503 so load balancers stop sending new requests. */
  public void startDraining() {
    draining.set(true);
  }

  private void ready(RoutingContext ctx) {
    if (draining.get()) {
      Problems.write(ctx, new ApiError(503, "unavailable", "Service unavailable", "The server is shutting down."));
      return;
    }
    pool.query("select 1").execute()
        .timeout(2, TimeUnit.SECONDS)
        .onSuccess(r -> Responses.json(ctx, 200, new JsonObject().put("status", "UP").put("database", "UP")))
        .onFailure(e -> Problems.write(ctx, new ApiError(503, "unavailable", "Service unavailable",
            "The database does not answer.")));
  }
}
