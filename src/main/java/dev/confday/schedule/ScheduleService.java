package dev.confday.schedule;

import dev.confday.config.Config;
import dev.confday.db.DbErrors;
import dev.confday.events.Event;
import dev.confday.events.EventService;
import dev.confday.events.NewRoom;
import dev.confday.events.Person;
import dev.confday.events.Room;
import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import dev.confday.live.LiveService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rules of the live schedule: sessions are created, edited, moved, cancelled and delayed
 * by organizers; every change bumps the event's schedule version, writes one changelog row per
 * session it touched and publishes one live message on {@code event:<slug>:schedule}, all in
 * one transaction. Also answers "now and next" and the exports; each person's starred agenda is
 * {@link AgendaService}. Over 400 lines because every kind of edit runs through the one change
 * pipeline here (context, checks, change, touched sessions, live message in one transaction).
 */
public final class ScheduleService {
  static final int MAX_DELAY_MINUTES = 240;
  static final int MAX_CHANGES = 1000;

  private final ScheduleRepository repository;
  private final EventService events;
  private final LiveService live;
  private final Config config;
  private volatile PosterListing posterListing = PosterListing.NONE;

  public ScheduleService(io.vertx.sqlclient.Pool pool, EventService events, LiveService live, Config config) {
    this.repository = new ScheduleRepository(pool);
    this.events = events;
    this.live = live;
    this.config = config;
  }

  public static String topic(Event event) {
    return "event:" + event.slug() + ":schedule";
  }

  /** Set once in the wiring: where the schedule reads which posters hang in its poster sessions. */
  public void listPostersWith(PosterListing listing) {
    this.posterListing = Objects.requireNonNull(listing);
  }

  // ---- reading -------------------------------------------------------------------------------

  public Future<Long> version(Event event) {
    return repository.version(event.id());
  }

  public Future<Schedule> schedule(Event event) {
    return events.rooms(event.id()).compose(rooms -> repository.version(event.id())
        .compose(version -> repository.sessions(event.id())
            .map(sessions -> new Schedule(event, version, rooms, named(sessions, rooms)))));
  }

  /**
   * What the schedule with its posters shows at this moment, as a tag for ETags: the schedule's
   * version and the revision of the poster boards (assignments change without a new schedule
   * version). Read it before building a body, so that a body is never labelled newer than it is.
   */
  public Future<String> revision(Event event) {
    PosterListing listing = posterListing;
    return repository.version(event.id())
        .compose(version -> listing.revision().apply(event).map(boards -> "v" + version + "-b" + boards));
  }

  /** The schedule with the posters of each poster session on their boards, by number. */
  public Future<Schedule> scheduleWithPosters(Event event) {
    return schedule(event).compose(s -> posters(event, s.sessions()).map(s::withPosters));
  }

  /** The posters of each poster session among {@code sessions}, by session id. */
  Future<Map<Long, List<SessionPoster>>> posters(Event event, List<Session> sessions) {
    PosterListing listing = posterListing;
    List<Session> posterSessions = sessions.stream().filter(s -> s.type() == SessionType.POSTER_SESSION).toList();
    List<Future<List<SessionPoster>>> lookups = posterSessions.stream()
        .map(s -> posters(listing, event, s)).toList();
    return Future.all(lookups).map(all -> {
      Map<Long, List<SessionPoster>> bySession = new HashMap<>();
      for (int i = 0; i < posterSessions.size(); i++) {
        bySession.put(posterSessions.get(i).id(), lookups.get(i).result());
      }
      return bySession;
    });
  }

  /**
   * The posters feature references a poster session by the session's key, or by its id as text
   * when it has none; as in its own list of poster sessions, posters under the id also count
   * for a session that has a key.
   */
  private static Future<List<SessionPoster>> posters(PosterListing listing, Event event, Session s) {
    Future<List<SessionPoster>> byId = listing.posters().apply(event.id(), Long.toString(s.id()));
    if (s.key() == null) {
      return byId;
    }
    return listing.posters().apply(event.id(), s.key()).compose(byKey -> byId.map(more -> {
      List<SessionPoster> all = new ArrayList<>(byKey);
      all.addAll(more);
      all.sort(Comparator.comparingInt(SessionPoster::number));
      return List.copyOf(all);
    }));
  }

  public Future<Session> session(Event event, long sessionId) {
    return events.rooms(event.id()).compose(rooms -> repository.session(event.id(), sessionId)
        .map(found -> named(List.of(found.orElseThrow(() -> noSession(sessionId))), rooms).get(0)));
  }

  /** The slug of the event a session belongs to (a 404 when there is no such session). */
  public Future<String> eventSlugOfSession(long sessionId) {
    return repository.eventOfSession(sessionId).compose(eventId -> events.listEvents()
        .map(list -> list.stream().filter(e -> e.id() == eventId).findFirst().map(Event::slug).orElseThrow()))
        .recover(t -> Future.failedFuture(noSession(sessionId)));
  }

  /** The changelog after version {@code since}: what changed since a client last looked. */
  public Future<JsonObject> changes(Event event, long since) {
    return repository.version(event.id()).compose(version -> repository.changesSince(event.id(), since, MAX_CHANGES + 1)
        .map(list -> new JsonObject().put("version", version).put("since", since)
            .put("truncated", list.size() > MAX_CHANGES)
            .put("changes", new JsonArray(list.stream().limit(MAX_CHANGES).map(ScheduleChange::toJson).toList()))));
  }

  /** Per room: the session running at {@code at} and the one after it (cancelled ones skipped). */
  public Future<JsonObject> nowAndNext(Event event, Instant at) {
    ZoneId zone = event.zone();
    return schedule(event).map(schedule -> {
      JsonArray rooms = new JsonArray();
      for (Room room : schedule.rooms()) {
        List<Session> inRoom = schedule.sessions().stream()
            .filter(s -> s.roomId() == room.id() && !s.cancelled()).toList();
        Session now = inRoom.stream().filter(s -> s.runsAt(at)).findFirst().orElse(null);
        Session next = inRoom.stream().filter(s -> s.startsAt().isAfter(at) && s != now)
            .min(Comparator.comparing(Session::startsAt)).orElse(null);
        rooms.add(new JsonObject().put("room", room.toJson())
            .put("now", now == null ? null : now.toJson(zone))
            .put("next", next == null ? null : next.toJson(zone)));
      }
      return new JsonObject().put("at", Session.iso(at, zone))
          .put("version", schedule.version()).put("rooms", rooms);
    });
  }

  // ---- changing ------------------------------------------------------------------------------

  public Future<Session> create(Event event, Long actorId, JsonObject body) {
    return attempt(() -> SessionDraft.fromJson(body, event.zone(), null))
        .compose(draft -> create(event, actorId, draft));
  }

  public Future<Session> create(Event event, Long actorId, SessionDraft draft) {
    return context(event, !draft.speakers().isEmpty()).compose(ctx -> change(event, ctx, actorId, "created", (tx, version) -> {
      SessionRules.checkPlace(event, ctx.rooms(), draft);
      List<Speaker> speakers = SessionRules.speakers(draft, ctx.people());
      return refuseClash(tx, event, ctx.rooms(), 0, draft)
          .compose(v -> repository.insertSession(tx, event.id(), version, draft))
          .compose(id -> repository.setSpeakers(tx, id, speakers).map(v -> List.of(new Before(id, null))));
    })).map(list -> list.get(0));
  }

  /** Edits any fields; changing time or room counts as a move. */
  public Future<Session> update(Event event, Long actorId, long sessionId, JsonObject patch) {
    return edit(event, actorId, sessionId, patch.containsKey("speakers"),
        old -> SessionDraft.fromJson(patch, event.zone(), SessionDraft.of(old)));
  }

  /**
   * Moves a session to another start (keeping its length) and optionally another room. Each
   * field that is given must be of its type: a start that is not a date-time string is a 400,
   * never "keep the old start".
   */
  public Future<Session> move(Event event, Long actorId, long sessionId, JsonObject body) {
    Object rawStart = body.getValue("startsAt");
    Object rawRoom = body.getValue("roomId");
    Instant start = rawStart instanceof String s ? SessionDraft.parseTime(s, event.zone()) : null;
    Validation v = new Validation()
        .check(rawStart == null || start != null, "startsAt", "must be " + SessionDraft.TIME_EXAMPLE)
        .check(rawRoom == null || SessionDraft.isWholeNumber(rawRoom), "roomId", "must be a number")
        .check(rawStart != null || rawRoom != null, "startsAt", "a move needs a new startsAt, a new roomId, or both");
    try {
      v.throwIfInvalid();
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    return edit(event, actorId, sessionId, false, old -> {
      Instant from = start != null ? start : old.startsAt();
      long room = rawRoom instanceof Number n ? n.longValue() : old.roomId();
      return SessionDraft.of(old).at(room, from, from.plus(Duration.between(old.startsAt(), old.endsAt())));
    });
  }

  /**
   * Adds a room: the room (through the events feature, in this change's transaction), a new
   * schedule version, so that ETags change, and a live message {@code {kind: "room-added",
   * version, room, sessions: []}} for open pages. The changelog is per session, so it gets no row.
   */
  public Future<Room> addRoom(Event event, NewRoom room) {
    return repository.inTransaction(tx -> repository.bumpVersion(tx, event.id())
        .compose(version -> events.addRoom(tx, event.id(), room).compose(added -> live.publish(tx, topic(event),
                new JsonObject().put("kind", "room-added").put("version", version).put("room", added.toJson())
                    .put("sessions", new JsonArray()))
            .map(added))));
  }

  public Future<Session> cancel(Event event, Long actorId, long sessionId) {
    return setCancelled(event, actorId, sessionId, true);
  }

  public Future<Session> restore(Event event, Long actorId, long sessionId) {
    return setCancelled(event, actorId, sessionId, false);
  }

  /**
   * "Running late": the session running in the room at {@code at} ends {@code minutes} later,
   * and the sessions after it that day shift by as much, up to the next break. The break
   * absorbs the delay: it starts later and so gets shorter; a delay that would leave no break
   * is refused with 409, naming it. One change: one version, one live message.
   */
  public Future<List<Session>> delayRoom(Event event, Long actorId, long roomId, int minutes, Instant at) {
    if (minutes < 1 || minutes > MAX_DELAY_MINUTES) {
      return Future.failedFuture(ApiError.validation("minutes", "must be between 1 and " + MAX_DELAY_MINUTES));
    }
    return context(event, false).compose(ctx -> {
      Room room = ctx.rooms().get(roomId);
      if (room == null) {
        return Future.failedFuture(ApiError.notFound("There is no room " + roomId + " in this event."));
      }
      return change(event, ctx, actorId, "delayed", (tx, version) -> repository.roomSessions(tx, event.id(), roomId)
          .compose(sessions -> attempt(() -> DelayPlan.of(event, room, sessions, at, Duration.ofMinutes(minutes))))
          .compose(plan -> shift(tx, event, plan, version)));
    });
  }

  /** Writes a delay plan's new times (see {@link DelayPlan}); answers the sessions as they were. */
  private Future<List<Before>> shift(SqlConnection tx, Event event, DelayPlan plan, long version) {
    List<Before> befores = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (DelayPlan.Shift s : plan.shifts()) {
      befores.add(new Before(s.session().id(), s.session()));
      chain = chain.compose(x -> repository.setTimes(tx, event.id(), s.session().id(), s.startsAt(), s.endsAt(),
          version));
    }
    return chain.map(x -> befores);
  }

  private Future<Session> setCancelled(Event event, Long actorId, long sessionId, boolean cancelled) {
    return context(event, false).compose(ctx -> change(event, ctx, actorId, cancelled ? "cancelled" : "restored",
        (tx, version) -> existing(tx, event, sessionId).compose(old -> {
          if (old.cancelled() == cancelled) {
            return Future.failedFuture(ApiError.conflict("'" + old.title() + "' is "
                + (cancelled ? "cancelled already." : "not cancelled.")));
          }
          Future<Void> free = cancelled ? Future.succeededFuture()
              : refuseClash(tx, event, ctx.rooms(), sessionId, SessionDraft.of(old));
          return free.compose(v -> repository.setCancelled(tx, event.id(), sessionId, cancelled, version))
              .map(v -> List.of(new Before(sessionId, old)));
        }))).map(list -> list.get(0));
  }

  /**
   * Applies an edit. An edit that changes nothing (same values as stored) is no change: it
   * answers the session as it is, without a new version, changelog row or live message. A
   * session's key, once set, never changes: posters and links find the session by it.
   */
  private Future<Session> edit(Event event, Long actorId, long sessionId, boolean newSpeakers,
      Function<Session, SessionDraft> toDraft) {
    return context(event, newSpeakers)
        .compose(ctx -> change(event, ctx, actorId, null, (tx, version) -> existing(tx, event, sessionId).compose(old -> {
          SessionDraft draft = toDraft.apply(old);
          SessionRules.refuseKeyChange(old, draft);
          SessionRules.checkPlace(event, ctx.rooms(), draft);
          List<Speaker> speakers = newSpeakers ? SessionRules.speakers(draft, ctx.people()) : old.speakers();
          if (draft.equals(SessionDraft.of(old)) && speakers.equals(old.speakers())) {
            throw new Unchanged(List.of(old));
          }
          Future<Void> free = old.cancelled() ? Future.succeededFuture()
              : refuseClash(tx, event, ctx.rooms(), sessionId, draft);
          return free.compose(v -> repository.updateSession(tx, event.id(), sessionId, version, draft))
              .compose(v -> newSpeakers ? repository.setSpeakers(tx, sessionId, speakers) : Future.succeededFuture())
              .map(v -> List.of(new Before(sessionId, old)));
        }))).map(list -> list.get(0));
  }

  // ---- the one way a change is made ----------------------------------------------------------

  /** A session a change touched, as it was before (null when the change created it). */
  private record Before(long sessionId, Session old) {
  }

  /** What a change needs to know before it starts: the event's rooms and, for speakers, its people. */
  private record Context(Map<Long, Room> rooms, Map<Long, Person> people) {
  }

  private interface Work {
    Future<List<Before>> apply(SqlConnection tx, long version);
  }

  /**
   * Thrown by a change's work when it would change nothing: the transaction rolls back (so the
   * version bump is undone) and the change answers the sessions as they are.
   */
  private static final class Unchanged extends RuntimeException {
    private final List<Session> sessions;

    Unchanged(List<Session> sessions) {
      super(null, null, false, false);
      this.sessions = sessions;
    }
  }

  private Future<Context> context(Event event, boolean withPeople) {
    Future<Map<Long, Person>> people = !withPeople ? Future.succeededFuture(Map.of())
        : events.people(event.id()).map(list -> {
          Map<Long, Person> byId = new HashMap<>();
          list.forEach(p -> byId.put(p.id(), p));
          return byId;
        });
    return people.compose(p -> events.rooms(event.id()).map(rooms -> {
      Map<Long, Room> byId = new HashMap<>();
      rooms.forEach(r -> byId.put(r.id(), r));
      return new Context(byId, p);
    }));
  }

  /**
   * Bumps the version (which also serializes the event's changes), does the work, then writes
   * a changelog row per touched session and one live message, all in one transaction. A kind
   * of null means "moved" when time or room changed, otherwise "updated".
   */
  private Future<List<Session>> change(Event event, Context ctx, Long actorId, String kind, Work work) {
    ZoneId zone = event.zone();
    Map<Long, Room> rooms = ctx.rooms();
    return repository.inTransaction(tx -> repository.bumpVersion(tx, event.id())
        .compose(version -> work.apply(tx, version)
            .compose(befores -> after(tx, event, rooms, befores))
            .compose(touched -> {
              String effective = kind != null ? kind
                  : touched.stream().anyMatch(t -> t.after().notablyDifferentFrom(t.before())) ? "moved" : "updated";
              Future<Void> chain = Future.succeededFuture();
              for (Touched t : touched) {
                chain = chain.compose(v -> repository.logChange(tx, event.id(), version, actorId, effective,
                    t.after().id(), t.after().notablyDifferentFrom(t.before()),
                    t.before() == null ? null : t.before().snapshot(zone), t.after().snapshot(zone)));
              }
              List<Session> sessions = touched.stream().map(Touched::after)
                  .sorted(Comparator.comparing(Session::startsAt)).toList();
              JsonObject message = new JsonObject().put("kind", effective).put("version", version)
                  .put("sessions", new JsonArray(sessions.stream().map(s -> s.toJson(zone)).toList()));
              return chain.compose(v -> live.publish(tx, topic(event), message)).map(seq -> sessions);
            })))
        .recover(t -> t instanceof Unchanged u ? Future.succeededFuture(named(u.sessions, rooms))
            : nameOverlap(t));
  }

  private record Touched(Session before, Session after) {
  }

  /** Each touched session before and after the change, in the order of {@code befores}; read in one query. */
  private Future<List<Touched>> after(SqlConnection tx, Event event, Map<Long, Room> rooms, List<Before> befores) {
    List<Long> ids = befores.stream().map(Before::sessionId).distinct().toList();
    return repository.sessions(tx, event.id(), ids).map(found -> {
      Map<Long, Session> byId = new HashMap<>();
      named(found, rooms).forEach(s -> byId.put(s.id(), s));
      List<Touched> touched = new ArrayList<>();
      for (Before b : befores) {
        Session now = byId.get(b.sessionId());
        if (now == null) {
          throw new IllegalStateException("session " + b.sessionId() + " is gone within its own change");
        }
        touched.add(new Touched(b.old() == null ? null : named(List.of(b.old()), rooms).get(0), now));
      }
      return touched;
    });
  }

  private Future<Session> existing(SqlConnection tx, Event event, long sessionId) {
    return repository.session(tx, event.id(), sessionId).map(found -> found.orElseThrow(() -> noSession(sessionId)));
  }

  /** Fails with 409 naming the first session of the room the draft would overlap. */
  private Future<Void> refuseClash(SqlConnection tx, Event event, Map<Long, Room> rooms, long sessionId,
      SessionDraft d) {
    return repository.clash(tx, event.id(), d.roomId(), sessionId, d.startsAt(), d.endsAt()).compose(found -> found
        .<Future<Void>>map(c -> Future.failedFuture(
            SessionRules.clash(event, rooms.get(d.roomId()), d.title(), d.startsAt(), c)))
        .orElse(Future.succeededFuture()));
  }

  /** The exclusion constraint is the last guard; if it fires, name what it guarded against. */
  private static Future<List<Session>> nameOverlap(Throwable t) {
    return DbErrors.mapExclusion(t, new ApiError(409, "schedule-clash", "Sessions overlap",
        ScheduleRepository.OVERLAP + " Reload the schedule and try again."));
  }

  private static ApiError noSession(long sessionId) {
    return ApiError.notFound("There is no session " + sessionId + " in this event.");
  }

  static List<Session> named(List<Session> sessions, List<Room> rooms) {
    Map<Long, Room> byId = new HashMap<>();
    rooms.forEach(r -> byId.put(r.id(), r));
    return named(sessions, byId);
  }

  static List<Session> named(List<Session> sessions, Map<Long, Room> rooms) {
    return sessions.stream().map(s -> {
      Room room = rooms.get(s.roomId());
      return s.withRoomName(room == null ? null : room.name());
    }).toList();
  }

  private static <T> Future<T> attempt(Supplier<T> supplier) {
    try {
      return Future.succeededFuture(supplier.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  // ---- exports -------------------------------------------------------------------------------

  public Future<String> frabXml(Event event) {
    return scheduleWithPosters(event).map(s -> FrabExport.xml(s, config.publicUrl()));
  }

  public Future<String> frabJson(Event event) {
    return scheduleWithPosters(event).map(s -> FrabExport.json(s, config.publicUrl()).encodePrettily());
  }

  public Future<String> ics(Event event) {
    return scheduleWithPosters(event).map(s -> ICalendar.write(event, config.publicUrl(), event.name(),
        s.sessions(), s.posters()));
  }

  // ---- demo ----------------------------------------------------------------------------------

  /**
   * Moves the whole programme of the demo event (and its days) by {@code by}, its shape kept:
   * one change, so one version, one changelog entry per session, one live message. Refused
   * (409) for an event not marked demo: real events are never moved. When and by how much the
   * demo moves is decided in dev.confday.demo.
   */
  public Future<Void> moveDemo(Event event, List<Session> sessions, Duration by) {
    return context(event, false).compose(ctx -> change(event, ctx, null, "moved",
        (tx, version) -> moveDemo(tx, event, sessions, by, version))).mapEmpty();
  }

  private Future<List<Before>> moveDemo(SqlConnection tx, Event event, List<Session> sessions, Duration by,
      long version) {
    ZoneId zone = event.zone();
    LocalDate first = sessions.stream().map(x -> x.startsAt().plus(by).atZone(zone).toLocalDate())
        .min(Comparator.naturalOrder()).orElseThrow();
    LocalDate last = sessions.stream().map(x -> x.endsAt().plus(by).minusNanos(1).atZone(zone).toLocalDate())
        .max(Comparator.naturalOrder()).orElseThrow();
    // forward: the latest session first (and backward: the earliest), so no step overlaps another session
    List<Session> order = sessions.stream().sorted(Comparator.comparing(Session::startsAt)).toList();
    if (!by.isNegative()) {
      order = new ArrayList<>(order);
      java.util.Collections.reverse(order);
    }
    List<Before> befores = new ArrayList<>();
    Future<Void> chain = repository.moveDemoDays(tx, event.id(), first, last).compose(demo -> demo
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiError.conflict("Only the demo event moves in time; '" + event.slug()
            + "' is a real event.")));
    for (Session x : order) {
      befores.add(new Before(x.id(), x));
      chain = chain.compose(v -> repository.setTimes(tx, event.id(), x.id(), x.startsAt().plus(by),
          x.endsAt().plus(by), version));
    }
    return chain.map(v -> befores);
  }
}
