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
  static final String PRINTABLE_BADGE = """
      select g.name, g.affiliation, g.ticket_type from registrations g where g.event_id = $1 and g.person_id = $2""";
  static final String REGISTRATION_FOR_UPDATE = """
      select g.attendance, g.badge_version, p.name from registrations g join people p on p.id = g.person_id
       where g.event_id = $1 and g.person_id = $2 for update of g""";
  static final String REISSUE = """
      update registrations set badge_version = badge_version + 1 where event_id = $1 and person_id = $2
      returning badge_version""";
  // a redeem's first statement: the list (of this event), whether the scanner device is still live
  // (only when $9; a revoked device claims nothing), and the nonce claimed as a pending scan on that
  // list. Always one row: live false = revoked, id null = no such list, scan_id null = nonce known.
  static final String CLAIM_NONCE = """
      with l as (select id, event_id, room_id, name, allow_reentry, admit_remote from checkin_lists
                  where event_id = $1 and id = $3),
           d as (select not $9::boolean or exists (select 1 from checkin_scanners
                  where id = $7::bigint and event_id = $1 and revoked_at is null) as live),
           c as (insert into checkin_scans (event_id, nonce, list_id, list_name, direction, scanned_at, status, offline,
                                            scanner_id, staff_id)
                 select $1, $2::text, l.id, l.name, $4::text, $5::timestamptz, 'pending', $6::boolean, $7::bigint, $8::bigint
                   from l, d where d.live
                 on conflict (event_id, nonce) do nothing returning id)
      select d.live, l.id, l.event_id, l.room_id, l.name, l.allow_reentry, l.admit_remote, (select id from c) as scan_id
        from d left join l on true""";
  static final String REVOKED_AT = """
      select revoked_at from checkin_badge_revocations where event_id = $1 and person_id = $2 and version = $3""";

  // the offline merge (under the registration's row lock): the first admitted entry of a person on a
  // list without re-entry, and whether scan ($3, $4) comes before it (scan time, then nonce bytewise)
  static final String CURRENT_FIRST = """
      select id, ($3::timestamptz < scanned_at
                  or ($3::timestamptz = scanned_at and $4::text collate "C" < nonce collate "C")) as this_first
        from checkin_scans where list_id = $1 and person_id = $2 and is_first""";
  static final String MARK_FIRST = "update checkin_scans set is_first = true, person_id = $2 where id = $1";
  static final String MARK_DUPLICATE = "update checkin_scans set duplicate_of = $2, person_id = $3 where id = $1";
  // the old first and every duplicate of it now name the new first (and are unseen again)
  static final String DEMOTE_FIRST = """
      update checkin_scans set is_first = false, duplicate_of = $2, conflict_seen_at = null
       where id = $1 or duplicate_of = $1 returning id""";
  static final String SCAN_REF = """
      select s.id, s.scanned_at, s.received_at, s.list_id, s.offline, s.scanner_id, d.name as scanner_name,
             s.staff_id, st.name as staff_name
        from checkin_scans s left join checkin_scanners d on d.id = s.scanner_id left join people st on st.id = s.staff_id
       where s.id = $1""";
  // flagged offline duplicates with their first, newest first; $2: only these ids, $3: unseen only
  static final String CONFLICTS = """
      select x.id, x.conflict_seen_at, x.person_id, p.name as person_name, x.list_id, coalesce(l.name, x.list_name) as list_name,
             f.id as f_id, f.scanned_at as f_scanned_at, f.received_at as f_received_at, f.offline as f_offline,
             f.scanner_id as f_scanner_id, fd.name as f_scanner_name, f.staff_id as f_staff_id, fs.name as f_staff_name,
             x.scanned_at as x_scanned_at, x.received_at as x_received_at, x.offline as x_offline,
             x.scanner_id as x_scanner_id, xd.name as x_scanner_name, x.staff_id as x_staff_id, xs.name as x_staff_name
        from checkin_scans x join checkin_scans f on f.id = x.duplicate_of
        left join people p on p.id = x.person_id left join checkin_lists l on l.id = x.list_id
        left join checkin_scanners fd on fd.id = f.scanner_id left join people fs on fs.id = f.staff_id
        left join checkin_scanners xd on xd.id = x.scanner_id left join people xs on xs.id = x.staff_id
       where x.event_id = $1 and x.duplicate_of is not null and ($2::bigint[] is null or x.id = any($2))
         and (not $3::boolean or x.conflict_seen_at is null) and ($4::bigint is null or x.id < $4)
       order by x.id desc limit $5""";
  static final String CONFLICT_SEEN = """
      update checkin_scans set conflict_seen_at = coalesce(conflict_seen_at, now())
       where event_id = $1 and id = $2 and duplicate_of is not null returning conflict_seen_at""";
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
  // an offline scan moves who is inside only if nothing later is known for that zone
  static final String ENTER_OFFLINE = """
      insert into checkin_inside (event_id, person_id, zone, list_id, since) values ($1, $2, $3, $4, $5)
      on conflict (event_id, person_id, zone) do update set list_id = excluded.list_id, since = excluded.since
       where checkin_inside.since <= excluded.since""";
  static final String LEAVE_LIST_OFFLINE = """
      delete from checkin_inside where event_id = $1 and person_id = $2 and list_id = $3 and since <= $4""";
  static final String LEAVE_ALL_OFFLINE = """
      delete from checkin_inside where event_id = $1 and person_id = $2 and since <= $3""";
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
                      (select coalesce(max(checkin_change), 0) from checkin_lists where event_id = $1),
                      (select coalesce(max(checkin_change), 0) from checkin_removed where event_id = $1)) as version""";
  // registrations deleted after a version (and not registered again since)
  static final String OFFLINE_REMOVED = """
      select r.person_id from checkin_removed r
       where r.event_id = $1 and r.checkin_change > $2 and r.checkin_change <= $3
         and not exists (select 1 from registrations g where g.event_id = r.event_id and g.person_id = r.person_id)
       order by r.person_id""";
  static final String OFFLINE_PEOPLE = """
      select person_id, name, attendance, ticket_type, badge_version from registrations
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
