package dev.confday.posters.files;

import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.Responses;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The HTTP face of poster uploads: per-event limits, the streamed PDF upload with its verdict,
 * and serving the accepted PDF and its preview with headers that keep a hostile file inert.
 */
public final class PosterFileRoutes {
  /** Keeps a served PDF from running script in our origin, whatever a browser does with it. */
  static final String PDF_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  private final PosterFileService files;

  public PosterFileRoutes(PosterFileService files) {
    this.files = files;
  }

  public void mount(ApiRouter api) {
    api.get("/api/events/:event/poster-limits", roles(Role.PUBLIC), this::limits);
    api.put("/api/events/:event/poster-limits", roles(Role.ORGANIZER), this::setLimits);
    api.get("/api/events/:event/my-posters", roles(Role.PRESENTER), this::myPosters);
    api.get("/api/events/:event/poster-files", roles(Role.PUBLIC), this::currentFiles);
    api.streaming(HttpMethod.PUT, "/api/events/:event/posters/:poster/pdf", roles(Role.PRESENTER), this::upload);
    api.get("/api/events/:event/posters/:poster/pdf", roles(Role.ATTENDEE, Role.PRESENTER), this::pdf);
    api.get("/api/events/:event/posters/:poster/pdf/status", roles(Role.PRESENTER), this::status);
    api.get("/api/events/:event/posters/:poster/preview.png", roles(Role.PUBLIC), this::preview);
  }

  private void limits(RoutingContext ctx) {
    Responses.ok(ctx, files.limits(Access.principal(ctx).eventId()), EventPosterLimits::toJson)
        .onFailure(ctx::fail);
  }

  private void setLimits(RoutingContext ctx) {
    EventPosterLimits rules = EventPosterLimits.fromJson(Responses.body(ctx));
    Responses.ok(ctx, files.setLimits(Access.required(ctx).eventId(), rules), EventPosterLimits::toJson)
        .onFailure(ctx::fail);
  }

  private void myPosters(RoutingContext ctx) {
    Responses.ok(ctx, files.myPosters(Access.required(ctx)), list -> new JsonArray(list.stream()
        .map(mine -> mine.entry().toJson().put("file", mine.file() == null ? null : mine.file().toJson()))
        .toList())).onFailure(ctx::fail);
  }

  private void currentFiles(RoutingContext ctx) {
    Principal p = Access.principal(ctx);
    Responses.ok(ctx, files.currentFiles(p.eventId()), list -> new JsonArray(list.stream()
        .map(f -> new JsonObject().put("posterId", f.posterId()).put("version", f.version())
            .put("verdict", f.verdict().name()).put("sha256", f.sha256()).put("preview", f.previewStatus().name())
            .put("previewUrl", f.hasPreview() ? previewUrl(p.eventSlug(), f.posterId()) : null))
        .toList())).onFailure(ctx::fail);
  }

  static String previewUrl(String slug, long posterId) {
    return "/api/events/" + slug + "/posters/" + posterId + "/preview.png";
  }

  // ---- upload

  private void upload(RoutingContext ctx) {
    Principal caller = Access.required(ctx);
    long posterId = Responses.pathLong(ctx, "poster");
    HttpServerRequest request = ctx.request();
    requirePdfBody(request);
    long declared = declaredLength(request);
    // Vert.x Web fails the end handlers when the connection closes before the answer
    Promise<Void> closed = Promise.promise();
    ctx.addEndHandler(ended -> {
      if (ended.failed()) {
        closed.tryComplete();
      }
    });
    files.upload(caller, posterId, new PosterFileService.IncomingUpload(request, declared, closed.future()))
        .onSuccess(stored -> Responses.json(ctx, 201, new JsonObject()
            .put("file", stored.file().toJson())
            .put("check", PosterFileService.checkJson(stored.check()))
            .put("pdfUrl", "/api/events/" + caller.eventSlug() + "/posters/" + posterId + "/pdf")
            .put("previewUrl", stored.file().hasPreview() ? previewUrl(caller.eventSlug(), posterId) : null)))
        .onFailure(t -> {
          if (t instanceof PosterUploadStream.ClientGone) {
            return; // nobody to answer; the temp file is already gone
          }
          ctx.fail(t);
        });
  }

  private static void requirePdfBody(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/pdf") && !media.equals("application/octet-stream")) {
      throw new ApiError(415, "unsupported-media-type", "Unsupported media type",
          "Send the PDF file itself as the request body, with Content-Type application/pdf"
              + (media.startsWith("multipart/") ? " (not as a form upload)." : "."));
    }
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("The Content-Length header is not a number.");
    }
  }

  // ---- serving

  private void pdf(RoutingContext ctx) {
    Principal caller = Access.required(ctx);
    long posterId = Responses.pathLong(ctx, "poster");
    files.download(caller.eventId(), posterId).onSuccess(download -> {
      PosterFile file = download.file();
      String etag = "\"" + file.sha256() + "\"";
      String name = caller.eventSlug() + "-poster-" + download.number() + ".pdf";
      ctx.response()
          .putHeader("ETag", etag)
          .putHeader("Cache-Control", "private, no-cache")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Content-Security-Policy", PDF_CSP)
          .putHeader("Cross-Origin-Resource-Policy", "same-origin");
      if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      boolean attachment = "1".equals(ctx.request().getParam("download"));
      ctx.response()
          .putHeader("Content-Type", "application/pdf")
          .putHeader("Content-Disposition", contentDisposition(attachment ? "attachment" : "inline", name));
      send(ctx, files.pdfPath(file));
    }).onFailure(ctx::fail);
  }

  private void preview(RoutingContext ctx) {
    Principal caller = Access.principal(ctx);
    long posterId = Responses.pathLong(ctx, "poster");
    files.current(caller.eventId(), posterId).onSuccess(file -> {
      if (file.previewStatus() == PosterPreview.Status.PENDING) {
        ctx.response().putHeader("Retry-After", "5");
        ctx.fail(new ApiError(404, "poster-preview-pending", "Preview not ready",
            "The preview image of poster " + posterId + " is being drawn; it is published on the live topic when ready."));
        return;
      }
      if (!file.hasPreview()) {
        ctx.fail(new ApiError(404, "poster-preview-missing", "No preview",
            "There is no preview image of poster " + posterId + " (" + (file.previewStatus() == PosterPreview.Status.FAILED
                ? "the file could not be drawn" : "the server could not draw it") + ")."));
        return;
      }
      String etag = "\"" + file.sha256() + "-png\"";
      ctx.response()
          .putHeader("ETag", etag)
          .putHeader("Cache-Control", "public, max-age=60")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Content-Security-Policy", "default-src 'none'");
      if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      ctx.response().putHeader("Content-Type", "image/png");
      send(ctx, files.previewPath(file));
    }).onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx) {
    Principal caller = Access.required(ctx);
    long posterId = Responses.pathLong(ctx, "poster");
    files.uploadTarget(caller, posterId)
        .compose(target -> files.status(caller.eventId(), posterId))
        .onSuccess(status -> Responses.json(ctx, 200, new JsonObject()
            .put("posterId", status.posterId()).put("number", status.number())
            .put("current", status.current() == null ? null : status.current().toJson())
            .put("lastAttempt", status.lastAttempt() == null ? null : status.lastAttempt().toJson())
            .put("limits", status.limits().toJson())))
        .onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, Path path) {
    // zero copy from the file to the socket; a file removed under us is a retryable 404
    ctx.response().sendFile(path.toString()).onFailure(t -> {
      if (!ctx.response().headWritten()) {
        ctx.response().headers().remove("Content-Disposition");
        ctx.fail(new ApiError(404, "poster-file-missing", "No poster file",
            "The poster file was just replaced; load it again."));
      }
    });
  }

  /** An RFC 6266 value with an ASCII-only name and its UTF-8 form; never a raw user string. */
  static String contentDisposition(String kind, String name) {
    String ascii = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return kind + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + ascii;
  }
}
