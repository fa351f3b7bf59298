package dev.confday.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks real traffic against the OpenAPI document: hooked into the test {@link WebClient}, it
 * matches every exchange to its operation (method + path template) and validates the response
 * (status documented, media type listed, JSON body against its schema) and, when the server
 * accepted it, the JSON request body. A mismatch fails the request, so the test that made it
 * fails. It also records which operations had a JSON body checked, for {@code OpenApiCoverageTest}.
 *
 * <p>The WebClient has no public interceptor API in Vert.x 5, so this uses
 * {@code WebClientInternal.addInterceptor} (test code only).
 */
public final class ContractCheck {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final String REQUEST_BODY = ContractCheck.class.getName() + ".body";
  private static final String REQUEST_TYPE = ContractCheck.class.getName() + ".type";
  private static final ContractCheck INSTANCE = new ContractCheck(OpenApi.document());

  /** Operations ("GET /path/{x}") whose JSON request or response body was validated in this JVM. */
  private static final Set<String> EXERCISED = ConcurrentHashMap.newKeySet();

  private final JsonObject doc;
  private final List<Template> templates = new ArrayList<>();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  private record Template(String path, Pattern pattern, int params) {
  }

  /** The operation an exchange matched: its document path template, method and definition. */
  public record Operation(String path, String method, JsonObject definition) {
    public String key() {
      return method.toUpperCase() + " " + path;
    }
  }

  ContractCheck(JsonObject doc) {
    this.doc = doc;
    for (String path : doc.getJsonObject("paths").fieldNames()) {
      String regex = Pattern.compile("\\{[A-Za-z]+}").splitAsStream(path).map(Pattern::quote)
          .collect(Collectors.joining("[^/]+"));
      if (path.endsWith("}")) {
        regex += "[^/]+";
      }
      int params = path.split("\\{", -1).length - 1;
      templates.add(new Template(path, Pattern.compile(regex), params));
    }
    // a literal segment wins over a parameter: /posters/assign before /posters/{poster}
    templates.sort(Comparator.comparingInt(Template::params));
  }

  public static ContractCheck instance() {
    return INSTANCE;
  }

  /** Hooks the check into a client: every response it receives is checked before the test sees it. */
  public static WebClient attach(WebClient client) {
    ((WebClientInternal) client).addInterceptor(INSTANCE::intercept);
    return client;
  }

  public static Set<String> exercised() {
    return Set.copyOf(EXERCISED);
  }

  private void intercept(HttpContext<?> ctx) {
    if (ctx.phase() == ClientPhase.SEND_REQUEST) {
      // the body is known only while the request is sent; keep it for the response phase
      ctx.set(REQUEST_BODY, ctx.body());
      ctx.set(REQUEST_TYPE, ctx.clientRequest().headers().get("Content-Type"));
    }
    if (ctx.phase() == ClientPhase.DISPATCH_RESPONSE && ctx.response().body() instanceof Buffer) {
      @SuppressWarnings("unchecked")
      HttpResponse<Buffer> response = (HttpResponse<Buffer>) ctx.response();
      String method = ctx.request().method().name();
      String uri = ctx.requestOptions().getURI();
      String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
      List<String> problems = check(method, path, ctx.get(REQUEST_TYPE), ctx.get(REQUEST_BODY), response.statusCode(),
          response.getHeader("Content-Type"), response.body());
      if (!problems.isEmpty()) {
        ctx.fail(new AssertionError("OpenAPI contract broken by " + method + " " + uri + " -> "
            + response.statusCode() + ":\n  " + String.join("\n  ", problems)));
        return;
      }
    }
    ctx.next();
  }

  public Optional<Operation> operation(String method, String path) {
    for (Template t : templates) {
      if (t.pattern().matcher(path).matches()) {
        JsonObject op = doc.getJsonObject("paths").getJsonObject(t.path()).getJsonObject(method.toLowerCase());
        if (op != null) {
          return Optional.of(new Operation(t.path(), method.toLowerCase(), op));
        }
      }
    }
    return Optional.empty();
  }

  /** What is wrong with one exchange, or nothing. */
  List<String> check(String method, String path, String requestType, Object requestBody, int statusCode,
      String contentType, Buffer body) {
    List<String> problems = new ArrayList<>();
    Optional<Operation> found = operation(method, path);
    String responseType = mediaType(contentType);
    if (found.isEmpty()) {
      // not an API route (static files, the web app) or a method the route refuses: an error
      // answer is still a problem document
      if (Problems.CONTENT_TYPE.equals(responseType)) {
        validate("#/components/schemas/Problem", body, "problem", problems);
      }
      return problems;
    }
    Operation op = found.get();
    String where = op.key();
    JsonObject responses = op.definition().getJsonObject("responses");
    String status = Integer.toString(statusCode);
    String pointer = "#/paths/" + escape(op.path()) + "/" + op.method() + "/responses/";
    JsonObject declared = responses.getJsonObject(status);
    if (declared == null && statusCode >= 400) {
      declared = responses.getJsonObject(status.charAt(0) + "XX", responses.getJsonObject("default"));
      status = responses.containsKey(status.charAt(0) + "XX") ? status.charAt(0) + "XX" : "default";
    }
    if (declared == null) {
      problems.add(where + ": status " + status + " is not documented");
      return problems;
    }
    if (declared.containsKey("$ref")) {
      pointer = declared.getString("$ref") + "/";
      declared = resolveRef(declared.getString("$ref"));
    } else {
      pointer += escape(status) + "/";
    }
    JsonObject content = declared.getJsonObject("content");
    if (body != null && body.length() > 0) {
      if (content == null || responseType == null || !content.containsKey(responseType)) {
        problems.add(where + " " + statusCode + ": body of type " + responseType
            + " is not documented (documented: " + (content == null ? "no body" : content.fieldNames()) + ")");
      } else if (isJson(responseType)) {
        String schemaPointer = pointer + "content/" + escape(responseType) + "/schema";
        if (!hasSchema(content.getJsonObject(responseType))) {
          problems.add(where + " " + statusCode + " " + responseType + ": no schema");
        } else if (validate(schemaPointer, body, where + " response", problems) && statusCode < 400) {
          EXERCISED.add(where);
        }
      }
    } else if (content != null && !content.isEmpty() && statusCode != 304 && !"head".equals(op.method())) {
      problems.add(where + " " + statusCode + ": documented a body but none was sent");
    }
    if (statusCode < 400) {
      checkRequest(op, requestType, requestBody, problems);
    }
    return problems;
  }

  private void checkRequest(Operation op, String requestType, Object requestBody, List<String> problems) {
    Buffer body = requestBody instanceof Buffer b ? b
        : requestBody instanceof JsonObject o ? o.toBuffer()
        : requestBody instanceof JsonArray a ? a.toBuffer()
        : requestBody instanceof MultiMap || requestBody == null ? null
        : Buffer.buffer(io.vertx.core.json.Json.encode(requestBody));
    String type = mediaType(requestType);
    if (requestBody instanceof JsonObject || requestBody instanceof JsonArray) {
      type = type == null ? "application/json" : type;
    }
    JsonObject requestDef = op.definition().getJsonObject("requestBody");
    if (body == null || body.length() == 0) {
      if (requestDef != null && requestDef.getBoolean("required", false)) {
        problems.add(op.key() + ": the server accepted a request without its required body");
      }
      return;
    }
    if (requestDef == null) {
      problems.add(op.key() + ": the server accepted a request body the document does not describe");
      return;
    }
    JsonObject content = requestDef.getJsonObject("content");
    if (type == null || !content.containsKey(type)) {
      problems.add(op.key() + ": request body of type " + type + " is not documented (documented: "
          + content.fieldNames() + ")");
      return;
    }
    if (isJson(type)) {
      if (!hasSchema(content.getJsonObject(type))) {
        problems.add(op.key() + " request " + type + ": no schema");
        return;
      }
      String pointer = "#/paths/" + escape(op.path()) + "/" + op.method() + "/requestBody/content/" + escape(type)
          + "/schema";
      if (validate(pointer, body, op.key() + " request", problems)) {
        EXERCISED.add(op.key());
      }
    }
  }

  private boolean validate(String pointer, Buffer body, String what, List<String> problems) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      problems.add(what + ": body is not JSON: " + e.getMessage());
      return false;
    }
    Set<ValidationMessage> errors = schema(pointer).validate(node);
    errors.stream().map(m -> what + ": " + m.getMessage()).sorted().limit(20).forEach(problems::add);
    return errors.isEmpty();
  }

  /**
   * The schema at a pointer into the document, compiled with the document's component schemas
   * as {@code $defs} (the validator resolves references only through schema keywords).
   */
  private JsonSchema schema(String pointer) {
    return schemas.computeIfAbsent(pointer, p -> {
      Object target = doc;
      for (String part : p.substring(2).split("/")) {
        target = ((JsonObject) target).getValue(part.replace("~1", "/").replace("~0", "~"));
      }
      JsonObject defs = doc.getJsonObject("components").getJsonObject("schemas").copy()
          .put("operation-body", target);
      String text = new JsonObject().put("$schema", "https://json-schema.org/draft/2020-12/schema")
          .put("$defs", defs).put("$ref", "#/$defs/operation-body").encode()
          .replace("\"#/components/schemas/", "\"#/$defs/");
      try {
        return FACTORY.getSchema(MAPPER.readTree(text));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** A media type with a schema that says something ({@code {}} does not). */
  static boolean hasSchema(JsonObject mediaType) {
    JsonObject schema = mediaType == null ? null : mediaType.getJsonObject("schema");
    return schema != null && !schema.isEmpty();
  }

  static boolean isJson(String mediaType) {
    return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
  }

  private JsonObject resolveRef(String ref) {
    JsonObject node = doc;
    for (String part : ref.substring(2).split("/")) {
      node = node.getJsonObject(part.replace("~1", "/").replace("~0", "~"));
    }
    return node;
  }

  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** Every operation of the document that has a JSON request or response body ("GET /path"). */
  public Set<String> operationsWithJsonBodies() {
    Set<String> out = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!METHODS.contains(method)) {
          continue;
        }
        JsonObject op = item.getJsonObject(method);
        boolean json = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject())
            .fieldNames().stream().anyMatch(ContractCheck::isJson);
        for (Map.Entry<String, Object> r : op.getJsonObject("responses")) {
          JsonObject def = (JsonObject) r.getValue();
          if (!r.getKey().startsWith("2") || def.containsKey("$ref")) {
            continue;
          }
          json |= def.getJsonObject("content", new JsonObject()).fieldNames().stream().anyMatch(ContractCheck::isJson);
        }
        if (json) {
          out.add(method.toUpperCase() + " " + path);
        }
      }
    }
    return out;
  }
}
