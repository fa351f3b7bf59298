package dev.confday.events;

/** The SQL of the events feature, one constant per statement. */
final class EventSql {
  private EventSql() {
  }

  static final String LIST_EVENTS = """
      select id, slug, name, time_zone, starts_on, ends_on, venue, description from events order by starts_on, slug""";

  static final String EVENT_BY_SLUG = """
      select id, slug, name, time_zone, starts_on, ends_on, venue, description from events where slug = $1""";

  static final String INSERT_EVENT = """
      insert into events (slug, name, time_zone, starts_on, ends_on, venue, description)
      values ($1, $2, $3, $4, $5, $6, $7)
      returning id, slug, name, time_zone, starts_on, ends_on, venue, description""";

  static final String MARK_DEMO = "update events set demo = true where id = $1";

  static final String DELETE_EVENT = "delete from events where id = $1";

  static final String ROOMS = """
      select id, name, capacity, stream_url, position from rooms where event_id = $1 order by position, id""";

  static final String INSERT_ROOM = """
      insert into rooms (event_id, name, capacity, stream_url, position)
      values ($1, $2, $3, $4, coalesce((select max(position) + 1 from rooms where event_id = $1), 0))
      returning id, name, capacity, stream_url, position""";

  static final String UPSERT_PERSON = """
      insert into people (email, name, affiliation) values ($1, $2, $3)
      on conflict (lower(email)) do update set name = excluded.name,
        affiliation = coalesce(excluded.affiliation, people.affiliation)
      returning id""";

  /**
   * A person from an import. People are deployment-wide: an import renames only people who
   * belong to no other event (registered or holding a role there) and are not an admin, so one
   * event's organizers cannot rename another event's people. The event's own view of the name is
   * kept in the registration.
   */
  static final String UPSERT_IMPORTED_PERSON = """
      insert into people (email, name, affiliation) values ($1, $2, $3)
      on conflict (lower(email)) do update set
        name = case when people.is_admin
            or exists (select 1 from event_roles r where r.person_id = people.id and r.event_id <> $4)
            or exists (select 1 from registrations g where g.person_id = people.id and g.event_id <> $4)
          then people.name else excluded.name end,
        affiliation = case when people.is_admin
            or exists (select 1 from event_roles r where r.person_id = people.id and r.event_id <> $4)
            or exists (select 1 from registrations g where g.person_id = people.id and g.event_id <> $4)
          then people.affiliation else coalesce(excluded.affiliation, people.affiliation) end
      returning id""";

  static final String UPSERT_REGISTRATION = """
      insert into registrations (event_id, person_id, attendance, ticket_type, order_code, name, affiliation)
      values ($1, $2, $3, $4, $5, $6, $7)
      on conflict (event_id, person_id) do update set attendance = excluded.attendance,
        ticket_type = excluded.ticket_type, order_code = excluded.order_code, name = excluded.name,
        affiliation = excluded.affiliation""";

  static final String GRANT_ROLE = """
      insert into event_roles (event_id, person_id, role) values ($1, $2, $3) on conflict do nothing""";

  static final String REVOKE_ROLES = "delete from event_roles where event_id = $1 and person_id = $2";

  /**
   * A person with their registration and roles in event $1. A registered person shows the name
   * and affiliation of this event's import, never what another event knows of them.
   */
  private static final String PERSON_SELECT = """
      select p.id, p.email, p.is_admin, p.token_version, r.attendance, r.ticket_type, r.order_code,
             case when r.event_id is null then p.name else r.name end as name,
             case when r.event_id is null then p.affiliation else r.affiliation end as affiliation,
             coalesce((select array_agg(er.role order by er.role) from event_roles er
                        where er.event_id = $1 and er.person_id = p.id), '{}') as roles
        from people p
        left join registrations r on r.person_id = p.id and r.event_id = $1
      """;

  static final String PEOPLE = PERSON_SELECT + """
       where r.event_id is not null
          or exists (select 1 from event_roles er where er.event_id = $1 and er.person_id = p.id)
       order by p.name, p.id""";

  /** One person of event $1: registered there or holding a role there; nobody else. */
  static final String PERSON_IN_EVENT = PERSON_SELECT + """
       where p.id = $2
         and (r.event_id is not null
              or exists (select 1 from event_roles er where er.event_id = $1 and er.person_id = p.id))""";

  static final String PERSON_BY_ID = """
      select id, email, name, affiliation, is_admin, token_version from people where id = $1""";

  static final String PERSON_VERSION = "select token_version from people where id = $1";

  static final String END_SESSION = """
      insert into ended_sessions (jti, expires_at) values ($1, $2) on conflict (jti) do nothing""";

  static final String PRUNE_ENDED_SESSIONS = "delete from ended_sessions where expires_at < now()";

  static final String BUMP_TOKEN_VERSION = """
      update people set token_version = token_version + 1 where id = $1 returning token_version""";

  static final String MY_EVENTS = """
      select e.slug, e.name, array_agg(distinct er.role) as roles
        from event_roles er join events e on e.id = er.event_id
       where er.person_id = $1 group by e.slug, e.name, e.starts_on order by e.starts_on""";

  static final String MAKE_ADMIN = "update people set is_admin = true where id = $1";
}
