package dev.confday.auth;

import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The gate in front of every API route: checks the session token (Bearer) and, on routes under
 * {@code /api/events/:event}, resolves the event and the caller's roles there. Puts a
 * {@link Principal} on the context; refuses with 401/403/404 problems. The event it read is handed
 * on to the route ({@link #event(RoutingContext, Class)}), so no handler reads it again.
 */
public final class Access {
  private static final String PRINCIPAL = "principal";
  private static final String SESSION = "session";
  private static final String EVENT_RECORD = "event";
  private static final String CHECK = "caller-check";
  /**
   * The caller in an event, with what ends a session: the person's current token version and
   * whether this session was logged out. Read in the same query on every request, so a
   * revocation or a log-out takes effect at once on every instance (no cache can hide it).
   * All of the event's columns come first ({@code e.*}, mapped by the events feature); the
   * caller's columns after them must keep names no events column has (a row finds a name's first).
   */
  private static final String EVENT_ROLES = """
      select e.*, p.name as person_name, p.is_admin, p.token_version,
             exists (select 1 from ended_sessions s where s.jti = $3) as ended,
             coalesce((select array_agg(r.role) from event_roles r where r.event_id = e.id and r.person_id = p.id), '{}') as roles
        from events e, people p
       where e.slug = $1 and p.id = $2""";
  private static final String MEMBER = """
      select e.id, e.slug, p.name as person_name, p.is_admin,
             coalesce((select array_agg(r.role) from event_roles r where r.event_id = e.id and r.person_id = p.id), '{}') as roles,
             (select g.attendance from registrations g where g.event_id = e.id and g.person_id = p.id) as attendance
        from events e, people p
       where e.slug = $1 and p.id = $2""";
  private static final String PERSON = """
      select name, is_admin, token_version, exists (select 1 from ended_sessions s where s.jti = $2) as ended
        from people where id = $1""";
  /** All of the event's columns: the events feature maps them to its record (see the constructor). */
  private static final String EVENT = "select * from events where slug = $1";
  private static final String VERSIONS = "select id, token_version from people where id = any($1)";
  private static final String ENDED = "select jti from ended_sessions where jti = any($1)";
  private static final String TOKEN_VERSION = "select token_version from people where id = $1";

  private final Tokens tokens;
  private final Pool pool;
  private final Function<Row, ?> eventOf;

  /**
   * {@code eventOf} maps a row holding all columns of {@code events} to the record the routes use
   * (the events feature's own mapping; auth does not know that record).
   */
  public Access(Tokens tokens, Pool pool, Function<Row, ?> eventOf) {
    this.tokens = tokens;
    this.pool = pool;
    this.eventOf = eventOf;
  }

  /** A handler that lets the request through only for callers holding one of {@code roles}. */
  public Handler<RoutingContext> allow(Set<Role> roles) {
    return ctx -> authorize(ctx, roles).onSuccess(p -> {
      ctx.put(PRINCIPAL, p);
      ctx.next();
    }).onFailure(ctx::fail);
  }

  Future<Principal> authorize(RoutingContext ctx, Set<Role> roles) {
    String event = ctx.pathParam("event");
    String token = bearer(ctx);
    // on a public route a token that is not even typed a session (e.g. a scanner device's) counts
    // as none, as it would after failing the session check: no signature check is spent on it
    if (roles.contains(Role.PUBLIC) && (token == null || !Tokens.claimsType(token, TokenType.SESSION))) {
      return event == null ? Future.succeededFuture(null) : anonymous(event, ctx);
    }
    if (token == null) {
      return Future.failedFuture(ApiError.unauthorized("This needs a session: log in through your personal link."));
    }
    Future<Principal> caller = tokens.verify(token, TokenType.SESSION).compose(t -> {
      ctx.put(SESSION, t);
      return event == null ? person(t) : inEvent(event, t, ctx);
    });
    if (roles.contains(Role.PUBLIC)) {
      // a stale, ended or other event's session must not lock anyone out of public pages: treat it as none
      return caller.transform(ar -> {
        if (ar.succeeded()) {
          return Future.succeededFuture(ar.result());
        }
        ctx.remove(SESSION);
        return event == null ? Future.succeededFuture(null) : anonymous(event, ctx);
      });
    }
    return caller.map(p -> {
      checkRoles(p, roles);
      return p;
    });
  }

  /**
   * A handler for a route whose own statement checks the caller ({@link CallerCheck}): the token
   * must be a valid session token (else the same 401/403 as {@link #allow}); the rest of the
   * check is left to the statement, so no query runs here.
   */
  public Handler<RoutingContext> deferred(Set<Role> roles) {
    // refuses roles a statement cannot check (not stored per event) when the route is mounted
    CallerCheck route = CallerCheck.of(null, null, roles);
    return ctx -> {
      String event = ctx.pathParam("event");
      String token = bearer(ctx);
      if (event == null) {
        ctx.fail(new IllegalStateException("A statement checks callers only on routes under /api/events/:event"));
        return;
      }
      if (token == null) {
        ctx.fail(ApiError.unauthorized("This needs a session: log in through your personal link."));
        return;
      }
      tokens.verify(token, TokenType.SESSION).onSuccess(t -> {
        ctx.put(SESSION, t);
        ctx.put(CHECK, route.at(event, t));
        ctx.next();
      }).onFailure(ctx::fail);
    };
  }

  /** {@link CallerCheck}'s check alone, for a request that fails before its statement runs. */
  private static final String CALLER_ALONE = "with " + CallerCheck.cte(1) + " select " + CallerCheck.COLUMNS
      + " from caller";

  /**
   * For a request whose statement checks the caller ({@link CallerCheck}) but that failed with
   * {@code failure} before its statement ran (a bad body or path, a spent budget): the caller
   * check on its own (one query), so that a caller it refuses hears that refusal, as on every
   * other route, not what was wrong with the request. Always a failed future: the refusal, or
   * {@code failure} for a caller the check admits.
   */
  public <T> Future<T> refusedOr(CallerCheck check, Throwable failure) {
    return pool.preparedQuery(CALLER_ALONE).execute(check.bind(Tuple.tuple()))
        .map(rows -> check.principal(rows.iterator().next()))
        .transform(ar -> Future.failedFuture(ar.failed() && ar.cause() instanceof ApiError refusal ? refusal : failure));
  }

  /** The check a route's statement is to run ({@link #deferred}). */
  public static CallerCheck check(RoutingContext ctx) {
    CallerCheck check = ctx.get(CHECK);
    if (check == null) {
      throw new IllegalStateException("No caller check on this request: the route is not checked by its statement");
    }
    return check;
  }

  static void checkRoles(Principal p, Set<Role> roles) {
    if (roles.stream().noneMatch(p::has)) {
      throw ApiError.forbidden("This needs one of the roles " + wire(roles) + " in this event.");
    }
  }

  static ApiError noEvent(String slug) {
    return ApiError.notFound("There is no event '" + slug + "'.");
  }

  static ApiError nobody() {
    return ApiError.unauthorized("This session belongs to nobody any more.");
  }

  /** A session of one event is refused in every other. */
  static void checkScope(VerifiedToken session, String slug) {
    if (session.event() != null && !session.event().equals(slug)) {
      throw new ApiError(403, "other-event", "Session of another event",
          "This session was opened with a link of another event; open this event's own login link.");
    }
  }

  /** The anonymous caller in event {@code slug}; with a {@code ctx}, the event is handed on to its route. */
  private Future<Principal> anonymous(String slug, RoutingContext ctx) {
    return pool.preparedQuery(EVENT).execute(Tuple.of(slug)).map(rows -> {
      if (rows.size() == 0) {
        throw noEvent(slug);
      }
      Row r = rows.iterator().next();
      handOn(ctx, r);
      return new Principal(0, null, false, r.getLong("id"), r.getString("slug"), Set.of());
    });
  }

  private Future<Principal> person(VerifiedToken session) {
    long personId = session.personId();
    return pool.preparedQuery(PERSON).execute(Tuple.of(personId, session.id())).map(rows -> {
      if (rows.size() == 0) {
        throw nobody();
      }
      Row r = rows.iterator().next();
      checkLive(session, r);
      // admin power comes only from a deployment-wide session, never from an event's link
      return new Principal(personId, r.getString("name"), session.event() == null && r.getBoolean("is_admin"),
          null, null, Set.of());
    });
  }

  private Future<Principal> inEvent(String slug, VerifiedToken session, RoutingContext ctx) {
    long personId = session.personId();
    return pool.preparedQuery(EVENT_ROLES).execute(Tuple.of(slug, personId, session.id())).compose(rows -> {
      if (rows.size() == 0) {
        return anonymous(slug, null).compose(p -> Future.failedFuture(nobody()));
      }
      Row r = rows.iterator().next();
      checkLive(session, r);
      checkScope(session, slug);
      handOn(ctx, r);
      return Future.succeededFuture(inEvent(personId, r, session.event() == null));
    });
  }

  private void handOn(RoutingContext ctx, Row eventRow) {
    if (ctx != null) {
      ctx.put(EVENT_RECORD, eventOf.apply(eventRow));
    }
  }

  /**
   * The one mapping of a row of {@link #EVENT_ROLES} or {@link #MEMBER} (id, slug, person_name,
   * is_admin, roles) to the caller in that event; admin power only for a deployment-wide session.
   */
  private static Principal inEvent(long personId, Row r, boolean deploymentWide) {
    Set<Role> held = EnumSet.noneOf(Role.class);
    for (String role : r.getArrayOfStrings("roles")) {
      held.add(Role.fromWire(role));
    }
    return new Principal(personId, r.getString("person_name"), deploymentWide && r.getBoolean("is_admin"),
        r.getLong("id"), r.getString("slug"), held);
  }

  /** A session ends when its person's token version moved on (revocation) or when it was logged out. */
  private static void checkLive(VerifiedToken session, Row r) {
    checkLive(session, r.getBoolean("ended"), r.getInteger("token_version"));
  }

  static void checkLive(VerifiedToken session, boolean ended, Integer tokenVersion) {
    if (ended || !java.util.Objects.equals(session.version(), tokenVersion)) {
      throw new ApiError(401, "session-ended", "Session ended",
          "This session was logged out or revoked; log in again through your personal link.");
    }
  }

  /** A person's standing in one event: roles, and attendance ("in-person", "remote" or null when not registered). */
  public record Member(Principal principal, String attendance) {
  }

  /**
   * Resolves a person (0 = anonymous) in an event outside an HTTP route, e.g. for a WebSocket
   * topic. Fails with 404 for an unknown event and 401 for a person who no longer exists.
   */
  public Future<Member> member(String slug, long personId) {
    return member(slug, personId, null);
  }

  /**
   * Like {@link #member(String, long)} for a caller whose session belongs to {@code scope} (null:
   * deployment-wide): in any other event they are anonymous, and only a deployment-wide caller
   * holds admin power.
   */
  public Future<Member> member(String slug, long personId, String scope) {
    if (personId == 0 || (scope != null && !scope.equals(slug))) {
      return anonymous(slug, null).map(p -> new Member(p, null));
    }
    return pool.preparedQuery(MEMBER).execute(Tuple.of(slug, personId)).compose(rows -> {
      if (rows.size() == 0) {
        return anonymous(slug, null).compose(p -> Future.failedFuture(nobody()));
      }
      Row r = rows.iterator().next();
      return Future.succeededFuture(new Member(inEvent(personId, r, scope == null), r.getString("attendance")));
    });
  }

  /** True when {@code version} is still the person's token version (nothing issued with it was revoked). */
  public Future<Boolean> current(long personId, Integer version) {
    return pool.preparedQuery(TOKEN_VERSION).execute(Tuple.of(personId))
        .map(rows -> version != null && rows.size() == 1 && version.equals(rows.iterator().next().getInteger(0)));
  }

  /**
   * What a live socket keeps of the session its ticket came from: the person, their token
   * version then, and the session's id (null for a ticket that names none).
   */
  public record LiveSession(long personId, int version, String sessionId) {
  }

  /**
   * Of {@code sessions}, those that ended since: the person was revoked (version moved on) or
   * is gone, or the session was logged out. Two queries, whatever the number of sessions.
   */
  public Future<Set<LiveSession>> ended(Collection<LiveSession> sessions) {
    if (sessions.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Long[] people = sessions.stream().map(LiveSession::personId).distinct().toArray(Long[]::new);
    String[] ids = sessions.stream().map(LiveSession::sessionId).filter(java.util.Objects::nonNull).distinct()
        .toArray(String[]::new);
    Future<Map<Long, Integer>> versions = pool.preparedQuery(VERSIONS).execute(Tuple.of(people)).map(rows -> {
      Map<Long, Integer> byId = new HashMap<>();
      rows.forEach(r -> byId.put(r.getLong("id"), r.getInteger("token_version")));
      return byId;
    });
    Future<Set<String>> loggedOut = ids.length == 0 ? Future.succeededFuture(Set.of())
        : pool.preparedQuery(ENDED).execute(Tuple.of(ids)).map(rows -> {
          Set<String> jtis = new HashSet<>();
          rows.forEach(r -> jtis.add(r.getString("jti")));
          return jtis;
        });
    return Future.all(versions, loggedOut).map(all -> {
      Map<Long, Integer> current = versions.result();
      Set<String> out = loggedOut.result();
      Set<LiveSession> ended = new HashSet<>();
      for (LiveSession s : sessions) {
        Integer v = current.get(s.personId());
        if (v == null || v != s.version() || (s.sessionId() != null && out.contains(s.sessionId()))) {
          ended.add(s);
        }
      }
      return ended;
    });
  }

  /** The caller; null only on public routes called without a token. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /**
   * The event of a route under {@code /api/events/:event}, as read by the access check (one read
   * per request), in the record type the events feature maps it to.
   */
  public static <E> E event(RoutingContext ctx, Class<E> type) {
    Object event = ctx.get(EVENT_RECORD);
    if (event == null) {
      throw new IllegalStateException("No event on this request: the route is not under /api/events/:event");
    }
    return type.cast(event);
  }

  /** The verified session token of the caller; null when there is none (or a public route ignored it). */
  public static VerifiedToken session(RoutingContext ctx) {
    return ctx.get(SESSION);
  }

  /** The caller on a route that requires a session. */
  public static Principal required(RoutingContext ctx) {
    Principal p = principal(ctx);
    if (p == null || p.personId() == 0) {
      throw ApiError.unauthorized("This needs a session: log in through your personal link.");
    }
    return p;
  }

  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return null;
  }

  private static String wire(Set<Role> roles) {
    return String.join(", ", roles.stream().map(Role::wire).sorted().toList());
  }
}
