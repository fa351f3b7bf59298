package dev.confday.checkin;

import dev.confday.auth.TokenType;
import dev.confday.auth.Tokens;
import dev.confday.auth.VerifiedToken;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.live.LiveService;
import dev.confday.live.Paced;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * QR check-in: badges (a version per registration, so one badge can be reissued alone), check-in
 * lists, and redeeming a scanned badge on a list, idempotent by the scan's nonce.
 *
 * <p>Over 400 lines (about 680): the redeem transaction (claim, decide, entry/exit, the offline
 * merge and its conflict answers) is one piece of logic under one row lock and is kept together;
 * the natural seams for a split are badges and scanner devices (lines before {@code redeem}) and
 * the counts publisher, left for a later change.
 */
public final class CheckinService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CheckinService.class);
  /** A scan received later than this after it was made is answered with {@code late: true}. */
  static final Duration LATE_AFTER = Duration.ofMinutes(2);

  /** Each list's counts, published at most every COUNTS_EVERY_MS after its admissions (not waited for). */
  private final Paced<Long, CountsChange> countsFeed;
  private final Pool pool;
  private final CheckinRepository repository;
  private final Tokens tokens;
  private final LiveService live;

  public CheckinService(Vertx vertx, Pool pool, Tokens tokens, LiveService live) {
    this.countsFeed = new Paced<>(vertx, COUNTS_EVERY_MS, "Check-in counts of list", this::publishCounts);
    this.pool = pool;
    this.repository = new CheckinRepository(pool);
    this.tokens = tokens;
    this.live = live;
  }

  public static String topic(String slug) {
    return "event:" + slug + ":checkins";
  }

  private final java.util.List<java.util.function.Consumer<Event>> admitted = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Calls {@code listener} after a check-in (entry or exit) on one of the event's room lists was
   * committed, e.g. to publish the hybrid attendance (who was in the room). Venue scans do not
   * call it: at a busy entrance they would recompute every session's attendance once a second (the
   * redeem benchmark's 100 ms stalls), and they change a running session's "in the room" figure only
   * as an offline exit synced late (the figure catches up at the room's next admission or read).
   */
  public void onAdmitted(java.util.function.Consumer<Event> listener) {
    admitted.add(listener);
  }

  // ---- badges

  /** The badge token of an in-person registration (404 if not registered, 409 if remote). */
  public Future<String> badge(Event event, long personId) {
    return repository.registration(event.id(), personId).map(rows -> {
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
    return repository.badges(event.id()).map(rows -> {
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

  /** One in-person badge as the sheet prints it (404 not registered, 409 remote). */
  public Future<BadgeSheet.Badge> printableBadge(Event event, long personId) {
    return badge(event, personId).compose(token -> repository.printableBadge(event.id(), personId).map(rows -> {
          Row r = rows.iterator().next();
          String kind = r.getString("ticket_type");
          return new BadgeSheet.Badge(r.getString("name"), r.getString("affiliation"),
              kind == null || kind.isBlank() ? "attendee" : kind, token);
        }));
  }

  /** Revokes a person's badge (only the badge) and answers the new version. */
  public Future<Integer> reissue(Event event, long personId) {
    return repository.reissue(event.id(), personId).map(rows -> {
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
    return repository.insertScanner(event.id(), name).map(rows -> {
      long id = rows.iterator().next().getLong(0);
      return new JsonObject().put("id", id).put("name", name)
          .put("token", tokens.issue(TokenType.SCANNER, Long.toString(id), event.slug(), null, SCANNER_TTL));
    });
  }

  public Future<Void> revokeScanner(Event event, long scannerId) {
    return repository.revokeScanner(scannerId, event.id()).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("There is no scanner " + scannerId + " in this event.");
      }
      return null;
    });
  }

  /**
   * Scanner tokens whose signature was checked already (a device sends the same token with every
   * scan; an Ed25519 check per call is most of a redeem's CPU). Expiry is checked again on each
   * use, and revocation of the device always in the database.
   */
  private final java.util.Map<String, VerifiedToken> verifiedScanners =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, VerifiedToken> eldest) {
          return size() > 512;
        }
      };

  /** Checks a scanner device's token for this event: 401 when bad, expired or revoked, 403 for another event. */
  public Future<Long> scanner(Event event, String token) {
    return scannerToken(event, token).compose(id -> repository.scannerLive(id, event.id()).map(rows -> {
      if (rows.size() == 0) {
        throw scannerRevoked();
      }
      return id;
    }));
  }

  private static ApiError scannerRevoked() {
    return new ApiError(401, "scanner-revoked", "Scanner revoked", "This scanner device was revoked.");
  }

  /** The device of a scanner token for this event, without its revocation (401 bad or expired, 403 another event's). */
  private Future<Long> scannerToken(Event event, String token) {
    VerifiedToken known;
    synchronized (verifiedScanners) {
      known = verifiedScanners.get(token);
    }
    Future<VerifiedToken> verified = known != null && known.expiresAt().isAfter(Instant.now())
        ? Future.succeededFuture(known)
        : tokens.verify(token, TokenType.SCANNER).onSuccess(t -> {
          synchronized (verifiedScanners) {
            verifiedScanners.put(token, t);
          }
        });
    return verified.compose(t -> {
      if (!event.slug().equals(t.event())) {
        return Future.failedFuture(new ApiError(403, "other-event", "Scanner of another event",
            "This scanner was registered for another event."));
      }
      return Future.succeededFuture(t.personId());
    });
  }

  /**
   * Redeems a scan sent by a scanner device with its token, like {@link #scanner} then
   * {@link #redeem(Event, Scan, By)}: the device's revocation is checked in the redeem's first
   * statement (401 before anything else, nothing claimed).
   */
  public Future<String> redeemByScanner(Event event, String token, Scan scan) {
    return scannerToken(event, token).compose(id -> redeem(event, scan, By.scanner(id), true));
  }

  // ---- offline scanners

  /**
   * What an offline scanner needs to check badges alone: the event's change version, the public
   * keys, the lists, and the people (all when {@code since} is null or unknown, else those changed
   * after it) with the revoked badge versions among them.
   */
  public Future<JsonObject> offlineData(Event event, Long since) {
    return repository.offlineVersion(event.id()).compose(v -> {
      long version = v.iterator().next().getLong("version");
      boolean full = since == null || since > version;
      long from = full ? 0 : since;
      Future<io.vertx.core.json.JsonArray> removed = full ? Future.succeededFuture(new io.vertx.core.json.JsonArray())
          : repository.offlineRemoved(event.id(), from, version).map(rows -> {
            io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
            rows.forEach(r -> ids.add(r.getLong(0)));
            return ids;
          });
      return removed.compose(gone -> lists(event.id()).compose(lists -> repository.offlinePeople(event.id(), from, version).map(rows -> {
            io.vertx.core.json.JsonArray people = new io.vertx.core.json.JsonArray();
            io.vertx.core.json.JsonArray revoked = new io.vertx.core.json.JsonArray();
            for (Row r : rows) {
              long id = r.getLong("person_id");
              int badgeVersion = r.getInteger("badge_version");
              people.add(new JsonObject().put("id", id).put("name", r.getString("name"))
                  .put("attendance", r.getString("attendance")).put("kind", r.getString("ticket_type"))
                  .put("badgeVersion", badgeVersion));
              if (badgeVersion > 1) {
                revoked.add(new JsonObject().put("personId", id).put("minBadgeVersion", badgeVersion));
              }
            }
            return new JsonObject().put("version", version).put("full", full).put("jwks", tokens.jwks())
                .put("lists", new io.vertx.core.json.JsonArray(lists.stream().map(CheckinList::toJson).toList()))
                .put("people", people).put("revoked", revoked).put("removed", gone);
          })));
    });
  }

  // ---- lists

  public Future<List<CheckinList>> lists(long eventId) {
    return repository.lists(eventId).map(CheckinService::lists);
  }

  public Future<CheckinList> list(long eventId, long listId) {
    return repository.list(eventId, listId).map(rows -> {
      if (rows.size() == 0) {
        throw noList(listId);
      }
      return lists(rows).get(0);
    });
  }

  private static ApiError noList(long listId) {
    return ApiError.notFound("There is no check-in list " + listId + " in this event.");
  }

  public Future<CheckinList> createList(long eventId, String name, Long roomId, boolean allowReentry, boolean admitRemote) {
    Future<Void> room = roomId == null ? Future.succeededFuture()
        : repository.roomOfEvent(eventId, roomId).map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.validation("roomId", "There is no room " + roomId + " in this event.");
          }
          return null;
        });
    return room.compose(v -> repository.insertList(eventId, roomId, name, allowReentry, admitRemote)).map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.conflict("A check-in list named '" + name + "' exists already.");
          }
          return lists(rows).get(0);
        });
  }

  public Future<JsonObject> counts(long eventId, long listId) {
    return list(eventId, listId).compose(l -> repository.counts(pool, listId))
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
    return repository.scans(eventId, listId, before, limit).map(rows -> {
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

  /**
   * A scan to redeem (validated by the routes). {@code offline}: decided on the device while
   * offline at {@code scannedAt} and already shown at the door, so never refused as already redeemed.
   */
  public record Scan(String badge, long listId, String direction, Instant scannedAt, String nonce, boolean offline) {
    public Scan(String badge, long listId, String direction, Instant scannedAt, String nonce) {
      this(badge, listId, direction, scannedAt, nonce, false);
    }
  }

  /** Who scanned: a scanner device or a door-staff (organizer) session. */
  public record By(Long scannerId, Long staffId) {
    public static By scanner(long id) {
      return new By(id, null);
    }

    public static By staff(long personId) {
      return new By(null, personId);
    }
  }

  /** Redeems a scan made by nobody in particular (tests, tools). */
  public Future<String> redeem(Event event, Scan scan) {
    return redeem(event, scan, new By(null, null));
  }

  /**
   * Redeems a scan; answers the JSON answer as text, stored with the scan: the same nonce again
   * answers the very same text and changes nothing.
   */
  public Future<String> redeem(Event event, Scan scan, By by) {
    return redeem(event, scan, by, false);
  }

  /** {@code checkScanner}: refuse (401) when the scanner device {@code by} names was revoked. */
  private Future<String> redeem(Event event, Scan scan, By by, boolean checkScanner) {
    return repository.inTransaction(tx ->
        repository.claimNonce(tx, event.id(), scan.nonce(), scan.listId(), scan.direction(),
            scan.scannedAt().atOffset(ZoneOffset.UTC), scan.offline(), by.scannerId(), by.staffId(), checkScanner)
            .compose(claimed -> {
              Row first = claimed.iterator().next();
              if (!first.getBoolean("live")) {
                return Future.failedFuture(scannerRevoked());
              }
              if (first.getLong("id") == null) {
                return Future.failedFuture(noList(scan.listId()));
              }
              CheckinList list = lists(claimed).get(0);
              if (first.getLong("scan_id") == null) {
                return repository.storedAnswer(tx, event.id(), scan.nonce())
                    .map(rows -> new Redeemed(rows.iterator().next().getString("answer"), null, false));
              }
              long scanId = first.getLong("scan_id");
              Instant received = Instant.now();
              return decide(tx, event, list, scan, scanId, received).compose(answer -> {
                answer.put("listId", list.id()).put("direction", scan.direction())
                    .put("scannedAt", scan.scannedAt().toString()).put("receivedAt", received.toString())
                    .put("late", Duration.between(scan.scannedAt(), received).compareTo(LATE_AFTER) > 0)
                    .put("offline", scan.offline());
                if (!answer.containsKey("conflict")) {
                  answer.put("conflict", false);
                }
                String text = answer.encode();
                return repository.finishScan(tx, scanId, answer.getString("status"),
                        answer.getString("reason"), answer.getLong("personId"), text, received.atOffset(ZoneOffset.UTC))
                    .map(v -> new Redeemed(text, "ok".equals(answer.getString("status")) ? answer.getLong("personId") : null,
                        list.roomId() != null));
              });
            })).onSuccess(r -> {
              if (r.admittedPerson() != null && r.roomList()) {
                admitted.forEach(l -> l.accept(event));
              }
            }).map(r -> {
              if (r.admittedPerson() != null) {
                // not waited for: the answer is the committed scan; the counts follow (paced)
                countsFeed.changed(scan.listId(), new CountsChange(event, scan.listId(), r.admittedPerson(), scan.direction()));
              }
              return r.text();
            });
  }

  /** A redeem's answer, and whom it let in or out (null: nothing changed). */
  private record Redeemed(String text, Long admittedPerson, boolean roomList) {
  }

  private Future<JsonObject> decide(SqlConnection tx, Event event, CheckinList list, Scan scan, long scanId,
      Instant received) {
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
      // the registration's row lock orders every decision about this person, on every instance
      return repository.registrationForUpdate(tx, event.id(), personId).compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(error("unknown_person", null, "Nobody with this badge is registered."));
        }
        Row reg = rows.iterator().next();
        String name = reg.getString("name");
        return validAtScan(tx, event, scan, personId, badge.version(), reg.getInteger("badge_version")).compose(valid -> {
          if (!valid) {
            return Future.succeededFuture(error("revoked", personId, "This badge was replaced by a newer one."));
          }
          if ("remote".equals(reg.getString("attendance")) && !list.admitRemote()) {
            return Future.succeededFuture(error("remote_ticket", personId, "A remote registration does not admit here.")
                .put("name", name));
          }
          Admission a = new Admission(event, list, scan, scanId, personId, name, received);
          return "exit".equals(scan.direction()) ? exit(tx, a) : scan.offline() ? offlineEntry(tx, a) : entry(tx, a);
        });
      });
    });
  }

  /**
   * Whether the badge version was valid when scanned: the current one always; an older one only
   * for an offline scan made before that version was revoked.
   */
  private Future<Boolean> validAtScan(SqlConnection tx, Event event, Scan scan, long personId, Integer version,
      int current) {
    if (version != null && version == current) {
      return Future.succeededFuture(true);
    }
    if (!scan.offline() || version == null || version > current) {
      return Future.succeededFuture(false);
    }
    return repository.revokedAt(tx, event.id(), personId, version).map(rows ->
        rows.size() > 0 && scan.scannedAt().isBefore(rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  /** One admission being decided. */
  private record Admission(Event event, CheckinList list, Scan scan, long scanId, long personId, String name,
      Instant received) {
  }

  private Future<JsonObject> exit(SqlConnection tx, Admission a) {
    // leaving the venue leaves every room too; an offline exit only if nothing later is known
    return repository.leave(tx, a.event().id(), a.personId(), a.list().roomId() == null ? null : a.list().id(),
            a.scan().offline() ? a.scan().scannedAt().atOffset(ZoneOffset.UTC) : null)
        .map(v -> ok(a.personId(), a.name()));
  }

  private Future<JsonObject> entry(SqlConnection tx, Admission a) {
    Event event = a.event();
    CheckinList list = a.list();
    long personId = a.personId();
    String name = a.name();
    return repository.inside(tx, event.id(), personId).compose(inside -> {
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
        allowed = repository.lastEntry(tx, list.id(), personId).compose(last -> {
          if (last.size() > 0) {
            return Future.failedFuture(new Refusal(alreadyRedeemed(personId, name,
                last.iterator().next().getOffsetDateTime(0), list.id())));
          }
          return Future.succeededFuture();
        });
      }
      return allowed.compose(v -> repository.enter(tx, event.id(), personId,
              list.roomId() == null ? "venue" : "room", list.id(), a.received().atOffset(ZoneOffset.UTC)))
          .compose(v -> merged(tx, a))
          .recover(e -> e instanceof Refusal r ? Future.succeededFuture(r.answer) : Future.failedFuture(e));
    });
  }

  /** An offline entry: already shown at the door, so admitted (and merged) whatever is known since. */
  private Future<JsonObject> offlineEntry(SqlConnection tx, Admission a) {
    CheckinList list = a.list();
    return repository.enterOffline(tx, a.event().id(), a.personId(),
            list.roomId() == null ? "venue" : "room", list.id(), a.scan().scannedAt().atOffset(ZoneOffset.UTC))
        .compose(v -> merged(tx, a));
  }

  /**
   * The offline merge of an admitted entry on a list without re-entry: exactly one admitted entry
   * of the person is first (earliest scan time, then nonce bytewise), every other names it as an
   * offline duplicate. The outcome depends only on the set of scans, not on the order they arrive.
   */
  private Future<JsonObject> merged(SqlConnection tx, Admission a) {
    JsonObject answer = ok(a.personId(), a.name());
    if (a.list().allowReentry()) {
      return Future.succeededFuture(answer.put("conflict", false));
    }
    return repository.currentFirst(tx, a.list().id(), a.personId(),
        a.scan().scannedAt().atOffset(ZoneOffset.UTC), a.scan().nonce()).compose(rows -> {
          if (rows.size() == 0) {
            return repository.markFirst(tx, a.scanId(), a.personId()).map(v -> answer.put("conflict", false));
          }
          Row current = rows.iterator().next();
          long firstId = current.getLong("id");
          if (!current.getBoolean("this_first")) {
            return repository.markDuplicate(tx, a.scanId(), firstId, a.personId())
                .compose(v -> conflictAnswer(tx, a, answer, firstId, true, List.of(a.scanId())));
          }
          return repository.demoteFirst(tx, firstId, a.scanId())
              .compose(demoted -> {
                List<Long> flagged = new ArrayList<>();
                demoted.forEach(r -> flagged.add(r.getLong(0)));
                return repository.markFirst(tx, a.scanId(), a.personId())
                    .compose(v -> conflictAnswer(tx, a, answer, a.scanId(), false, flagged));
              });
        });
  }

  /** Adds conflict, first (when and where) and offlineDuplicate; tells the door supervisors live. */
  private Future<JsonObject> conflictAnswer(SqlConnection tx, Admission a, JsonObject answer, long firstId,
      boolean duplicate, List<Long> flagged) {
    return repository.scanRef(tx, firstId).compose(ref -> {
      answer.put("conflict", true).put("offlineDuplicate", duplicate).put("first", scanRef(ref.iterator().next(), ""));
      return conflicts(tx, a.event().id(), flagged.toArray(new Long[0]), false, null, 500);
    }).compose(list -> {
      Future<Long> sent = Future.succeededFuture();
      for (Object c : list) {
        sent = sent.compose(v -> live.publish(tx, topic(a.event().slug()), new JsonObject().put("conflict", c)));
      }
      return sent.map(answer);
    });
  }

  // ---- conflicts

  /** The flagged offline duplicates of the event, newest first: {conflicts, next}. */
  public Future<JsonObject> conflicts(long eventId, boolean unseenOnly, Long before, int limit) {
    return conflicts(pool, eventId, null, unseenOnly, before, limit).map(list -> new JsonObject()
        .put("conflicts", list)
        .put("next", list.size() == limit ? list.getJsonObject(list.size() - 1).getLong("id") : null));
  }

  /** Marks a flagged duplicate as seen by the door supervisor; answers when (404 if no such conflict). */
  public Future<Instant> conflictSeen(long eventId, long scanId) {
    return repository.conflictSeen(eventId, scanId).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound("There is no offline duplicate scan " + scanId + " in this event.");
      }
      return rows.iterator().next().getOffsetDateTime(0).toInstant();
    });
  }

  private Future<io.vertx.core.json.JsonArray> conflicts(io.vertx.sqlclient.SqlClient client, long eventId, Long[] ids,
      boolean unseenOnly, Long before, int limit) {
    return repository.conflicts(client, eventId, ids, unseenOnly, before, limit).map(rows -> {
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      for (Row r : rows) {
        OffsetDateTime seen = r.getOffsetDateTime("conflict_seen_at");
        Long personId = r.getLong("person_id");
        out.add(new JsonObject().put("id", r.getLong("id"))
            .put("person", new JsonObject().put("id", personId).put("name", r.getString("person_name")))
            .put("list", new JsonObject().put("id", r.getLong("list_id")).put("name", r.getString("list_name")))
            .put("first", scanRef(r, "f_").put("scanId", r.getLong("f_id")))
            .put("duplicate", scanRef(r, "x_").put("scanId", r.getLong("id")))
            .put("seenAt", seen == null ? null : seen.toInstant().toString()));
      }
      return out;
    });
  }

  /** When and where a scan was made: {scanId, scannedAt, receivedAt, listId, offline, device}. */
  private static JsonObject scanRef(Row r, String prefix) {
    JsonObject o = new JsonObject();
    if (prefix.isEmpty()) {
      o.put("scanId", r.getLong("id")).put("listId", r.getLong("list_id"));
    }
    o.put("scannedAt", r.getOffsetDateTime(prefix + "scanned_at").toInstant().toString())
        .put("receivedAt", r.getOffsetDateTime(prefix + "received_at").toInstant().toString())
        .put("offline", r.getBoolean(prefix + "offline"));
    Long scanner = r.getLong(prefix + "scanner_id");
    Long staff = r.getLong(prefix + "staff_id");
    o.put("device", scanner != null
        ? new JsonObject().put("kind", "scanner").put("id", scanner).put("name", r.getString(prefix + "scanner_name"))
        : staff != null
            ? new JsonObject().put("kind", "staff").put("id", staff).put("name", r.getString(prefix + "staff_name"))
            : null);
    return o;
  }

  /** A refusal found midway through an admission. */
  private static final class Refusal extends RuntimeException {
    final JsonObject answer;

    Refusal(JsonObject answer) {
      super(null, null, false, false);
      this.answer = answer;
    }
  }

  /** At most one counts publication per list in this interval (the counting grows with the list). */
  static final long COUNTS_EVERY_MS = 200;

  /** The change a counts publication reports along with the counts (the latest, when several share one). */
  private record CountsChange(Event event, long listId, long personId, String direction) {
  }

  /**
   * Reads a list's counts after they committed and publishes them, with the latest change, on the
   * check-in topic: paced (see {@link #countsFeed}), never inside a redeem's transaction, so no redeem
   * counts rows, holds the topic's sequence row lock or waits for a publication; run back to back
   * under a steady stream of scans, the counting alone took a growing share of PostgreSQL (see the
   * README's redeem benchmark).
   */
  private Future<Void> publishCounts(CountsChange c) {
    return pool.withTransaction(tx -> repository.counts(tx, c.listId())
        .compose(rows -> live.publish(tx, topic(c.event().slug()), counts(c.listId(), rows)
            .put("personId", c.personId()).put("direction", c.direction())))).mapEmpty();
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
    return repository.inRoomDuring(roomId, OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
        OffsetDateTime.ofInstant(to, ZoneOffset.UTC)).map(rows -> {
          java.util.Set<Long> people = new java.util.HashSet<>();
          rows.forEach(r -> people.add(r.getLong(0)));
          return people;
        });
  }
}
