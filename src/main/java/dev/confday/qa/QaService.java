package dev.confday.qa;

import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.db.DbErrors;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.live.LiveService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Set;

/**
 * The Q&A of schedule sessions: registered people ask and upvote, moderators approve, dismiss,
 * pin and mark answered. Every change is published on {@code session:<id>:moderation} (with the
 * author) and, when attendees can see the question, on {@code session:<id>:qa} (never naming the
 * author of an anonymous question).
 */
public final class QaService {
  public static final int MAX_TEXT = 500;
  static final Set<String> SORTS = Set.of("votes", "time", "trending");
  static final Set<String> STATES = Set.of("auto", "open", "closed");
  static final Set<String> ACTIONS = Set.of("approve", "unapprove", "dismiss", "restore", "pin", "unpin", "answer",
      "unanswer");

  private final QaRepository repository;
  private final LiveService live;

  public QaService(Pool pool, LiveService live) {
    this.repository = new QaRepository(pool);
    this.live = live;
  }

  public static String topic(long sessionId) {
    return "session:" + sessionId + ":qa";
  }

  public static String moderationTopic(long sessionId) {
    return "session:" + sessionId + ":moderation";
  }

  static boolean moderator(Principal p) {
    return p != null && p.has(Role.MODERATOR);
  }

  /** The session's Q&A state. */
  public Future<JsonObject> settings(Event event, long sessionId) {
    return settingsOf(event, sessionId).map(QaService::settingsJson);
  }

  /** Moderators set the state (auto/open/closed) and pre-moderation; omitted fields keep their value. */
  public Future<JsonObject> configure(Event event, long sessionId, JsonObject body) {
    Object state = body.getValue("state");
    Object pre = body.getValue("premoderated");
    if (state != null && !(state instanceof String s && STATES.contains(s))) {
      throw ApiError.validation("state", "must be one of auto, open, closed");
    }
    if (pre != null && !(pre instanceof Boolean)) {
      throw ApiError.validation("premoderated", "must be true or false");
    }
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId).compose(current -> {
      String newState = state == null ? current.state() : (String) state;
      boolean newPre = pre == null ? current.premoderated() : (Boolean) pre;
      QaRepository.Settings next = new QaRepository.Settings(sessionId, newState, newPre, current.running());
      JsonObject json = settingsJson(next);
      return repository.saveSettings(tx, sessionId, newState, newPre)
          .compose(v -> live.publish(tx, topic(sessionId), new JsonObject().put("type", "settings").put("qa", json)))
          .compose(v -> live.publish(tx, moderationTopic(sessionId),
              new JsonObject().put("type", "settings").put("qa", json)))
          .map(json);
    }));
  }

  /** A registered person asks; the origin comes from their registration, the status from pre-moderation. */
  public Future<JsonObject> ask(Event event, Principal asker, long sessionId, JsonObject body) {
    if (!(body.getValue("text") instanceof String raw) || raw.strip().isEmpty()
        || raw.strip().codePointCount(0, raw.strip().length()) > MAX_TEXT) {
      throw ApiError.validation("text", "is required: 1 to " + MAX_TEXT + " characters");
    }
    Object anon = body.getValue("anonymous");
    if (anon != null && !(anon instanceof Boolean)) {
      throw ApiError.validation("anonymous", "must be true or false");
    }
    String text = raw.strip();
    boolean anonymous = Boolean.TRUE.equals(anon);
    return repository.attendance(event.id(), asker.personId()).compose(attendance -> {
      if (attendance.isEmpty()) {
        throw new ApiError(403, "not-registered", "Not registered",
            "Only people registered for the event can ask questions.");
      }
      String origin = attendance.get().equals("remote") ? "remote" : "room";
      return repository.inTransaction(tx -> settingsOf(tx, event, sessionId).compose(s -> {
        if (!s.open()) {
          throw new ApiError(409, "qa-closed", "Q&A closed", "The Q&A of this session is closed.");
        }
        String status = s.premoderated() ? "pending" : "visible";
        return repository.insert(tx, event.id(), sessionId, asker.personId(), text, anonymous, origin, status)
            .compose(id -> publish(tx, sessionId, id, null));
      })).map(q -> q.toJson(true, asker.personId()));
    });
  }

  /** Attendees see visible questions (anonymous authors hidden); moderators see all of them with authors. */
  public Future<JsonObject> list(Event event, Principal viewer, long sessionId, String sort) {
    String order = sort == null || sort.isBlank() ? "votes" : sort;
    if (!SORTS.contains(order)) {
      throw ApiError.validation("sort", "must be one of votes, time, trending");
    }
    boolean mod = moderator(viewer);
    long who = viewer == null ? 0 : viewer.personId();
    return settingsOf(event, sessionId).compose(s -> repository.questions(sessionId, !mod, who, order)
        .map(list -> {
          JsonArray questions = new JsonArray();
          list.forEach(q -> questions.add(q.toJson(mod, who)));
          return new JsonObject().put("qa", settingsJson(s)).put("sort", order).put("questions", questions);
        }));
  }

  /**
   * The session's questions for export: moderators (and organizers) get every question with its
   * author; the session's speakers get the visible ones, authors only of questions not asked
   * anonymously; anyone else 403.
   */
  Future<QaExport> export(Event event, Principal viewer, long sessionId) {
    boolean mod = moderator(viewer);
    return settingsOf(event, sessionId)
        .compose(s -> mod ? Future.succeededFuture(true) : repository.speaker(sessionId, viewer.personId()))
        .compose(allowed -> {
          if (!allowed) {
            throw ApiError.forbidden("Only moderators, organizers and the session's speakers can export its questions.");
          }
          return repository.questions(sessionId, !mod, 0, "time");
        })
        .map(list -> new QaExport(sessionId, mod, list));
  }

  /** Up (true) or withdraws (false) the person's vote; at most one per person, by the primary key. */
  public Future<JsonObject> vote(Event event, Principal voter, long sessionId, long id, boolean up) {
    boolean mod = moderator(voter);
    return repository.attendance(event.id(), voter.personId()).compose(attendance -> {
      if (attendance.isEmpty()) {
        throw new ApiError(403, "not-registered", "Not registered", "Only people registered for the event can vote.");
      }
      return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
          .compose(s -> repository.lock(tx, sessionId, id))
          .compose(status -> {
            if (status.isEmpty() || (!mod && !status.get().equals("visible"))) {
              throw ApiError.notFound("There is no question " + id + " in this session.");
            }
            return repository.vote(tx, id, voter.personId(), up)
                .compose(v -> repository.question(tx, sessionId, id, voter.personId()))
                .compose(q -> {
                  Question question = q.orElseThrow();
                  JsonObject msg = new JsonObject().put("type", "votes").put("id", id).put("votes", question.votes());
                  Future<Long> f = live.publish(tx, moderationTopic(sessionId), msg);
                  if (question.status().equals("visible")) {
                    f = f.compose(x -> live.publish(tx, topic(sessionId), msg));
                  }
                  return f.map(x -> new JsonObject().put("id", id).put("votes", question.votes())
                      .put("voted", question.voted()));
                });
          }));
    });
  }

  /** A moderation action on one question; answers the question as moderators see it. */
  public Future<JsonObject> moderate(Event event, Principal mod, long sessionId, long id, String action) {
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
        .compose(s -> repository.lock(tx, sessionId, id))
        .compose(status -> {
          if (status.isEmpty()) {
            throw ApiError.notFound("There is no question " + id + " in this session.");
          }
          String before = status.get();
          Future<Void> change = switch (action) {
            case "approve", "restore" -> repository.update(tx, QaSql.SET_STATUS, sessionId, id, "visible");
            case "unapprove" -> repository.update(tx, QaSql.SET_STATUS, sessionId, id, "pending")
                .compose(v -> repository.update(tx, QaSql.SET_PINNED, sessionId, id, false));
            case "dismiss" -> repository.update(tx, QaSql.SET_STATUS, sessionId, id, "dismissed")
                .compose(v -> repository.update(tx, QaSql.SET_PINNED, sessionId, id, false));
            case "pin" -> {
              if (!before.equals("visible")) {
                throw ApiError.conflict("Only a visible question can be pinned; approve it first.");
              }
              yield repository.unpinOthers(tx, sessionId, id)
                  .compose(v -> repository.update(tx, QaSql.SET_PINNED, sessionId, id, true))
                  .recover(e -> DbErrors.map(e, "Another question of this session was pinned at the same time."));
            }
            case "unpin" -> repository.update(tx, QaSql.SET_PINNED, sessionId, id, false);
            case "answer" -> repository.update(tx, QaSql.SET_ANSWERED, sessionId, id, true);
            case "unanswer" -> repository.update(tx, QaSql.SET_ANSWERED, sessionId, id, false);
            default -> throw ApiError.notFound("There is no action " + action + ".");
          };
          return change.compose(v -> publish(tx, sessionId, id, before));
        })).map(q -> q.toJson(true, mod.personId()));
  }

  /**
   * Publishes the question's state: to moderators always, to attendees when it is visible or was
   * ({@code before}; null for a new question), then with {@code question-hidden}.
   */
  private Future<Question> publish(SqlConnection tx, long sessionId, long id, String before) {
    return repository.question(tx, sessionId, id, 0).compose(found -> {
      Question q = found.orElseThrow();
      Future<Long> f = live.publish(tx, moderationTopic(sessionId),
          new JsonObject().put("type", "question").put("question", q.toJson(true, 0)));
      if (q.status().equals("visible")) {
        f = f.compose(x -> live.publish(tx, topic(sessionId),
            new JsonObject().put("type", "question").put("question", q.toJson(false, 0))));
      } else if ("visible".equals(before)) {
        f = f.compose(x -> live.publish(tx, topic(sessionId),
            new JsonObject().put("type", "question-hidden").put("id", id)));
      }
      return f.map(q);
    });
  }

  private Future<QaRepository.Settings> settingsOf(Event event, long sessionId) {
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId));
  }

  private Future<QaRepository.Settings> settingsOf(SqlConnection tx, Event event, long sessionId) {
    return repository.settings(tx, event.id(), sessionId, Instant.now()).map(found -> found.orElseThrow(
        () -> ApiError.notFound("There is no session " + sessionId + " in this event.")));
  }

  private static JsonObject settingsJson(QaRepository.Settings s) {
    return new JsonObject().put("sessionId", s.sessionId()).put("state", s.state())
        .put("premoderated", s.premoderated()).put("open", s.open());
  }
}
