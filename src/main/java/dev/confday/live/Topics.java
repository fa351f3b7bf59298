package dev.confday.live;

import dev.confday.auth.Access;
import dev.confday.auth.Role;
import dev.confday.http.ApiError;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of topic families and who may subscribe to them. A topic is
 * {@code <kind>:<id>:<name>}, e.g. {@code event:ml4astro-2023:schedule} or
 * {@code session:42:qa}; the kind says how the id leads to an event, the family
 * ({@code kind:name}) says which roles in that event may subscribe. Features register their
 * families at wiring time; an unregistered family cannot be subscribed to.
 */
public final class Topics {
  private static final Pattern TOPIC = Pattern.compile("([a-z]{1,20}):([a-z0-9][a-z0-9-]{0,62}):([a-z][a-z0-9-]{0,30})");
  /** A database id as it appears in a topic: no sign, no leading zero, fits a long. */
  private static final Pattern NUMERIC_ID = Pattern.compile("0|[1-9][0-9]{0,17}");

  /** Finds the slug of the event a topic id belongs to (fails with a 404 ApiError when there is none). */
  @FunctionalInterface
  public interface EventOf {
    Future<String> eventSlug(String id);
  }

  /** Who a subscriber is, for presence counts. */
  record Grant(String topic, String eventSlug, PresenceKind kind) {
  }

  /** Kinds of subscriber counted by presence. */
  enum PresenceKind { IN_PERSON, REMOTE, ANONYMOUS, OTHER }

  private final Access access;
  private final Map<String, EventOf> kinds = new ConcurrentHashMap<>();
  private final Map<String, TopicPolicy> families = new ConcurrentHashMap<>();
  /** Families whose presence also keeps the distinct people subscribed (one person in two tabs is one). */
  private final java.util.Set<String> peopleFamilies = ConcurrentHashMap.newKeySet();

  Topics(Access access) {
    this.access = access;
  }

  /** Says how ids of a topic kind lead to their event, e.g. a session id to its event slug. */
  public void kind(String kind, EventOf resolver) {
    kinds.put(kind, resolver);
  }

  /**
   * A resolver for kinds whose ids are database ids ({@code session:42:qa}): an id that is not
   * a number names nothing, so it fails with a 404 like a number that names no {@code what}.
   */
  public static EventOf numericIds(String what, LongFunction<Future<String>> resolver) {
    return id -> NUMERIC_ID.matcher(id).matches() ? resolver.apply(Long.parseLong(id))
        : Future.failedFuture(ApiError.notFound("There is no " + what + " " + id + "."));
  }

  /** Opens a family of topics ({@code kind:*:name}) to the roles of {@code policy}. */
  public void register(String kind, String name, TopicPolicy policy) {
    if (!TOPIC.matcher(kind + ":x:" + name).matches()) {
      throw new IllegalArgumentException("bad topic family " + kind + ":*:" + name);
    }
    families.put(kind + ":" + name, policy);
  }

  /** Presence of the family {@code kind:*:name} counts people as well as sockets (see {@link LiveService#people}). */
  public void countPeople(String kind, String name) {
    peopleFamilies.add(kind + ":" + name);
  }

  /** Whether presence keeps the people subscribed to this topic. */
  boolean countsPeople(String topic) {
    Matcher m = topic == null ? null : TOPIC.matcher(topic);
    return m != null && m.matches() && peopleFamilies.contains(m.group(1) + ":" + m.group(3));
  }

  /** True for {@code <kind>:<id>:<name>} with lower-case letters, digits and dashes. */
  public static boolean wellFormed(String topic) {
    return topic != null && TOPIC.matcher(topic).matches();
  }

  /** The policy of a topic, when the topic is well formed and its family registered. */
  public Optional<TopicPolicy> policy(String topic) {
    Matcher m = topic == null ? null : TOPIC.matcher(topic);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    return Optional.ofNullable(families.get(m.group(1) + ":" + m.group(3)));
  }

  /** Checks that a person (0 = anonymous) may subscribe to a topic; fails with an ApiError saying why not. */
  Future<Grant> authorize(String topic, long personId) {
    return authorize(topic, personId, null);
  }

  /** Like {@link #authorize(String, long)}; a caller whose session belongs to event {@code scope} is anonymous elsewhere. */
  Future<Grant> authorize(String topic, long personId, String scope) {
    Matcher m = topic == null ? null : TOPIC.matcher(topic);
    if (m == null || !m.matches()) {
      return Future.failedFuture(new ApiError(400, "unknown-topic", "Unknown topic",
          "A topic looks like event:<slug>:schedule or session:<id>:qa."));
    }
    TopicPolicy policy = families.get(m.group(1) + ":" + m.group(3));
    EventOf eventOf = kinds.get(m.group(1));
    if (policy == null || eventOf == null) {
      return Future.failedFuture(new ApiError(400, "unknown-topic", "Unknown topic",
          "There is no topic family " + m.group(1) + ":*:" + m.group(3) + "."));
    }
    if (personId == 0 && !policy.isPublic()) {
      return Future.failedFuture(ApiError.unauthorized("Topic " + topic + " needs you to be logged in."));
    }
    String id = m.group(2);
    // a resolver that throws instead of failing its future still answers the subscriber
    return Future.succeededFuture(id).compose(eventOf::eventSlug)
        .compose(slug -> access.member(slug, personId, scope))
        .map(member -> {
          if (policy.roles().stream().noneMatch(member.principal()::has)) {
            throw ApiError.forbidden("Topic " + topic + " needs one of the roles "
                + String.join(", ", policy.roles().stream().map(Role::wire).sorted().toList()) + " in this event.");
          }
          PresenceKind kind = personId == 0 ? PresenceKind.ANONYMOUS
              : "in-person".equals(member.attendance()) ? PresenceKind.IN_PERSON
              : "remote".equals(member.attendance()) ? PresenceKind.REMOTE : PresenceKind.OTHER;
          return new Grant(topic, member.principal().eventSlug(), kind);
        });
  }
}
