package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.NewEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The role matrix, generated from the served OpenAPI document: every operation is called by
 * every kind of caller its {@code x-roles} do not allow (anonymous, each event role, the
 * organizer of another event, an admin through an event's link) and none may get a 2xx or a 5xx.
 */
class RoleMatrixTest {
  static TestServer server;
  static String slug;
  /** Caller name -> session (null: anonymous) and the roles it holds in the demo event. */
  static final Map<String, Object[]> CALLERS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    slug = server.seedDemo();
    var other = await(server.server.events().createEvent(NewEvent.fromJson(new JsonObject().put("slug", "other-2024")
        .put("name", "Other").put("timeZone", "UTC").put("startsOn", "2024-01-01").put("endsOn", "2024-01-01"))));
    await(server.server.events().addPerson(other.id(), "olga.other@example.org", "Olga Other", null, Role.ORGANIZER));
    CALLERS.put("anonymous", new Object[] {null, Set.of()});
    CALLERS.put("attendee", new Object[] {server.sessionFor(slug, "grace.kim@example.org"), Set.of("attendee")});
    CALLERS.put("presenter", new Object[] {server.sessionFor(slug, "uma.raman@example.org"), Set.of("presenter", "attendee")});
    CALLERS.put("moderator", new Object[] {server.sessionFor(slug, "chiara.rossi@example.org"), Set.of("moderator", "attendee")});
    CALLERS.put("door-staff", new Object[] {server.sessionFor(slug, "elena.garcia@example.org"), Set.of("door-staff", "attendee")});
    CALLERS.put("organizer of another event", new Object[] {server.sessionFor("other-2024", "olga.other@example.org"), Set.of()});
    CALLERS.put("admin through an event link", new Object[] {server.eventSessionFor(slug, "admin@example.org"),
        Set.of("organizer")});
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static boolean allowed(Set<?> xRoles, String caller, Set<?> held) {
    if (xRoles.contains("public")) {
      return true;
    }
    if (caller.equals("anonymous")) {
      return false;
    }
    if (xRoles.contains("signed-in")) {
      return true;
    }
    if (held.contains("organizer")) {
      return !xRoles.contains("admin") || xRoles.size() > 1;
    }
    return xRoles.stream().anyMatch(held::contains);
  }

  @Test
  void noCallerOutsideAnOperationsRolesGetsA2xxOrA5xx() {
    JsonObject paths = await(server.client.get("/openapi.json").send()).bodyAsJsonObject().getJsonObject("paths");
    List<String> unexpected = new ArrayList<>();
    int probes = 0;
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        Object op = paths.getJsonObject(path).getValue(method);
        if (!(op instanceof JsonObject operation) || operation.getJsonArray("x-roles") == null) {
          continue;
        }
        Set<?> xRoles = Set.copyOf(operation.getJsonArray("x-roles").getList());
        String concrete = path.replace("{event}", slug).replaceAll("\\{[A-Za-z]+}", "1");
        for (Map.Entry<String, Object[]> caller : CALLERS.entrySet()) {
          if (allowed(xRoles, caller.getKey(), (Set<?>) caller.getValue()[1])) {
            continue;
          }
          var request = server.client.request(HttpMethod.valueOf(method.toUpperCase()), concrete);
          String session = (String) caller.getValue()[0];
          if (session != null) {
            request.bearerTokenAuthentication(session);
          }
          HttpResponse<Buffer> r = await(method.equals("get") || method.equals("delete") ? request.send()
              : request.sendJsonObject(new JsonObject().put("roles", new JsonArray().add("organizer"))));
          probes++;
          if (r.statusCode() < 400 || r.statusCode() >= 500) {
            unexpected.add(method.toUpperCase() + " " + path + " as " + caller.getKey() + ": " + r.statusCode());
          }
        }
      }
    }
    assertThat(probes).as("probes").isGreaterThan(100);
    assertThat(unexpected).isEmpty();
  }
}
