package dev.confday.live;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL and row mapping of the realtime backbone: message log, tickets, presence rows. */
final class LiveRepository {
  /** One message ready to go on the wire: the whole {@code message} frame's JSON text, built once. */
  record Frame(long seq, String text) {
  }

  /** The newest sequence number of a topic and the oldest still kept (0 when none is kept). */
  record TopicState(long lastSeq, long firstSeq) {
  }

  private final Pool pool;

  LiveRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Long> append(SqlConnection tx, String topic, JsonObject payload) {
    return tx.preparedQuery(LiveSql.APPEND).execute(Tuple.of(topic, payload))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  Future<List<LiveMessage>> since(String topic, long afterSeq, int limit) {
    return pool.preparedQuery(LiveSql.SINCE).execute(Tuple.of(topic, afterSeq, limit)).map(rows -> {
      List<LiveMessage> list = new ArrayList<>();
      rows.forEach(r -> list.add(new LiveMessage(topic, r.getLong("seq"), (JsonObject) r.getValue("payload"))));
      return list;
    });
  }

  /** Messages after {@code afterSeq} as wire frames; the stored JSON text is spliced in, not re-encoded. */
  Future<List<Frame>> frames(String topic, long afterSeq, int limit) {
    String prefix = framePrefix(topic);
    return pool.preparedQuery(LiveSql.SINCE_TEXT).execute(Tuple.of(topic, afterSeq, limit)).map(rows -> {
      List<Frame> list = new ArrayList<>(rows.size());
      for (Row r : rows) {
        long seq = r.getLong(0);
        list.add(new Frame(seq, spliced(prefix, seq, r.getString(1))));
      }
      return list;
    });
  }

  /** The message frame of a topic's message, its payload spliced in as JSON text (not re-encoded). */
  static String frameText(String topic, long seq, String payload) {
    return spliced(framePrefix(topic), seq, payload);
  }

  private static String framePrefix(String topic) {
    return "{\"type\":\"message\",\"topic\":" + Json.encode(topic) + ",\"seq\":";
  }

  private static String spliced(String prefix, long seq, String payload) {
    return new StringBuilder(prefix.length() + payload.length() + 32).append(prefix).append(seq)
        .append(",\"data\":").append(payload).append('}').toString();
  }

  Future<Long> lastSeq(String topic) {
    return pool.preparedQuery(LiveSql.LAST_SEQ).execute(Tuple.of(topic))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  Future<TopicState> state(String topic) {
    return pool.preparedQuery(LiveSql.TOPIC_STATE).execute(Tuple.of(topic)).map(rows -> {
      if (rows.size() == 0) {
        return new TopicState(0, 0);
      }
      Row r = rows.iterator().next();
      Long first = r.getLong("first_seq");
      return new TopicState(r.getLong("last_seq"), first == null ? 0 : first);
    });
  }

  Future<Map<String, Long>> lastSeqs(List<String> topics) {
    return pool.preparedQuery(LiveSql.LAST_SEQS).execute(Tuple.of(topics.toArray(new String[0]))).map(rows -> {
      Map<String, Long> seqs = new HashMap<>();
      rows.forEach(r -> seqs.put(r.getString(0), r.getLong(1)));
      return seqs;
    });
  }

  Future<Void> notify(List<String> payloads) {
    return pool.preparedQuery(LiveSql.NOTIFY).execute(Tuple.of(payloads.toArray(new String[0]))).mapEmpty();
  }

  /** Deletes what is beyond the retention (count per topic, and age); answers how many messages went. */
  Future<Integer> prune(int keepPerTopic, Duration maxAge) {
    return pool.preparedQuery(LiveSql.PRUNE_BY_COUNT).execute(Tuple.of(keepPerTopic))
        .compose(byCount -> pool.preparedQuery(LiveSql.PRUNE_BY_AGE).execute(Tuple.of((double) maxAge.toSeconds()))
            .map(byAge -> byCount.rowCount() + byAge.rowCount()))
        .compose(n -> pool.query(LiveSql.PRUNE_TICKETS).execute().map(n));
  }

  /** True when the ticket id had not been redeemed before, on any instance. */
  Future<Boolean> redeem(String jti, Instant expiresAt) {
    return pool.preparedQuery(LiveSql.REDEEM_TICKET)
        .execute(Tuple.of(jti, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Void> savePresence(String instance, Map<String, Presence> counts, Duration stale) {
    int n = counts.size();
    String[] topics = new String[n];
    Integer[] inPerson = new Integer[n];
    Integer[] remote = new Integer[n];
    Integer[] anonymous = new Integer[n];
    Integer[] other = new Integer[n];
    int i = 0;
    for (Presence p : counts.values()) {
      topics[i] = p.topic();
      inPerson[i] = p.inPerson();
      remote[i] = p.remote();
      anonymous[i] = p.anonymous();
      other[i] = p.other();
      i++;
    }
    return pool.preparedQuery(LiveSql.PRESENCE_SAVE).execute(Tuple.tuple().addString(instance)
        .addArrayOfString(topics).addArrayOfInteger(inPerson).addArrayOfInteger(remote).addArrayOfInteger(anonymous)
        .addArrayOfInteger(other).addDouble((double) stale.toSeconds() * 4)).mapEmpty();
  }

  /** Replaces this instance's people per topic (one transaction, so readers never see it half written). */
  Future<Void> savePeople(String instance, Map<String, Set<Long>> people, Duration stale) {
    List<String> topics = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    people.forEach((topic, set) -> set.forEach(id -> {
      topics.add(topic);
      ids.add(id);
    }));
    return pool.withTransaction(tx -> tx.preparedQuery(LiveSql.PEOPLE_DELETE_INSTANCE).execute(Tuple.of(instance))
        .compose(v -> ids.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(LiveSql.PEOPLE_INSERT)
            .execute(Tuple.of(instance, topics.toArray(String[]::new), ids.toArray(Long[]::new))))
        .compose(v -> tx.preparedQuery(LiveSql.PEOPLE_DELETE_STALE).execute(Tuple.of((double) stale.toSeconds() * 4))))
        .mapEmpty();
  }

  Future<Map<String, Set<Long>>> people(List<String> topics, Duration fresh) {
    return pool.preparedQuery(LiveSql.PEOPLE_OF)
        .execute(Tuple.of(topics.toArray(String[]::new), fresh.toMillis() / 1000.0)).map(rows -> {
          Map<String, Set<Long>> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("topic"), Set.of(r.getArrayOfLongs("people"))));
          return out;
        });
  }

  Future<Void> deletePresence(String instance) {
    return pool.preparedQuery(LiveSql.PRESENCE_DELETE_INSTANCE).execute(Tuple.of(instance)).mapEmpty();
  }

  Future<Presence> presence(String topic, Duration fresh) {
    return pool.preparedQuery(LiveSql.PRESENCE_SUM).execute(Tuple.of(topic, fresh.toMillis() / 1000.0)).map(rows -> {
      Row r = rows.iterator().next();
      return new Presence(topic, r.getLong("in_person").intValue(), r.getLong("remote").intValue(),
          r.getLong("anonymous").intValue(), r.getLong("other").intValue());
    });
  }

  Future<Optional<String>> roomEventSlug(long roomId) {
    return pool.preparedQuery(LiveSql.ROOM_EVENT).execute(Tuple.of(roomId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }
}
