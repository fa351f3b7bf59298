package dev.confday.events;

import static dev.confday.auth.Role.ADMIN;
import static dev.confday.auth.Role.ORGANIZER;
import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.Role.SIGNED_IN;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.auth.Tokens;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.CsvCells;
import dev.confday.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** HTTP routes for events, people, registration import, login links and sessions. */
public final class EventRoutes {
  private final EventService events;
  private final Tokens tokens;

  public EventRoutes(EventService events, Tokens tokens) {
    this.events = events;
    this.tokens = tokens;
  }

  public void mount(ApiRouter api) {
    api.get("/.well-known/jwks.json", roles(PUBLIC), this::jwks);
    api.post("/api/auth/session", roles(PUBLIC), this::startSession);
    api.post("/api/auth/logout", roles(SIGNED_IN), this::logout);
    api.get("/api/me", roles(SIGNED_IN), this::me);
    api.post("/api/people/:person/revoke", roles(ADMIN), this::revoke);
    api.get("/api/events", roles(PUBLIC), this::listEvents);
    api.post("/api/events", roles(ADMIN), this::createEvent);
    api.get("/api/events/:event", roles(PUBLIC), this::getEvent);
    api.get("/api/events/:event/me", roles(SIGNED_IN), this::meInEvent);
    api.get("/api/events/:event/people", roles(ORGANIZER), this::listPeople);
    api.put("/api/events/:event/people/:person/roles", roles(ORGANIZER), this::setRoles);
    api.post("/api/events/:event/registrations/import", roles(ORGANIZER), this::importRegistrations);
    api.get("/api/events/:event/login-links.csv", roles(ORGANIZER), this::loginLinks);
  }

  private void jwks(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/jwk-set+json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(tokens.jwks().encode());
  }

  private void startSession(RoutingContext ctx) {
    String token = Responses.body(ctx).getString("token");
    events.startSession(token).onSuccess(s -> Responses.json(ctx, 200, s)).onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    Access.required(ctx);
    var session = Access.session(ctx);
    events.endSession(session.id(), session.expiresAt())
        .onSuccess(v -> ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end())
        .onFailure(ctx::fail);
  }

  /** Deployment-wide, so the admin's only: an event's organizer must not end someone's sessions in other events. */
  private void revoke(RoutingContext ctx) {
    long person = Responses.pathLong(ctx, "person");
    events.revoke(person)
        .onSuccess(version -> {
          if (version == 0) {
            ctx.fail(ApiError.notFound("There is no person " + person + "."));
          } else {
            Responses.json(ctx, 200, new JsonObject().put("id", person).put("tokenVersion", version));
          }
        })
        .onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    String scope = Access.session(ctx).event();
    if (scope != null) {
      // a session of one event sees that event only: the name it was registered under there, and no other event
      events.event(scope).compose(e -> events.person(e.id(), p.personId()).map(person -> new JsonObject()
              .put("id", p.personId()).put("name", person.name()).put("admin", false).put("event", scope)
              .put("events", new JsonArray().add(new JsonObject().put("slug", e.slug()).put("name", e.name())
                  .put("roles", new JsonArray(person.roles()))))))
          .onSuccess(json -> Responses.json(ctx, 200, json))
          .onFailure(ctx::fail);
      return;
    }
    events.myEvents(p.personId())
        .onSuccess(list -> Responses.json(ctx, 200, new JsonObject().put("id", p.personId()).put("name", p.name())
            .put("admin", p.admin()).put("events", new JsonArray(List.copyOf(list)))))
        .onFailure(ctx::fail);
  }

  private void listEvents(RoutingContext ctx) {
    events.listEvents()
        .onSuccess(list -> Responses.json(ctx, 200, new JsonArray(list.stream().map(Event::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void createEvent(RoutingContext ctx) {
    NewEvent event = NewEvent.fromJson(Responses.body(ctx));
    events.createEvent(event)
        .onSuccess(e -> Responses.json(ctx, 201, e.toJson()))
        .onFailure(ctx::fail);
  }

  private void getEvent(RoutingContext ctx) {
    Event e = Access.event(ctx, Event.class);
    events.rooms(e.id())
        .map(rooms -> e.toJson().put("rooms", new JsonArray(rooms.stream().map(Room::toJson).toList())))
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private void meInEvent(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    events.person(p.eventId(), p.personId())
        .recover(e -> p.admin() ? Future.succeededFuture(new Person(p.personId(), null, p.name(), null, 0, null, null,
            null, List.of(), true)) : Future.failedFuture(e))
        .map(person -> person.toJson().put("admin", p.admin())
            .put("roles", new JsonArray(effectiveRoles(p).stream().map(Role::wire).toList())))
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private static List<Role> effectiveRoles(Principal p) {
    return EnumSet.range(Role.ORGANIZER, Role.DOOR_STAFF).stream().filter(p::has).toList();
  }

  private void listPeople(RoutingContext ctx) {
    events.people(Access.required(ctx).eventId())
        .onSuccess(list -> Responses.json(ctx, 200, new JsonArray(list.stream().map(Person::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void setRoles(RoutingContext ctx) {
    JsonArray wanted = Responses.body(ctx).getJsonArray("roles");
    if (wanted == null) {
      throw ApiError.validation("roles", "is required: a list such as [\"presenter\", \"attendee\"]");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object r : wanted) {
      try {
        roles.add(Role.fromWire(String.valueOf(r)));
      } catch (IllegalArgumentException e) {
        throw ApiError.validation("roles", "'" + r + "' is not a role");
      }
    }
    events.setRoles(Access.required(ctx).eventId(), Responses.pathLong(ctx, "person"), roles)
        .onSuccess(p -> Responses.json(ctx, 200, p.toJson()))
        .onFailure(ctx::fail);
  }

  private void importRegistrations(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !(type.startsWith("text/csv") || type.startsWith("text/plain"))) {
      throw new ApiError(415, "unsupported-media-type", "Unsupported media type", "Send the file as text/csv.");
    }
    events.importRegistrations(Access.required(ctx).eventId(), ctx.body().asString("UTF-8"))
        .onSuccess(n -> Responses.json(ctx, 200, new JsonObject().put("imported", n)))
        .onFailure(ctx::fail);
  }

  private void loginLinks(RoutingContext ctx) {
    Principal p = Access.required(ctx);
    Event event = Access.event(ctx, Event.class);
    events.peopleWithLinks(event.id()).map(people -> csv(event, people))
        .onSuccess(csv -> ctx.response()
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"" + p.eventSlug() + "-login-links.csv\"")
            .putHeader("Cache-Control", "no-store")
            .end(csv))
        .onFailure(ctx::fail);
  }

  private String csv(Event event, List<Person> people) {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
        .setHeader("name", "email", "affiliation", "attendance", "roles", "login_link").get())) {
      for (Person person : people) {
        printer.printRecord(CsvCells.safe(person.name()), CsvCells.safe(person.email()),
            CsvCells.safe(person.affiliation()), person.attendance(), String.join(" ", person.roles()), events.loginLink(event, person));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
