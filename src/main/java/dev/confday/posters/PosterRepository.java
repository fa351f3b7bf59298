package dev.confday.posters;

import dev.confday.db.DbErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * SQL and row mapping for posters, areas, boards and assignments. Methods taking a
 * {@link SqlClient} run on the pool or inside the caller's transaction.
 */
final class PosterRepository {
  private final Pool pool;

  PosterRepository(Pool pool) {
    this.pool = pool;
  }

  /** Runs {@code work} in one transaction that holds the event's posters lock. */
  <T> Future<T> lockedTransaction(long eventId, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(tx -> tx.preparedQuery(PosterSql.LOCK_EVENT_POSTERS).execute(Tuple.of(eventId))
        .compose(v -> work.apply(tx)));
  }

  Future<Poster> insertPoster(long eventId, NewPoster p) {
    return pool.preparedQuery(PosterSql.INSERT_POSTER)
        .execute(Tuple.tuple(Arrays.asList(eventId, p.number(), p.title(), p.abstractText(), p.track(),
            p.authors().toArray(new String[0]), p.presenterId(), p.remote())))
        .map(rows -> poster(rows.iterator().next()))
        .recover(t -> DbErrors.map(t, "Poster number " + p.number() + " exists already."));
  }

  Future<List<Poster>> posters(long eventId) {
    return posters(pool, eventId);
  }

  Future<Optional<Poster>> poster(long eventId, long posterId) {
    return poster(pool, eventId, posterId);
  }

  Future<List<Board>> boards(long eventId) {
    return boards(pool, eventId);
  }

  Future<List<Poster>> posters(SqlClient db, long eventId) {
    return db.preparedQuery(PosterSql.POSTERS).execute(Tuple.of(eventId)).map(rows -> list(rows, PosterRepository::poster));
  }

  Future<Optional<Poster>> poster(SqlClient db, long eventId, long posterId) {
    return db.preparedQuery(PosterSql.POSTER).execute(Tuple.of(eventId, posterId))
        .map(rows -> first(rows, PosterRepository::poster));
  }

  Future<List<Poster>> search(long eventId, String query) {
    String pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return pool.preparedQuery(PosterSql.SEARCH_POSTERS).execute(Tuple.of(eventId, query, pattern))
        .map(rows -> list(rows, PosterRepository::poster));
  }

  Future<List<Placement>> placements(long eventId) {
    return pool.preparedQuery(PosterSql.PLACEMENTS).execute(Tuple.of(eventId))
        .map(rows -> list(rows, r -> new Placement(r.getString("session_ref"), r.getLong("poster_id"), board(r),
            r.getString("area_name"))));
  }

  Future<VenueArea> insertArea(long eventId, NewArea a) {
    return pool.preparedQuery(PosterSql.INSERT_AREA)
        .execute(Tuple.of(eventId, a.name(), a.position(), a.width(), a.height()))
        .map(rows -> area(rows.iterator().next()))
        .recover(t -> DbErrors.map(t, "An area named '" + a.name() + "' exists already."));
  }

  Future<List<VenueArea>> areas(long eventId) {
    return pool.preparedQuery(PosterSql.AREAS).execute(Tuple.of(eventId)).map(rows -> list(rows, PosterRepository::area));
  }

  Future<Optional<VenueArea>> area(long eventId, long areaId) {
    return pool.preparedQuery(PosterSql.AREA).execute(Tuple.of(eventId, areaId))
        .map(rows -> first(rows, PosterRepository::area));
  }

  /** The area with its new plan and the stored path of the plan replaced (null if none); empty if no area. */
  Future<Optional<PlanChange>> setPlan(SqlClient db, long eventId, long areaId, String path, FloorPlan plan,
      long bytes) {
    return db.preparedQuery(PosterSql.SET_PLAN)
        .execute(Tuple.from(List.of(eventId, areaId, path, plan.contentType(), bytes, plan.viewX(), plan.viewY(),
            plan.width(), plan.height())))
        .map(rows -> first(rows, r -> new PlanChange(area(r), r.getString("old_plan_path"))));
  }

  /** A plan replaced: the area as it is now and the file it no longer uses. */
  record PlanChange(VenueArea area, String oldPath) {
  }

  Future<List<Board>> boards(SqlClient db, long eventId) {
    return db.preparedQuery(PosterSql.BOARDS).execute(Tuple.of(eventId)).map(rows -> list(rows, PosterRepository::board));
  }

  /** Labels of boards the new layout drops although a poster still hangs on them. */
  Future<List<String>> removedBoardsInUse(SqlClient db, long eventId, long areaId, String[] keptLabels) {
    return db.preparedQuery(PosterSql.REMOVED_BOARDS_IN_USE).execute(Tuple.of(eventId, areaId, keptLabels))
        .map(rows -> list(rows, r -> r.getString(0)));
  }

  Future<Void> deleteRemovedBoards(SqlClient db, long eventId, long areaId, String[] keptLabels) {
    return db.preparedQuery(PosterSql.DELETE_REMOVED_BOARDS).execute(Tuple.of(eventId, areaId, keptLabels)).mapEmpty();
  }

  /** Inserts or moves a board; empty when its label belongs to a board of another area. */
  Future<Optional<Board>> upsertBoard(SqlClient db, long eventId, long areaId, BoardDraft b) {
    return db.preparedQuery(PosterSql.UPSERT_BOARD)
        .execute(Tuple.from(List.of(eventId, areaId, b.label(), b.x(), b.y(), b.width(), b.height(), b.walkOrder())))
        .map(rows -> first(rows, PosterRepository::board));
  }

  /** How many posters hang in each session reference that has any. */
  Future<Map<String, Integer>> postersPerSession(long eventId) {
    return pool.preparedQuery(PosterSql.SESSIONS).execute(Tuple.of(eventId)).map(rows -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      rows.forEach(r -> counts.put(r.getString("session_ref"), r.getInteger("posters")));
      return counts;
    });
  }

  Future<List<Assignment>> assignments(SqlClient db, long eventId, String sessionRef) {
    return db.preparedQuery(PosterSql.ASSIGNMENTS).execute(Tuple.of(eventId, sessionRef))
        .map(rows -> list(rows, r -> new Assignment(r.getString("session_ref"), r.getLong("poster_id"),
            r.getLong("board_id"))));
  }

  Future<Void> replaceAssignments(SqlClient db, long eventId, String sessionRef, List<Assignment> plan) {
    Long[] posters = plan.stream().map(Assignment::posterId).toArray(Long[]::new);
    Long[] boards = plan.stream().map(Assignment::boardId).toArray(Long[]::new);
    return db.preparedQuery(PosterSql.DELETE_SESSION_ASSIGNMENTS).execute(Tuple.of(eventId, sessionRef))
        .compose(v -> db.preparedQuery(PosterSql.INSERT_ASSIGNMENTS)
            .execute(Tuple.of(eventId, sessionRef, posters, boards)))
        .mapEmpty();
  }

  Future<Void> assign(SqlClient db, long eventId, String sessionRef, long posterId, long boardId) {
    return db.preparedQuery(PosterSql.UPSERT_ASSIGNMENT).execute(Tuple.of(eventId, sessionRef, posterId, boardId))
        .mapEmpty();
  }

  Future<Void> swap(SqlClient db, long eventId, String sessionRef, long mover, long occupant, long moverOldBoard,
      long targetBoard) {
    return db.preparedQuery(PosterSql.SWAP_ASSIGNMENTS)
        .execute(Tuple.from(List.of(eventId, sessionRef, mover, occupant, moverOldBoard, targetBoard))).mapEmpty();
  }

  Future<Boolean> unassign(SqlClient db, long eventId, String sessionRef, long posterId) {
    return db.preparedQuery(PosterSql.DELETE_ASSIGNMENT).execute(Tuple.of(eventId, sessionRef, posterId))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<List<PosterBoard>> boardsForSession(long eventId, String sessionRef) {
    return pool.preparedQuery(PosterSql.BOARDS_FOR_SESSION).execute(Tuple.of(eventId, sessionRef))
        .map(rows -> list(rows, r -> new PosterBoard(r.getInteger("number"), r.getString("title"),
            r.getString("label"), r.getString("area_name"))));
  }

  private static Poster poster(Row r) {
    String[] authors = r.getArrayOfStrings("authors");
    return new Poster(r.getLong("id"), r.getLong("event_id"), r.getInteger("number"), r.getString("title"),
        r.getString("abstract"), r.getString("track"), authors == null ? List.of() : Arrays.asList(authors),
        r.getLong("presenter_id"), r.getBoolean("remote"));
  }

  private static VenueArea area(Row r) {
    // the plan's version is its update time: a new plan gets a new address, so caches never mix them up
    long version = r.getOffsetDateTime("updated_at").toInstant().toEpochMilli();
    return new VenueArea(r.getLong("id"), r.getLong("event_id"), r.getString("name"), r.getInteger("position"),
        r.getDouble("view_x"), r.getDouble("view_y"), r.getDouble("width"), r.getDouble("height"),
        r.getString("plan_path"), r.getString("plan_type"), version);
  }

  private static Board board(Row r) {
    return new Board(r.getLong("id"), r.getLong("area_id"), r.getString("label"), r.getDouble("x"), r.getDouble("y"),
        r.getDouble("width"), r.getDouble("height"), r.getInteger("walk_order"));
  }

  private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> map) {
    List<T> out = new ArrayList<>();
    rows.forEach(r -> out.add(map.apply(r)));
    return out;
  }

  private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next()));
  }
}
