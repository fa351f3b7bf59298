package dev.confday.posters;

import static dev.confday.auth.Role.ORGANIZER;
import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.Principal;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.Responses;
import dev.confday.http.StreamingBody;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** HTTP routes for posters, venue areas, floor plans, boards and board assignments. */
public final class PosterRoutes {
  /**
   * Floor plans are served only as images, under a policy that lets nothing in them run or load
   * (and a sandbox, should someone open the plan's address directly).
   */
  static final String PLAN_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

  private final PosterService posters;
  private final long drainLimit;

  /** {@code drainLimit}: how much of a too-large upload is read (and dropped) to answer it cleanly. */
  public PosterRoutes(PosterService posters, long drainLimit) {
    this.posters = posters;
    this.drainLimit = drainLimit;
  }

  public void mount(ApiRouter api) {
    api.get("/api/events/:event/posters", roles(PUBLIC), this::findPosters);
    api.post("/api/events/:event/posters", roles(ORGANIZER), this::createPoster);
    api.post("/api/events/:event/posters/assign", roles(ORGANIZER), this::autoAssign);
    api.get("/api/events/:event/posters/:poster", roles(PUBLIC), this::getPoster);
    api.get("/api/events/:event/areas", roles(PUBLIC), this::listAreas);
    api.post("/api/events/:event/areas", roles(ORGANIZER), this::createArea);
    api.put("/api/events/:event/areas/:area/boards", roles(ORGANIZER), this::replaceBoards);
    api.streaming(HttpMethod.PUT, "/api/events/:event/areas/:area/plan", roles(ORGANIZER), this::uploadPlan);
    api.get("/api/events/:event/areas/:area/plan", roles(PUBLIC), this::getPlan);
    api.get("/api/events/:event/poster-sessions", roles(PUBLIC), this::listSessions);
    api.get("/api/events/:event/poster-sessions/:session/boards", roles(PUBLIC), this::sessionBoards);
    api.put("/api/events/:event/poster-sessions/:session/assignments/:poster", roles(ORGANIZER), this::movePoster);
    api.delete("/api/events/:event/poster-sessions/:session/assignments/:poster", roles(ORGANIZER),
        this::unassignPoster);
  }

  private void findPosters(RoutingContext ctx) {
    posters.findPosters(Access.principal(ctx).eventId(), ctx.request().getParam("q"))
        .onSuccess(list -> Responses.json(ctx, 200, new JsonArray(list.stream().map(PosterEntry::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void createPoster(RoutingContext ctx) {
    NewPoster poster = NewPoster.fromJson(Responses.body(ctx));
    posters.createPoster(Access.required(ctx).eventId(), poster)
        .onSuccess(p -> Responses.json(ctx, 201, p.toJson()))
        .onFailure(ctx::fail);
  }

  private void getPoster(RoutingContext ctx) {
    posters.poster(Access.principal(ctx).eventId(), Responses.pathLong(ctx, "poster"))
        .onSuccess(p -> Responses.json(ctx, 200, p.toJson()))
        .onFailure(ctx::fail);
  }

  private void autoAssign(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    AutoAssignRequest request = AutoAssignRequest.fromJson(Responses.body(ctx));
    posters.autoAssign(p.eventId(), p.eventSlug(), request)
        .onSuccess(plan -> Responses.json(ctx, 200, new JsonObject().put("session", request.session())
            .put("assigned", plan.size())
            .put("assignments", new JsonArray(plan.stream().map(Assignment::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void listAreas(RoutingContext ctx) {
    Principal p = Access.principal(ctx);
    posters.areas(p.eventId())
        .compose(areas -> posters.boards(p.eventId()).map(boards -> {
          Map<Long, List<Board>> byArea = boards.stream().collect(Collectors.groupingBy(Board::areaId));
          return new JsonArray(areas.stream().map(a -> a.toJson(p.eventSlug()).put("boards",
              new JsonArray(byArea.getOrDefault(a.id(), List.of()).stream().map(Board::toJson).toList()))).toList());
        }))
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private void createArea(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    NewArea area = NewArea.fromJson(Responses.body(ctx));
    posters.createArea(p.eventId(), area)
        .onSuccess(a -> Responses.json(ctx, 201, a.toJson(p.eventSlug()).put("boards", new JsonArray())))
        .onFailure(ctx::fail);
  }

  private void replaceBoards(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    List<BoardDraft> layout = BoardDraft.listFromJson(Responses.body(ctx));
    posters.replaceBoards(p.eventId(), p.eventSlug(), Responses.pathLong(ctx, "area"), layout)
        .onSuccess(boards -> Responses.json(ctx, 200, new JsonArray(boards.stream().map(Board::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void uploadPlan(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    long areaId = Responses.pathLong(ctx, "area");
    String type = FloorPlan.mediaType(ctx.request().getHeader("Content-Type"));
    Future<Buffer> body = FloorPlan.TYPES.contains(type)
        ? readBounded(ctx.request(), PosterService.MAX_PLAN_BYTES)
        : drain(ctx.request()).compose(v -> Future.failedFuture(FloorPlan.unsupported()));
    body.compose(bytes -> posters.uploadPlan(p.eventId(), p.eventSlug(), areaId, type, bytes))
        .onSuccess(a -> Responses.json(ctx, 200, a.toJson(p.eventSlug())))
        .onFailure(ctx::fail);
  }

  private Future<Buffer> readBounded(HttpServerRequest request, int max) {
    return StreamingBody.readBounded(request, max, drainLimit, PosterService::planTooLarge);
  }

  private Future<Void> drain(HttpServerRequest request) {
    return readBounded(request, 0).<Void>mapEmpty().recover(t -> t instanceof ApiError e && e.status() == 413
        ? Future.succeededFuture() : Future.failedFuture(t));
  }

  private void getPlan(RoutingContext ctx) {
    String wanted = ctx.request().getParam("v");
    posters.planFile(Access.principal(ctx).eventId(), Responses.pathLong(ctx, "area"))
        .compose(plan -> ctx.response()
            .putHeader("Content-Type", plan.contentType())
            .putHeader("Content-Security-Policy", PLAN_CSP)
            .putHeader("X-Content-Type-Options", "nosniff")
            // the address carries the plan's version: a matching one may be cached, anything else is checked
            .putHeader("Cache-Control", String.valueOf(plan.version()).equals(wanted)
                ? "public, max-age=86400" : "no-cache")
            .sendFile(plan.path().toString()))
        .onFailure(ctx::fail);
  }

  private void listSessions(RoutingContext ctx) {
    posters.sessions(Access.principal(ctx).eventSlug())
        .onSuccess(list -> Responses.json(ctx, 200, new JsonArray(list.stream().map(PosterSession::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void sessionBoards(RoutingContext ctx) {
    posters.boardsForSession(Access.principal(ctx).eventId(), ctx.pathParam("session"))
        .onSuccess(list -> Responses.json(ctx, 200, new JsonArray(list.stream().map(b -> new JsonObject()
            .put("number", b.posterNumber()).put("title", b.title()).put("board", b.boardLabel())
            .put("area", b.areaName())).toList())))
        .onFailure(ctx::fail);
  }

  private void movePoster(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    JsonObject body = Responses.body(ctx);
    Object board = body.getValue("board");
    if (!(board instanceof Number n)) {
      throw ApiError.validation("board", "is required: the id of the board to put the poster on");
    }
    posters.movePoster(p.eventId(), p.eventSlug(), ctx.pathParam("session"), Responses.pathLong(ctx, "poster"),
            n.longValue())
        .onSuccess(changed -> Responses.json(ctx, 200, new JsonObject()
            .put("changed", new JsonArray(changed.stream().map(Assignment::toJson).toList()))))
        .onFailure(ctx::fail);
  }

  private void unassignPoster(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    posters.unassign(p.eventId(), p.eventSlug(), ctx.pathParam("session"), Responses.pathLong(ctx, "poster"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
