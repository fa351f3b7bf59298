package dev.confday.checkin;

import dev.confday.auth.TokenType;
import dev.confday.auth.Tokens;
import dev.confday.auth.VerifiedToken;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.live.LiveService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * QR check-in: badges (a version per registration, so one badge can be reissued alone), check-in
 * lists, and redeeming a scanned badge on a list, idempotent by the scan's nonce.
 */
public final class CheckinService {
  /** A scan received later than this after it was made is answered with {@code late: true}. */
  static final Duration LATE_AFTER = Duration.ofMinutes(2);

  private final Pool pool;
  private final CheckinRepository repository;
  private final Tokens tokens;
  private final LiveService live;

  public CheckinService(Pool pool, Tokens tokens, LiveService live) {
    this.pool = pool;
    this.repository = new CheckinRepository(pool);
    this.tokens = tokens;
    this.live = live;
  }

  public static String topic(String slug) {
    return "event:" + slug + ":checkins";
  }

  // ---- badges

  /** The badge token of an in-person registration (404 if not registered, 409 if remote). */
  public Future<String> badge(Event event, long personId) {
    return repository.run(pool, CheckinSql.REGISTRATION, Tuple.of(event.id(), personId)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("Person " + personId + " is not registered for this event.");
      }
      Row r = rows.iterator().next();
      if (!"in-person".equals(r.getString("attendance"))) {
        throw new ApiError(409, "remote-registration", "Remote registration",
            "Person " + personId + " attends remotely and has no badge.");
      }
      return tokens.issueBadge(personId, event.slug(), r.getInteger("badge_version"));
    });
  }

  /** The badges of every in-person registration, ordered by name, for the printable sheet. */
  public Future<List<BadgeSheet.Badge>> badges(Event event) {
    return repository.run(pool, CheckinSql.BADGES, Tuple.of(event.id())).map(rows -> {
      List<BadgeSheet.Badge> out = new java.util.ArrayList<>();
      for (Row r : rows) {
        String kind = r.getString("ticket_type");
        out.add(new BadgeSheet.Badge(r.getString("name"), r.getString("affiliation"),
            kind == null || kind.isBlank() ? "attendee" : kind,
            tokens.issueBadge(r.getLong("person_id"), event.slug(), r.getInteger("badge_version"))));
      }
      return out;
    });
  }

  /** Revokes a person's badge (only the badge) and answers the new version. */
  public Future<Integer> reissue(Event event, long personId) {
    return repository.run(pool, CheckinSql.REISSUE, Tuple.of(event.id(), personId)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("Person " + personId + " is not registered for this event.");
      }
      return rows.iterator().next().getInteger(0);
    });
  }

  // ---- scanner devices

  /** How long a scanner device's token lasts (revoking the device ends it sooner). */
  static final Duration SCANNER_TTL = Duration.ofDays(30);

  /** Registers a scanner device; answers {id, name, token}. */
  public Future<JsonObject> createScanner(Event event, String name) {
    return repository.run(pool, CheckinSql.INSERT_SCANNER, Tuple.of(event.id(), name)).map(rows -> {
      long id = rows.iterator().next().getLong(0);
      return new JsonObject().put("id", id).put("name", name)
          .put("token", tokens.issue(TokenType.SCANNER, Long.toString(id), event.slug(), null, SCANNER_TTL));
    });
  }

  public Future<Void> revokeScanner(Event event, long scannerId) {
    return repository.run(pool, CheckinSql.REVOKE_SCANNER, Tuple.of(scannerId, event.id())).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("There is no scanner " + scannerId + " in this event.");
      }
      return null;
    });
  }

  /** Checks a scanner device's token for this event: 401 when bad, expired or revoked, 403 for another event. */
  public Future<Long> scanner(Event event, String token) {
    return tokens.verify(token, TokenType.SCANNER).compose(t -> {
      if (!event.slug().equals(t.event())) {
        return Future.failedFuture(new ApiError(403, "other-event", "Scanner of another event",
            "This scanner was registered for another event."));
      }
      return repository.run(pool, CheckinSql.SCANNER_LIVE, Tuple.of(t.personId(), event.id())).map(rows -> {
        if (rows.size() == 0) {
          throw new ApiError(401, "scanner-revoked", "Scanner revoked", "This scanner device was revoked.");
        }
        return t.personId();
      });
    });
  }

  // ---- offline scanners

  /**
   * What an offline scanner needs to check badges alone: the event's change version, the public
   * keys, the lists, and the people (all when {@code since} is null or unknown, else those changed
   * after it) with the revoked badge versions among them.
   */
  public Future<JsonObject> offlineData(Event event, Long since) {
    return repository.run(pool, CheckinSql.OFFLINE_VERSION, Tuple.of(event.id())).compose(v -> {
      long version = v.iterator().next().getLong("version");
      boolean full = since == null || since > version;
      long from = full ? 0 : since;
      return lists(event.id()).compose(lists -> repository.run(pool, CheckinSql.OFFLINE_PEOPLE,
          Tuple.of(event.id(), from, version)).map(rows -> {
            io.vertx.core.json.JsonArray people = new io.vertx.core.json.JsonArray();
            io.vertx.core.json.JsonArray revoked = new io.vertx.core.json.JsonArray();
            for (Row r : rows) {
              long id = r.getLong("person_id");
              int badgeVersion = r.getInteger("badge_version");
              people.add(new JsonObject().put("id", id).put("name", r.getString("name"))
                  .put("attendance", r.getString("attendance")).put("badgeVersion", badgeVersion));
              if (badgeVersion > 1) {
                revoked.add(new JsonObject().put("personId", id).put("minBadgeVersion", badgeVersion));
              }
            }
            return new JsonObject().put("version", version).put("full", full).put("jwks", tokens.jwks())
                .put("lists", new io.vertx.core.json.JsonArray(lists.stream().map(CheckinList::toJson).toList()))
                .put("people", people).put("revoked", revoked);
          }));
    });
  }

  // ---- lists

  public Future<List<CheckinList>> lists(long eventId) {
    return repository.run(pool, CheckinSql.LISTS, Tuple.of(eventId)).map(CheckinService::lists);
  }

  public Future<CheckinList> list(long eventId, long listId) {
    return repository.run(pool, CheckinSql.LIST, Tuple.of(eventId, listId)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("There is no check-in list " + listId + " in this event.");
      }
      return lists(rows).get(0);
    });
  }

  public Future<CheckinList> createList(long eventId, String name, Long roomId, boolean allowReentry, boolean admitRemote) {
    Future<Void> room = roomId == null ? Future.succeededFuture()
        : repository.run(pool, CheckinSql.ROOM_OF_EVENT, Tuple.of(eventId, roomId)).map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.validation("roomId", "There is no room " + roomId + " in this event.");
          }
          return null;
        });
    return room.compose(v -> repository.run(pool, CheckinSql.INSERT_LIST,
        Tuple.of(eventId, roomId, name, allowReentry, admitRemote))).map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.conflict("A check-in list named '" + name + "' exists already.");
          }
          return lists(rows).get(0);
        });
  }

  public Future<JsonObject> counts(long eventId, long listId) {
    return list(eventId, listId).compose(l -> repository.run(pool, CheckinSql.COUNTS, Tuple.of(listId)))
        .map(rows -> counts(listId, rows));
  }

  private static JsonObject counts(long listId, RowSet<Row> rows) {
    Row r = rows.iterator().next();
    return new JsonObject().put("listId", listId).put("admitted", r.getLong("admitted")).put("inside", r.getLong("inside"));
  }

  private static List<CheckinList> lists(RowSet<Row> rows) {
    List<CheckinList> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new CheckinList(r.getLong("id"), r.getLong("event_id"), r.getLong("room_id"), r.getString("name"),
          r.getBoolean("allow_reentry"), r.getBoolean("admit_remote")));
    }
    return out;
  }

  // ---- redeem

  // ---- scan history

  /**
   * The event's scans (refused ones too), newest first: {@code limit} of them before scan
   * {@code before}, on one list or all; answers {scans, next} (next: the {@code before} of the next page).
   */
  public Future<JsonObject> scans(long eventId, Long listId, Long before, int limit) {
    return repository.run(pool, CheckinSql.SCANS, Tuple.of(eventId, listId, before, limit)).map(rows -> {
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      Long last = null;
      for (Row r : rows) {
        OffsetDateTime scanned = r.getOffsetDateTime("scanned_at");
        OffsetDateTime received = r.getOffsetDateTime("received_at");
        Long personId = r.getLong("person_id");
        last = r.getLong("id");
        out.add(new JsonObject().put("id", last)
            .put("scannedAt", scanned.toInstant().toString()).put("receivedAt", received.toInstant().toString())
            .put("late", Duration.between(scanned, received).compareTo(LATE_AFTER) > 0)
            .put("listId", r.getLong("list_id")).put("listName", r.getString("list_name"))
            .put("direction", r.getString("direction"))
            .put("person", personId == null ? null
                : new JsonObject().put("id", personId).put("name", r.getString("person_name")))
            .put("status", r.getString("status")).put("reason", r.getString("reason")));
      }
      return new JsonObject().put("scans", out).put("next", rows.size() == limit ? last : null);
    });
  }

  /** A scan to redeem (validated by the routes). */
  public record Scan(String badge, long listId, String direction, Instant scannedAt, String nonce) {
  }

  /**
   * Redeems a scan; answers the JSON answer as text, stored with the scan: the same nonce again
   * answers the very same text and changes nothing.
   */
  public Future<String> redeem(Event event, Scan scan) {
    return list(event.id(), scan.listId()).compose(list -> repository.inTransaction(tx ->
        repository.run(tx, CheckinSql.CLAIM_NONCE, Tuple.of(event.id(), scan.nonce(), list.id(), scan.direction(),
            scan.scannedAt().atOffset(ZoneOffset.UTC))).compose(claimed -> {
              if (claimed.size() == 0) {
                return repository.run(tx, CheckinSql.STORED_ANSWER, Tuple.of(event.id(), scan.nonce()))
                    .map(rows -> rows.iterator().next().getString("answer"));
              }
              long scanId = claimed.iterator().next().getLong(0);
              Instant received = Instant.now();
              return decide(tx, event, list, scan, received).compose(answer -> {
                answer.put("listId", list.id()).put("direction", scan.direction())
                    .put("scannedAt", scan.scannedAt().toString()).put("receivedAt", received.toString())
                    .put("late", Duration.between(scan.scannedAt(), received).compareTo(LATE_AFTER) > 0);
                String text = answer.encode();
                return repository.run(tx, CheckinSql.FINISH_SCAN, Tuple.of(scanId, answer.getString("status"),
                        answer.getString("reason"), answer.getLong("personId"), text, received.atOffset(ZoneOffset.UTC)))
                    .map(text);
              });
            })));
  }

  private Future<JsonObject> decide(SqlConnection tx, Event event, CheckinList list, Scan scan, Instant received) {
    return tokens.verify(scan.badge(), TokenType.BADGE).transform(ar -> {
      if (ar.failed()) {
        boolean expired = ar.cause() instanceof ApiError e && e.status() == 401 && e.detail() != null
            && e.detail().contains("expired");
        return Future.succeededFuture(error(expired ? "expired" : "invalid", null,
            expired ? "The badge has expired." : "This is not a valid badge."));
      }
      VerifiedToken badge = ar.result();
      if (!event.slug().equals(badge.event())) {
        return Future.succeededFuture(error("invalid_event", null, "This badge belongs to another event."));
      }
      long personId = badge.personId();
      return repository.run(tx, CheckinSql.REGISTRATION_FOR_UPDATE, Tuple.of(event.id(), personId)).compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(error("unknown_person", null, "Nobody with this badge is registered."));
        }
        Row reg = rows.iterator().next();
        if (!badge.version().equals(reg.getInteger("badge_version"))) {
          return Future.succeededFuture(error("revoked", personId, "This badge was replaced by a newer one."));
        }
        String name = reg.getString("name");
        if ("remote".equals(reg.getString("attendance")) && !list.admitRemote()) {
          return Future.succeededFuture(error("remote_ticket", personId, "A remote registration does not admit here.")
              .put("name", name));
        }
        return "exit".equals(scan.direction()) ? exit(tx, event, list, personId, name)
            : entry(tx, event, list, personId, name, received);
      });
    });
  }

  private Future<JsonObject> exit(SqlConnection tx, Event event, CheckinList list, long personId, String name) {
    // leaving the venue leaves every room too
    String sql = list.roomId() == null ? CheckinSql.LEAVE_ALL : CheckinSql.LEAVE_LIST;
    Tuple args = list.roomId() == null ? Tuple.of(event.id(), personId) : Tuple.of(event.id(), personId, list.id());
    return repository.run(tx, sql, args)
        .compose(v -> published(tx, event, list, personId, "exit"))
        .map(v -> ok(personId, name));
  }

  private Future<JsonObject> entry(SqlConnection tx, Event event, CheckinList list, long personId, String name,
      Instant received) {
    return repository.run(tx, CheckinSql.INSIDE, Tuple.of(event.id(), personId)).compose(inside -> {
      boolean inVenue = false;
      for (Row r : inside) {
        if (r.getLong("list_id") == list.id()) {
          return Future.succeededFuture(alreadyRedeemed(personId, name, r.getOffsetDateTime("since"), list.id()));
        }
        inVenue |= "venue".equals(r.getString("zone"));
      }
      if (list.roomId() != null && !inVenue) {
        return Future.succeededFuture(error("rules", personId, "Check in at the venue entry before entering a room.")
            .put("name", name));
      }
      Future<Void> allowed = Future.succeededFuture();
      if (!list.allowReentry()) {
        allowed = repository.run(tx, CheckinSql.LAST_ENTRY, Tuple.of(list.id(), personId)).compose(last -> {
          if (last.size() > 0) {
            return Future.failedFuture(new Refusal(alreadyRedeemed(personId, name,
                last.iterator().next().getOffsetDateTime(0), list.id())));
          }
          return Future.succeededFuture();
        });
      }
      return allowed.compose(v -> repository.run(tx, CheckinSql.ENTER, Tuple.of(event.id(), personId,
              list.roomId() == null ? "venue" : "room", list.id(), received.atOffset(ZoneOffset.UTC))))
          .compose(v -> published(tx, event, list, personId, "entry"))
          .map(v -> ok(personId, name))
          .recover(e -> e instanceof Refusal r ? Future.succeededFuture(r.answer) : Future.failedFuture(e));
    });
  }

  /** A refusal found midway through an admission. */
  private static final class Refusal extends RuntimeException {
    final JsonObject answer;

    Refusal(JsonObject answer) {
      super(null, null, false, false);
      this.answer = answer;
    }
  }

  private Future<Void> published(SqlConnection tx, Event event, CheckinList list, long personId, String direction) {
    return repository.run(tx, CheckinSql.COUNTS, Tuple.of(list.id()))
        .compose(rows -> live.publish(tx, topic(event.slug()), counts(list.id(), rows)
            .put("personId", personId).put("direction", direction)))
        .mapEmpty();
  }

  private static JsonObject ok(long personId, String name) {
    return new JsonObject().put("status", "ok").put("personId", personId).put("name", name);
  }

  private static JsonObject alreadyRedeemed(long personId, String name, OffsetDateTime when, long listId) {
    return error("already_redeemed", personId, "This badge was already used on this list.").put("name", name)
        .put("previous", new JsonObject().put("at", when.toInstant().toString()).put("listId", listId));
  }

  private static JsonObject error(String reason, Long personId, String detail) {
    JsonObject o = new JsonObject().put("status", "error").put("reason", reason).put("detail", detail);
    if (personId != null) {
      o.put("personId", personId);
    }
    return o;
  }

  /** Who was in room {@code roomId} during [from, to), by the check-ins of its lists (hybrid attendance). */
  public Future<java.util.Set<Long>> peopleInRoom(long roomId, Instant from, Instant to) {
    return repository.run(pool, CheckinSql.IN_ROOM_DURING, Tuple.of(roomId, OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
        OffsetDateTime.ofInstant(to, ZoneOffset.UTC))).map(rows -> {
          java.util.Set<Long> people = new java.util.HashSet<>();
          rows.forEach(r -> people.add(r.getLong(0)));
          return people;
        });
  }
}
