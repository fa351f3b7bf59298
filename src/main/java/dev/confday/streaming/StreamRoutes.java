package dev.confday.streaming;

import static dev.confday.auth.Role.ORGANIZER;
import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.events.Event;
import dev.confday.auth.ApiRouter;
import dev.confday.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP routes of hybrid streaming: rooms' streams, playback access, status, revocations, attendance. */
public final class StreamRoutes {
  static final String ROOM = "/api/events/:event/rooms/:room/stream";
  static final String EVENT = "/api/events/:event/streams";

  private final StreamService streams;

  public StreamRoutes(StreamService streams) {
    this.streams = streams;
  }

  public void mount(ApiRouter api) {
    api.get(EVENT, roles(PUBLIC), ctx -> reply(ctx, 200, event(ctx).compose(e -> streams.list(e, Access.principal(ctx)))));
    api.get(EVENT + "/settings", roles(ORGANIZER), ctx -> reply(ctx, 200, event(ctx).compose(streams::audience)));
    api.put(EVENT + "/settings", roles(ORGANIZER), this::setAudience);
    api.put(EVENT + "/revoked/:person", roles(ORGANIZER), ctx -> revoke(ctx, true));
    api.delete(EVENT + "/revoked/:person", roles(ORGANIZER), ctx -> revoke(ctx, false));
    api.get(EVENT + "/attendance", roles(ORGANIZER), ctx -> reply(ctx, 200, event(ctx).compose(streams::attendance)));
    api.put(ROOM, roles(ORGANIZER), this::setStream);
    api.put(ROOM + "/mode", roles(ORGANIZER), this::setMode);
    api.get(ROOM + "/status", roles(PUBLIC), ctx -> reply(ctx, 200, event(ctx).compose(e -> streams.status(e, room(ctx)))));
    api.post(ROOM + "/access", roles(PUBLIC), this::access);
  }

  private void setStream(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    reply(ctx, 200, event(ctx).compose(e -> streams.setStream(e, room(ctx), body)));
  }

  private void setMode(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    Object mode = body.getValue("mode");
    reply(ctx, 200, event(ctx).compose(e -> streams.setMode(e, room(ctx), mode instanceof String s ? s : null)));
  }

  private void setAudience(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    Object audience = body.getValue("audience");
    reply(ctx, 200, event(ctx).compose(e -> streams.setAudience(e, audience instanceof String s ? s : null)));
  }

  private void revoke(RoutingContext ctx, boolean revoked) {
    long person = Responses.pathLong(ctx, "person");
    event(ctx).compose(e -> streams.revoke(e, person, revoked))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private void access(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    reply(ctx, 200, event(ctx).compose(e -> streams.access(e, room(ctx), Access.principal(ctx))));
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(json -> Responses.json(ctx, status, json)).onFailure(ctx::fail);
  }

  /** The event as the access check read it (once per request). */
  private static Future<Event> event(RoutingContext ctx) {
    return Future.succeededFuture(Access.event(ctx, Event.class));
  }

  private static long room(RoutingContext ctx) {
    return Responses.pathLong(ctx, "room");
  }
}
