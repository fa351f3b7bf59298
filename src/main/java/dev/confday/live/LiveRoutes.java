package dev.confday.live;

import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.Principal;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.RequestLog;
import dev.confday.http.Responses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP side of the realtime backbone: tickets, the WebSocket upgrade (origin allowlist, then a
 * single-use ticket) and presence counts.
 */
public final class LiveRoutes {
  private static final Logger log = LoggerFactory.getLogger(LiveRoutes.class);
  private final LiveService live;
  private final List<String> allowedOrigins;

  public LiveRoutes(LiveService live, List<String> allowedOrigins) {
    this.live = live;
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  public void mount(ApiRouter api) {
    api.post("/api/live/ticket", roles(PUBLIC), this::ticket);
    api.get("/api/live/presence", roles(PUBLIC), this::presence);
    // the upgrade reads no body: streaming keeps the body handler away from it
    api.streaming(HttpMethod.GET, "/live", roles(PUBLIC), this::connect);
  }

  private static long personId(RoutingContext ctx) {
    Principal p = Access.principal(ctx);
    return p == null ? 0 : p.personId();
  }

  private void ticket(RoutingContext ctx) {
    long personId = personId(ctx);
    var session = Access.session(ctx);
    String ticket = personId == 0 || session == null ? live.issueTicket(0)
        : live.issueTicket(personId, session.event(), session.version(), session.id(), session.expiresAt());
    Responses.json(ctx, 200, new JsonObject().put("ticket", ticket)
        .put("expiresInSeconds", LiveService.TICKET_TTL.toSeconds()).put("anonymous", personId == 0)
        .put("url", "/live"));
  }

  private void presence(RoutingContext ctx) {
    String topic = ctx.request().getParam("topic");
    if (topic == null || topic.isBlank()) {
      throw ApiError.validation("topic", "is required, e.g. event:<slug>:schedule");
    }
    var session = Access.session(ctx);
    live.presenceFor(topic, personId(ctx), session == null ? null : session.event())
        .onSuccess(p -> Responses.json(ctx, 200, p.toJson()))
        .onFailure(ctx::fail);
  }

  private void connect(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader("Origin");
    // browsers always send Origin; a missing one is a non-browser client, which cannot be
    // made to carry someone's ticket by a foreign page
    if (origin != null && !allowedOrigins.contains(origin)) {
      throw new ApiError(403, "origin-not-allowed", "Origin not allowed",
          "Pages from " + origin + " may not open the live connection.");
    }
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      throw new ApiError(426, "websocket-required", "Upgrade required",
          "This address is a WebSocket: connect with ws:// or wss:// and a ticket.");
    }
    String ticket = request.getParam("ticket");
    if (ticket == null) {
      throw ApiError.unauthorized("Connect with ?ticket=... from POST /api/live/ticket.");
    }
    request.pause();
    live.redeemTicket(ticket)
        .compose(t -> request.toWebSocket().map(ws -> {
          RequestLog.upgraded(ctx);
          live.accept(ws, SharedFrames.writer(request.connection()), t);
          return ws;
        }))
        .onFailure(t -> {
          if (ctx.response().closed()) {
            // the client left during the upgrade (a page closed): nobody to answer, no fault of ours
            log.debug("Live connection closed by the client before the upgrade: {}", t.toString());
            return;
          }
          request.resume();
          ctx.fail(t);
        });
  }
}
