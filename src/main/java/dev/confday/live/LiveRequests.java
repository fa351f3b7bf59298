package dev.confday.live;

import dev.confday.auth.Access;
import dev.confday.auth.CallerCheck;
import dev.confday.auth.TokenType;
import dev.confday.auth.VerifiedToken;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Named requests a signed-in socket may send besides its subscriptions, each answered to that
 * socket only: e.g. {@code stream.access}, the renewal of a playback prefix before it expires,
 * without a separate HTTP call. Features register their handlers at wiring time (as topic
 * families); the live package knows none of them.
 *
 * <pre>
 * → {"type":"request","id":"r7","name":"stream.access","params":{"event":"ml4astro-2023","room":1}}
 * ← {"type":"reply","id":"r7","result":{...}}
 * ← {"type":"reply","id":"r7","error":{"type":"/problems/stream-access-revoked","status":403,...}}
 * </pre>
 *
 * Anonymous sockets and those opened with a topic ticket (a projector) may not send requests.
 */
public final class LiveRequests {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}\\.[a-z][a-z0-9-]{0,30}");

  /** Answers one request of a socket: a JSON result, or a failure (an ApiError says why). */
  @FunctionalInterface
  public interface Handler {
    Future<JsonObject> handle(Caller caller, JsonObject params);
  }

  /** Who sent a request: the socket's person and the event its session belongs to (null: deployment-wide). */
  public static final class Caller {
    private final long personId;
    private final String scope;
    private final Access access;
    /** The socket's session as a session token would give it (person, token version then, its id, its event). */
    private final VerifiedToken session;

    /** Made once per socket, from the session its ticket came from. */
    Caller(long personId, String scope, Access access, Access.LiveSession session) {
      this.personId = personId;
      this.scope = scope;
      this.access = access;
      this.session = new VerifiedToken(TokenType.SESSION, Long.toString(personId), scope, session.version(),
          session.sessionId(), null, null);
    }

    /**
     * The access check {@code route} (its roles; see {@link CallerCheck#of}) in event {@code
     * eventSlug}, for a handler whose own statement checks the caller ({@link #registerChecking}):
     * the socket's session, decided by the statement exactly as on the HTTP route (a revoked or
     * logged-out session is refused there).
     */
    public CallerCheck check(CallerCheck route, String eventSlug) {
      return route.at(eventSlug, session);
    }

    /** {@link Access#refusedOr}: for a request found wrong before its statement ran. */
    public <T> Future<T> refusedOr(CallerCheck check, Throwable failure) {
      return access.refusedOr(check, failure);
    }

    public long personId() {
      return personId;
    }

    /**
     * The caller's standing in an event, as the socket's session gives it: roles and attendance;
     * anonymous in an event other than the session's (as for topics).
     */
    public Future<Access.Member> member(String eventSlug) {
      return access.member(eventSlug, personId, scope);
    }
  }

  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  /** The names of handlers that check the socket's session in their own statement. */
  private final Set<String> checking = ConcurrentHashMap.newKeySet();

  LiveRequests() {
  }

  /** Registers the handler of requests named {@code feature.action}, e.g. {@code stream.access}. */
  public void register(String name, Handler handler) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad request name " + name);
    }
    if (handlers.putIfAbsent(name, handler) != null) {
      throw new IllegalStateException("request " + name + " is registered already");
    }
  }

  /**
   * Registers a hot path's handler that checks the caller in its own statement ({@link
   * Caller#check}): the socket sends it without first asking the database whether its session
   * ended (one round trip less); a 401 from it ends the socket as that check would.
   */
  public void registerChecking(String name, Handler handler) {
    register(name, handler);
    checking.add(name);
  }

  /** True for a handler registered with {@link #registerChecking}. */
  boolean checksSession(String name) {
    return checking.contains(name);
  }

  Optional<Handler> handler(String name) {
    return Optional.ofNullable(handlers.get(name));
  }
}
