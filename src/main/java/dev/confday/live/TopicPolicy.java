package dev.confday.live;

import dev.confday.auth.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may subscribe to one family of topics: a person holding any of {@code roles} in the
 * topic's event ({@link Role#PUBLIC} lets anonymous viewers in).
 */
public record TopicPolicy(Set<Role> roles) {
  public TopicPolicy {
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("a topic policy needs at least one role");
    }
    roles = Set.copyOf(roles);
  }

  public static TopicPolicy anyOf(Role first, Role... rest) {
    return new TopicPolicy(EnumSet.of(first, rest));
  }

  public boolean isPublic() {
    return roles.contains(Role.PUBLIC);
  }
}
