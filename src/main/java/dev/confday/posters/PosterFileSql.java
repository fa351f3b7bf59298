package dev.confday.posters;

/** The SQL of poster uploads, one statement per constant. */
final class PosterFileSql {
  private PosterFileSql() {
  }

  static final String LIMITS = """
      select recommended_width_mm, recommended_height_mm, max_width_mm, max_height_mm, tolerance_mm,
             recommended_label, max_label, max_upload_bytes
        from poster_limits where event_id = $1""";

  static final String UPSERT_LIMITS = """
      insert into poster_limits (event_id, recommended_width_mm, recommended_height_mm, max_width_mm, max_height_mm,
                                 tolerance_mm, recommended_label, max_label, max_upload_bytes)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      on conflict (event_id) do update set
        recommended_width_mm = excluded.recommended_width_mm, recommended_height_mm = excluded.recommended_height_mm,
        max_width_mm = excluded.max_width_mm, max_height_mm = excluded.max_height_mm,
        tolerance_mm = excluded.tolerance_mm, recommended_label = excluded.recommended_label,
        max_label = excluded.max_label, max_upload_bytes = excluded.max_upload_bytes, updated_at = now()""";

  static final String RESERVE_VERSION = """
      insert into poster_file_heads (poster_id, event_id, last_version) values ($1, $2, 1)
      on conflict (poster_id) do update set last_version = poster_file_heads.last_version + 1
      returning last_version""";

  static final String INSERT_FILE = """
      insert into poster_files (poster_id, version, event_id, sha256, size_bytes, verdict, message, check_result,
                                preview_status, uploaded_by)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      returning uploaded_at""";

  /** Makes a version current unless a newer one already is; answers the version it replaced. */
  static final String MAKE_CURRENT = """
      with old as (select poster_id, current_version from poster_file_heads where poster_id = $1 for update)
      update poster_file_heads h set current_version = $2
        from old
       where h.poster_id = old.poster_id and (old.current_version is null or old.current_version < $2)
      returning old.current_version""";

  static final String CURRENT_FILE = """
      select f.poster_id, f.version, f.event_id, f.sha256, f.size_bytes, f.verdict, f.message, f.check_result,
             f.preview_status, f.uploaded_by, f.uploaded_at
        from poster_file_heads h
        join poster_files f on f.poster_id = h.poster_id and f.version = h.current_version
       where h.poster_id = $1 and h.event_id = $2""";

  static final String CURRENT_FILES = """
      select f.poster_id, f.version, f.event_id, f.sha256, f.size_bytes, f.verdict, f.message, f.check_result,
             f.preview_status, f.uploaded_by, f.uploaded_at
        from poster_file_heads h
        join poster_files f on f.poster_id = h.poster_id and f.version = h.current_version
       where h.event_id = $1""";

  static final String INSERT_ATTEMPT = """
      insert into poster_upload_attempts (event_id, poster_id, person_id, verdict, reason_code, message, check_result,
                                          size_bytes, version)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  static final String LAST_ATTEMPT = """
      select id, poster_id, verdict, reason_code, message, check_result, size_bytes, version, attempted_at
        from poster_upload_attempts
       where poster_id = $1 and event_id = $2
       order by id desc limit 1""";
}
