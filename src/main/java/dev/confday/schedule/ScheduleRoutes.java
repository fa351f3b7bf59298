package dev.confday.schedule;

import static dev.confday.auth.Role.ATTENDEE;
import static dev.confday.auth.Role.DOOR_STAFF;
import static dev.confday.auth.Role.MODERATOR;
import static dev.confday.auth.Role.ORGANIZER;
import static dev.confday.auth.Role.PRESENTER;
import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewRoom;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Function;

/** HTTP routes of the live schedule: reading, organizers' edits (rooms too), the personal agenda and the exports. */
public final class ScheduleRoutes {
  /** Anyone with a role in the event (organizers hold every role). */
  private static final Set<Role> PARTICIPANT = roles(MODERATOR, PRESENTER, ATTENDEE, DOOR_STAFF);

  private final ScheduleService schedule;
  private final AgendaService agenda;

  public ScheduleRoutes(ScheduleService schedule, AgendaService agenda) {
    this.schedule = schedule;
    this.agenda = agenda;
  }

  public void mount(ApiRouter api) {
    api.get("/api/events/:event/schedule", roles(PUBLIC), this::getSchedule);
    api.get("/api/events/:event/schedule/changes", roles(PUBLIC), this::changes);
    api.get("/api/events/:event/schedule/now", roles(PUBLIC), this::nowAndNext);
    api.post("/api/events/:event/schedule/sessions", roles(ORGANIZER), this::createSession);
    api.get("/api/events/:event/schedule/sessions/:session", roles(PUBLIC), this::getSession);
    api.patch("/api/events/:event/schedule/sessions/:session", roles(ORGANIZER), this::updateSession);
    api.post("/api/events/:event/schedule/sessions/:session/move", roles(ORGANIZER), this::moveSession);
    api.post("/api/events/:event/schedule/sessions/:session/cancel", roles(ORGANIZER), this::cancelSession);
    api.post("/api/events/:event/schedule/sessions/:session/restore", roles(ORGANIZER), this::restoreSession);
    api.post("/api/events/:event/schedule/rooms/:room/delay", roles(ORGANIZER), this::delayRoom);
    api.post("/api/events/:event/rooms", roles(ORGANIZER), this::addRoom);
    api.get("/api/events/:event/schedule.xml", roles(PUBLIC), this::frabXml);
    api.get("/api/events/:event/schedule.json", roles(PUBLIC), this::frabJson);
    api.get("/api/events/:event/schedule.ics", roles(PUBLIC), this::ics);
    api.get("/api/events/:event/agenda.ics", roles(PUBLIC), this::agendaFeed);
    api.get("/api/events/:event/agenda", PARTICIPANT, this::agenda);
    api.put("/api/events/:event/agenda/:session", PARTICIPANT, this::star);
    api.delete("/api/events/:event/agenda/:session", PARTICIPANT, this::unstar);
    api.post("/api/events/:event/agenda/calendar-link", PARTICIPANT, this::calendarLink);
  }

  private void getSchedule(RoutingContext ctx) {
    conditional(ctx, "", "application/json; charset=utf-8",
        e -> schedule.scheduleWithPosters(e).map(s -> s.toJson().encode()));
  }

  private void changes(RoutingContext ctx) {
    long since = queryLong(ctx, "since", 0);
    json(ctx, 200, e -> schedule.changes(e, since));
  }

  private void nowAndNext(RoutingContext ctx) {
    Instant at = queryInstant(ctx, "at");
    json(ctx, 200, e -> schedule.nowAndNext(e, at));
  }

  private void createSession(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    json(ctx, 201, e -> schedule.create(e, actor(ctx), body).map(s -> s.toJson(e.zone())));
  }

  private void getSession(RoutingContext ctx) {
    long id = Responses.pathLong(ctx, "session");
    json(ctx, 200, e -> schedule.session(e, id).map(s -> s.toJson(e.zone())));
  }

  private void updateSession(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    long id = Responses.pathLong(ctx, "session");
    json(ctx, 200, e -> schedule.update(e, actor(ctx), id, body).map(s -> s.toJson(e.zone())));
  }

  private void moveSession(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    long id = Responses.pathLong(ctx, "session");
    json(ctx, 200, e -> schedule.move(e, actor(ctx), id, body).map(s -> s.toJson(e.zone())));
  }

  private void cancelSession(RoutingContext ctx) {
    long id = Responses.pathLong(ctx, "session");
    json(ctx, 200, e -> schedule.cancel(e, actor(ctx), id).map(s -> s.toJson(e.zone())));
  }

  private void restoreSession(RoutingContext ctx) {
    long id = Responses.pathLong(ctx, "session");
    json(ctx, 200, e -> schedule.restore(e, actor(ctx), id).map(s -> s.toJson(e.zone())));
  }

  /** Body: {@code {"minutes": 10}}, optionally {@code "at"} (an ISO instant) instead of now, for tests and rehearsals. */
  private void delayRoom(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    long room = Responses.pathLong(ctx, "room");
    if (!(body.getValue("minutes") instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw ApiError.validation("minutes", "is required: a whole number of minutes, 1 to "
          + ScheduleService.MAX_DELAY_MINUTES);
    }
    int minutes = n.intValue();
    Instant at = body.getValue("at") == null ? Instant.now() : parseInstant(body.getValue("at"), "at");
    json(ctx, 200, e -> schedule.delayRoom(e, actor(ctx), room, minutes, at)
        .map(list -> new JsonObject().put("sessions", list.stream().map(s -> s.toJson(e.zone())).toList())));
  }

  /** A new room is a change of the schedule: its rooms are in the schedule, the exports and their ETags. */
  private void addRoom(RoutingContext ctx) {
    NewRoom room = NewRoom.fromJson(Responses.body(ctx));
    json(ctx, 201, e -> schedule.addRoom(e, room).map(r -> r.toJson()));
  }

  private void frabXml(RoutingContext ctx) {
    conditional(ctx, "-xml", "application/xml; charset=utf-8", schedule::frabXml);
  }

  private void frabJson(RoutingContext ctx) {
    conditional(ctx, "-json", "application/json; charset=utf-8", schedule::frabJson);
  }

  private void ics(RoutingContext ctx) {
    conditional(ctx, "-ics", "text/calendar; charset=utf-8", schedule::ics);
  }

  /** The personal feed: its ETag is a digest of the body, since stars change without a schedule version. */
  private void agendaFeed(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    if (token == null) {
      throw ApiError.unauthorized("The calendar feed needs its token: ask for your calendar link.");
    }
    event(ctx).compose(e -> agenda.agendaFeed(e, token))
        .onSuccess(body -> {
          String etag = "\"a" + digest(body) + "\"";
          if (matches(ctx.request().getHeader("If-None-Match"), etag)) {
            ctx.response().setStatusCode(304).putHeader("ETag", etag).end();
            return;
          }
          ctx.response().putHeader("Content-Type", "text/calendar; charset=utf-8").putHeader("ETag", etag)
              .putHeader("Cache-Control", "private, no-cache").end(body);
        })
        .onFailure(ctx::fail);
  }

  private void agenda(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    json(ctx, 200, e -> agenda.agenda(e, p.personId()));
  }

  /** Stars a session; starring it again acknowledges its changes (clears the highlight). */
  private void star(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    long id = Responses.pathLong(ctx, "session");
    noContent(ctx, e -> agenda.star(e, p.personId(), id));
  }

  private void unstar(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    long id = Responses.pathLong(ctx, "session");
    noContent(ctx, e -> agenda.unstar(e, p.personId(), id));
  }

  private void calendarLink(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    json(ctx, 200, e -> agenda.calendarLink(e, p.personId()).map(url -> new JsonObject().put("url", url)));
  }

  /**
   * Answers 304 when the client's If-None-Match holds the current (strong, revision-based) ETag:
   * the schedule's version and the poster boards' revision, since poster sessions list their
   * posters' boards. Otherwise builds the representation. The revision is read before the body,
   * so a body is never labelled with a newer revision than it shows.
   */
  private void conditional(RoutingContext ctx, String variant, String contentType,
      Function<Event, Future<String>> body) {
    Event event = Access.event(ctx, Event.class);
    schedule.revision(event).compose(revision -> {
      String etag = "\"" + revision + variant + "\"";
      if (matches(ctx.request().getHeader("If-None-Match"), etag)) {
        return ctx.response().setStatusCode(304).putHeader("ETag", etag).end();
      }
      return body.apply(event).compose(text -> ctx.response().putHeader("Content-Type", contentType)
          .putHeader("ETag", etag).putHeader("Cache-Control", "no-cache").end(text));
    }).onFailure(ctx::fail);
  }

  private static String digest(String body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    return ifNoneMatch.trim().equals("*") || Arrays.stream(ifNoneMatch.split(","))
        .map(String::trim).map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(etag::equals);
  }

  /** Runs {@code work} on the request's event and answers its JSON with {@code status}. */
  private static void json(RoutingContext ctx, int status, Function<Event, Future<JsonObject>> work) {
    event(ctx).compose(work).onSuccess(json -> Responses.json(ctx, status, json)).onFailure(ctx::fail);
  }

  /** Runs {@code work} on the request's event and answers 204. */
  private static void noContent(RoutingContext ctx, Function<Event, Future<Void>> work) {
    event(ctx).compose(work).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** The event the access check read for this request (every schedule route is under /api/events/:event). */
  private static Future<Event> event(RoutingContext ctx) {
    return Future.succeededFuture(Access.event(ctx, Event.class));
  }

  private static Long actor(RoutingContext ctx) {
    return Access.required(ctx).personId();
  }

  private static long queryLong(RoutingContext ctx, String name, long fallback) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw ApiError.validation(name, "must be a whole number");
    }
  }

  private static Instant queryInstant(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    return raw == null || raw.isBlank() ? Instant.now() : parseInstant(raw, name);
  }

  private static Instant parseInstant(Object raw, String field) {
    try {
      return OffsetDateTime.parse(String.valueOf(raw)).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.validation(field, "must be an ISO date-time with offset, e.g. 2023-07-29T10:15:00-10:00");
    }
  }
}
