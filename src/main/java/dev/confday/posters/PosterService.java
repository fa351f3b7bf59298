package dev.confday.posters;

import dev.confday.config.Config;
import dev.confday.db.DbErrors;
import dev.confday.events.EventService;
import dev.confday.events.Person;
import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import dev.confday.live.LiveService;
import dev.confday.schedule.ScheduleService;
import dev.confday.schedule.Session;
import dev.confday.schedule.SessionType;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of posters and where they hang: posters, venue areas with their floor plans,
 * boards in walking order, and the board of each poster in each poster session (automatic
 * plan, manual moves). Every assignment change publishes a message on
 * {@code event:<slug>:posters} in the same transaction.
 *
 * <p>Poster sessions are referenced by an opaque {@code sessionRef}: the schedule session's
 * key (such as {@code posters-1}), or its id when it has no key. There is no foreign key to the
 * schedule's table (features do not share tables); {@link #sessions} joins the two through
 * {@link ScheduleService}.
 */
public final class PosterService {
  /** Floor plans are drawings, not photos: 2 MiB is plenty for an SVG or a PNG of a hall. */
  public static final int MAX_PLAN_BYTES = 2 * 1024 * 1024;

  private final PosterRepository repository;
  private final EventService events;
  private final ScheduleService schedule;
  private final LiveService live;
  private final WorkerExecutor workers;
  private final FloorPlanStore plans;

  public PosterService(Pool pool, EventService events, ScheduleService schedule, LiveService live,
      WorkerExecutor workers, Config config) {
    this.repository = new PosterRepository(pool);
    this.events = events;
    this.schedule = schedule;
    this.live = live;
    this.workers = workers;
    this.plans = new FloorPlanStore(config.uploadDir());
  }

  /** The live topic of an event's poster boards. */
  public static String topic(String eventSlug) {
    return "event:" + eventSlug + ":posters";
  }

  // ---- posters

  public Future<Poster> createPoster(long eventId, NewPoster poster) {
    Future<Void> presenter = poster.presenterId() == null ? Future.succeededFuture()
        : events.person(eventId, poster.presenterId()).mapEmpty();
    return presenter.recover(t -> Future.failedFuture(t instanceof ApiError e && e.status() == 404
            ? ApiError.validation("presenterId", "is not a person of this event") : t))
        .compose(v -> repository.insertPoster(eventId, poster));
  }

  /**
   * The posters matching {@code query} (title, author, track, poster number or board label;
   * all posters when blank), exact number or label first, each with its presenter's name and
   * its board in every poster session.
   */
  public Future<List<PosterEntry>> findPosters(long eventId, String query) {
    String q = query == null ? "" : query.trim();
    if (q.length() > 200) {
      return Future.failedFuture(ApiError.validation("q", "is longer than 200 characters"));
    }
    Future<List<Poster>> posters = q.isEmpty() ? repository.posters(eventId)
        : repository.search(eventId, q);
    return posters.compose(list -> entries(eventId, list));
  }

  public Future<PosterEntry> poster(long eventId, long posterId) {
    return repository.poster(eventId, posterId)
        .map(p -> p.orElseThrow(() -> ApiError.notFound("There is no poster " + posterId + " in this event.")))
        .compose(p -> entries(eventId, List.of(p))).map(list -> list.get(0));
  }

  private Future<List<PosterEntry>> entries(long eventId, List<Poster> posters) {
    if (posters.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return events.people(eventId).compose(people -> repository.placements(eventId).map(placements -> {
      Map<Long, String> names = people.stream().collect(Collectors.toMap(Person::id, Person::name));
      Map<Long, List<Placement>> byPoster = placements.stream()
          .collect(Collectors.groupingBy(Placement::posterId));
      return posters.stream().map(p -> new PosterEntry(p, p.presenterId() == null ? null : names.get(p.presenterId()),
          byPoster.getOrDefault(p.id(), List.of()))).toList();
    }));
  }

  // ---- areas, plans, boards

  public Future<VenueArea> createArea(long eventId, NewArea area) {
    return repository.insertArea(eventId, area);
  }

  public Future<List<VenueArea>> areas(long eventId) {
    return repository.areas(eventId);
  }

  public Future<VenueArea> area(long eventId, long areaId) {
    return repository.area(eventId, areaId)
        .map(a -> a.orElseThrow(() -> ApiError.notFound("There is no area " + areaId + " in this event.")));
  }

  /** Every board of the event, areas in order, each area's boards in walking order. */
  public Future<List<Board>> boards(long eventId) {
    return repository.boards(eventId);
  }

  /**
   * Checks and stores a new floor plan for an area, then points the area at it; the plan's
   * viewBox (or pixel size) becomes the area's coordinate system. The old file is removed only
   * after the database row names the new one.
   */
  public Future<VenueArea> uploadPlan(long eventId, String eventSlug, long areaId, String contentType, Buffer body) {
    if (!FloorPlan.TYPES.contains(contentType)) {
      return Future.failedFuture(FloorPlan.unsupported());
    }
    if (body.length() > MAX_PLAN_BYTES) {
      return Future.failedFuture(planTooLarge());
    }
    byte[] bytes = body.getBytes();
    return area(eventId, areaId)
        .compose(area -> workers.executeBlocking(() -> {
          FloorPlan plan = FloorPlan.inspect(bytes, contentType);
          return new StoredPlan(plan, plans.store(eventId, areaId, bytes, contentType));
        }, false))
        .compose(stored -> repository.lockedTransaction(eventId, tx -> repository
                .setPlan(tx, eventId, areaId, stored.path(), stored.plan(), bytes.length)
                .map(change -> change.orElseThrow(() -> ApiError.notFound("The area " + areaId + " was removed.")))
                .compose(change -> publish(tx, eventSlug, new JsonObject().put("kind", "areas")
                    .put("area", areaId)).map(change)))
            .recover(t -> removeFile(stored.path()).compose(v -> Future.failedFuture(t))))
        .compose(change -> removeFile(change.oldPath()).map(change.area()));
  }

  static ApiError planTooLarge() {
    return new ApiError(413, "payload-too-large", "Floor plan too large",
        "A floor plan may be at most " + (MAX_PLAN_BYTES / 1024 / 1024) + " MiB; simplify the drawing or upload it "
            + "as PNG.", new JsonObject().put("maxBytes", MAX_PLAN_BYTES));
  }

  private record StoredPlan(FloorPlan plan, String path) {
  }

  private Future<Void> removeFile(String relative) {
    return relative == null ? Future.succeededFuture()
        : workers.executeBlocking(() -> {
          plans.delete(relative);
          return null;
        }, false);
  }

  /** The stored file of an area's plan, with its content type. */
  public Future<PlanFile> planFile(long eventId, long areaId) {
    return area(eventId, areaId).map(a -> {
      if (!a.hasPlan()) {
        throw ApiError.notFound("The area '" + a.name() + "' has no floor plan yet.");
      }
      return new PlanFile(plans.resolve(a.planPath()), a.planType(), a.planVersion());
    });
  }

  /** A stored floor plan file, its content type and the version its address carries. */
  public record PlanFile(Path path, String contentType, long version) {
  }

  /**
   * Sets the boards of an area to {@code layout}: boards are matched by label (a board keeps
   * its id, so its assignments, when it moves), new labels are added, missing ones removed.
   * Refuses with 409 to remove a board a poster hangs on, or to take a label another area uses.
   */
  public Future<List<Board>> replaceBoards(long eventId, String eventSlug, long areaId, List<BoardDraft> layout) {
    String[] kept = layout.stream().map(BoardDraft::label).toArray(String[]::new);
    return area(eventId, areaId).compose(area -> repository.lockedTransaction(eventId, tx -> repository
        .removedBoardsInUse(tx, eventId, areaId, kept)
        .compose(inUse -> {
          if (!inUse.isEmpty()) {
            return Future.failedFuture(new ApiError(409, "board-in-use", "Board in use",
                "Posters hang on board" + (inUse.size() == 1 ? " " : "s ") + String.join(", ", inUse)
                    + "; move them before removing " + (inUse.size() == 1 ? "it." : "them."),
                new JsonObject().put("boards", new JsonArray(List.copyOf(inUse)))));
          }
          return repository.deleteRemovedBoards(tx, eventId, areaId, kept);
        })
        .compose(v -> upsertAll(tx, eventId, areaId, layout))
        .compose(boards -> publish(tx, eventSlug, new JsonObject().put("kind", "areas").put("area", areaId))
            .map(boards))))
        .recover(t -> DbErrors.map(t, "Two boards would share a walking order position in this area."));
  }

  private Future<List<Board>> upsertAll(SqlConnection tx, long eventId, long areaId, List<BoardDraft> layout) {
    Future<List<Board>> chain = Future.succeededFuture(new ArrayList<>());
    for (BoardDraft draft : layout) {
      chain = chain.compose(list -> repository.upsertBoard(tx, eventId, areaId, draft).map(board -> {
        list.add(board.orElseThrow(() -> ApiError.conflict("The label " + draft.label()
            + " is used by a board in another area of this event.")));
        return list;
      }));
    }
    return chain;
  }

  // ---- assignments

  /**
   * The poster sessions of the schedule, in time order, with how many posters hang in each;
   * then any reference that has posters but no schedule session (e.g. assigned before the
   * session was added to the schedule), with no title.
   */
  public Future<List<PosterSession>> sessions(String eventSlug) {
    return events.event(eventSlug).compose(event -> schedule.schedule(event)
        .compose(s -> repository.postersPerSession(event.id()).map(counts -> {
          List<PosterSession> list = new ArrayList<>();
          Set<String> seen = new HashSet<>();
          s.sessions().stream().filter(x -> x.type() == SessionType.POSTER_SESSION)
              .sorted(Comparator.comparing(Session::startsAt)).forEach(x -> {
                String ref = x.key() != null ? x.key() : Long.toString(x.id());
                seen.add(ref);
                seen.add(Long.toString(x.id()));
                int posters = counts.getOrDefault(ref, 0) + (x.key() != null
                    ? counts.getOrDefault(Long.toString(x.id()), 0) : 0);
                list.add(new PosterSession(ref, x.id(), x.title(), x.startsAt(), x.endsAt(), x.cancelled(), posters));
              });
          counts.forEach((ref, n) -> {
            if (!seen.contains(ref)) {
              list.add(new PosterSession(ref, null, null, null, null, false, n));
            }
          });
          return list;
        })));
  }

  /**
   * Replaces the board plan of a poster session with the automatic one (see
   * {@link AutoAssignment}); 409 {@code not-enough-boards} when the boards do not suffice.
   */
  public Future<List<Assignment>> autoAssign(long eventId, String eventSlug, AutoAssignRequest request) {
    Future<Void> areaExists = request.areaId() == null ? Future.succeededFuture()
        : area(eventId, request.areaId()).mapEmpty();
    return areaExists.compose(v -> repository.lockedTransaction(eventId, tx -> repository.posters(tx, eventId)
        .compose(all -> repository.boards(tx, eventId).map(allBoards -> {
          List<Poster> posters = selectPosters(all, request);
          List<Board> boards = request.areaId() == null ? allBoards
              : allBoards.stream().filter(b -> b.areaId() == request.areaId()).toList();
          return AutoAssignment.plan(request.session(), posters, boards, request.tracks());
        }))
        .compose(plan -> repository.replaceAssignments(tx, eventId, request.session(), plan)
            .compose(x -> publish(tx, eventSlug, new JsonObject().put("kind", "assignments")
                .put("session", request.session()).put("reason", "auto").put("count", plan.size())))
            .map(plan))));
  }

  private static List<Poster> selectPosters(List<Poster> all, AutoAssignRequest request) {
    if (request.tracks().isEmpty() && request.numbers().isEmpty()) {
      return all;
    }
    Set<String> tracks = request.tracks().stream().map(t -> t.trim().toLowerCase()).collect(Collectors.toSet());
    Set<Integer> numbers = new HashSet<>(request.numbers());
    List<Poster> chosen = all.stream().filter(p -> numbers.contains(p.number())
        || (p.track() != null && tracks.contains(p.track().trim().toLowerCase()))).toList();
    Set<Integer> known = all.stream().map(Poster::number).collect(Collectors.toSet());
    List<Integer> unknown = request.numbers().stream().filter(n -> !known.contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw ApiError.validation("numbers", "there is no poster " + unknown.stream().map(String::valueOf)
          .collect(Collectors.joining(", ")));
    }
    return chosen;
  }

  /**
   * Puts a poster on a board in one poster session. If another poster holds that board and the
   * moved poster had a board, the two swap; if the moved poster had none, 409
   * {@code board-taken} (nobody is silently left without a board). Answers the session's
   * assignments that changed.
   */
  public Future<List<Assignment>> movePoster(long eventId, String eventSlug, String sessionRef, long posterId,
      long boardId) {
    checkSession(sessionRef);
    return repository.lockedTransaction(eventId, tx -> repository.poster(tx, eventId, posterId)
        .map(p -> p.orElseThrow(() -> ApiError.notFound("There is no poster " + posterId + " in this event.")))
        .compose(poster -> repository.boards(tx, eventId).compose(boards -> {
          Board target = boards.stream().filter(b -> b.id() == boardId).findFirst()
              .orElseThrow(() -> ApiError.validation("board", "is not a board of this event"));
          return repository.assignments(tx, eventId, sessionRef)
              .compose(current -> move(tx, eventId, sessionRef, poster, target, boards, current));
        }))
        .compose(changed -> changed.isEmpty() ? Future.succeededFuture(changed)
            : publish(tx, eventSlug, new JsonObject().put("kind", "assignments").put("session", sessionRef)
                .put("reason", "move").put("changes", new JsonArray(changed.stream().map(Assignment::toJson)
                    .toList()))).map(changed)));
  }

  private Future<List<Assignment>> move(SqlConnection tx, long eventId, String sessionRef, Poster poster,
      Board target, List<Board> boards, List<Assignment> current) {
    Optional<Assignment> mine = current.stream().filter(a -> a.posterId() == poster.id()).findFirst();
    Optional<Assignment> occupant = current.stream().filter(a -> a.boardId() == target.id()).findFirst();
    if (occupant.isPresent() && occupant.get().posterId() == poster.id()) {
      return Future.succeededFuture(List.of());
    }
    if (occupant.isEmpty()) {
      return repository.assign(tx, eventId, sessionRef, poster.id(), target.id())
          .map(v -> List.of(new Assignment(sessionRef, poster.id(), target.id())));
    }
    long other = occupant.get().posterId();
    if (mine.isEmpty()) {
      return repository.poster(tx, eventId, other).compose(o -> Future.failedFuture(new ApiError(409, "board-taken",
          "Board taken", "Board " + target.label() + " holds poster " + o.map(Poster::number).orElse(0)
              + " in this session; move that poster first, or move poster " + poster.number()
              + " from its own board to swap the two.",
          new JsonObject().put("board", target.label()).put("posterId", other))));
    }
    long oldBoard = mine.get().boardId();
    return repository.swap(tx, eventId, sessionRef, poster.id(), other, oldBoard, target.id())
        .map(v -> List.of(new Assignment(sessionRef, poster.id(), target.id()),
            new Assignment(sessionRef, other, oldBoard)));
  }

  /** Takes a poster off its board in a session; 404 if it had none. */
  public Future<Void> unassign(long eventId, String eventSlug, String sessionRef, long posterId) {
    checkSession(sessionRef);
    return repository.lockedTransaction(eventId, tx -> repository.unassign(tx, eventId, sessionRef, posterId)
        .compose(removed -> {
          if (!removed) {
            return Future.failedFuture(ApiError.notFound("Poster " + posterId + " has no board in " + sessionRef + "."));
          }
          return publish(tx, eventSlug, new JsonObject().put("kind", "assignments").put("session", sessionRef)
              .put("reason", "unassign").put("posterId", posterId)).mapEmpty();
        }));
  }

  /**
   * The boards of a poster session, by poster number: what the schedule shows next to a poster
   * session and what exports carry where the format has room for it.
   */
  public Future<List<PosterBoard>> boardsForSession(long eventId, String sessionRef) {
    return repository.boardsForSession(eventId, sessionRef);
  }

  private static void checkSession(String sessionRef) {
    Validation v = new Validation();
    AutoAssignRequest.checkSessionRef(v, sessionRef);
    v.throwIfInvalid();
  }

  private Future<Long> publish(SqlConnection tx, String eventSlug, JsonObject payload) {
    return live.publish(tx, topic(eventSlug), payload);
  }
}
