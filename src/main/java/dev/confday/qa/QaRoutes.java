package dev.confday.qa;

import static dev.confday.auth.Role.ATTENDEE;
import static dev.confday.auth.Role.DOOR_STAFF;
import static dev.confday.auth.Role.MODERATOR;
import static dev.confday.auth.Role.PRESENTER;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.CallerCheck;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.RateLimit;
import dev.confday.http.Responses;
import dev.confday.live.LiveRequests;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** HTTP routes of the sessions' Q&A: asking, listing, voting, moderation and the Q&A state. */
public final class QaRoutes {
  /** Anyone with a role in the event (organizers hold every role); asking and voting also need a registration. */
  private static final Set<Role> PARTICIPANT = roles(MODERATOR, PRESENTER, ATTENDEE, DOOR_STAFF);
  static final String BASE = "/api/events/:event/sessions/:session";

  /** At most this many questions per person and session in a minute (a burst of as many, then one each 12 s). */
  static final int ASKS_PER_MINUTE = 5;

  private final QaService qa;
  private final RateLimit askBudget = new RateLimit("questions", ASKS_PER_MINUTE / 60.0, ASKS_PER_MINUTE, false);
  /**
   * Past the asking budget, asks sent again with their key are still answered (their question was
   * stored; its answer was lost), up to this many a minute per person and session; then 429 too.
   */
  static final int REPLAYS_PER_MINUTE = 10;
  private final RateLimit replayBudget = new RateLimit("question replays", REPLAYS_PER_MINUTE / 60.0,
      REPLAYS_PER_MINUTE, false);
  /** The socket requests' caller check (their roles), made once. */
  private static final CallerCheck SOCKET_CHECK = CallerCheck.of(null, null, PARTICIPANT);

  public QaRoutes(QaService qa) {
    this.qa = qa;
  }

  private void mountHttp(ApiRouter api) {
    api.get(BASE + "/qa", PARTICIPANT, ctx -> reply(ctx, 200, event(ctx).compose(e -> qa.settings(e, session(ctx)))));
    api.put(BASE + "/qa", roles(MODERATOR), ctx -> {
      JsonObject body = Responses.body(ctx);
      reply(ctx, 200, event(ctx).compose(e -> qa.configure(e, session(ctx), body)));
    });
    // the hot path: the statement that stores the question also checks the caller
    api.checkedByStatement(HttpMethod.POST, BASE + "/questions", PARTICIPANT, ctx -> {
      QaService.Asking asking = QaService.asking(Responses.body(ctx), ctx.request().getHeader("Idempotency-Key"),
          "Idempotency-Key");
      ask(Access.check(ctx), session(ctx), asking, wait -> ctx.response().putHeader("Retry-After", Long.toString(wait)))
          .onSuccess(asked -> Responses.json(ctx, asked.replayed() ? 200 : 201, asked.question()))
          .onFailure(ctx::fail);
    });
    api.get(BASE + "/questions", PARTICIPANT, ctx -> {
      String sort = ctx.queryParams().get("sort");
      reply(ctx, 200, event(ctx).compose(e -> qa.list(e, Access.required(ctx), session(ctx), sort)));
    });
    api.get(BASE + "/questions/export.json", PARTICIPANT, ctx -> reply(ctx, 200,
        event(ctx).compose(e -> qa.export(e, Access.required(ctx), session(ctx))).map(QaExport::toJson)));
    api.get(BASE + "/questions/export.csv", PARTICIPANT, ctx -> event(ctx)
        .compose(e -> qa.export(e, Access.required(ctx), session(ctx)))
        .onSuccess(export -> ctx.response()
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition",
                "attachment; filename=\"" + ctx.pathParam("event") + "-session-" + session(ctx) + "-questions.csv\"")
            .putHeader("Cache-Control", "no-store")
            .end(export.toCsv()))
        .onFailure(ctx::fail));
    api.checkedByStatement(HttpMethod.PUT, BASE + "/questions/:question/vote", PARTICIPANT, ctx -> vote(ctx, true));
    api.checkedByStatement(HttpMethod.DELETE, BASE + "/questions/:question/vote", PARTICIPANT, ctx -> vote(ctx, false));
    api.patch(BASE + "/questions/:question", roles(MODERATOR), ctx -> {
      JsonObject body = Responses.body(ctx);
      reply(ctx, 200, event(ctx).compose(e -> qa.edit(e, Access.required(ctx), session(ctx), question(ctx), body)));
    });
    api.post(BASE + "/questions/:question/merge", roles(MODERATOR), ctx -> {
      JsonObject body = Responses.body(ctx);
      reply(ctx, 200, event(ctx).compose(e -> qa.merge(e, Access.required(ctx), session(ctx), question(ctx), body)));
    });
    api.get(BASE + "/mutes", roles(MODERATOR), ctx -> reply(ctx, 200,
        event(ctx).compose(e -> qa.mutes(e, session(ctx)))));
    api.put(BASE + "/mutes/:person", roles(MODERATOR), ctx -> reply(ctx, 200,
        event(ctx).compose(e -> qa.mute(e, Access.required(ctx), session(ctx), Responses.pathLong(ctx, "person")))));
    api.delete(BASE + "/mutes/:person", roles(MODERATOR), ctx -> reply(ctx, 200,
        event(ctx).compose(e -> qa.unmute(e, session(ctx), Responses.pathLong(ctx, "person")))));
    for (String action : QaService.ACTIONS.stream().sorted().toList()) {
      api.post(BASE + "/questions/:question/" + action, roles(MODERATOR), ctx -> reply(ctx, 200,
          event(ctx).compose(e -> qa.moderate(e, Access.required(ctx), session(ctx), question(ctx), action))));
    }
  }

  /**
   * The same asking and voting over a signed-in live socket ({@link LiveRequests}), answered to
   * that socket with what the HTTP routes answer, refused as they refuse (the statement checks
   * the socket's session; the asking budget is the same):
   *
   * <pre>
   * → {"type":"request","id":"a1","name":"qa.ask","params":{"event":"ml4astro-2023","session":7,
   *    "text":"…","anonymous":false,"key":"c5b6…"}}
   * ← {"type":"reply","id":"a1","result":{"question":{…},"replayed":false}}
   * → {"type":"request","id":"v1","name":"qa.vote","params":{"event":"ml4astro-2023","session":7,"question":12,"up":true}}
   * ← {"type":"reply","id":"v1","result":{"id":12,"votes":4,"voted":true}}
   * </pre>
   */
  private void mountLive(LiveRequests requests) {
    requests.registerChecking("qa.ask", (caller, params) -> checked(caller, params, check -> {
      QaService.Asking asking = QaService.asking(params, params.getValue("key"), "key");
      return ask(check, id(params, "session"), asking, wait -> { }).map(asked -> new JsonObject()
          .put("question", asked.question()).put("replayed", asked.replayed()));
    }));
    requests.registerChecking("qa.vote", (caller, params) -> checked(caller, params, check -> {
      Object up = params.getValue("up");
      if (!(up instanceof Boolean b)) {
        throw ApiError.validation("up", "is true to upvote, false to take the vote back");
      }
      return qa.vote(check, id(params, "session"), id(params, "question"), b);
    }));
  }

  /** The HTTP routes on {@code api} and the same asking and voting as live socket requests. */
  public void mount(ApiRouter api, LiveRequests requests) {
    mountHttp(api);
    mountLive(requests);
  }

  /**
   * A socket request in event {@code params.event}, checked by its statement as the HTTP route
   * is; a request found wrong before the statement ran answers the caller's refusal first (as
   * {@link ApiRouter#checkedByStatement} does).
   */
  private static Future<JsonObject> checked(LiveRequests.Caller caller, JsonObject params,
      java.util.function.Function<CallerCheck, Future<JsonObject>> run) {
    Object slug = params.getValue("event");
    if (!(slug instanceof String s) || s.isEmpty() || s.length() > 100) {
      throw ApiError.validation("event", "is the event's slug");
    }
    CallerCheck check = caller.check(SOCKET_CHECK, s);
    try {
      return run.apply(check);
    } catch (RuntimeException e) {
      return caller.refusedOr(check, e);
    }
  }

  /** A whole number above 0 named {@code name} in a socket request's parameters (400 otherwise). */
  private static long id(JsonObject params, String name) {
    Object v = params.getValue(name);
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() <= 0) {
      throw ApiError.validation(name, "is the " + name + "'s id, a whole number above 0");
    }
    return n.longValue();
  }

  /**
   * Asks within the person's budget in the session (a 429 past it; {@code retryAfter} hears the
   * seconds to wait). A caller the check refuses has asked nothing and an ask sent again with its
   * key stores nothing: their budget is as it was (a bad body was refused before it was taken;
   * closed, muted or not registered spend it, as they always did).
   */
  private Future<QaService.Asked> ask(CallerCheck check, long sessionId, QaService.Asking asking,
      java.util.function.LongConsumer retryAfter) {
    String budgetKey = check.personId() + ":" + sessionId;
    long wait = askBudget.acquire(budgetKey);
    if (wait > 0) {
      // an ask sent again (its first answer lost) is answered past the budget, within a budget of
      // its own; a new one is not stored (the statement only looks for the earlier one)
      if (asking.key() == null || replayBudget.acquire(budgetKey) > 0) {
        throw tooMany(wait, retryAfter);
      }
      return qa.ask(check, sessionId, asking, false).compose(asked -> asked.replayed() ? Future.succeededFuture(asked)
          : Future.failedFuture(tooMany(wait, retryAfter)));
    }
    return qa.ask(check, sessionId, asking).onComplete(ar -> {
      if (ar.failed() ? check.refused() : ar.result().replayed()) {
        askBudget.giveBack(budgetKey);
      }
    });
  }

  private static ApiError tooMany(long wait, java.util.function.LongConsumer retryAfter) {
    retryAfter.accept(wait);
    return new ApiError(429, "too-many-questions", "Too many questions",
        "At most " + ASKS_PER_MINUTE + " questions a minute per person in a session; retry in " + wait + " s.")
        .with("retryAfter", wait);
  }

  private void vote(RoutingContext ctx, boolean up) {
    // the hot path: the statement that casts the vote also checks the caller
    reply(ctx, 200, qa.vote(Access.check(ctx), session(ctx), question(ctx), up));
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(json -> Responses.json(ctx, status, json)).onFailure(ctx::fail);
  }

  /** The event as the access check read it (once per request). */
  private static Future<Event> event(RoutingContext ctx) {
    return Future.succeededFuture(Access.event(ctx, Event.class));
  }

  private static long session(RoutingContext ctx) {
    return Responses.pathLong(ctx, "session");
  }

  private static long question(RoutingContext ctx) {
    return Responses.pathLong(ctx, "question");
  }
}
