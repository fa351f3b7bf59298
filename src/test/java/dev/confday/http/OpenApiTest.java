package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import dev.confday.auth.ApiRouter;
import dev.confday.auth.Role;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document says exactly which routes exist and which roles each allows. */
class OpenApiTest extends ServerTestBase {
  static final Set<String> OPERATIONS_ROUTES = Set.of("GET /health/live", "GET /health/ready", "GET /metrics",
      "GET /openapi.json", "GET /api/docs");
  static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

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

  /**
   * Every request and response body names its media type and has a schema: JSON bodies a real
   * one (not {@code {}}), other bodies (CSV, PDF, images, calendars) a string. A route added
   * with a placeholder body is listed here.
   */
  @Test
  void everyBodyHasASchema() {
    JsonObject doc = OpenApi.document();
    Set<String> missing = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!HTTP_METHODS.contains(method)) {
          continue;
        }
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        String key = method.toUpperCase() + " " + path;
        JsonObject request = op.getJsonObject("requestBody");
        if (request != null) {
          missingSchemas(key + " request", request.getJsonObject("content"), missing);
        }
        for (String status : op.getJsonObject("responses").fieldNames()) {
          JsonObject response = op.getJsonObject("responses").getJsonObject(status);
          if (!response.containsKey("$ref")) {
            missingSchemas(key + " " + status, response.getJsonObject("content"), missing);
          }
        }
      }
    }
    JsonObject problem = doc.getJsonObject("components").getJsonObject("responses").getJsonObject("Problem");
    missingSchemas("components/responses/Problem", problem.getJsonObject("content"), missing);
    assertThat(missing).as("bodies without a schema").isEmpty();
  }

  private static void missingSchemas(String where, JsonObject content, Set<String> missing) {
    if (content == null) {
      return;
    }
    if (content.isEmpty()) {
      missing.add(where + ": content lists no media type");
    }
    for (String type : content.fieldNames()) {
      if (!ContractCheck.hasSchema(content.getJsonObject(type))) {
        missing.add(where + " " + type);
      }
    }
  }

  /** Every schema reference points at a defined schema, and every defined schema is used. */
  @Test
  void everySchemaReferenceResolves() {
    JsonObject doc = OpenApi.document();
    Set<String> defined = doc.getJsonObject("components").getJsonObject("schemas").fieldNames();
    Set<String> referenced = new TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"#/components/schemas/([A-Za-z0-9]+)\"")
        .matcher(doc.encode());
    while (m.find()) {
      referenced.add(m.group(1));
    }
    assertThat(defined).as("defined schemas").containsAll(referenced);
    assertThat(referenced).as("used schemas").containsAll(defined);
  }
}
