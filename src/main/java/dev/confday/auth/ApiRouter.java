package dev.confday.auth;

import dev.confday.http.StreamingBody;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How features declare API routes: every route states the roles it allows, and the declared
 * table is what the OpenAPI test compares the published document against. It lives in auth/
 * (not http/) because it joins routes to the access check: http/ depends on no other package
 * of confday but config/, so auth/ and db/ can use http's ApiError without an import cycle.
 */
public final class ApiRouter {
  /** One declared route: method, Vert.x path, roles, and whether the handler reads the body itself. */
  public record RouteSpec(HttpMethod method, String path, Set<Role> roles, boolean streamsBody) {
  }

  private final Router router;
  private final Access access;
  private final BodyHandler bodyHandler;
  private final List<RouteSpec> specs = new ArrayList<>();

  public ApiRouter(Router router, Access access, long maxBodyBytes) {
    this.router = router;
    this.access = access;
    this.bodyHandler = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
  }

  public void get(String path, Set<Role> roles, Handler<RoutingContext> handler) {
    add(HttpMethod.GET, path, roles, false, handler);
  }

  public void post(String path, Set<Role> roles, Handler<RoutingContext> handler) {
    add(HttpMethod.POST, path, roles, false, handler);
  }

  public void put(String path, Set<Role> roles, Handler<RoutingContext> handler) {
    add(HttpMethod.PUT, path, roles, false, handler);
  }

  public void patch(String path, Set<Role> roles, Handler<RoutingContext> handler) {
    add(HttpMethod.PATCH, path, roles, false, handler);
  }

  public void delete(String path, Set<Role> roles, Handler<RoutingContext> handler) {
    add(HttpMethod.DELETE, path, roles, false, handler);
  }

  /** A route whose handler reads (streams) the request body itself, e.g. a file upload. */
  public void streaming(HttpMethod method, String path, Set<Role> roles, Handler<RoutingContext> handler) {
    add(method, path, roles, true, handler);
  }

  /**
   * A route whose one statement checks the caller itself ({@link CallerCheck}, read with
   * {@link Access#check}): a hot path that must not spend a query of its own on the check. The
   * roles are declared and refused as on every route; no {@link Access#principal} before the
   * statement has run.
   */
  public void checkedByStatement(HttpMethod method, String path, Set<Role> roles, Handler<RoutingContext> handler) {
    declare(method, path, roles, false).handler(access.deferred(roles)).handler(ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        // found before the statement ran: a refused caller hears the refusal (without the 429's header)
        access.refusedOr(Access.check(ctx), e).onFailure(t -> {
          if (t != e) {
            ctx.response().headers().remove("Retry-After");
          }
          ctx.fail(t);
        });
      }
    });
  }

  public void add(HttpMethod method, String path, Set<Role> roles, boolean streamsBody, Handler<RoutingContext> handler) {
    declare(method, path, roles, streamsBody).handler(access.allow(roles)).handler(handler);
  }

  private io.vertx.ext.web.Route declare(HttpMethod method, String path, Set<Role> roles, boolean streamsBody) {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("Route " + method + " " + path + " must state its roles");
    }
    specs.add(new RouteSpec(method, path, EnumSet.copyOf(roles), streamsBody));
    var route = router.route(method, path);
    if (!streamsBody) {
      // Vert.x requires the body handler first; the body is bounded, so reading it before the
      // access check costs at most maxBodyBytes.
      route.handler(bodyHandler);
    } else {
      // The access check is asynchronous: hold the body until the handler reads it.
      route.handler(StreamingBody::hold);
    }
    return route;
  }

  /** The methods declared for a concrete path, for the {@code Allow} header of a 405; empty if none. */
  public String allowedMethods(String path) {
    java.util.TreeSet<String> methods = new java.util.TreeSet<>();
    for (RouteSpec spec : specs) {
      String pattern = java.util.Arrays.stream(spec.path().split("/", -1))
          .map(part -> part.startsWith(":") ? "[^/]+" : java.util.regex.Pattern.quote(part))
          .collect(java.util.stream.Collectors.joining("/"));
      if (path.matches(pattern)) {
        methods.add(spec.method().name());
      }
    }
    return String.join(", ", methods);
  }

  public List<RouteSpec> specs() {
    return List.copyOf(specs);
  }

  public Router router() {
    return router;
  }

  public static Set<Role> roles(Role first, Role... rest) {
    return EnumSet.of(first, rest);
  }
}
