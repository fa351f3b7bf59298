package dev.confday.auth;

import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.EnumSet;
import java.util.Set;

/**
 * The gate in front of every API route: checks the session token (Bearer) and, on routes under
 * {@code /api/events/:event}, resolves the event and the caller's roles there. Puts a
 * {@link Principal} on the context; refuses with 401/403/404 problems.
 */
public final class Access {
  private static final String PRINCIPAL = "principal";
  private static final String EVENT_ROLES = """
      select e.id, e.slug, p.name, p.is_admin,
             coalesce((select array_agg(r.role) from event_roles r where r.event_id = e.id and r.person_id = p.id), '{}') as roles
        from events e, people p
       where e.slug = $1 and p.id = $2""";
  private static final String MEMBER = """
      select e.id, e.slug, p.name, p.is_admin,
             coalesce((select array_agg(r.role) from event_roles r where r.event_id = e.id and r.person_id = p.id), '{}') as roles,
             (select g.attendance from registrations g where g.event_id = e.id and g.person_id = p.id) as attendance
        from events e, people p
       where e.slug = $1 and p.id = $2""";
  private static final String PERSON = "select name, is_admin from people where id = $1";
  private static final String EVENT = "select id, slug from events where slug = $1";

  private final Tokens tokens;
  private final Pool pool;

  public Access(Tokens tokens, Pool pool) {
    this.tokens = tokens;
    this.pool = pool;
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
    if (roles.contains(Role.PUBLIC) && token == null) {
      return event == null ? Future.succeededFuture(null) : anonymous(event);
    }
    if (token == null) {
      return Future.failedFuture(ApiError.unauthorized("This needs a session: log in through your personal link."));
    }
    Future<VerifiedToken> verified = tokens.verify(token, TokenType.SESSION);
    if (roles.contains(Role.PUBLIC)) {
      // a stale session must not lock anyone out of public pages: treat it as no session
      return verified.transform(ar -> ar.succeeded()
          ? (event == null ? person(ar.result().personId()) : inEvent(event, ar.result().personId()))
          : (event == null ? Future.succeededFuture(null) : anonymous(event)));
    }
    return verified
        .compose(t -> event == null ? person(t.personId()) : inEvent(event, t.personId()))
        .map(p -> {
          if (roles.stream().noneMatch(p::has)) {
            throw ApiError.forbidden("This needs one of the roles " + wire(roles) + " in this event.");
          }
          return p;
        });
  }

  private Future<Principal> anonymous(String slug) {
    return pool.preparedQuery(EVENT).execute(Tuple.of(slug)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("There is no event '" + slug + "'.");
      }
      Row r = rows.iterator().next();
      return new Principal(0, null, false, r.getLong("id"), r.getString("slug"), Set.of());
    });
  }

  private Future<Principal> person(long personId) {
    return pool.preparedQuery(PERSON).execute(Tuple.of(personId)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.unauthorized("This session belongs to nobody any more.");
      }
      Row r = rows.iterator().next();
      return new Principal(personId, r.getString("name"), r.getBoolean("is_admin"), null, null, Set.of());
    });
  }

  private Future<Principal> inEvent(String slug, long personId) {
    return pool.preparedQuery(EVENT_ROLES).execute(Tuple.of(slug, personId)).compose(rows -> {
      if (rows.size() == 0) {
        return anonymous(slug).compose(p -> Future.failedFuture(ApiError.unauthorized("This session belongs to nobody any more.")));
      }
      Row r = rows.iterator().next();
      Set<Role> held = EnumSet.noneOf(Role.class);
      for (String role : r.getArrayOfStrings("roles")) {
        held.add(Role.fromWire(role));
      }
      return Future.succeededFuture(new Principal(personId, r.getString("name"), r.getBoolean("is_admin"),
          r.getLong("id"), r.getString("slug"), held));
    });
  }

  /** A person's standing in one event: roles, and attendance ("in-person", "remote" or null when not registered). */
  public record Member(Principal principal, String attendance) {
  }

  /**
   * Resolves a person (0 = anonymous) in an event outside an HTTP route, e.g. for a WebSocket
   * topic. Fails with 404 for an unknown event and 401 for a person who no longer exists.
   */
  public Future<Member> member(String slug, long personId) {
    if (personId == 0) {
      return anonymous(slug).map(p -> new Member(p, null));
    }
    return pool.preparedQuery(MEMBER).execute(Tuple.of(slug, personId)).compose(rows -> {
      if (rows.size() == 0) {
        return anonymous(slug).compose(p -> Future.failedFuture(ApiError.unauthorized("This session belongs to nobody any more.")));
      }
      Row r = rows.iterator().next();
      Set<Role> held = EnumSet.noneOf(Role.class);
      for (String role : r.getArrayOfStrings("roles")) {
        held.add(Role.fromWire(role));
      }
      return Future.succeededFuture(new Member(new Principal(personId, r.getString("name"), r.getBoolean("is_admin"),
          r.getLong("id"), r.getString("slug"), held), r.getString("attendance")));
    });
  }

  /** The caller; null only on public routes called without a token. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
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
