package dev.confday.qa;

/** The SQL of the Q&A, one statement per constant. */
final class QaSql {
  private QaSql() {
  }

  /** The session of event $1 with its Q&A state and whether it runs at $3. */
  static final String SESSION = """
      select s.id, coalesce(q.state, 'auto') as state, coalesce(q.premoderated, false) as premoderated,
             (not s.cancelled and $3 >= s.starts_at and $3 < s.ends_at) as running
        from sessions s left join qa_settings q on q.session_id = s.id
       where s.event_id = $1 and s.id = $2""";

  static final String ATTENDANCE = "select attendance from registrations where event_id = $1 and person_id = $2";

  static final String UPSERT_SETTINGS = """
      insert into qa_settings (session_id, state, premoderated) values ($1, $2, $3)
      on conflict (session_id) do update set state = excluded.state, premoderated = excluded.premoderated""";

  static final String INSERT_QUESTION = """
      insert into qa_questions (event_id, session_id, person_id, text, anonymous, origin, status)
      values ($1, $2, $3, $4, $5, $6, $7) returning id""";

  private static final String COLUMNS = """
      select q.id, q.session_id, q.person_id, p.name as author, q.text, q.anonymous, q.origin, q.status, q.pinned,
             q.answered, q.asked_at, (select count(*) from qa_votes v where v.question_id = q.id) as votes,
             exists (select 1 from qa_votes v where v.question_id = q.id and v.person_id = $3) as voted
        from qa_questions q join people p on p.id = q.person_id
      """;

  /** One question of session $1 (id $2), as seen by person $3. */
  static final String QUESTION = COLUMNS + " where q.session_id = $1 and q.id = $2";

  /** The questions of session $1 as seen by person $3; $2: only visible ones. */
  static final String QUESTIONS = COLUMNS + " where q.session_id = $1 and (not $2 or q.status = 'visible')";

  static final String ORDER_VOTES = " order by q.pinned desc, votes desc, q.asked_at, q.id";
  static final String ORDER_TIME = " order by q.pinned desc, q.asked_at desc, q.id desc";
  /** Votes weighed down by age (hours), as news sites rank stories. */
  static final String ORDER_TRENDING = """
       order by q.pinned desc,
             (select count(*) from qa_votes v where v.question_id = q.id)
               / power(extract(epoch from (now() - q.asked_at)) / 3600.0 + 2, 1.5) desc, q.asked_at desc, q.id""";

  /** Locks the question row, so votes and moderation of one question are ordered. */
  static final String LOCK = "select status from qa_questions where session_id = $1 and id = $2 for update";

  static final String VOTE = "insert into qa_votes (question_id, person_id) values ($1, $2) on conflict do nothing";

  static final String UNVOTE = "delete from qa_votes where question_id = $1 and person_id = $2";

  static final String SET_STATUS = "update qa_questions set status = $3 where session_id = $1 and id = $2";

  static final String SET_ANSWERED = "update qa_questions set answered = $3 where session_id = $1 and id = $2";

  /**
   * Orders the pin changes of one session (a pin waits for the one before it, then unpins it);
   * no key update leaves new questions (their foreign key) unblocked.
   */
  static final String LOCK_SESSION = "select id from sessions where id = $1 for no key update";

  static final String UNPIN_ALL = "update qa_questions set pinned = false where session_id = $1 and pinned and id <> $2";

  static final String SET_PINNED = "update qa_questions set pinned = $3 where session_id = $1 and id = $2";

  static final String IS_SPEAKER = "select 1 from session_speakers where session_id = $1 and person_id = $2";
}
