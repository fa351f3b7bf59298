package dev.confday.checkin;

import dev.confday.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The web app manifest of an event's scanner page ({@code /e/<slug>/scanner.webmanifest}): the
 * installed app starts at, and is scoped to, that event's scanner page, which the service worker
 * {@code /sw.js} keeps available offline.
 */
public final class ScannerManifestRoutes {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

  private ScannerManifestRoutes() {
  }

  public static void handle(RoutingContext ctx) {
    String slug = ctx.pathParam("event");
    if (slug == null || !SLUG.matcher(slug).matches()) {
      ctx.fail(ApiError.notFound("There is no such event."));
      return;
    }
    String page = "/e/" + slug + "/scanner";
    JsonObject manifest = new JsonObject()
        .put("name", "confday scanner · " + slug)
        .put("short_name", "Scanner")
        .put("id", page)
        .put("start_url", page)
        .put("scope", page)
        .put("display", "standalone")
        .put("orientation", "portrait")
        .put("background_color", "#0f1b33")
        .put("theme_color", "#0f1b33")
        .put("icons", new JsonArray().add(new JsonObject().put("src", "/favicon.svg").put("sizes", "any")
            .put("type", "image/svg+xml").put("purpose", "any")));
    ctx.response().putHeader("Content-Type", "application/manifest+json")
        .putHeader("Cache-Control", "no-cache").end(manifest.encodePrettily());
  }
}
