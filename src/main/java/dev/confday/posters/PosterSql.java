package dev.confday.posters;

/** The SQL of the posters feature, one statement per constant. */
final class PosterSql {
  private PosterSql() {
  }

  /** Serializes the assignment changes of one event (auto-assign, moves) without touching its rows. */
  static final String LOCK_EVENT_POSTERS = "select pg_advisory_xact_lock(hashtextextended('confday.posters', $1))";

  static final String INSERT_POSTER = """
      insert into posters (event_id, number, title, abstract, track, authors, presenter_id, remote)
      values ($1, $2, $3, $4, $5, $6, $7, $8)
      returning *""";

  static final String POSTERS = "select * from posters where event_id = $1 order by number";

  static final String POSTER = "select * from posters where event_id = $1 and id = $2";

  /**
   * Posters matching a search: the exact poster number or board label first, then title
   * matches, then author or track matches; by number inside each group. $2 is the trimmed
   * query (number or label), $3 the ILIKE pattern.
   */
  static final String SEARCH_POSTERS = """
      select p.*,
             case when p.number::text = ltrim($2, '#') then 0
                  when exists (select 1 from poster_assignments pa join boards b on b.id = pa.board_id
                                where pa.poster_id = p.id and lower(b.label) = lower($2)) then 0
                  when p.title ilike $3 then 1
                  else 2 end as rank
        from posters p
       where p.event_id = $1
         and (p.number::text = ltrim($2, '#')
              or p.title ilike $3
              or p.track ilike $3
              or exists (select 1 from unnest(p.authors) a where a ilike $3)
              or exists (select 1 from poster_assignments pa join boards b on b.id = pa.board_id
                          where pa.poster_id = p.id and lower(b.label) = lower($2)))
       order by rank, p.number
       limit 200""";

  static final String PLACEMENTS = """
      select pa.session_ref, pa.poster_id, b.*, a.name as area_name
        from poster_assignments pa
        join boards b on b.id = pa.board_id
        join venue_areas a on a.id = b.area_id
       where pa.event_id = $1
       order by pa.session_ref, a.position, a.id, b.walk_order""";

  static final String INSERT_AREA = """
      insert into venue_areas (event_id, name, position, width, height)
      values ($1, $2, $3, $4, $5)
      returning *""";

  static final String AREAS = "select * from venue_areas where event_id = $1 order by position, id";

  static final String AREA = "select * from venue_areas where event_id = $1 and id = $2";

  /** Points the area at a new plan; also answers the path of the plan it replaced, to delete. */
  static final String SET_PLAN = """
      update venue_areas a
         set plan_path = $3, plan_type = $4, plan_bytes = $5, view_x = $6, view_y = $7, width = $8, height = $9,
             updated_at = now()
        from (select id, plan_path from venue_areas where event_id = $1 and id = $2 for update) old
       where a.id = old.id
      returning a.*, old.plan_path as old_plan_path""";

  /** The boards of an event in walking order: areas by position, then each area's walking order. */
  static final String BOARDS = """
      select b.* from boards b join venue_areas a on a.id = b.area_id
       where b.event_id = $1
       order by a.position, a.id, b.walk_order""";

  static final String UPSERT_BOARD = """
      insert into boards (event_id, area_id, label, x, y, width, height, walk_order)
      values ($1, $2, $3, $4, $5, $6, $7, $8)
      on conflict (event_id, label) do update
         set x = excluded.x, y = excluded.y, width = excluded.width, height = excluded.height,
             walk_order = excluded.walk_order
       where boards.area_id = excluded.area_id
      returning *""";

  /** Boards of the area that the new layout leaves out and that still hold a poster; $3 = kept labels. */
  static final String REMOVED_BOARDS_IN_USE = """
      select distinct b.label from boards b join poster_assignments pa on pa.board_id = b.id
       where b.event_id = $1 and b.area_id = $2 and b.label <> all($3)
       order by b.label""";

  static final String DELETE_REMOVED_BOARDS = """
      delete from boards where event_id = $1 and area_id = $2 and label <> all($3)""";

  static final String SESSIONS = """
      select session_ref, count(*) as posters from poster_assignments
       where event_id = $1 group by session_ref order by session_ref""";

  static final String ASSIGNMENTS = """
      select session_ref, poster_id, board_id from poster_assignments
       where event_id = $1 and session_ref = $2""";

  static final String DELETE_SESSION_ASSIGNMENTS = """
      delete from poster_assignments where event_id = $1 and session_ref = $2""";

  static final String INSERT_ASSIGNMENTS = """
      insert into poster_assignments (event_id, session_ref, poster_id, board_id)
      select $1, $2, p, b from unnest($3::bigint[], $4::bigint[]) as t (p, b)""";

  static final String UPSERT_ASSIGNMENT = """
      insert into poster_assignments (event_id, session_ref, poster_id, board_id)
      values ($1, $2, $3, $4)
      on conflict (event_id, session_ref, poster_id) do update set board_id = excluded.board_id, assigned_at = now()""";

  /** Swaps the boards of posters $3 and $4 in one statement (the unique check runs at its end). */
  static final String SWAP_ASSIGNMENTS = """
      update poster_assignments
         set board_id = case when poster_id = $3::bigint then $6::bigint else $5::bigint end, assigned_at = now()
       where event_id = $1 and session_ref = $2 and poster_id in ($3::bigint, $4::bigint)""";

  static final String DELETE_ASSIGNMENT = """
      delete from poster_assignments where event_id = $1 and session_ref = $2 and poster_id = $3""";

  static final String BOARDS_FOR_SESSION = """
      select p.number, p.title, b.label, a.name as area_name
        from poster_assignments pa
        join posters p on p.id = pa.poster_id
        join boards b on b.id = pa.board_id
        join venue_areas a on a.id = b.area_id
       where pa.event_id = $1 and pa.session_ref = $2
       order by p.number""";
}
