package dev.confday.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The realtime backbone every feature publishes through. A feature calls {@link #publish}
 * inside the transaction of the change it describes, so a message exists exactly when the
 * change does. Topics are strings such as {@code event:<slug>:schedule}.
 */
public final class LiveService {
  private final Pool pool;

  public LiveService(Pool pool) {
    this.pool = pool;
  }

  /** Appends {@code payload} to {@code topic} within the caller's transaction; answers its sequence number. */
  public Future<Long> publish(SqlConnection tx, String topic, JsonObject payload) {
    return tx.preparedQuery(LiveSql.NEXT_SEQ).execute(Tuple.of(topic))
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(seq -> tx.preparedQuery(LiveSql.INSERT_MESSAGE).execute(Tuple.of(topic, seq, payload)).map(seq));
  }

  /** Messages of a topic after {@code afterSeq}, oldest first, at most {@code limit}. */
  public Future<List<LiveMessage>> since(String topic, long afterSeq, int limit) {
    return pool.preparedQuery(LiveSql.SINCE).execute(Tuple.of(topic, afterSeq, limit)).map(rows -> {
      List<LiveMessage> list = new ArrayList<>();
      rows.forEach(r -> list.add(new LiveMessage(topic, r.getLong("seq"), (JsonObject) r.getValue("payload"))));
      return list;
    });
  }

  /** The newest sequence number of a topic, 0 when nothing was published yet. */
  public Future<Long> lastSeq(String topic) {
    return pool.preparedQuery(LiveSql.LAST_SEQ).execute(Tuple.of(topic))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }
}
