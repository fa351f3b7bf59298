package dev.confday.checkin;

/** SQL of QR check-in. */
final class CheckinSql {
  static final String LISTS = """
      select id, event_id, room_id, name, allow_reentry, admit_remote from checkin_lists
       where event_id = $1 order by room_id nulls first, id""";
  static final String LIST = """
      select id, event_id, room_id, name, allow_reentry, admit_remote from checkin_lists
       where event_id = $1 and id = $2""";
  static final String ROOM_OF_EVENT = "select 1 from rooms where event_id = $1 and id = $2";
  static final String INSERT_LIST = """
      insert into checkin_lists (event_id, room_id, name, allow_reentry, admit_remote) values ($1, $2, $3, $4, $5)
      on conflict (event_id, name) do nothing
      returning id, event_id, room_id, name, allow_reentry, admit_remote""";
  static final String REGISTRATION = """
      select g.attendance, g.badge_version, p.name from registrations g join people p on p.id = g.person_id
       where g.event_id = $1 and g.person_id = $2""";
  static final String BADGES = """
      select g.person_id, g.name, g.affiliation, g.ticket_type, g.badge_version from registrations g
       where g.event_id = $1 and g.attendance = 'in-person' order by g.name, g.person_id""";
  static final String REGISTRATION_FOR_UPDATE = """
      select g.attendance, g.badge_version, p.name from registrations g join people p on p.id = g.person_id
       where g.event_id = $1 and g.person_id = $2 for update of g""";
  static final String REISSUE = """
      update registrations set badge_version = badge_version + 1 where event_id = $1 and person_id = $2
      returning badge_version""";
  static final String CLAIM_NONCE = """
      insert into checkin_scans (event_id, nonce, list_id, list_name, direction, scanned_at, status)
      values ($1, $2, $3, (select name from checkin_lists where id = $3), $4, $5, 'pending')
      on conflict (event_id, nonce) do nothing returning id""";
  static final String STORED_ANSWER = "select answer from checkin_scans where event_id = $1 and nonce = $2";
  static final String FINISH_SCAN = """
      update checkin_scans set status = $2, reason = $3, person_id = $4, answer = $5, received_at = $6 where id = $1""";
  static final String INSIDE = "select zone, list_id, since from checkin_inside where event_id = $1 and person_id = $2";
  static final String LAST_ENTRY = """
      select received_at from checkin_scans where list_id = $1 and person_id = $2 and status = 'ok' and direction = 'entry'
       order by received_at desc limit 1""";
  static final String ENTER = """
      insert into checkin_inside (event_id, person_id, zone, list_id, since) values ($1, $2, $3, $4, $5)
      on conflict (event_id, person_id, zone) do update set list_id = excluded.list_id, since = excluded.since""";
  static final String LEAVE_LIST = "delete from checkin_inside where event_id = $1 and person_id = $2 and list_id = $3";
  static final String LEAVE_ALL = "delete from checkin_inside where event_id = $1 and person_id = $2";
  static final String COUNTS = """
      select (select count(distinct person_id) from checkin_scans where list_id = $1 and status = 'ok' and direction = 'entry') as admitted,
             (select count(*) from checkin_inside where list_id = $1) as inside""";

  // the scan history, newest first; never the answer text (nor, as it is never stored, the badge)
  static final String SCANS = """
      select s.id, s.scanned_at, s.received_at, s.list_id, coalesce(l.name, s.list_name) as list_name, s.direction,
             s.person_id, p.name as person_name, s.status, s.reason
        from checkin_scans s left join checkin_lists l on l.id = s.list_id left join people p on p.id = s.person_id
       where s.event_id = $1 and ($2::bigint is null or s.list_id = $2) and ($3::bigint is null or s.id < $3)
       order by s.id desc limit $4""";

  static final String INSERT_SCANNER = "insert into checkin_scanners (event_id, name) values ($1, $2) returning id";
  static final String SCANNER_LIVE = "select 1 from checkin_scanners where id = $1 and event_id = $2 and revoked_at is null";
  static final String REVOKE_SCANNER = """
      update checkin_scanners set revoked_at = coalesce(revoked_at, now()) where id = $1 and event_id = $2 returning id""";

  static final String OFFLINE_VERSION = """
      select greatest((select coalesce(max(checkin_change), 0) from registrations where event_id = $1),
                      (select coalesce(max(checkin_change), 0) from checkin_lists where event_id = $1)) as version""";
  static final String OFFLINE_PEOPLE = """
      select person_id, name, attendance, badge_version from registrations
       where event_id = $1 and checkin_change > $2 and checkin_change <= $3 order by person_id""";

  private CheckinSql() {
  }

  /**
   * The people in room $1 at some moment of [$2, $3): admitted on one of its lists in that time,
   * or whose last admitted scan (any list of the event) before $2 was an entry to one of its lists.
   */
  static final String IN_ROOM_DURING = """
      with lists as (select id from checkin_lists where room_id = $1),
           ok as (select s.id, s.person_id, s.list_id, s.direction, s.scanned_at from checkin_scans s
                   where s.event_id = (select event_id from rooms where id = $1) and s.status = 'ok'
                     and s.person_id is not null)
      select person_id from ok
       where list_id in (select id from lists) and direction = 'entry' and scanned_at >= $2 and scanned_at < $3
      union
      select person_id from (select distinct on (person_id) person_id, list_id, direction from ok
                              where scanned_at < $2 order by person_id, scanned_at desc, id desc) last
       where direction = 'entry' and list_id in (select id from lists)""";
}
