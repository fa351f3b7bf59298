package dev.confday.streaming;

/** The SQL of hybrid streaming. */
final class StreamSql {
  private StreamSql() {
  }

  private static final String COLUMNS = """
      s.room_id, s.event_id, r.name as room_name, s.playback_url, s.meeting_url, s.public, s.mode""";

  /** Sets room $1 of event $2's stream; no row when the room is not the event's. */
  static final String UPSERT = """
      insert into stream_rooms (room_id, event_id, playback_url, meeting_url, public)
      select r.id, r.event_id, $3, $4, $5 from rooms r where r.id = $1 and r.event_id = $2
      on conflict (room_id) do update set playback_url = excluded.playback_url, meeting_url = excluded.meeting_url,
        public = excluded.public, updated_at = now()
      returning room_id""";

  static final String OF_EVENT = "select " + COLUMNS + " " + """
       from stream_rooms s join rooms r on r.id = s.room_id where s.event_id = $1 order by r.position, r.id""";

  static final String OF_ROOM = "select " + COLUMNS + " " + """
       from stream_rooms s join rooms r on r.id = s.room_id where s.room_id = $1 and s.event_id = $2""";

  static final String SET_MODE = """
      update stream_rooms set mode = $3, updated_at = now() where room_id = $1 and event_id = $2 returning room_id""";

  /** Every streamed room of every event, for the status ticker. */
  static final String ALL = """
      select s.room_id, s.event_id, e.slug, s.mode, s.public from stream_rooms s join events e on e.id = s.event_id
       order by s.event_id, s.room_id""";

  /** Keeps the status to publish only when it differs from the last one (the row lock orders instances). */
  static final String CHANGE_STATUS = """
      update stream_rooms set last_status = $2::jsonb where room_id = $1 and last_status is distinct from $2::jsonb
      returning room_id""";

  static final String AUDIENCE = "select audience from stream_settings where event_id = $1";

  static final String SET_AUDIENCE = """
      insert into stream_settings (event_id, audience) values ($1, $2)
      on conflict (event_id) do update set audience = excluded.audience""";

  static final String REVOKE = """
      insert into stream_revocations (event_id, person_id) values ($1, $2) on conflict do nothing""";

  static final String RESTORE = "delete from stream_revocations where event_id = $1 and person_id = $2";

  static final String REVOKED = "select 1 from stream_revocations where event_id = $1 and person_id = $2";

  static final String REVOKED_LIST = "select person_id from stream_revocations where event_id = $1 order by person_id";

  /** Remote joins of session $1 in room $2 by the people $3; a join again only moves last_at. */
  static final String JOIN = """
      insert into stream_joins (session_id, room_id, person_id)
      select $1, $2, p from unnest($3::bigint[]) as p
      on conflict (session_id, person_id) do update set last_at = now()
      returning (xmax = 0) as inserted""";

  static final String JOINS = """
      select session_id, array_agg(person_id) as people from stream_joins where session_id = any($1) group by session_id""";
}
