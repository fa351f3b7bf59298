package dev.confday.qa;

/** The SQL of the Q&A, one statement per constant. */
final class QaSql {
  private QaSql() {
  }

  /** The session of event $1 with its Q&A state and whether it runs at $3. */
  static final String SESSION = """
      select s.id, coalesce(q.state, 'auto') as state, coalesce(q.premoderated, false) as premoderated,
             coalesce(q.fair_order, false) as fair_order,
             (not s.cancelled and $3 >= s.starts_at and $3 < s.ends_at) as running
        from sessions s left join qa_settings q on q.session_id = s.id
       where s.event_id = $1 and s.id = $2""";

  static final String ATTENDANCE = "select attendance from registrations where event_id = $1 and person_id = $2";

  static final String UPSERT_SETTINGS = """
      insert into qa_settings (session_id, state, premoderated, fair_order) values ($1, $2, $3, $4)
      on conflict (session_id) do update set state = excluded.state, premoderated = excluded.premoderated,
        fair_order = excluded.fair_order""";

  static final String INSERT_QUESTION = """
      insert into qa_questions (event_id, session_id, person_id, text, anonymous, origin, status)
      values ($1, $2, $3, $4, $5, $6, $7) returning id""";

  /**
   * A question's votes: its own and those of the duplicates merged into it, each person counted
   * once (a merged duplicate keeps its own vote rows, so unmerging restores them).
   */
  static final String VOTERS = """
      (select v.person_id from qa_votes v where v.question_id = q.id
       union select v.person_id from qa_votes v join qa_questions m on m.id = v.question_id where m.merged_into = q.id)""";

  private static final String COLUMNS = """
      select q.id, q.session_id, q.person_id, p.name as author, q.text, q.anonymous, q.origin, q.status, q.pinned,
             q.answered, q.asked_at, q.original_text, q.edited_at, q.merged_into,
             (select count(*) from %s voters) as votes,
             exists (select 1 from %s voters where voters.person_id = $3) as voted
        from qa_questions q join people p on p.id = q.person_id
      """.formatted(VOTERS, VOTERS);

  /** One question of session $1 (id $2), as seen by person $3. */
  static final String QUESTION = COLUMNS + " where q.session_id = $1 and q.id = $2";

  /** The questions of session $1 as seen by person $3; $2: only visible ones. */
  static final String QUESTIONS = "select * from (" + COLUMNS
      + " where q.session_id = $1 and (not $2 or q.status = 'visible')) q";

  static final String ORDER_VOTES = " order by pinned desc, votes desc, asked_at, id";
  static final String ORDER_TIME = " order by pinned desc, asked_at desc, id desc";
  /** Votes weighed down by age (hours), as news sites rank stories. */
  static final String ORDER_TRENDING = " " + """
      order by pinned desc, votes / power(extract(epoch from (now() - asked_at)) / 3600.0 + 2, 1.5) desc,
             asked_at desc, id""";

  /** Locks the question row, so votes and moderation of one question are ordered. */
  static final String LOCK = """
      select status, merged_into from qa_questions where session_id = $1 and id = $2 for update""";

  /** Like {@link #LOCK} for a vote: votes of one question share the lock, moderation waits for them. */
  static final String LOCK_FOR_VOTE = """
      select status, merged_into from qa_questions where session_id = $1 and id = $2 for key share""";

  /** Whether questions of session $1 are merged into question $2. */
  static final String HAS_MERGED = "select 1 from qa_questions where session_id = $1 and merged_into = $2 limit 1";

  /** Edits the text of question $2 to $3 by person $4, keeping the text as asked (editing back to it clears it). */
  static final String EDIT = """
      update qa_questions set
             original_text = case when $3 = coalesce(original_text, text) then null else coalesce(original_text, text) end,
             edited_at = case when $3 = coalesce(original_text, text) then null else now() end,
             edited_by = case when $3 = coalesce(original_text, text) then null else $4::bigint end,
             text = $3
       where session_id = $1 and id = $2""";

  /** Back to the text as asked. */
  static final String UNEDIT = """
      update qa_questions set text = coalesce(original_text, text), original_text = null, edited_at = null,
             edited_by = null
       where session_id = $1 and id = $2""";

  /** Merges question $2 into $3: hidden, pinned no more, its status kept for unmerge. */
  static final String MERGE = """
      update qa_questions set merged_status = status, status = 'merged', merged_into = $3, pinned = false
       where session_id = $1 and id = $2""";

  static final String UNMERGE = """
      update qa_questions set status = merged_status, merged_status = null, merged_into = null
       where session_id = $1 and id = $2""";

  static final String IS_MUTED = "select 1 from qa_mutes where session_id = $1 and person_id = $2";

  static final String MUTE = """
      insert into qa_mutes (session_id, person_id, muted_by) values ($1, $2, $3)
      on conflict (session_id, person_id) do update set muted_by = qa_mutes.muted_by
      returning muted_at""";

  static final String UNMUTE = "delete from qa_mutes where session_id = $1 and person_id = $2";

  static final String MUTES = """
      select m.person_id, p.name, m.muted_at from qa_mutes m join people p on p.id = m.person_id
       where m.session_id = $1 order by m.muted_at, m.person_id""";

  /** A person of event $1 (registered or holding a role), with their name. */
  static final String EVENT_PERSON = """
      select p.name from people p
       where p.id = $2 and (exists (select 1 from registrations r where r.event_id = $1 and r.person_id = p.id)
          or exists (select 1 from event_roles pr where pr.event_id = $1 and pr.person_id = p.id))""";

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
