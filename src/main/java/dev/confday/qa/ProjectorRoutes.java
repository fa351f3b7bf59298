package dev.confday.qa;

import static dev.confday.auth.Role.MODERATOR;
import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.config.EdgeSettings;
import dev.confday.events.Event;
import dev.confday.auth.ApiRouter;
import dev.confday.http.RateLimit;
import dev.confday.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP routes of projector links: moderators (and organizers) of the event make, list and
 * revoke them; the projector page reads its session's questions and gets live tickets with the
 * secret in the {@code X-Projector-Secret} header (never in a URL, so it stays out of logs).
 */
public final class ProjectorRoutes {
  static final String LINKS = QaRoutes.BASE + "/qa/projector-links";
  static final String PROJECTOR = "/api/events/:event/qa/projector";
  static final String SECRET_HEADER = "X-Projector-Secret";

  private final ProjectorService projector;
  /** Projector reads need no session: limited per client address like other anonymous calls. */
  private final RateLimit anonymous;

  public ProjectorRoutes(ProjectorService projector, EdgeSettings edge) {
    this.projector = projector;
    this.anonymous = new RateLimit("projector requests", edge.anonymousPerSecond(), edge.anonymousPerSecond() * 10.0,
        edge.trustForwardedFor());
  }

  public void mount(ApiRouter api) {
    // before the routes below, so a refused request costs no database query
    api.router().route(PROJECTOR).handler(anonymous.handler(ctx -> true));
    api.router().route(PROJECTOR + "/ticket").handler(anonymous.handler(ctx -> true));
    api.post(LINKS, roles(MODERATOR), this::create);
    api.get(LINKS, roles(MODERATOR), this::list);
    api.delete(LINKS + "/:link", roles(MODERATOR), this::revoke);
    api.get(PROJECTOR, roles(PUBLIC), this::view);
    api.post(PROJECTOR + "/ticket", roles(PUBLIC), this::ticket);
  }

  private void create(RoutingContext ctx) {
    event(ctx).compose(e -> projector.create(e, Access.required(ctx), session(ctx)))
        .onSuccess(json -> Responses.json(ctx, 201, json)).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    event(ctx).compose(e -> projector.list(e, session(ctx)))
        .onSuccess(json -> Responses.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    long link = Responses.pathLong(ctx, "link");
    event(ctx).compose(e -> projector.revoke(e, session(ctx), link))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private void view(RoutingContext ctx) {
    event(ctx).compose(e -> projector.view(e, ctx.request().getHeader(SECRET_HEADER)))
        .onSuccess(json -> Responses.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  private void ticket(RoutingContext ctx) {
    event(ctx).compose(e -> projector.ticket(e, ctx.request().getHeader(SECRET_HEADER)))
        .onSuccess(json -> Responses.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  /** The event as the access check read it (once per request). */
  private static Future<Event> event(RoutingContext ctx) {
    return Future.succeededFuture(Access.event(ctx, Event.class));
  }

  private static long session(RoutingContext ctx) {
    return Responses.pathLong(ctx, "session");
  }
}
