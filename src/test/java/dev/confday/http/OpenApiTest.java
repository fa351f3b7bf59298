package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestServer;
import dev.confday.auth.Role;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document says exactly which routes exist and which roles each allows. */
class OpenApiTest {
  static TestServer server;
  static final Set<String> OPERATIONS_ROUTES = Set.of("GET /health/live", "GET /health/ready", "GET /metrics",
      "GET /openapi.json");
  static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void documentsEveryRouteWithItsRolesAndNothingElse() {
    JsonObject doc = await(server.client.get("/openapi.json").send()).bodyAsJsonObject();
    assertThat(doc.getString("openapi")).startsWith("3.");
    Set<String> documented = new TreeSet<>();
    Set<String> roleMismatches = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    List<ApiRouter.RouteSpec> specs = server.server.api().specs();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!HTTP_METHODS.contains(method)) {
          continue; // parameters, summary, description of the path item
        }
        documented.add(method.toUpperCase() + " " + path);
      }
    }
    Set<String> mounted = new TreeSet<>(OPERATIONS_ROUTES);
    for (ApiRouter.RouteSpec spec : specs) {
      String path = spec.path().replaceAll(":([A-Za-z]+)", "{$1}");
      String key = spec.method().name() + " " + path;
      mounted.add(key);
      JsonObject op = paths.getJsonObject(path, new JsonObject()).getJsonObject(spec.method().name().toLowerCase());
      if (op != null) {
        Set<String> docRoles = new HashSet<>(op.getJsonArray("x-roles").getList());
        Set<String> codeRoles = spec.roles().stream().map(Role::wire).collect(Collectors.toSet());
        if (!docRoles.equals(codeRoles)) {
          roleMismatches.add(key + " documented " + docRoles + " but mounted " + codeRoles);
        }
        assertThat(op.getString("summary")).as(key).isNotBlank();
        assertThat(op.getJsonObject("responses")).as(key + " responses").isNotNull().isNotEmpty();
        // every {param} of the path is declared as a path parameter (here or on the path item)
        Set<String> declared = new HashSet<>();
        for (JsonObject holder : List.of(op, paths.getJsonObject(path))) {
          for (Object o : holder.getJsonArray("parameters", new io.vertx.core.json.JsonArray())) {
            JsonObject param = (JsonObject) o;
            if ("path".equals(param.getString("in"))) {
              declared.add(param.getString("name"));
            }
          }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([A-Za-z]+)}").matcher(path);
        while (m.find()) {
          assertThat(declared).as(key + " path parameters").contains(m.group(1));
        }
      }
    }
    assertThat(documented).as("documented operations").isEqualTo(mounted);
    assertThat(roleMismatches).isEmpty();
    // the operations routes listed by hand above really are served
    for (String route : OPERATIONS_ROUTES) {
      int status = await(server.client.get(route.substring(4)).send()).statusCode();
      assertThat(status).as(route).isEqualTo(200);
    }
  }
}
