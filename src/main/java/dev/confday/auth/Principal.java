package dev.confday.auth;

import java.util.Set;

/**
 * Who is calling and, on an event's routes, which roles they hold there. Put on the routing
 * context by {@link Access}; {@code eventId} is null outside an event.
 */
public record Principal(long personId, String name, boolean admin, Long eventId, String eventSlug, Set<Role> roles) {
  public Principal {
    roles = Set.copyOf(roles);
  }

  /** Organizers (and admins) hold every role of their event. */
  public boolean has(Role role) {
    if (role == Role.PUBLIC || role == Role.SIGNED_IN) {
      return true;
    }
    if (role == Role.ADMIN) {
      return admin;
    }
    return admin || roles.contains(Role.ORGANIZER) || roles.contains(role);
  }
}
