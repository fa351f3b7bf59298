package dev.confday.streaming;

import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.checkin.CheckinService;
import dev.confday.config.StreamSettings;
import dev.confday.db.DbErrors;
import dev.confday.events.Event;
import dev.confday.events.EventService;
import dev.confday.http.ApiError;
import dev.confday.live.LiveRequests;
import dev.confday.live.LiveService;
import dev.confday.live.Paced;
import dev.confday.live.TopicPolicy;
import dev.confday.live.Topics;
import dev.confday.schedule.Schedule;
import dev.confday.schedule.ScheduleService;
import dev.confday.schedule.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hybrid streaming: each room's stream, who may watch it, signed and expiring playback
 * prefixes (nginx {@code secure_link}, see {@link PlaybackSigner}), revocations, the rooms' live
 * status (schedule plus the organizer's switch) and viewer counts pushed on
 * {@code event:<slug>:streams}, and hybrid attendance per session (in the room by check-ins,
 * remote by stream joins). The video itself never passes through here.
 */
public final class StreamService {
  private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);
  static final List<String> AUDIENCES = List.of("registered", "remote");

  private final Vertx vertx;
  private final StreamRepository repository;
  private final EventService events;
  private final ScheduleService schedule;
  private final CheckinService checkin;
  private final LiveService live;
  private final StreamSettings settings;
  private final PlaybackSigner signer;
  private final Clock clock = Clock.systemUTC();
  /** At most about one attendance message per event per second. */
  static final long ATTENDANCE_EVERY_MS = 1000;
  private final Paced<String, Event> attendanceFeed;
  private Future<Void> ticking;
  private long timer = -1;

  public StreamService(Vertx vertx, io.vertx.sqlclient.Pool pool, EventService events, ScheduleService schedule,
      CheckinService checkin, LiveService live, StreamSettings settings) {
    this.vertx = vertx;
    this.repository = new StreamRepository(pool);
    this.events = events;
    this.schedule = schedule;
    this.checkin = checkin;
    this.live = live;
    this.settings = settings;
    this.signer = new PlaybackSigner(settings.secret());
    // status and viewer counts are public (like the schedule); never a playback URL
    live.topics().register("event", "streams", TopicPolicy.anyOf(Role.PUBLIC));
    // the watch page subscribes to room:<id>:stream: presence of it counts the viewers, people not tabs
    live.topics().countPeople("room", "stream");
    // anonymous viewers of a public room subscribe to room:<id>:watch; counted only for public rooms
    live.topics().register("room", "watch", TopicPolicy.anyOf(Role.PUBLIC));
    // hybrid attendance, live for organizers: names no one, but it is the organizers' business
    live.topics().register("event", "attendance", TopicPolicy.anyOf(Role.ORGANIZER));
    // hybrid attendance, pushed to organizers after a change, at most about once a second per event
    this.attendanceFeed = new Paced<>(vertx, ATTENDANCE_EVERY_MS, "Attendance of", (Event event) -> attendance(event)
        .compose(a -> repository.pool().withTransaction(tx -> live.publish(tx, attendanceTopic(event.slug()),
            a.copy().put("kind", "attendance")))).mapEmpty());
    // a room check-in changes the "in the room" figure of the session running there
    checkin.onAdmitted(this::attendanceChanged);
    // the watch page renews its playback prefix over its live connection, no HTTP call needed
    live.requests().register("stream.access", this::accessRequest);
  }

  /**
   * {@code stream.access} over a live socket, {"event": slug, "room": id}: the same answer and the
   * same refusals as {@code POST …/rooms/{room}/stream/access}, for the socket's person as its
   * session sees them in that event (a revoked person's renewal is refused at once).
   */
  private Future<JsonObject> accessRequest(LiveRequests.Caller caller, JsonObject params) {
    Object slug = params.getValue("event");
    Object room = params.getValue("room");
    if (!(slug instanceof String s) || !Topics.wellFormed("event:" + s + ":streams")) {
      return Future.failedFuture(ApiError.validation("event", "is the event's slug"));
    }
    if (!(room instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() <= 0) {
      return Future.failedFuture(ApiError.validation("room", "is the room's id, a whole number"));
    }
    return events.event(s).compose(event -> caller.member(s).compose(member -> access(event, n.longValue(),
        member.principal().personId() == 0 ? null : member.principal())));
  }

  /** Something in the event's attendance changed (and is committed): a first stream join, a room check-in. */
  private void attendanceChanged(Event event) {
    attendanceFeed.changed(event.slug(), event);
  }

  public static String attendanceTopic(String slug) {
    return "event:" + slug + ":attendance";
  }

  public static String topic(String slug) {
    return "event:" + slug + ":streams";
  }

  static String roomTopic(long roomId) {
    return "room:" + roomId + ":stream";
  }

  static String anonymousTopic(long roomId) {
    return "room:" + roomId + ":watch";
  }

  // ---- organizers -----------------------------------------------------------------------------

  public Future<JsonObject> setStream(Event event, long roomId, JsonObject body) {
    String playback = body.getValue("playbackUrl") instanceof String s ? s.trim() : null;
    PlaybackSigner.parse(playback);
    Object meetingValue = body.getValue("meetingUrl");
    if (meetingValue != null && !(meetingValue instanceof String)) {
      throw ApiError.validation("meetingUrl", "must be a URL or null");
    }
    String meeting = meetingValue == null || ((String) meetingValue).isBlank() ? null : ((String) meetingValue).trim();
    if (meeting != null && !(meeting.startsWith("https://") || meeting.startsWith("http://"))) {
      throw ApiError.validation("meetingUrl", "must be an http(s) URL (the meeting tool's link for remote speakers)");
    }
    if (meeting != null) {
      try {
        URI.create(meeting);
      } catch (IllegalArgumentException e) {
        throw ApiError.validation("meetingUrl", "is not a URL");
      }
    }
    Object pub = body.getValue("public", false);
    if (!(pub instanceof Boolean isPublic)) {
      throw ApiError.validation("public", "must be true or false");
    }
    return repository.upsert(event.id(), roomId, playback, meeting, isPublic).compose(found -> {
      if (!found) {
        return Future.failedFuture(ApiError.notFound("There is no room " + roomId + " in this event."));
      }
      return tick().recover(t -> Future.succeededFuture()).compose(v -> stream(event, roomId));
    }).map(s -> s.toJson(true, true));
  }

  public Future<JsonObject> setMode(Event event, long roomId, String mode) {
    if (mode == null || !StreamStatus.MODES.contains(mode)) {
      throw ApiError.validation("mode", "must be one of " + String.join(", ", StreamStatus.MODES));
    }
    return repository.setMode(event.id(), roomId, mode).compose(found -> {
      if (!found) {
        return Future.failedFuture(noStream(roomId));
      }
      return tick().recover(t -> Future.succeededFuture()).compose(v -> status(event, roomId));
    });
  }

  public Future<JsonObject> audience(Event event) {
    return repository.audience(event.id()).compose(a -> repository.revokedList(event.id())
        .map(revoked -> new JsonObject().put("audience", a).put("revoked", new JsonArray(revoked))));
  }

  public Future<JsonObject> setAudience(Event event, String audience) {
    if (audience == null || !AUDIENCES.contains(audience)) {
      throw ApiError.validation("audience", "must be registered (everyone registered, in the room or remote) or remote "
          + "(remote tickets only)");
    }
    return repository.setAudience(event.id(), audience).compose(v -> audience(event));
  }

  /** Revokes (or restores) a person's playback access in the event: their next access or refresh is refused. */
  public Future<Void> revoke(Event event, long personId, boolean revoked) {
    return events.person(event.id(), personId).compose(p -> repository.revoke(event.id(), personId, revoked));
  }

  // ---- watching -------------------------------------------------------------------------------

  /** The event's streamed rooms with their status and viewers; URLs only for organizers. */
  public Future<JsonObject> list(Event event, Principal caller) {
    boolean organizer = caller != null && caller.has(Role.ORGANIZER);
    boolean staff = caller != null && (caller.has(Role.MODERATOR) || caller.has(Role.PRESENTER));
    return repository.ofEvent(event.id()).compose(streams -> schedule.schedule(event).compose(s ->
        viewers(streams.stream().map(RoomStream::roomId).toList()).compose(viewers -> anonymous(streams.stream()
            .filter(RoomStream::isPublic).map(RoomStream::roomId).toList()).compose(anon -> repository.audience(event.id())
            .map(audience -> {
              Instant now = clock.instant();
              JsonArray rooms = new JsonArray();
              for (RoomStream stream : streams) {
                rooms.add(stream.toJson(organizer, staff).put("status", status(stream, s, now,
                    viewers.getOrDefault(stream.roomId(), Set.of()).size() + anon.getOrDefault(stream.roomId(), 0))));
              }
              return new JsonObject().put("audience", audience).put("rooms", rooms);
            })))));
  }

  public Future<JsonObject> status(Event event, long roomId) {
    return stream(event, roomId).compose(stream -> schedule.schedule(event).compose(s -> viewers(List.of(roomId))
        .compose(v -> anonymous(stream.isPublic() ? List.of(roomId) : List.of()).map(anon -> status(stream, s,
            clock.instant(), v.getOrDefault(roomId, Set.of()).size() + anon.getOrDefault(roomId, 0))))));
  }

  /**
   * A signed, expiring playback prefix for the caller, or the reason they may not watch:
   * anonymous only for a public room; a revoked person never; otherwise organizers, moderators,
   * presenters and registered people (remote tickets only, when the event says so).
   */
  public Future<JsonObject> access(Event event, long roomId, Principal caller) {
    long personId = caller == null ? 0 : caller.personId();
    return stream(event, roomId).compose(stream -> {
      if (personId == 0) {
        if (!stream.isPublic()) {
          return Future.failedFuture(ApiError.unauthorized("This stream is for registered people: log in through your "
              + "personal link."));
        }
        return Future.succeededFuture(signed(stream));
      }
      return repository.revoked(event.id(), personId).compose(revoked -> {
        if (revoked) {
          return Future.failedFuture(new ApiError(403, "stream-access-revoked", "Stream access revoked",
              "The organizers revoked your access to this event's streams."));
        }
        boolean staff = caller.has(Role.MODERATOR) || caller.has(Role.PRESENTER);
        return events.person(event.id(), personId).recover(t -> Future.succeededFuture(null)).compose(p ->
            repository.audience(event.id()).compose(audience -> {
              String attendance = p == null ? null : p.attendance();
              if (!staff && !stream.isPublic()) {
                if (attendance == null) {
                  return Future.failedFuture(new ApiError(403, "not-registered", "Not registered",
                      "The streams are for people registered for this event."));
                }
                if ("remote".equals(audience) && !"remote".equals(attendance)) {
                  return Future.failedFuture(new ApiError(403, "remote-tickets-only", "Remote tickets only",
                      "This event streams to people with a remote ticket only."));
                }
              }
              return joinNow(event, stream, personId).map(v -> signed(stream));
            }));
      });
    });
  }

  private JsonObject signed(RoomStream stream) {
    Instant now = clock.instant();
    PlaybackSigner.Signed s = signer.sign(stream.playbackUrl(), now.plus(settings.tokenTtl()));
    Instant refreshAt = now.plus(settings.refreshAfter());
    return new JsonObject().put("roomId", stream.roomId()).put("url", s.url()).put("prefix", s.prefix())
        .put("expiresAt", DateTimeFormatter.ISO_INSTANT.format(s.expiresAt()))
        .put("refreshAt", DateTimeFormatter.ISO_INSTANT.format(refreshAt))
        .put("refreshInSeconds", settings.refreshAfter().toSeconds());
  }

  /** A signed-in person who gets access while a session runs has joined it remotely (a virtual check-in). */
  private Future<Void> joinNow(Event event, RoomStream stream, long personId) {
    return schedule.schedule(event).compose(s -> {
      Instant now = clock.instant();
      Session running = s.sessions().stream()
          .filter(x -> x.roomId() == stream.roomId() && !x.cancelled() && x.runsAt(now)).findFirst().orElse(null);
      return running == null ? Future.succeededFuture()
          : repository.join(running.id(), stream.roomId(), Set.of(personId)).map(first -> {
            if (first) {
              attendanceChanged(event);
            }
            return null;
          });
    });
  }

  // ---- attendance -----------------------------------------------------------------------------

  /** For every session (not cancelled): people in the room (check-ins), remote (stream joins), both, total. */
  public Future<JsonObject> attendance(Event event) {
    return schedule.schedule(event).compose(s -> {
      List<Session> sessions = s.sessions().stream().filter(x -> !x.cancelled()).toList();
      return repository.joins(sessions.stream().map(Session::id).toList()).compose(joins -> {
        List<Future<Set<Long>>> inRoom = sessions.stream()
            .map(x -> checkin.peopleInRoom(x.roomId(), x.startsAt(), x.endsAt())).toList();
        return Future.all(inRoom).map(all -> {
          JsonArray out = new JsonArray();
          for (int i = 0; i < sessions.size(); i++) {
            Session x = sessions.get(i);
            Set<Long> room = inRoom.get(i).result();
            Set<Long> remote = joins.getOrDefault(x.id(), Set.of());
            Set<Long> both = new HashSet<>(room);
            both.retainAll(remote);
            JsonObject json = x.toJson(event.zone());
            out.add(new JsonObject().put("sessionId", x.id()).put("title", x.title()).put("roomId", x.roomId())
                .put("room", x.roomName()).put("startsAt", json.getString("startsAt"))
                .put("endsAt", json.getString("endsAt")).put("inRoom", room.size()).put("remote", remote.size())
                .put("both", both.size()).put("total", room.size() + remote.size() - both.size()));
          }
          return new JsonObject().put("sessions", out);
        });
      });
    });
  }

  // ---- the ticker -----------------------------------------------------------------------------

  /** Recomputes every streamed room's status and viewers every status interval, publishing changes. */
  public void start() {
    timer = vertx.setPeriodic(settings.statusInterval().toMillis(), id -> {
      synchronized (this) {
        // a round still running (a slow database) is not queued behind: the next interval catches up
        if (ticking != null) {
          return;
        }
      }
      tick().onFailure(t -> {
        if (!DbErrors.isOutage(t)) {
          LOG.warn("Stream status update failed", t);
        }
      });
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * One round (tests call it after {@link LiveService#refreshPresence}): for each streamed room,
   * the status with its viewer count is published on {@code event:<slug>:streams} when it differs
   * from the last one published (kept in the row, so several instances publish a change once),
   * and the people watching a running session are recorded as its remote attendance.
   */
  public synchronized Future<Void> tick() {
    if (ticking != null) {
      return ticking.transform(ar -> tick());
    }
    Future<Void> round = repository.all().compose(this::tickAll);
    ticking = round;
    round.onComplete(ar -> {
      synchronized (this) {
        ticking = null;
      }
    });
    return round;
  }

  private Future<Void> tickAll(List<StreamRepository.Streamed> all) {
    Map<String, List<StreamRepository.Streamed>> bySlug = new LinkedHashMap<>();
    all.forEach(s -> bySlug.computeIfAbsent(s.slug(), k -> new ArrayList<>()).add(s));
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<StreamRepository.Streamed>> e : bySlug.entrySet()) {
      chain = chain.compose(v -> tickEvent(e.getKey(), e.getValue()));
    }
    return chain;
  }

  private Future<Void> tickEvent(String slug, List<StreamRepository.Streamed> rooms) {
    return events.event(slug).compose(event -> schedule.schedule(event).compose(s ->
        viewers(rooms.stream().map(StreamRepository.Streamed::roomId).toList()).compose(viewers -> anonymous(rooms.stream()
            .filter(StreamRepository.Streamed::isPublic).map(StreamRepository.Streamed::roomId).toList()).compose(anon -> {
          Instant now = clock.instant();
          List<Future<Void>> parts = new ArrayList<>();
          for (StreamRepository.Streamed room : rooms) {
            Set<Long> watching = viewers.getOrDefault(room.roomId(), Set.of());
            JsonObject status = StreamStatus.of(room.roomId(), s.sessions(), room.mode(), now, event.zone())
                .put("viewers", watching.size() + anon.getOrDefault(room.roomId(), 0));
            parts.add(publishIfChanged(slug, room.roomId(), status));
            JsonObject running = status.getJsonObject("session");
            if (running != null && !watching.isEmpty()) {
              parts.add(repository.join(running.getLong("id"), room.roomId(), watching).map(first -> {
                if (first) {
                  attendanceChanged(event);
                }
                return null;
              }));
            }
          }
          return Future.all(parts).mapEmpty();
        }))));
  }

  private Future<Void> publishIfChanged(String slug, long roomId, JsonObject status) {
    return repository.pool().withTransaction(tx -> repository.run(tx, StreamSql.CHANGE_STATUS,
        Tuple.of(roomId, status.encode())).compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : live.publish(tx, topic(slug), new JsonObject().put("kind", "status").put("status", status)).mapEmpty()));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private JsonObject status(RoomStream stream, Schedule s, Instant now, int viewers) {
    return StreamStatus.of(stream.roomId(), s.sessions(), stream.mode(), now, s.event().zone()).put("viewers", viewers);
  }

  private Future<Map<Long, Set<Long>>> viewers(List<Long> roomIds) {
    return live.people(roomIds.stream().map(StreamService::roomTopic).toList()).map(byTopic -> {
      Map<Long, Set<Long>> out = new java.util.HashMap<>();
      roomIds.forEach(id -> out.put(id, byTopic.getOrDefault(roomTopic(id), Set.of())));
      return out;
    });
  }

  /** Anonymous sockets watching each of the (public) rooms, over all instances. */
  private Future<Map<Long, Integer>> anonymous(List<Long> publicRooms) {
    List<Future<dev.confday.live.Presence>> counts = publicRooms.stream().map(id -> live.presence(anonymousTopic(id))).toList();
    return Future.all(counts).map(all -> {
      Map<Long, Integer> out = new java.util.HashMap<>();
      for (int i = 0; i < publicRooms.size(); i++) {
        out.put(publicRooms.get(i), counts.get(i).result().anonymous());
      }
      return out;
    });
  }

  private Future<RoomStream> stream(Event event, long roomId) {
    return repository.ofRoom(event.id(), roomId).map(o -> o.orElseThrow(() -> noStream(roomId)));
  }

  private static ApiError noStream(long roomId) {
    return new ApiError(404, "stream-not-set", "No stream", "Room " + roomId + " of this event has no stream.");
  }
}
