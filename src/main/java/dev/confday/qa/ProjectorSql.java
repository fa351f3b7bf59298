package dev.confday.qa;

/** The SQL of projector links, one statement per constant. */
final class ProjectorSql {
  private ProjectorSql() {
  }

  /** The session $2 of event $1, with its room's name. */
  static final String SESSION = """
      select s.id, s.title, s.starts_at, s.ends_at, r.name as room, coalesce(q.fair_order, false) as fair_order
        from sessions s join rooms r on r.id = s.room_id left join qa_settings q on q.session_id = s.id
       where s.event_id = $1 and s.id = $2""";

  static final String INSERT = """
      insert into qa_projector_links (event_id, session_id, secret_hash, created_by) values ($1, $2, $3, $4)
      returning id, created_at""";

  /** The session's links not revoked, newest first, with who made them. */
  static final String ACTIVE = """
      select l.id, l.created_at, p.name as created_by
        from qa_projector_links l left join people p on p.id = l.created_by
       where l.event_id = $1 and l.session_id = $2 and l.revoked_at is null
       order by l.created_at desc, l.id desc""";

  /** Revokes link $3 of session $2 of event $1 (again: keeps the first time); answers it when it exists. */
  static final String REVOKE = """
      update qa_projector_links set revoked_at = coalesce(revoked_at, now())
       where event_id = $1 and session_id = $2 and id = $3 returning id""";

  /** Of the link ids $1, those not revoked. */
  static final String ACTIVE_AMONG = "select id from qa_projector_links where id = any($1) and revoked_at is null";

  /** The link whose secret hashes to $2, in event $1. */
  static final String BY_SECRET = """
      select id, session_id, revoked_at is not null as revoked
        from qa_projector_links where event_id = $1 and secret_hash = $2""";

  /** What a projector shows: the visible questions of session $1, pinned first, then by votes. */
  static final String VISIBLE_QUESTIONS = """
      select q.id, q.text, q.anonymous, q.origin, q.pinned, q.answered, q.asked_at, p.name as author,
             q.original_text is not null as edited,
             (select count(*) from %s voters) as votes
        from qa_questions q join people p on p.id = q.person_id
       where q.session_id = $1 and q.status = 'visible'
       order by q.pinned desc, votes desc, q.asked_at, q.id""".formatted(QaSql.VOTERS);
}
