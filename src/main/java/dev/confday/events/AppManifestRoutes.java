package dev.confday.events;

import dev.confday.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The web app manifest of an event's attendee app ({@code /e/<slug>/app.webmanifest}): the
 * installed app starts at, and is scoped to, {@code /e/<slug>/}, which the service worker
 * {@code /app-sw.js} keeps available offline (the scanner page has its own, see
 * {@code checkin.ScannerManifestRoutes}).
 */
public final class AppManifestRoutes {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

  private AppManifestRoutes() {
  }

  public static void handle(RoutingContext ctx) {
    String slug = ctx.pathParam("event");
    if (slug == null || !SLUG.matcher(slug).matches()) {
      ctx.fail(ApiError.notFound("There is no such event."));
      return;
    }
    String scope = "/e/" + slug + "/";
    JsonObject manifest = new JsonObject()
        .put("name", "confday · " + slug)
        .put("short_name", "confday")
        .put("id", scope)
        .put("start_url", scope)
        .put("scope", scope)
        .put("display", "standalone")
        .put("background_color", "#ffffff")
        .put("theme_color", "#0f1b33")
        .put("icons", new JsonArray().add(new JsonObject().put("src", "/favicon.svg").put("sizes", "any")
            .put("type", "image/svg+xml").put("purpose", "any")));
    ctx.response().putHeader("Content-Type", "application/manifest+json")
        .putHeader("Cache-Control", "no-cache").end(manifest.encodePrettily());
  }
}
