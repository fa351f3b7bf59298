package dev.confday.live;

/** The SQL of the realtime backbone. */
final class LiveSql {
  private LiveSql() {
  }

  /** The channel that wakes other instances; the payload names topics, never carries messages. */
  static final String CHANNEL = "confday_live";

  /**
   * Appends a message to topic $1 with payload $2 in one statement: takes the topic's next
   * sequence number (the row lock, held to the end of the transaction, orders concurrent
   * publishers) and stores the message under it; answers the number.
   */
  static final String APPEND = """
      with next as (
        insert into live_topics (topic, last_seq) values ($1, 1)
        on conflict (topic) do update set last_seq = live_topics.last_seq + 1
        returning last_seq
      )
      insert into live_messages (topic, seq, payload) select $1, last_seq, $2 from next returning seq""";

  static final String SINCE = """
      select seq, payload from live_messages where topic = $1 and seq > $2 order by seq limit $3""";

  /** Like {@link #SINCE} but with the payload as JSON text, spliced into frames without re-encoding. */
  static final String SINCE_TEXT = """
      select seq, payload::text as payload from live_messages where topic = $1 and seq > $2 order by seq limit $3""";

  static final String LAST_SEQ = "select last_seq from live_topics where topic = $1";

  /** The newest and the oldest retained sequence numbers of a topic. */
  static final String TOPIC_STATE = """
      select t.last_seq, (select min(m.seq) from live_messages m where m.topic = t.topic) as first_seq
        from live_topics t where t.topic = $1""";

  static final String LAST_SEQS = "select topic, last_seq from live_topics where topic = any($1)";

  static final String NOTIFY = "select pg_notify('" + CHANNEL + "', p) from unnest($1::text[]) as p";

  static final String LISTEN = "listen " + CHANNEL;

  static final String PRUNE_BY_COUNT = """
      delete from live_messages m using live_topics t where m.topic = t.topic and m.seq <= t.last_seq - $1""";

  static final String PRUNE_BY_AGE = """
      delete from live_messages where created_at < now() - make_interval(secs => $1)""";

  static final String PRUNE_TICKETS = "delete from live_tickets_used where expires_at < now()";

  /** Remembers a ticket id; no row is inserted when it was redeemed before (on any instance). */
  static final String REDEEM_TICKET = """
      insert into live_tickets_used (jti, expires_at) values ($1, $2) on conflict do nothing""";

  /**
   * This instance's presence in one statement (one round trip, one transaction): its counts per
   * topic ($2 to $6, row by row) upserted, its rows of other topics deleted, and every other
   * instance's rows older than $7 seconds (an instance that died) deleted. The three touch
   * disjoint rows (the stale delete spares this instance's, which the other two rewrite).
   */
  static final String PRESENCE_SAVE = """
      with up as (
        insert into live_presence (instance_id, topic, in_person, remote, anonymous, other, seen_at)
        select $1, t, a, b, c, d, now() from unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[]) as x(t, a, b, c, d)
        on conflict (instance_id, topic) do update set in_person = excluded.in_person, remote = excluded.remote,
          anonymous = excluded.anonymous, other = excluded.other, seen_at = excluded.seen_at
        returning 1
      ), gone as (
        delete from live_presence where instance_id = $1 and not (topic = any($2::text[])) returning 1
      ), stale as (
        delete from live_presence where instance_id <> $1 and seen_at < now() - make_interval(secs => $7) returning 1
      )
      select (select count(*) from up) as upserted, (select count(*) from gone) as gone,
             (select count(*) from stale) as stale""";

  static final String PRESENCE_DELETE_INSTANCE = "delete from live_presence where instance_id = $1";

  static final String PRESENCE_SUM = """
      select coalesce(sum(in_person), 0) as in_person, coalesce(sum(remote), 0) as remote,
             coalesce(sum(anonymous), 0) as anonymous, coalesce(sum(other), 0) as other
        from live_presence where topic = $1 and seen_at > now() - make_interval(secs => $2)""";

  static final String PEOPLE_DELETE_INSTANCE = "delete from live_presence_people where instance_id = $1";

  static final String PEOPLE_INSERT = """
      insert into live_presence_people (instance_id, topic, person_id, seen_at)
      select $1, t, p, now() from unnest($2::text[], $3::bigint[]) as x(t, p) on conflict do nothing""";

  static final String PEOPLE_DELETE_STALE = """
      delete from live_presence_people where seen_at < now() - make_interval(secs => $1)""";

  /** The distinct people subscribed to each of the topics $1 on any instance with a fresh heartbeat. */
  static final String PEOPLE_OF = """
      select topic, array_agg(distinct person_id) as people from live_presence_people
       where topic = any($1) and seen_at > now() - make_interval(secs => $2) group by topic""";

  static final String ROOM_EVENT = """
      select e.slug from rooms r join events e on e.id = r.event_id where r.id = $1""";
}
