package dev.confday.qa;

import dev.confday.auth.CallerCheck;
import dev.confday.auth.Role;

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

  static final String UPSERT_SETTINGS = """
      insert into qa_settings (session_id, state, premoderated, fair_order) values ($1, $2, $3, $4)
      on conflict (session_id) do update set state = excluded.state, premoderated = excluded.premoderated,
        fair_order = excluded.fair_order""";

  /**
   * A question asked and published in one statement (autocommit, one round trip), the caller
   * checked in it ({@link CallerCheck}, parameters $10 to $15): person $2 asks $3 (anonymous: $4)
   * in session $1 of the route's event at time $5. Stored only when the caller is admitted, is
   * registered (the origin from the registration), the session's Q&A is open and the person is
   * not muted there (the status from pre-moderation); then published, in the same statement, to
   * the moderation topic $6 and, when visible, to the attendees' topic $7: the payloads $8 and
   * $9 ({@code {"type":"question","question":...}} as each sees it) with the question's id,
   * origin, status and (where the payload names the author) the author's name filled in.
   * {@code publishing} is {@link dev.confday.live.LiveService#outboxSql}. With the client's key
   * $16 (null: none) nothing is stored when the person asked with it in this session before:
   * {@code prior_id} names that question (a concurrent ask with the same key that commits while
   * this one runs leaves both empty; the caller then reads it by its key). With $17 false (the
   * person's asking budget is spent) nothing is stored in any case: only an earlier ask is found.
   * Answers one row: the caller's columns ({@link CallerCheck#COLUMNS}), {@code attendance}
   * (null: not registered), {@code open} (null: no such session), {@code muted}, when stored the
   * question's {@code id}, {@code origin} and {@code status}, and the messages published (the
   * {@code live_*} arrays, for {@link dev.confday.live.LiveService#committedHere}).
   */
  static String ask(String publishing) {
    return """
        with %s, reg as (
          select attendance from registrations where event_id = (select caller_event_id from caller) and person_id = $2
        ), sess as (
          select coalesce(q.state, 'auto') = 'open'
                 or (coalesce(q.state, 'auto') = 'auto' and not s.cancelled and $5 >= s.starts_at and $5 < s.ends_at)
                 as open,
                 coalesce(q.premoderated, false) as premoderated
            from sessions s left join qa_settings q on q.session_id = s.id
           where s.event_id = (select caller_event_id from caller) and s.id = $1
        ), mute as (
          select exists (select 1 from qa_mutes where session_id = $1 and person_id = $2) as muted
        ), prior as (
          select id from qa_questions where $16::text is not null and session_id = $1 and person_id = $2
                                        and client_key = $16::text and event_id = (select caller_event_id from caller)
        ), ins as (
          insert into qa_questions (event_id, session_id, person_id, text, anonymous, origin, status, asked_at, client_key)
          select caller.caller_event_id, $1, $2, $3, $4, case when reg.attendance = 'remote' then 'remote' else 'room' end,
                 case when sess.premoderated then 'pending' else 'visible' end, $5, $16::text
            from caller, reg, sess, mute
           where caller.caller_ok and $17::boolean and sess.open and not mute.muted and not exists (select 1 from prior)
          on conflict (session_id, person_id, client_key) where client_key is not null do nothing
          returning id, origin, status
        ), filled as (
          select ins.status, jsonb_build_object('id', ins.id, 'origin', ins.origin, 'status', ins.status) as question,
                 to_jsonb(caller.caller_name) as author
            from ins, caller
        ), outbox (ord, topic, payload) as (
          select 1, $6::text, jsonb_set(jsonb_set($8::jsonb, '{question}', ($8::jsonb -> 'question') || filled.question),
                                        '{question,author,name}', filled.author, false)
            from filled
          union all
          select 2, $7::text, jsonb_set(jsonb_set($9::jsonb, '{question}', ($9::jsonb -> 'question') || filled.question),
                                        '{question,author,name}', filled.author, false)
            from filled where filled.status = 'visible'
        ), %s
        select %s,
               (select attendance from reg) as attendance, (select open from sess) as open, mute.muted,
               ins.id, ins.origin, ins.status, (select id from prior) as prior_id,
               (select array_agg(topic order by topic) from live_published) as live_topics,
               (select array_agg(seq order by topic) from live_published) as live_seqs,
               (select array_agg(payload order by topic) from live_published) as live_payloads,
               (select count(*) from live_woken) as live_woken
          from caller, mute left join ins on true""".formatted(CallerCheck.cte(10), publishing, CallerCheck.COLUMNS);
  }

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

  /** The id of the question person $2 asked in session $1 of event $4 with the client's key $3. */
  static final String BY_KEY = """
      select id from qa_questions where session_id = $1 and person_id = $2 and client_key = $3 and event_id = $4""";

  /** Locks the question row, so votes and moderation of one question are ordered. */
  static final String LOCK = """
      select status, merged_into from qa_questions where session_id = $1 and id = $2 for update""";

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

  /**
   * A whole vote in one statement (autocommit, one round trip), the caller checked in it
   * ({@link CallerCheck}, parameters $6 to $11): person $3 ups ($4 true) or withdraws their vote
   * on question $2 of session $1 of the route's event at time $5; a moderator may vote on
   * questions attendees do not see. The question row is locked for key share when the caller is
   * admitted and registered and the Q&A is open: votes of one question share the lock, and
   * moderation (which locks the row for update, {@link #LOCK}) waits for them; a vote that
   * waited for moderation sees the question's new status. Only a vote that passes every check
   * (visible or moderator, not merged) changes {@code qa_votes} (one row per person: the primary
   * key) and, only when a row was added or removed, records the change for {@link VoteCoalescer}
   * in the same statement, hence the same transaction. Answers one row: the caller's columns
   * ({@link CallerCheck#COLUMNS}), {@code registered}, {@code open} (null: no such session), the
   * question's {@code status} and {@code merged_into} (status null: no such question), whether a
   * vote row was added or removed ({@code changed}), and the question's {@code votes} and
   * {@code voted} after this vote: the other people voting for it or its merged duplicates (each
   * once, as of the statement's snapshot) plus the voter when they vote for it or one of its
   * duplicates.
   */
  static final String CAST_VOTE = """
      with %s, reg as (
        select 1 from registrations where event_id = (select caller_event_id from caller) and person_id = $3
      ), sess as (
        select coalesce(q.state, 'auto') = 'open'
               or (coalesce(q.state, 'auto') = 'auto' and not s.cancelled and $5 >= s.starts_at and $5 < s.ends_at)
               as open
          from sessions s left join qa_settings q on q.session_id = s.id
         where s.event_id = (select caller_event_id from caller) and s.id = $1
      ), target as (
        select t.id, t.status, t.merged_into from qa_questions t
         where t.session_id = $1 and t.id = $2 and (select caller_ok from caller) and exists (select 1 from reg)
           and (select open from sess)
           for key share
      ), ok as (
        select id from target, caller where merged_into is null and (status = 'visible' or %s)
      ), ins as (
        insert into qa_votes (question_id, person_id) select id, $3 from ok where $4::boolean
        on conflict do nothing returning question_id
      ), del as (
        delete from qa_votes v using ok where not $4::boolean and v.question_id = ok.id and v.person_id = $3
        returning v.question_id
      ), changed as (
        insert into qa_vote_changes (session_id, question_id)
        select $1, question_id from ins union all select $1, question_id from del
      ), dup as (
        select v.person_id from qa_votes v join qa_questions m on m.id = v.question_id where m.merged_into = $2
      ), others as (
        select person_id from qa_votes where question_id = $2 and person_id <> $3
        union select person_id from dup where person_id <> $3
      ), mine as (
        select $4::boolean or exists (select 1 from dup where person_id = $3) as voted
      )
      select %s, exists (select 1 from reg) as registered, (select open from sess) as open,
             (select status from target) as status, (select merged_into from target) as merged_into,
             (select count(*) from others) + case when mine.voted then 1 else 0 end as votes, mine.voted,
             (select count(*) from ins) + (select count(*) from del) > 0 as changed
        from caller, mine""".formatted(CallerCheck.cte(6), CallerCheck.has(Role.MODERATOR), CallerCheck.COLUMNS);

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
