package dev.confday.checkin;

import static dev.confday.auth.Role.DOOR_STAFF;
import static dev.confday.auth.Role.ORGANIZER;
import static dev.confday.auth.Role.PUBLIC;
import static dev.confday.auth.Role.SIGNED_IN;
import static dev.confday.auth.ApiRouter.roles;

import dev.confday.auth.Access;
import dev.confday.auth.Principal;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.auth.ApiRouter;
import dev.confday.http.Responses;
import dev.confday.http.StreamingBody;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP routes of QR check-in: badges, check-in lists, redeeming scans and counts. About 400
 * lines because it is the feature's whole route table with its request validation; the rules
 * are in {@link CheckinService}.
 */
public final class CheckinRoutes {
  private final CheckinService checkin;

  public CheckinRoutes(CheckinService checkin) {
    this.checkin = checkin;
  }

  public void mount(ApiRouter api) {
    // organizers and door staff see every badge; anyone else signed in only their own (checked below)
    api.get("/api/events/:event/badges/:person.png", roles(SIGNED_IN), ctx -> badge(ctx, true));
    api.get("/api/events/:event/badges/:person.svg", roles(SIGNED_IN), ctx -> badge(ctx, false));
    api.get("/api/events/:event/badges.pdf", roles(ORGANIZER), this::sheet);
    api.get("/api/events/:event/badges/:person.pdf", roles(DOOR_STAFF), this::singleBadge);
    api.post("/api/events/:event/badges/:person/reissue", roles(ORGANIZER), this::reissue);
    api.get("/api/events/:event/checkin/lists", roles(DOOR_STAFF), this::lists);
    api.post("/api/events/:event/checkin/lists", roles(ORGANIZER), this::createList);
    api.get("/api/events/:event/checkin/lists/:list/counts", roles(DOOR_STAFF), this::counts);
    api.post("/api/events/:event/checkin/redeem", roles(DOOR_STAFF), this::redeem);
    api.get("/api/events/:event/checkin/scans", roles(DOOR_STAFF), this::scans);
    api.get("/api/events/:event/checkin/conflicts", roles(DOOR_STAFF), this::conflicts);
    api.post("/api/events/:event/checkin/conflicts/:scan/seen", roles(DOOR_STAFF), this::conflictSeen);
    api.streaming(HttpMethod.POST, "/api/events/:event/checkin/decode", roles(DOOR_STAFF), this::decodePhoto);
    api.post("/api/events/:event/checkin/scanners", roles(ORGANIZER), this::createScanner);
    api.post("/api/events/:event/checkin/scanners/:scanner/revoke", roles(ORGANIZER), this::revokeScanner);
    // a scanner device authenticates with its own SCANNER token (checked here), not a session
    api.post("/api/events/:event/checkin/scanner/redeem", roles(PUBLIC), this::scannerRedeem);
    // a batch of (offline-queued) scans: a scanner device's token or a door-staff session; checked in upload
    api.post("/api/events/:event/checkin/scanner/upload", roles(PUBLIC), this::upload);
    // a scanner device (its SCANNER token) or a door-staff/organizer session; checked in offlineData
    api.get("/api/events/:event/checkin/offline-data", roles(PUBLIC), this::offlineData);
  }

  /** The event as the access check read it (once per request); the caller must have a session. */
  private static Future<Event> event(RoutingContext ctx) {
    Access.required(ctx);
    return anyCallersEvent(ctx);
  }

  /** The event as the access check read it, on routes a scanner device calls without a session. */
  private static Future<Event> anyCallersEvent(RoutingContext ctx) {
    return Future.succeededFuture(Access.event(ctx, Event.class));
  }

  private void badge(RoutingContext ctx, boolean png) {
    Principal p = Access.required(ctx);
    long personId = Responses.pathLong(ctx, "person");
    if (!p.has(ORGANIZER) && !p.has(DOOR_STAFF) && p.personId() != personId) {
      ctx.fail(ApiError.forbidden("Only organizers, door staff and the person themself see a badge."));
      return;
    }
    // the QR code is drawn (and the PNG encoded, through ImageIO) on a worker thread, off the event loop
    event(ctx).compose(e -> checkin.badge(e, personId))
        .compose(token -> ctx.vertx().executeBlocking(
            () -> png ? Buffer.buffer(BadgeImage.png(token)) : Buffer.buffer(BadgeImage.svg(token)), false))
        .onSuccess(image -> ctx.response().putHeader("Cache-Control", "private, no-store")
            .putHeader("Content-Type", png ? "image/png" : "image/svg+xml").end(image))
        .onFailure(ctx::fail);
  }

  /** Every in-person badge on A4 sheets, 6 a page, built on a worker thread. */
  private void sheet(RoutingContext ctx) {
    event(ctx).compose(checkin::badges)
        .compose(list -> ctx.vertx().executeBlocking(() -> BadgeSheet.pdf(list), false))
        .onSuccess(pdf -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Cache-Control", "private, no-store")
            .putHeader("Content-Disposition", "attachment; filename=\"badges.pdf\"")
            .end(Buffer.buffer(pdf)))
        .onFailure(ctx::fail);
  }

  /** One badge (the sheet's layout, one badge on the page) for reprinting at the desk. */
  private void singleBadge(RoutingContext ctx) {
    long personId = Responses.pathLong(ctx, "person");
    event(ctx).compose(e -> checkin.printableBadge(e, personId))
        .compose(b -> ctx.vertx().executeBlocking(() -> BadgeSheet.pdf(List.of(b)), false))
        .onSuccess(pdf -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Cache-Control", "private, no-store")
            .putHeader("Content-Disposition", "attachment; filename=\"badge-" + personId + ".pdf\"")
            .end(Buffer.buffer(pdf)))
        .onFailure(ctx::fail);
  }

  private void reissue(RoutingContext ctx) {
    long personId = Responses.pathLong(ctx, "person");
    event(ctx).compose(e -> checkin.reissue(e, personId))
        .onSuccess(v -> Responses.json(ctx, 200, new JsonObject().put("personId", personId).put("badgeVersion", v)))
        .onFailure(ctx::fail);
  }

  private void lists(RoutingContext ctx) {
    event(ctx).compose(e -> checkin.lists(e.id()))
        .onSuccess(l -> Responses.json(ctx, 200, new JsonArray(l.stream().map(CheckinList::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void createList(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    List<ApiError.FieldError> errors = new ArrayList<>();
    Object name = body.getValue("name");
    if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
      errors.add(new ApiError.FieldError("name", "A name of 1 to 200 characters is needed."));
    }
    Object room = body.getValue("roomId");
    if (!(room instanceof Integer || room instanceof Long)) {
      errors.add(new ApiError.FieldError("roomId", "The room this list admits to is needed (the venue entry exists already)."));
    }
    Object reentry = body.getValue("allowReentry", true);
    Object remote = body.getValue("admitRemote", false);
    if (!(reentry instanceof Boolean)) {
      errors.add(new ApiError.FieldError("allowReentry", "Must be true or false."));
    }
    if (!(remote instanceof Boolean)) {
      errors.add(new ApiError.FieldError("admitRemote", "Must be true or false."));
    }
    if (!errors.isEmpty()) {
      ctx.fail(ApiError.validation(errors));
      return;
    }
    event(ctx).compose(e -> checkin.createList(e.id(), ((String) name).strip(), ((Number) room).longValue(),
            (Boolean) reentry, (Boolean) remote))
        .onSuccess(l -> Responses.json(ctx, 201, l.toJson()))
        .onFailure(ctx::fail);
  }

  private void counts(RoutingContext ctx) {
    long listId = Responses.pathLong(ctx, "list");
    event(ctx).compose(e -> checkin.counts(e.id(), listId))
        .onSuccess(c -> Responses.json(ctx, 200, c))
        .onFailure(ctx::fail);
  }

  /** The scan history, newest first: {@code ?list=&limit=(1..500, 100)&before=<scan id>}. */
  private void scans(RoutingContext ctx) {
    List<ApiError.FieldError> errors = new ArrayList<>();
    Long list = queryLong(ctx, "list", errors);
    Long before = queryLong(ctx, "before", errors);
    Long limit = queryLong(ctx, "limit", errors);
    if (limit != null && (limit < 1 || limit > 500)) {
      errors.add(new ApiError.FieldError("limit", "Must be 1 to 500."));
    }
    if (!errors.isEmpty()) {
      ctx.fail(ApiError.validation(errors));
      return;
    }
    int n = limit == null ? 100 : limit.intValue();
    event(ctx).compose(e -> checkin.scans(e.id(), list, before, n))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** An optional whole-number query parameter; null when absent, a field error when malformed. */
  private static Long queryLong(RoutingContext ctx, String name, List<ApiError.FieldError> errors) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!v.matches("\\d{1,18}")) {
      errors.add(new ApiError.FieldError(name, "Must be a whole number."));
      return null;
    }
    return Long.parseLong(v);
  }

  private void createScanner(RoutingContext ctx) {
    Object name = Responses.body(ctx).getValue("name");
    if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
      ctx.fail(ApiError.validation("name", "A name of 1 to 200 characters is needed."));
      return;
    }
    event(ctx).compose(e -> checkin.createScanner(e, ((String) name).strip()))
        .onSuccess(s -> Responses.json(ctx, 201, s))
        .onFailure(ctx::fail);
  }

  private void revokeScanner(RoutingContext ctx) {
    long id = Responses.pathLong(ctx, "scanner");
    event(ctx).compose(e -> checkin.revokeScanner(e, id))
        .onSuccess(v -> Responses.json(ctx, 200, new JsonObject().put("id", id).put("revoked", true)))
        .onFailure(ctx::fail);
  }

  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /** Keys, lists and people for a scanner that checks badges offline; {@code ?since=} asks for changes only. */
  private void offlineData(RoutingContext ctx) {
    String sinceText = ctx.request().getParam("since");
    if (sinceText != null && !sinceText.matches("\\d{1,18}")) {
      ctx.fail(ApiError.validation("since", "The version of an earlier answer (a whole number) is needed."));
      return;
    }
    Long since = sinceText == null ? null : Long.valueOf(sinceText);
    deviceOrStaff(ctx).compose(d -> checkin.offlineData(d.event(), since)).onSuccess(data -> {
      ctx.response().putHeader("Cache-Control", "private, no-store");
      Responses.json(ctx, 200, data);
    }).onFailure(ctx::fail);
  }

  /** The event and who scans there. */
  private record Device(Event event, CheckinService.By by) {
  }

  /**
   * A scanner device (its SCANNER token: 401 bad or revoked, 403 another event's) or a session of
   * the event's door staff or organizers (403 anyone else).
   */
  private Future<Device> deviceOrStaff(RoutingContext ctx) {
    Principal p = Access.principal(ctx);
    if (p != null && p.personId() != 0) {
      if (!p.has(DOOR_STAFF)) {
        return Future.failedFuture(
            ApiError.forbidden("This needs door staff or an organizer of this event, or a scanner device."));
      }
      return event(ctx).map(e -> new Device(e, CheckinService.By.staff(p.personId())));
    }
    String token = bearer(ctx);
    if (token == null) {
      return Future.failedFuture(
          ApiError.unauthorized("This needs a scanner device token or a door-staff session (Bearer)."));
    }
    return anyCallersEvent(ctx)
        .compose(e -> checkin.scanner(e, token).map(id -> new Device(e, CheckinService.By.scanner(id))));
  }

  /** At most this many scans in one upload. */
  static final int MAX_UPLOAD = 200;

  /** {@code {scans: [scan...]}} (1 to 200), redeemed in order, each like a redeem: {@code {answers: [...]}}. */
  private void upload(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx);
    Object items = body.getValue("scans");
    if (!(items instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_UPLOAD) {
      ctx.fail(ApiError.validation("scans", "A list of 1 to " + MAX_UPLOAD + " scans is needed."));
      return;
    }
    List<ApiError.FieldError> errors = new ArrayList<>();
    List<CheckinService.Scan> scans = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof JsonObject o)) {
        errors.add(new ApiError.FieldError("scans[" + i + "]", "A scan object is needed."));
        continue;
      }
      scans.add(scan(o, "scans[" + i + "].", errors));
    }
    if (!errors.isEmpty()) {
      ctx.fail(ApiError.validation(errors));
      return;
    }
    // one after another, each in its own transaction, so a queue is applied in the order it was made
    deviceOrStaff(ctx).compose(d -> {
      List<String> answers = new ArrayList<>();
      Future<Void> done = Future.succeededFuture();
      for (CheckinService.Scan scan : scans) {
        done = done.compose(v -> checkin.redeem(d.event(), scan, d.by()).map(text -> {
          answers.add(text);
          return null;
        }));
      }
      return done.map(v -> answers);
    }).onSuccess(answers -> ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .setStatusCode(200).end("{\"answers\":[" + String.join(",", answers) + "]}"))
        .onFailure(ctx::fail);
  }

  /** The flagged offline duplicates, newest first: {@code ?unseen=true&limit=(1..500, 100)&before=<scan id>}. */
  private void conflicts(RoutingContext ctx) {
    List<ApiError.FieldError> errors = new ArrayList<>();
    Long before = queryLong(ctx, "before", errors);
    Long limit = queryLong(ctx, "limit", errors);
    if (limit != null && (limit < 1 || limit > 500)) {
      errors.add(new ApiError.FieldError("limit", "Must be 1 to 500."));
    }
    String unseen = ctx.request().getParam("unseen");
    if (unseen != null && !unseen.equals("true") && !unseen.equals("false")) {
      errors.add(new ApiError.FieldError("unseen", "Must be true or false."));
    }
    if (!errors.isEmpty()) {
      ctx.fail(ApiError.validation(errors));
      return;
    }
    int n = limit == null ? 100 : limit.intValue();
    event(ctx).compose(e -> checkin.conflicts(e.id(), "true".equals(unseen), before, n))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void conflictSeen(RoutingContext ctx) {
    long scanId = Responses.pathLong(ctx, "scan");
    event(ctx).compose(e -> checkin.conflictSeen(e.id(), scanId))
        .onSuccess(at -> Responses.json(ctx, 200, new JsonObject().put("id", scanId).put("seenAt", at.toString())))
        .onFailure(ctx::fail);
  }

  private void scannerRedeem(RoutingContext ctx) {
    String token = bearer(ctx);
    if (token == null) {
      ctx.fail(ApiError.unauthorized("This needs a scanner device token (Bearer)."));
      return;
    }
    CheckinService.Scan scan = scan(ctx);
    if (scan == null) {
      return;
    }
    anyCallersEvent(ctx)
        .compose(e -> checkin.redeemByScanner(e, token, scan))
        .onSuccess(text -> ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
            .setStatusCode(200).end(text))
        .onFailure(ctx::fail);
  }

  private void redeem(RoutingContext ctx) {
    CheckinService.Scan scan = scan(ctx);
    if (scan == null) {
      return;
    }
    long staff = Access.required(ctx).personId();
    event(ctx).compose(e -> checkin.redeem(e, scan, CheckinService.By.staff(staff))).onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "application/json; charset=utf-8").setStatusCode(200).end(text))
        .onFailure(ctx::fail);
  }

  /** The scan of a redeem body; null after failing the request with the field errors. */
  private static CheckinService.Scan scan(RoutingContext ctx) {
    List<ApiError.FieldError> errors = new ArrayList<>();
    CheckinService.Scan scan = scan(Responses.body(ctx), "", errors);
    if (!errors.isEmpty()) {
      ctx.fail(ApiError.validation(errors));
      return null;
    }
    return scan;
  }

  /** A scan from its JSON; null with field errors (named {@code prefix + field}) when malformed. */
  private static CheckinService.Scan scan(JsonObject body, String prefix, List<ApiError.FieldError> errors) {
    int before = errors.size();
    Object badge = body.getValue("badge");
    if (!(badge instanceof String b) || b.isEmpty() || b.length() > 4096) {
      errors.add(new ApiError.FieldError(prefix + "badge", "The scanned badge (1 to 4096 characters) is needed."));
    }
    Object list = body.getValue("listId");
    if (!(list instanceof Integer || list instanceof Long)) {
      errors.add(new ApiError.FieldError(prefix + "listId", "The id of the check-in list is needed."));
    }
    Object direction = body.getValue("direction");
    if (!"entry".equals(direction) && !"exit".equals(direction)) {
      errors.add(new ApiError.FieldError(prefix + "direction", "Must be entry or exit."));
    }
    Instant scannedAt = null;
    try {
      scannedAt = OffsetDateTime.parse((String) body.getValue("scannedAt")).toInstant();
    } catch (DateTimeParseException | ClassCastException | NullPointerException e) {
      errors.add(new ApiError.FieldError(prefix + "scannedAt",
          "When the badge was scanned (RFC 3339 date-time) is needed."));
    }
    Object nonce = body.getValue("nonce");
    if (!(nonce instanceof String n) || n.isEmpty() || n.length() > 100) {
      errors.add(new ApiError.FieldError(prefix + "nonce", "A nonce of 1 to 100 characters, new for every scan, is needed."));
    }
    Object offline = body.getValue("offline", false);
    if (!(offline instanceof Boolean)) {
      errors.add(new ApiError.FieldError(prefix + "offline", "Must be true or false."));
    }
    if (errors.size() > before) {
      return null;
    }
    return new CheckinService.Scan((String) badge, ((Number) list).longValue(), (String) direction,
        scannedAt, (String) nonce, (Boolean) offline);
  }

  /** A photo of a badge (PNG or JPEG, at most 8 MB) decoded on a worker thread: {@code {badge}}. */
  private void decodePhoto(RoutingContext ctx) {
    if (!BadgePhoto.TYPES.contains(BadgePhoto.mediaType(ctx.request().getHeader("Content-Type")))) {
      ctx.fail(BadgePhoto.unsupported());
      return;
    }
    StreamingBody.readBounded(ctx.request(), BadgePhoto.MAX_BYTES, 2L * BadgePhoto.MAX_BYTES,
        BadgePhoto::tooLarge)
        .compose(bytes -> ctx.vertx().executeBlocking(() -> BadgePhoto.decode(bytes.getBytes()), false))
        .onSuccess(text -> Responses.json(ctx, 200, new JsonObject().put("badge", text)))
        .onFailure(ctx::fail);
  }

}
