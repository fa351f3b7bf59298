package dev.confday.auth;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.EnumSet;
import java.util.Set;

/**
 * The access check of a route whose own statement checks the caller ({@link ApiRouter#checkedByStatement}),
 * for a hot path that must not spend a round trip of its own on the check: the session token
 * passed its signature, expiry and type checks; whether the session is still live (revocation,
 * log-out), belongs to this event and holds one of the route's roles is decided by the statement,
 * in its own snapshot, exactly as {@link Access} decides it on every other route (no cache).
 *
 * <p>The statement starts its {@code with} list with {@link #cte} (binding {@link #bind}'s
 * values), changes nothing unless {@code caller.caller_ok}, and answers the {@code caller_*}
 * columns, which {@link #principal} maps to the caller or to the same refusal {@link Access}
 * gives (404 no event, 401 nobody or session ended, 403 other event or missing role).
 */
public final class CallerCheck {
  /** The caller's columns the statement answers, for {@link #principal}. */
  public static final String COLUMNS = """
      caller.caller_event_id, caller.caller_event_slug, caller.caller_person_id, caller.caller_name,
      caller.caller_token_version, caller.caller_ended, caller.caller_roles, caller.caller_admin,
      caller.caller_ok""";

  private final String slug;
  private final VerifiedToken session;
  private final Set<Role> roles;
  private volatile boolean refused;

  /** The wire names of the roles that admit a caller: the route's and the organizer's. */
  private final String[] admitting;

  /** {@code roles} as {@link #admitting} gives them. */
  private static String[] admitting(Set<Role> roles) {
    if (!roles.stream().allMatch(Role::storedPerEvent)) {
      throw new IllegalArgumentException("A statement checks event roles only, not " + roles);
    }
    Set<Role> with = EnumSet.copyOf(roles);
    with.add(Role.ORGANIZER);
    return with.stream().map(Role::wire).toArray(String[]::new);
  }

  /**
   * The check of {@code session} in event {@code slug} for one of {@code roles}; it grants
   * nothing by itself (the statement decides), so anything that holds a verified session may make one.
   */
  public static CallerCheck of(String slug, VerifiedToken session, Set<Role> roles) {
    Set<Role> checked = java.util.Collections.unmodifiableSet(EnumSet.copyOf(roles));
    return new CallerCheck(slug, session, checked, admitting(checked));
  }

  /** The same check (its roles, made once per route) for another request's event and session. */
  public CallerCheck at(String slug, VerifiedToken session) {
    return new CallerCheck(slug, session, roles, admitting);
  }

  private CallerCheck(String slug, VerifiedToken session, Set<Role> roles, String[] admitting) {
    this.slug = slug;
    this.session = session;
    this.roles = roles;
    this.admitting = admitting;
  }

  /** The session token, verified. */
  public VerifiedToken session() {
    return session;
  }

  /** True once {@link #principal} refused the caller (e.g. to give back what was taken from their rate limit). */
  public boolean refused() {
    return refused;
  }

  /**
   * The CTEs {@code caller_row} and {@code caller} (one row, whatever is missing), reading their
   * values from the parameters {@code $first} to {@code $first+5} ({@link #bind}). {@code
   * caller_ok} holds exactly when {@link #principal} admits the caller: the event and the person
   * exist, the session is live (token version, not logged out), it is deployment-wide or of this
   * event, and the caller holds one of the roles (organizers and a deployment-wide admin hold all).
   */
  public static String cte(int first) {
    String slug = "$" + first;
    String person = "$" + (first + 1);
    String jti = "$" + (first + 2);
    String version = "$" + (first + 3);
    String scope = "$" + (first + 4);
    String allowed = "$" + (first + 5);
    return """
        caller_row as (
          select e.id as caller_event_id, e.slug as caller_event_slug, p.id as caller_person_id,
                 p.name as caller_name, p.token_version as caller_token_version,
                 exists (select 1 from ended_sessions s where s.jti = %3$s::text) as caller_ended,
                 coalesce((select array_agg(r.role) from event_roles r where r.event_id = e.id and r.person_id = p.id),
                          '{}')::text[] as caller_roles,
                 %5$s::text is null and coalesce(p.is_admin, false) as caller_admin
            from (select 1) one left join events e on e.slug = %1$s::text left join people p on p.id = %2$s::bigint
        ), caller as (
          select caller_row.*,
                 caller_event_id is not null and caller_person_id is not null and not caller_ended
                 and caller_token_version = %4$s::int and (%5$s::text is null or %5$s::text = caller_event_slug)
                 and (caller_admin or caller_roles && %6$s::text[]) as caller_ok
            from caller_row
        )""".formatted(slug, person, jti, version, scope, allowed);
  }

  /** An SQL condition over {@code caller}: the caller holds {@code role} ({@link Principal#has}). */
  public static String has(Role role) {
    if (!role.storedPerEvent()) {
      throw new IllegalArgumentException("Not an event role: " + role);
    }
    return "(caller.caller_admin or caller.caller_roles && array['%s', '%s']::text[])"
        .formatted(Role.ORGANIZER.wire(), role.wire());
  }

  /** The person the session is of (to rate-limit before the statement runs). */
  public long personId() {
    return session.personId();
  }

  /** Appends the six values {@link #cte} reads, in its order. */
  public Tuple bind(Tuple args) {
    return args.addString(slug).addLong(session.personId()).addString(session.id()).addValue(session.version())
        .addString(session.event()).addArrayOfString(admitting);
  }

  /**
   * The caller the statement found, checked as {@link Access} checks it, in the same order with
   * the same refusals. A statement that stored anything although the caller is refused (or the
   * reverse) contradicts {@link #cte}: that is a bug, answered with a 500.
   */
  public Principal principal(Row r) {
    boolean ok = r.getBoolean("caller_ok");
    Principal p;
    try {
      p = admit(r);
    } catch (RuntimeException refusal) {
      if (ok) {
        throw new IllegalStateException("The statement admitted a caller the access check refuses", refusal);
      }
      refused = true;
      throw refusal;
    }
    if (!ok) {
      throw new IllegalStateException("The statement refused a caller the access check admits");
    }
    return p;
  }

  private Principal admit(Row r) {
    if (r.getLong("caller_event_id") == null) {
      throw Access.noEvent(slug);
    }
    if (r.getLong("caller_person_id") == null) {
      throw Access.nobody();
    }
    Access.checkLive(session, r.getBoolean("caller_ended"), r.getInteger("caller_token_version"));
    Access.checkScope(session, slug);
    Set<Role> held = EnumSet.noneOf(Role.class);
    for (String role : r.getArrayOfStrings("caller_roles")) {
      held.add(Role.fromWire(role));
    }
    Principal p = new Principal(session.personId(), r.getString("caller_name"), r.getBoolean("caller_admin"),
        r.getLong("caller_event_id"), r.getString("caller_event_slug"), held);
    Access.checkRoles(p, roles);
    return p;
  }
}
