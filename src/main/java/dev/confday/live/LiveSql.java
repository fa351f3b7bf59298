package dev.confday.live;

/** The SQL of the realtime backbone. */
final class LiveSql {
  private LiveSql() {
  }

  /** Takes the topic's next sequence number; the row lock orders concurrent publishers. */
  static final String NEXT_SEQ = """
      insert into live_topics (topic, last_seq) values ($1, 1)
      on conflict (topic) do update set last_seq = live_topics.last_seq + 1
      returning last_seq""";

  static final String INSERT_MESSAGE = """
      insert into live_messages (topic, seq, payload) values ($1, $2, $3)""";

  static final String SINCE = """
      select seq, payload from live_messages where topic = $1 and seq > $2 order by seq limit $3""";

  static final String LAST_SEQ = "select last_seq from live_topics where topic = $1";
}
