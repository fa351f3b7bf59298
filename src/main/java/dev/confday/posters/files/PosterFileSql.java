package dev.confday.posters.files;

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

  /** An accepted file's row; its preview is claimed by the instance that stored it. */
  static final String INSERT_FILE = """
      insert into poster_files (poster_id, version, event_id, sha256, size_bytes, verdict, message, check_result,
                                preview_status, uploaded_by, preview_claimed_at)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
      returning uploaded_at""";

  /**
   * Claims up to $2 pending previews nobody claimed, or whose claim is older than $1 seconds
   * (its instance died or restarted); skips rows another instance is claiming right now.
   */
  static final String CLAIM_PENDING_PREVIEWS = """
      with claimed as (
        select poster_id, version from poster_files
         where preview_status = 'PENDING'
           and (preview_claimed_at is null or preview_claimed_at < now() - make_interval(secs => $1))
         order by preview_claimed_at nulls first, uploaded_at
         limit $2
         for update skip locked)
      update poster_files f set preview_claimed_at = now()
        from claimed c, events e
       where f.poster_id = c.poster_id and f.version = c.version and e.id = f.event_id
      returning f.event_id, e.slug, f.poster_id, f.version, f.preview_attempts""";

  /** Renews a claim when its render starts (a queued job may wait longer than a claim lasts). */
  static final String RENEW_PREVIEW_CLAIM = """
      update poster_files set preview_claimed_at = now()
       where poster_id = $1 and version = $2 and preview_status = 'PENDING'""";

  /** Records a render's outcome ($3: PENDING again for a retry later); only while still pending. */
  static final String FINISH_PREVIEW = """
      update poster_files set preview_status = $3, preview_attempts = $4,
             preview_claimed_at = case when $3 = 'PENDING' then now() end
       where poster_id = $1 and version = $2 and preview_status = 'PENDING'
      returning poster_id""";

  /** Makes a version current unless a newer one already is; answers the version it replaced. */
  static final String LOCK_HEAD = "select current_version from poster_file_heads where poster_id = $1 for update";

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
