package dev.confday.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The OpenAPI 3.1 document of the HTTP API, assembled at boot from one JSON fragment per
 * feature in {@code openapi/} (so features document their routes next to each other without
 * editing one big file). A test keeps it equal to the routes actually mounted.
 */
public final class OpenApi {
  /** Fragment names, in document order; each is {@code openapi/<name>.json} on the classpath. */
  public static final List<String> FRAGMENTS = List.of("core", "events", "live", "posters", "poster-files", "schedule", "qa", "qa-projector", "checkin", "streaming");

  private OpenApi() {
  }

  public static JsonObject document() {
    JsonObject doc = null;
    for (String name : FRAGMENTS) {
      JsonObject part = read("openapi/" + name + ".json");
      if (doc == null) {
        doc = part;
        continue;
      }
      merge(doc, part, "paths");
      JsonObject components = doc.getJsonObject("components", new JsonObject());
      doc.put("components", components);
      JsonObject partComponents = part.getJsonObject("components", new JsonObject());
      for (String section : partComponents.fieldNames()) {
        JsonObject target = components.getJsonObject(section, new JsonObject());
        components.put(section, target);
        partComponents.getJsonObject(section).forEach(e -> {
          if (target.containsKey(e.getKey())) {
            throw new IllegalStateException("OpenAPI component " + section + "/" + e.getKey() + " is defined twice");
          }
          target.put(e.getKey(), e.getValue());
        });
      }
      if (part.containsKey("tags")) {
        doc.getJsonArray("tags").addAll(part.getJsonArray("tags"));
      }
    }
    declarePathParameters(doc.getJsonObject("paths"));
    return doc;
  }

  /**
   * OpenAPI requires every {@code {name}} of a path template to be declared as a path parameter;
   * fragments declare the ones they describe, and the rest are declared here as strings.
   */
  private static void declarePathParameters(JsonObject paths) {
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      java.util.Set<String> declared = new java.util.HashSet<>();
      for (String key : item.fieldNames()) {
        Object holder = "parameters".equals(key) ? item : item.getValue(key);
        if (holder instanceof JsonObject op && op.getValue("parameters") instanceof io.vertx.core.json.JsonArray params) {
          params.forEach(o -> {
            if (o instanceof JsonObject param && "path".equals(param.getString("in"))) {
              declared.add(param.getString("name"));
            }
          });
        }
      }
      io.vertx.core.json.JsonArray common = item.getJsonArray("parameters", new io.vertx.core.json.JsonArray());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([A-Za-z]+)}").matcher(path);
      while (m.find()) {
        if (declared.add(m.group(1))) {
          common.add(new JsonObject().put("name", m.group(1)).put("in", "path").put("required", true)
              .put("schema", new JsonObject().put("type", "string")));
        }
      }
      if (!common.isEmpty()) {
        item.put("parameters", common);
      }
    }
  }

  private static void merge(JsonObject doc, JsonObject part, String key) {
    JsonObject target = doc.getJsonObject(key, new JsonObject());
    doc.put(key, target);
    JsonObject source = part.getJsonObject(key, new JsonObject());
    for (String path : source.fieldNames()) {
      if (target.containsKey(path)) {
        throw new IllegalStateException("OpenAPI path " + path + " is documented twice");
      }
      target.put(path, source.getValue(path));
    }
  }

  private static JsonObject read(String resource) {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing OpenAPI fragment " + resource);
      }
      return new JsonObject(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
