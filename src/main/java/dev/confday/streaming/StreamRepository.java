package dev.confday.streaming;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs {@link StreamSql} and maps its rows. */
final class StreamRepository {
  /** A streamed room as the ticker sees it. */
  record Streamed(long roomId, long eventId, String slug, String mode, boolean isPublic) {
  }

  private final Pool pool;

  StreamRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  Future<RowSet<Row>> run(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args);
  }

  Future<Boolean> upsert(long eventId, long roomId, String playbackUrl, String meetingUrl, boolean isPublic) {
    return run(pool, StreamSql.UPSERT, Tuple.of(roomId, eventId, playbackUrl, meetingUrl, isPublic)).map(r -> r.size() == 1);
  }

  Future<List<RoomStream>> ofEvent(long eventId) {
    return run(pool, StreamSql.OF_EVENT, Tuple.of(eventId)).map(rows -> {
      List<RoomStream> out = new ArrayList<>();
      rows.forEach(r -> out.add(stream(r)));
      return out;
    });
  }

  Future<Optional<RoomStream>> ofRoom(long eventId, long roomId) {
    return run(pool, StreamSql.OF_ROOM, Tuple.of(roomId, eventId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(stream(rows.iterator().next())));
  }

  Future<Boolean> setMode(long eventId, long roomId, String mode) {
    return run(pool, StreamSql.SET_MODE, Tuple.of(roomId, eventId, mode)).map(r -> r.size() == 1);
  }

  Future<List<Streamed>> all() {
    return run(pool, StreamSql.ALL, Tuple.tuple()).map(rows -> {
      List<Streamed> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Streamed(r.getLong("room_id"), r.getLong("event_id"), r.getString("slug"),
          r.getString("mode"), r.getBoolean("public"))));
      return out;
    });
  }

  Future<String> audience(long eventId) {
    return run(pool, StreamSql.AUDIENCE, Tuple.of(eventId))
        .map(rows -> rows.size() == 0 ? "registered" : rows.iterator().next().getString(0));
  }

  Future<Void> setAudience(long eventId, String audience) {
    return run(pool, StreamSql.SET_AUDIENCE, Tuple.of(eventId, audience)).mapEmpty();
  }

  Future<Void> revoke(long eventId, long personId, boolean revoked) {
    return run(pool, revoked ? StreamSql.REVOKE : StreamSql.RESTORE, Tuple.of(eventId, personId)).mapEmpty();
  }

  Future<Boolean> revoked(long eventId, long personId) {
    return run(pool, StreamSql.REVOKED, Tuple.of(eventId, personId)).map(rows -> rows.size() > 0);
  }

  Future<List<Long>> revokedList(long eventId) {
    return run(pool, StreamSql.REVOKED_LIST, Tuple.of(eventId)).map(rows -> {
      List<Long> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getLong(0)));
      return out;
    });
  }

  /** Records stream joins of a session; true when someone joined it for the first time. */
  Future<Boolean> join(long sessionId, long roomId, Set<Long> people) {
    if (people.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return run(pool, StreamSql.JOIN, Tuple.of(sessionId, roomId, people.toArray(Long[]::new))).map(rows -> {
      boolean any = false;
      for (Row r : rows) {
        any |= r.getBoolean("inserted");
      }
      return any;
    });
  }

  Future<Map<Long, Set<Long>>> joins(List<Long> sessionIds) {
    return run(pool, StreamSql.JOINS, Tuple.of(sessionIds.toArray(Long[]::new))).map(rows -> {
      Map<Long, Set<Long>> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getLong("session_id"), Set.of(r.getArrayOfLongs("people"))));
      return out;
    });
  }

  private static RoomStream stream(Row r) {
    return new RoomStream(r.getLong("room_id"), r.getLong("event_id"), r.getString("room_name"),
        r.getString("playback_url"), r.getString("meeting_url"), r.getBoolean("public"), r.getString("mode"));
  }
}
