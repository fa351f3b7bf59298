package dev.confday.qa;

import dev.confday.auth.Principal;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.live.LiveService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Projector links: a moderator makes a secret, revocable link per session that opens the
 * projector view (the pinned question large, the next few below) without a login, e.g. on a
 * lectern PC or as a browser source in a streaming tool. Only a SHA-256 of the secret is
 * stored. The secret reads the session's visible questions (never an anonymous author) and
 * gets live tickets limited to the session's public Q&A topic; a revoked link gets neither.
 */
public final class ProjectorService {
  /** 32 random bytes, base64url without padding. */
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Live grants of projector links are {@code projector:<link id>}. */
  static final String GRANT = "projector";

  private final ProjectorRepository repository;
  private final LiveService live;
  private final String publicUrl;

  public ProjectorService(Pool pool, LiveService live, String publicUrl) {
    this.repository = new ProjectorRepository(pool);
    this.live = live;
    this.publicUrl = publicUrl;
    // open projector sockets close once their link is revoked (or its session deleted)
    live.grantCheck(GRANT, grants -> repository.activeAmong(grants.stream()
        .map(g -> g.substring(GRANT.length() + 1)).filter(id -> id.matches("[1-9][0-9]{0,17}"))
        .map(Long::parseLong).toList())
        .map(active -> {
          Set<String> revoked = new HashSet<>(grants);
          active.forEach(id -> revoked.remove(GRANT + ":" + id));
          return revoked;
        }));
  }

  /** A new link for the session; its secret is in the answer's url (after #) and nowhere else. */
  public Future<JsonObject> create(Event event, Principal creator, long sessionId) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return session(event, sessionId)
        .compose(s -> repository.insert(event.id(), sessionId, hash(secret), creator.personId()))
        .map(link -> link.put("sessionId", sessionId).put("createdBy", creator.name())
            .put("url", publicUrl + "/e/" + event.slug() + "/projector#" + secret));
  }

  /** The session's links that still work (without their secrets, which are not kept). */
  public Future<JsonObject> list(Event event, long sessionId) {
    return session(event, sessionId).compose(s -> repository.active(event.id(), sessionId))
        .map(links -> new JsonObject().put("sessionId", sessionId).put("links", links));
  }

  /**
   * Revokes a link: its page and its live tickets are refused from now on; an open projector
   * page hears of it on the Q&A topic, and its socket is closed (4003) within a presence interval.
   */
  public Future<Void> revoke(Event event, long sessionId, long linkId) {
    return session(event, sessionId).compose(s -> repository.inTransaction(tx ->
        repository.revoke(tx, event.id(), sessionId, linkId).compose(found -> {
          if (!found) {
            throw ApiError.notFound("There is no projector link " + linkId + " for this session.");
          }
          return live.publish(tx, QaService.topic(sessionId),
              new JsonObject().put("type", "projector-revoked").put("link", linkId));
        }))).mapEmpty();
  }

  /** What the projector shows: the session and its visible questions, pinned first, then by votes. */
  public Future<JsonObject> view(Event event, String secret) {
    return link(event, secret).compose(link -> session(event, link.sessionId())
        .compose(s -> repository.visibleQuestions(link.sessionId())
            .map(questions -> new JsonObject().put("link", link.id()).put("session", s)
                .put("topic", QaService.topic(link.sessionId())).put("questions", questions))));
  }

  /** A live ticket that opens the session's Q&A topic and nothing else. */
  public Future<JsonObject> ticket(Event event, String secret) {
    return link(event, secret).map(link -> {
      String topic = QaService.topic(link.sessionId());
      return new JsonObject().put("ticket", live.issueTopicTicket(event.slug(), topic, GRANT + ":" + link.id()))
          .put("expiresInSeconds", LiveService.ticketTtl().toSeconds()).put("anonymous", true).put("url", "/live")
          .put("topic", topic);
    });
  }

  private Future<ProjectorRepository.Link> link(Event event, String secret) {
    if (secret == null || !SECRET.matcher(secret).matches()) {
      return Future.failedFuture(ApiError.unauthorized(
          "Open the projector from its link; the secret goes in the X-Projector-Secret header."));
    }
    return repository.bySecret(event.id(), hash(secret)).map(found -> {
      ProjectorRepository.Link link = found.orElseThrow(() -> ApiError.unauthorized(
          "This projector link is not valid for this event."));
      if (link.revoked()) {
        throw new ApiError(401, "projector-link-revoked", "Projector link revoked",
            "This projector link was revoked; ask a moderator for a new one.");
      }
      return link;
    });
  }

  private Future<JsonObject> session(Event event, long sessionId) {
    return repository.session(event.id(), sessionId).map(found -> found.orElseThrow(
        () -> ApiError.notFound("There is no session " + sessionId + " in this event.")));
  }

  private static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }
}
