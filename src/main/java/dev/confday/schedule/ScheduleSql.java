package dev.confday.schedule;

/** The SQL of the schedule, one statement per constant. */
final class ScheduleSql {
  private ScheduleSql() {
  }

  /** Bumps (or starts at 1) the event's schedule version; the row lock orders concurrent changes. */
  static final String BUMP_VERSION = """
      insert into schedule_versions (event_id, version) values ($1, 1)
      on conflict (event_id) do update set version = schedule_versions.version + 1
      returning version""";

  static final String VERSION = "select version from schedule_versions where event_id = $1";

  private static final String SESSION_COLUMNS = """
      select s.id, s.guid, s.key, s.title, s.type, s.track, s.abstract, s.room_id, s.starts_at, s.ends_at,
             s.cancelled, s.version, s.sequence, s.updated_at,
             coalesce((select jsonb_agg(jsonb_build_object('personId', sp.person_id, 'name', sp.name,
                                                           'remote', sp.remote) order by sp.position)
                         from session_speakers sp where sp.session_id = s.id), '[]'::jsonb) as speakers
        from sessions s
      """;

  static final String SESSIONS = SESSION_COLUMNS + " where s.event_id = $1 order by s.starts_at, s.room_id, s.id";

  static final String SESSION = SESSION_COLUMNS + " where s.event_id = $1 and s.id = $2";

  static final String SESSIONS_BY_IDS = SESSION_COLUMNS
      + " where s.event_id = $1 and s.id = any($2) order by s.starts_at, s.room_id, s.id";

  static final String ROOM_SESSIONS = SESSION_COLUMNS
      + " where s.event_id = $1 and s.room_id = $2 and not s.cancelled order by s.starts_at";

  /** The first session of a room (other than $2) whose time range overlaps [$3, $4). */
  static final String CLASH = SESSION_COLUMNS + """
       where s.event_id = $1 and s.room_id = $2 and s.id <> $3 and not s.cancelled
         and tstzrange(s.starts_at, s.ends_at) && tstzrange($4, $5)
       order by s.starts_at limit 1""";

  static final String EVENT_OF_SESSION = "select event_id from sessions where id = $1";

  static final String INSERT_SESSION = """
      insert into sessions (event_id, guid, key, title, type, track, abstract, room_id, starts_at, ends_at, version)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      returning id""";

  static final String UPDATE_SESSION = """
      update sessions set key = $3, title = $4, type = $5, track = $6, abstract = $7, room_id = $8, starts_at = $9,
             ends_at = $10, version = $11, sequence = sequence + 1, updated_at = now()
       where event_id = $1 and id = $2""";

  static final String SET_TIMES = """
      update sessions set starts_at = $3, ends_at = $4, version = $5, sequence = sequence + 1, updated_at = now()
       where event_id = $1 and id = $2""";

  static final String SET_CANCELLED = """
      update sessions set cancelled = $3, version = $4, sequence = sequence + 1, updated_at = now()
       where event_id = $1 and id = $2""";

  static final String DELETE_SPEAKERS = "delete from session_speakers where session_id = $1";

  static final String INSERT_SPEAKER = """
      insert into session_speakers (session_id, person_id, name, remote, position) values ($1, $2, $3, $4, $5)""";

  static final String INSERT_CHANGE = """
      insert into schedule_changes (event_id, version, session_id, actor_id, kind, notable, old_value, new_value)
      values ($1, $2, $3, $4, $5, $6, $7, $8)""";

  static final String CHANGES_SINCE = """
      select version, session_id, at, kind, notable, old_value, new_value
        from schedule_changes where event_id = $1 and version > $2
       order by version, session_id limit $3""";

  static final String STAR = """
      insert into agenda_stars (event_id, person_id, session_id, seen_version) values ($1, $2, $3, $4)
      on conflict (person_id, session_id) do update set seen_version = excluded.seen_version""";

  static final String UNSTAR = "delete from agenda_stars where event_id = $1 and person_id = $2 and session_id = $3";

  /** The person's stars, each with whether its session moved or was cancelled since it was last seen. */
  static final String STARS = """
      select st.session_id, st.starred_at, st.seen_version,
             exists (select 1 from schedule_changes c
                      where c.session_id = st.session_id and c.version > st.seen_version and c.notable) as changed
        from agenda_stars st
       where st.event_id = $1 and st.person_id = $2""";

  /** Moves the days of a demo event only; no row for a real event, which is never moved. */
  static final String MOVE_DEMO_DAYS = """
      update events set starts_on = $2, ends_on = $3 where id = $1 and demo""";
}
