package dev.confday.checkin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.function.Function;

/**
 * The statements of {@link CheckinSql}, one method each: on the pool, or (methods taking a
 * connection) within the caller's transaction.
 */
final class CheckinRepository {
  private final Pool pool;

  CheckinRepository(Pool pool) {
    this.pool = pool;
  }

  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work::apply);
  }

  private static Future<RowSet<Row>> run(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args);
  }

  // ---- badges and registrations

  Future<RowSet<Row>> registration(long eventId, long personId) {
    return run(pool, CheckinSql.REGISTRATION, Tuple.of(eventId, personId));
  }

  Future<RowSet<Row>> badges(long eventId) {
    return run(pool, CheckinSql.BADGES, Tuple.of(eventId));
  }

  Future<RowSet<Row>> printableBadge(long eventId, long personId) {
    return run(pool, CheckinSql.PRINTABLE_BADGE, Tuple.of(eventId, personId));
  }

  Future<RowSet<Row>> reissue(long eventId, long personId) {
    return run(pool, CheckinSql.REISSUE, Tuple.of(eventId, personId));
  }

  /** Who checked in on a list of the room during [from, to) (hybrid attendance). */
  Future<RowSet<Row>> inRoomDuring(long roomId, OffsetDateTime from, OffsetDateTime to) {
    return run(pool, CheckinSql.IN_ROOM_DURING, Tuple.of(roomId, from, to));
  }

  // ---- scanner devices

  Future<RowSet<Row>> insertScanner(long eventId, String name) {
    return run(pool, CheckinSql.INSERT_SCANNER, Tuple.of(eventId, name));
  }

  Future<RowSet<Row>> revokeScanner(long scannerId, long eventId) {
    return run(pool, CheckinSql.REVOKE_SCANNER, Tuple.of(scannerId, eventId));
  }

  Future<RowSet<Row>> scannerLive(long scannerId, long eventId) {
    return run(pool, CheckinSql.SCANNER_LIVE, Tuple.of(scannerId, eventId));
  }

  // ---- offline data

  Future<RowSet<Row>> offlineVersion(long eventId) {
    return run(pool, CheckinSql.OFFLINE_VERSION, Tuple.of(eventId));
  }

  Future<RowSet<Row>> offlineRemoved(long eventId, long from, long version) {
    return run(pool, CheckinSql.OFFLINE_REMOVED, Tuple.of(eventId, from, version));
  }

  Future<RowSet<Row>> offlinePeople(long eventId, long from, long version) {
    return run(pool, CheckinSql.OFFLINE_PEOPLE, Tuple.of(eventId, from, version));
  }

  // ---- lists, counts, history

  Future<RowSet<Row>> lists(long eventId) {
    return run(pool, CheckinSql.LISTS, Tuple.of(eventId));
  }

  Future<RowSet<Row>> list(long eventId, long listId) {
    return run(pool, CheckinSql.LIST, Tuple.of(eventId, listId));
  }

  Future<RowSet<Row>> roomOfEvent(long eventId, long roomId) {
    return run(pool, CheckinSql.ROOM_OF_EVENT, Tuple.of(eventId, roomId));
  }

  Future<RowSet<Row>> insertList(long eventId, Long roomId, String name, boolean allowReentry, boolean admitRemote) {
    return run(pool, CheckinSql.INSERT_LIST, Tuple.of(eventId, roomId, name, allowReentry, admitRemote));
  }

  Future<RowSet<Row>> counts(SqlClient client, long listId) {
    return run(client, CheckinSql.COUNTS, Tuple.of(listId));
  }

  Future<RowSet<Row>> scans(long eventId, Long listId, Long before, int limit) {
    return run(pool, CheckinSql.SCANS, Tuple.of(eventId, listId, before, limit));
  }

  // ---- redeem (within its transaction)

  Future<RowSet<Row>> claimNonce(SqlConnection tx, long eventId, String nonce, long listId, String direction,
      OffsetDateTime scannedAt, boolean offline, Long scannerId, Long staffId, boolean checkScanner) {
    return run(tx, CheckinSql.CLAIM_NONCE, Tuple.from(new Object[] {eventId, nonce, listId, direction, scannedAt,
        offline, scannerId, staffId, checkScanner}));
  }

  Future<RowSet<Row>> storedAnswer(SqlConnection tx, long eventId, String nonce) {
    return run(tx, CheckinSql.STORED_ANSWER, Tuple.of(eventId, nonce));
  }

  Future<RowSet<Row>> finishScan(SqlConnection tx, long scanId, String status, String reason, Long personId,
      String answer, OffsetDateTime receivedAt) {
    return run(tx, CheckinSql.FINISH_SCAN, Tuple.of(scanId, status, reason, personId, answer, receivedAt));
  }

  Future<RowSet<Row>> registrationForUpdate(SqlConnection tx, long eventId, long personId) {
    return run(tx, CheckinSql.REGISTRATION_FOR_UPDATE, Tuple.of(eventId, personId));
  }

  Future<RowSet<Row>> revokedAt(SqlConnection tx, long eventId, long personId, int version) {
    return run(tx, CheckinSql.REVOKED_AT, Tuple.of(eventId, personId, version));
  }

  Future<RowSet<Row>> inside(SqlConnection tx, long eventId, long personId) {
    return run(tx, CheckinSql.INSIDE, Tuple.of(eventId, personId));
  }

  Future<RowSet<Row>> lastEntry(SqlConnection tx, long listId, long personId) {
    return run(tx, CheckinSql.LAST_ENTRY, Tuple.of(listId, personId));
  }

  Future<RowSet<Row>> enter(SqlConnection tx, long eventId, long personId, String zone, long listId,
      OffsetDateTime since) {
    return run(tx, CheckinSql.ENTER, Tuple.of(eventId, personId, zone, listId, since));
  }

  Future<RowSet<Row>> enterOffline(SqlConnection tx, long eventId, long personId, String zone, long listId,
      OffsetDateTime scannedAt) {
    return run(tx, CheckinSql.ENTER_OFFLINE, Tuple.of(eventId, personId, zone, listId, scannedAt));
  }

  /**
   * Leaves one list ({@code listId}) or, when null, the venue and every room; an offline exit
   * ({@code scannedAt} not null) only where nothing later is known.
   */
  Future<RowSet<Row>> leave(SqlConnection tx, long eventId, long personId, Long listId, OffsetDateTime scannedAt) {
    if (scannedAt == null) {
      return listId == null ? run(tx, CheckinSql.LEAVE_ALL, Tuple.of(eventId, personId))
          : run(tx, CheckinSql.LEAVE_LIST, Tuple.of(eventId, personId, listId));
    }
    return listId == null ? run(tx, CheckinSql.LEAVE_ALL_OFFLINE, Tuple.of(eventId, personId, scannedAt))
        : run(tx, CheckinSql.LEAVE_LIST_OFFLINE, Tuple.of(eventId, personId, listId, scannedAt));
  }

  // ---- the offline merge and the conflicts

  Future<RowSet<Row>> currentFirst(SqlConnection tx, long listId, long personId, OffsetDateTime scannedAt,
      String nonce) {
    return run(tx, CheckinSql.CURRENT_FIRST, Tuple.of(listId, personId, scannedAt, nonce));
  }

  Future<RowSet<Row>> markFirst(SqlConnection tx, long scanId, long personId) {
    return run(tx, CheckinSql.MARK_FIRST, Tuple.of(scanId, personId));
  }

  Future<RowSet<Row>> markDuplicate(SqlConnection tx, long scanId, long firstId, long personId) {
    return run(tx, CheckinSql.MARK_DUPLICATE, Tuple.of(scanId, firstId, personId));
  }

  Future<RowSet<Row>> demoteFirst(SqlConnection tx, long oldFirst, long newFirst) {
    return run(tx, CheckinSql.DEMOTE_FIRST, Tuple.of(oldFirst, newFirst));
  }

  Future<RowSet<Row>> scanRef(SqlConnection tx, long scanId) {
    return run(tx, CheckinSql.SCAN_REF, Tuple.of(scanId));
  }

  Future<RowSet<Row>> conflicts(SqlClient client, long eventId, Long[] ids, boolean unseenOnly, Long before,
      int limit) {
    return run(client, CheckinSql.CONFLICTS, Tuple.of(eventId, ids, unseenOnly, before, limit));
  }

  Future<RowSet<Row>> conflictSeen(long eventId, long scanId) {
    return run(pool, CheckinSql.CONFLICT_SEEN, Tuple.of(eventId, scanId));
  }
}
