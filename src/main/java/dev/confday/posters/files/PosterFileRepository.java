package dev.confday.posters.files;

import dev.confday.posters.check.PosterCheckResult;
import dev.confday.posters.check.PosterLimits;
import dev.confday.posters.check.PosterVerdict;
import dev.confday.db.DbErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** SQL and row mapping for poster limits, accepted poster files and upload attempts. */
final class PosterFileRepository {
  private final Pool pool;

  PosterFileRepository(Pool pool) {
    this.pool = pool;
  }

  /** A transaction, run again (three attempts in all) if PostgreSQL aborted it for a deadlock. */
  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return DbErrors.withRetriedTransaction(pool, 3, work);
  }

  /**
   * Locks the poster's head row first in a recording transaction: inserting the file row takes a
   * key-share lock on it (its foreign key), and two uploads that both took that and then asked for
   * the update lock of {@link PosterFileSql#MAKE_CURRENT} would deadlock.
   */
  Future<Void> lockHead(SqlConnection tx, long posterId) {
    return tx.preparedQuery(PosterFileSql.LOCK_HEAD).execute(Tuple.of(posterId)).mapEmpty();
  }

  Future<Optional<EventPosterLimits>> limits(long eventId) {
    return pool.preparedQuery(PosterFileSql.LIMITS).execute(Tuple.of(eventId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      PosterLimits limits = new PosterLimits(r.getDouble("recommended_width_mm"), r.getDouble("recommended_height_mm"),
          r.getDouble("max_width_mm"), r.getDouble("max_height_mm"), r.getDouble("tolerance_mm"),
          r.getString("recommended_label"), r.getString("max_label"));
      return Optional.of(new EventPosterLimits(limits, r.getLong("max_upload_bytes")));
    });
  }

  Future<Void> saveLimits(long eventId, EventPosterLimits rules) {
    PosterLimits l = rules.limits();
    return pool.preparedQuery(PosterFileSql.UPSERT_LIMITS).execute(Tuple.from(new Object[] {eventId,
        l.recommendedWidthMm(), l.recommendedHeightMm(), l.maxWidthMm(), l.maxHeightMm(), l.toleranceMm(),
        l.recommendedLabel(), l.maxLabel(), rules.maxUploadBytes()})).mapEmpty();
  }

  /** Hands out the next version number of a poster's file (in its own statement, so never shared). */
  Future<Integer> reserveVersion(long eventId, long posterId) {
    return pool.preparedQuery(PosterFileSql.RESERVE_VERSION).execute(Tuple.of(posterId, eventId))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Inserts an accepted file's row; answers the time it was stored. */
  Future<OffsetDateTime> insertFile(SqlConnection tx, PosterFile f) {
    return tx.preparedQuery(PosterFileSql.INSERT_FILE).execute(Tuple.from(new Object[] {f.posterId(), f.version(),
        f.eventId(), f.sha256(), f.sizeBytes(), f.verdict().name(), f.message(), f.check(), f.previewStatus().name(),
        f.uploadedBy()})).map(rows -> rows.iterator().next().getOffsetDateTime(0));
  }

  /**
   * Makes a version current unless a newer one already is. Answers the version it replaced
   * (empty if none), or null when a newer version was current and nothing changed.
   */
  Future<Optional<Integer>> makeCurrent(SqlConnection tx, long posterId, int version) {
    return tx.preparedQuery(PosterFileSql.MAKE_CURRENT).execute(Tuple.of(posterId, version)).map(rows -> rows.size() == 0
        ? null : Optional.ofNullable(rows.iterator().next().getInteger(0)));
  }

  Future<Void> insertAttempt(SqlClient db, long eventId, long posterId, Long personId, PosterCheckResult check,
      JsonObject checkJson, long sizeBytes, Integer version) {
    return db.preparedQuery(PosterFileSql.INSERT_ATTEMPT).execute(Tuple.from(new Object[] {eventId, posterId,
        personId, check.verdict().name(), check.reasonCode(), check.message(), checkJson, sizeBytes, version}))
        .mapEmpty();
  }

  Future<Void> insertAttempt(long eventId, long posterId, Long personId, PosterCheckResult check,
      JsonObject checkJson, long sizeBytes) {
    return insertAttempt(pool, eventId, posterId, personId, check, checkJson, sizeBytes, null);
  }

  /** Claims up to {@code limit} pending previews whose claim is unset or older than {@code staleSeconds}. */
  Future<List<PosterPreviewQueue.Job>> claimPendingPreviews(long staleSeconds, int limit) {
    return pool.preparedQuery(PosterFileSql.CLAIM_PENDING_PREVIEWS).execute(Tuple.of(staleSeconds, limit))
        .map(rows -> {
          List<PosterPreviewQueue.Job> jobs = new ArrayList<>();
          rows.forEach(r -> jobs.add(new PosterPreviewQueue.Job(r.getLong("event_id"), r.getString("slug"),
              r.getLong("poster_id"), r.getInteger("version"), r.getInteger("preview_attempts"))));
          return jobs;
        });
  }

  Future<Void> renewPreviewClaim(long posterId, int version) {
    return pool.preparedQuery(PosterFileSql.RENEW_PREVIEW_CLAIM).execute(Tuple.of(posterId, version)).mapEmpty();
  }

  /** Records a preview's outcome; answers false when the row was no longer pending (rendered twice). */
  Future<Boolean> finishPreview(SqlConnection tx, long posterId, int version, PosterPreview.Status status,
      int attempts) {
    return tx.preparedQuery(PosterFileSql.FINISH_PREVIEW).execute(Tuple.of(posterId, version, status.name(), attempts))
        .map(rows -> rows.size() > 0);
  }

  Future<Optional<PosterFile>> currentFile(long eventId, long posterId) {
    return pool.preparedQuery(PosterFileSql.CURRENT_FILE).execute(Tuple.of(posterId, eventId)).map(rows ->
        rows.size() == 0 ? Optional.empty() : Optional.of(file(rows.iterator().next())));
  }

  Future<List<PosterFile>> currentFiles(long eventId) {
    return pool.preparedQuery(PosterFileSql.CURRENT_FILES).execute(Tuple.of(eventId)).map(rows -> {
      List<PosterFile> list = new ArrayList<>();
      rows.forEach(r -> list.add(file(r)));
      return list;
    });
  }

  Future<Optional<PosterUploadAttempt>> lastAttempt(long eventId, long posterId) {
    return pool.preparedQuery(PosterFileSql.LAST_ATTEMPT).execute(Tuple.of(posterId, eventId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new PosterUploadAttempt(r.getLong("id"), r.getLong("poster_id"),
          PosterVerdict.valueOf(r.getString("verdict")), r.getString("reason_code"), r.getString("message"),
          (JsonObject) r.getValue("check_result"), r.getLong("size_bytes"), r.getInteger("version"),
          r.getOffsetDateTime("attempted_at")));
    });
  }

  private static PosterFile file(Row r) {
    return new PosterFile(r.getLong("poster_id"), r.getInteger("version"), r.getLong("event_id"),
        r.getString("sha256"), r.getLong("size_bytes"), PosterVerdict.valueOf(r.getString("verdict")),
        r.getString("message"), (JsonObject) r.getValue("check_result"),
        PosterPreview.Status.valueOf(r.getString("preview_status")), r.getLong("uploaded_by"),
        r.getOffsetDateTime("uploaded_at"));
  }
}
