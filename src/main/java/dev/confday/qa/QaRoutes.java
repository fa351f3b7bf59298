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

  public QaRoutes(QaService qa) {
    this.qa = qa;
  }

  public void mount(ApiRouter api) {
    api.get(BASE + "/qa", PARTICIPANT, ctx -> reply(ctx, 200, event(ctx).compose(e -> qa.settings(e, session(ctx)))));
    api.put(BASE + "/qa", roles(MODERATOR), ctx -> {
      JsonObject body = Responses.body(ctx);
      reply(ctx, 200, event(ctx).compose(e -> qa.configure(e, session(ctx), body)));
    });
    // the hot path: the statement that stores the question also checks the caller
    api.checkedByStatement(HttpMethod.POST, BASE + "/questions", PARTICIPANT, ctx -> {
      QaService.Asking asking = QaService.asking(Responses.body(ctx));
      long sessionId = session(ctx);
      CallerCheck check = Access.check(ctx);
      String key = check.personId() + ":" + sessionId;
      long wait = askBudget.acquire(key);
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(wait));
        throw new ApiError(429, "too-many-questions", "Too many questions",
            "At most " + ASKS_PER_MINUTE + " questions a minute per person in a session; retry in " + wait + " s.");
      }
      // a caller the check refuses has asked nothing: their budget is as it was (a bad body was
      // refused before it was taken; closed, muted or not registered spend it, as they always did)
      reply(ctx, 201, qa.ask(check, sessionId, asking).onFailure(t -> {
        if (check.refused()) {
          askBudget.giveBack(key);
        }
      }));
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
