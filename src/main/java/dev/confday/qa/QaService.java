package dev.confday.qa;

import dev.confday.auth.CallerCheck;
import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.db.DbErrors;
import dev.confday.events.Event;
import dev.confday.http.ApiError;
import dev.confday.live.LiveService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The Q&A of schedule sessions: registered people ask and upvote, moderators approve, dismiss,
 * pin and mark answered. Every change is published on {@code session:<id>:moderation} (with the
 * author) and, when attendees can see the question, on {@code session:<id>:qa} (never naming the
 * author of an anonymous question).
 *
 * <p>About 400 lines because every moderation action runs through the one publish pipeline here
 * (load, check the state, change, both topics in one transaction); votes are {@link VoteCoalescer}.
 */
public final class QaService {
  public static final int MAX_TEXT = 500;
  static final Set<String> SORTS = Set.of("votes", "time", "trending");
  static final Set<String> STATES = Set.of("auto", "open", "closed");
  static final Set<String> ACTIONS = Set.of("approve", "unapprove", "dismiss", "restore", "pin", "unpin", "answer",
      "unanswer", "unmerge", "unedit");

  private final QaRepository repository;
  private final LiveService live;
  private final VoteCoalescer votes;

  public QaService(Vertx vertx, Pool pool, LiveService live) {
    this.repository = new QaRepository(pool, live.outboxSql());
    this.live = live;
    this.votes = new VoteCoalescer(vertx, pool, live);
  }

  /** Stops the sweep of vote changes. */
  public void stop() {
    votes.stop();
  }

  VoteCoalescer votes() {
    return votes;
  }

  VoteBatches voteBatches() {
    return repository.voteBatches();
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

  /**
   * Moderators set the state (auto/open/closed), pre-moderation and fair ordering; omitted fields
   * keep their value.
   */
  public Future<JsonObject> configure(Event event, long sessionId, JsonObject body) {
    Object state = body.getValue("state");
    Object pre = body.getValue("premoderated");
    Object fair = body.getValue("fairOrder");
    if (fair != null && !(fair instanceof Boolean)) {
      throw ApiError.validation("fairOrder", "must be true or false");
    }
    if (state != null && !(state instanceof String s && STATES.contains(s))) {
      throw ApiError.validation("state", "must be one of auto, open, closed");
    }
    if (pre != null && !(pre instanceof Boolean)) {
      throw ApiError.validation("premoderated", "must be true or false");
    }
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId).compose(current -> {
      String newState = state == null ? current.state() : (String) state;
      boolean newPre = pre == null ? current.premoderated() : (Boolean) pre;
      boolean newFair = fair == null ? current.fairOrder() : (Boolean) fair;
      QaRepository.Settings next = new QaRepository.Settings(sessionId, newState, newPre, newFair, current.running());
      JsonObject json = settingsJson(next);
      // the moderation topic first, as every transaction that publishes to both (a vote flush, a
      // moderation step): their sequence rows are locked in one order, so they cannot deadlock
      return repository.saveSettings(tx, sessionId, newState, newPre, newFair)
          .compose(v -> live.publish(tx, moderationTopic(sessionId),
              new JsonObject().put("type", "settings").put("qa", json)))
          .compose(v -> live.publish(tx, topic(sessionId), new JsonObject().put("type", "settings").put("qa", json)))
          .map(json);
    }));
  }

  /** A question as asked, checked for shape (before anything is spent on it); {@code key}: the client's key, or null. */
  public record Asking(String text, boolean anonymous, String key) {
  }

  /** An ask's answer: the question, and whether it was stored before (an ask sent again with its key). */
  public record Asked(JsonObject question, boolean replayed) {
  }

  /**
   * The body of an ask and the client's key of it ({@code keyField} names where the key came
   * from, for the error), checked: 400 {@code validation} for a text, flag or key that is not one.
   */
  public static Asking asking(JsonObject body, Object key, String keyField) {
    String text = text(body);
    Object anon = body.getValue("anonymous");
    if (anon != null && !(anon instanceof Boolean)) {
      throw ApiError.validation("anonymous", "must be true or false");
    }
    if (key != null && !(key instanceof String k && k.length() >= 1 && k.length() <= 64
        && k.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw ApiError.validation(keyField, "is the client's key of this ask: 1 to 64 visible ASCII characters");
    }
    return new Asking(text, Boolean.TRUE.equals(anon), (String) key);
  }

  /**
   * A registered person asks; the origin comes from their registration, the status from
   * pre-moderation. The route's access check runs in the same statement ({@code check}).
   */
  public Future<Asked> ask(CallerCheck check, long sessionId, Asking asking) {
    return ask(check, sessionId, asking, true);
  }

  /**
   * As {@link #ask(CallerCheck, long, Asking)}; with {@code mayStore} false (the asker's budget is
   * spent) nothing new is stored: the answer is the question asked before with the ask's key, or
   * none (a null question) when there is none. The caller is checked first either way.
   */
  public Future<Asked> ask(CallerCheck check, long sessionId, Asking asking, boolean mayStore) {
    String text = asking.text();
    boolean anonymous = asking.anonymous();
    // as stored (PostgreSQL keeps microseconds), so the published time is the one read back later
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    long personId = check.session().personId();
    Question draft = new Question(0, sessionId, personId, null, text, anonymous, "room", "visible",
        false, false, now, 0, false, null, null, null);
    // one statement checks the caller, checks, stores and publishes (autocommit): no transaction's round trips
    return repository.ask(check, draft, asking.key(), mayStore, moderationTopic(sessionId), topic(sessionId))
        .compose(asked -> {
      if (asked.priorId() != null) {
        // asked before with this key: that question, whatever changed since (closed, muted)
        return replay(asked.asker(), sessionId, asked.priorId());
      }
      if (!mayStore) {
        return Future.succeededFuture(new Asked(null, false));
      }
      if (asked.attendance() == null) {
        throw new ApiError(403, "not-registered", "Not registered",
            "Only people registered for the event can ask questions.");
      }
      if (asked.open() == null) {
        throw ApiError.notFound("There is no session " + sessionId + " in this event.");
      }
      if (!asked.open()) {
        throw new ApiError(409, "qa-closed", "Q&A closed", "The Q&A of this session is closed.");
      }
      if (asked.muted()) {
        throw new ApiError(403, "muted", "Muted",
            "A moderator muted you in this session's Q&A: you can read and vote, not ask.");
      }
      if (asked.question() == null) {
        // the key's conflict with an ask committed while this one ran (the statement's snapshot
        // was older): that one, read now
        return repository.askedWith(asked.asker().eventId(), sessionId, personId, asking.key()).compose(id -> id.isPresent()
            ? replay(asked.asker(), sessionId, id.get())
            : Future.failedFuture(new IllegalStateException("An ask stored nothing and found no earlier one")));
      }
      live.committedHere(asked.topics(), asked.seqs(), asked.payloads());
      return Future.succeededFuture(new Asked(asked.question().toJson(true, personId), false));
    });
  }

  /**
   * The question {@code asker} asked before with the ask's key, as the question list shows it to
   * them now (a moderator's view only for a moderator: it may have been moderated meanwhile).
   */
  private Future<Asked> replay(Principal asker, long sessionId, long id) {
    return repository.question(sessionId, id, asker.personId()).map(q -> new Asked(q.orElseThrow(
        () -> ApiError.notFound("There is no question " + id + " in session " + sessionId + "."))
        .toJson(moderator(asker), asker.personId()), true));
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
          (s.fairOrder() ? fair(list) : list).forEach(q -> questions.add(q.toJson(mod, who)));
          return new JsonObject().put("qa", settingsJson(s)).put("sort", order).put("questions", questions);
        }));
  }

  /**
   * Fair ordering: the pinned question first, then room and remote questions taking turns, each
   * side in the chosen order; the first turn goes to the side of the first question in that order;
   * when one side runs out the other follows in order.
   */
  static List<Question> fair(List<Question> sorted) {
    List<Question> out = new ArrayList<>(sorted.size());
    Deque<Question> room = new ArrayDeque<>();
    Deque<Question> remote = new ArrayDeque<>();
    String turn = null;
    for (Question q : sorted) {
      if (q.pinned()) {
        out.add(q);
        continue;
      }
      if (turn == null) {
        turn = q.origin();
      }
      (q.origin().equals("remote") ? remote : room).add(q);
    }
    while (!room.isEmpty() || !remote.isEmpty()) {
      Deque<Question> side = "remote".equals(turn) ? remote : room;
      Deque<Question> other = side == room ? remote : room;
      out.add(side.isEmpty() ? other.poll() : side.poll());
      turn = "remote".equals(turn) ? "room" : "remote";
    }
    return out;
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

  /**
   * Up (true) or withdraws (false) the person's vote; at most one per person, by the primary key.
   * Publishes nothing itself: {@link VoteCoalescer} sends the exact counts a few times a second.
   */
  public Future<JsonObject> vote(CallerCheck check, long sessionId, long id, boolean up) {
    return repository.castVote(check, sessionId, id, up, Instant.now())
        .map(v -> {
          if (!v.registered()) {
            throw new ApiError(403, "not-registered", "Not registered",
                "Only people registered for the event can vote.");
          }
          if (v.open() == null) {
            throw ApiError.notFound("There is no session " + sessionId + " in this event.");
          }
          if (!v.open()) {
            throw new ApiError(409, "qa-closed", "Q&A closed",
                "The Q&A of this session is closed: its votes are read-only.");
          }
          if (v.status() == null || (!moderator(v.voter()) && !v.status().equals("visible"))) {
            throw ApiError.notFound("There is no question " + id + " in this session.");
          }
          if (v.mergedInto() != null) {
            throw ApiError.conflict("Question " + id + " was merged into question " + v.mergedInto() + "; vote there.");
          }
          if (v.changed()) {
            votes.changed(sessionId);
          }
          return new JsonObject().put("id", id).put("votes", v.votes()).put("voted", v.voted());
        });
  }

  /** A moderation action on one question; answers the question as moderators see it. */
  public Future<JsonObject> moderate(Event event, Principal mod, long sessionId, long id, String action) {
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
        .compose(s -> locked(tx, sessionId, id))
        .compose(found -> {
          String before = found.status();
          if (found.mergedInto() != null && !action.equals("unmerge") && !action.equals("unedit")) {
            throw ApiError.conflict("Question " + id + " is merged into question " + found.mergedInto()
                + "; unmerge it first.");
          }
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
            case "unedit" -> repository.exec(tx, QaSql.UNEDIT, sessionId, id);
            case "unmerge" -> {
              if (found.mergedInto() == null) {
                throw ApiError.conflict("Question " + id + " is not merged into another one.");
              }
              yield repository.exec(tx, QaSql.UNMERGE, sessionId, id);
            }
            default -> throw ApiError.notFound("There is no action " + action + ".");
          };
          Future<Question> done = change.compose(v -> publish(tx, sessionId, id, before));
          if (action.equals("unmerge")) {
            // the question it was merged into loses the votes it brought
            done = done.compose(q -> publish(tx, sessionId, found.mergedInto(), null).map(q));
          }
          return done;
        })).map(q -> q.toJson(true, mod.personId()));
  }

  /** A moderator corrects a question's text; the text as asked is kept (see {@code unedit}). */
  public Future<JsonObject> edit(Event event, Principal mod, long sessionId, long id, JsonObject body) {
    String text = text(body);
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
        .compose(s -> locked(tx, sessionId, id))
        .compose(found -> repository.exec(tx, QaSql.EDIT, sessionId, id, text, mod.personId())
            .compose(v -> publish(tx, sessionId, id, found.status()))))
        .map(q -> q.toJson(true, mod.personId()));
  }

  /**
   * Merges a duplicate into another question of the session: the duplicate is hidden, its voters
   * count for the other question (each person once); {@code unmerge} restores it with its own votes.
   */
  public Future<JsonObject> merge(Event event, Principal mod, long sessionId, long id, JsonObject body) {
    if (!(body.getValue("into") instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() <= 0) {
      throw ApiError.validation("into", "is required: the id of the question to merge into");
    }
    long into = n.longValue();
    if (into == id) {
      throw ApiError.validation("into", "must be another question");
    }
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
        // both rows locked, in id order so two crossing merges cannot deadlock
        .compose(s -> locked(tx, sessionId, Math.min(id, into)))
        .compose(first -> locked(tx, sessionId, Math.max(id, into)).map(second -> id < into
            ? new QaRepository.Locked[] {first, second} : new QaRepository.Locked[] {second, first}))
        .compose(pair -> {
          if (pair[0].mergedInto() != null) {
            throw ApiError.conflict("Question " + id + " is already merged into question " + pair[0].mergedInto() + ".");
          }
          if (pair[1].mergedInto() != null) {
            throw ApiError.conflict("Question " + into + " is itself merged into question " + pair[1].mergedInto()
                + "; merge into that one.");
          }
          return repository.hasMerged(tx, sessionId, id).compose(has -> {
            if (has) {
              throw ApiError.conflict("Other questions are merged into question " + id + "; unmerge them first.");
            }
            return repository.exec(tx, QaSql.MERGE, sessionId, id, into)
                .compose(v -> publish(tx, sessionId, id, pair[0].status()))
                .compose(q -> publish(tx, sessionId, into, null).map(q));
          });
        }))
        .map(q -> q.toJson(true, mod.personId()));
  }

  /** Mutes a person of the event in this session's Q&A: their new questions are refused (403 muted). */
  public Future<JsonObject> mute(Event event, Principal mod, long sessionId, long personId) {
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
        .compose(s -> eventPerson(tx, event, personId))
        .compose(name -> repository.mute(tx, sessionId, personId, mod.personId()).compose(at -> {
          JsonObject json = new JsonObject().put("sessionId", sessionId).put("personId", personId).put("name", name)
              .put("muted", true).put("mutedAt", at.toString());
          return live.publish(tx, moderationTopic(sessionId), json.copy().put("type", "mute")).map(json);
        })));
  }

  /** Lets a muted person ask again. */
  public Future<JsonObject> unmute(Event event, long sessionId, long personId) {
    return repository.inTransaction(tx -> settingsOf(tx, event, sessionId)
        .compose(s -> eventPerson(tx, event, personId))
        .compose(name -> repository.unmute(tx, sessionId, personId).compose(was -> {
          JsonObject json = new JsonObject().put("sessionId", sessionId).put("personId", personId).put("name", name)
              .put("muted", false);
          return was ? live.publish(tx, moderationTopic(sessionId), json.copy().put("type", "mute")).map(json)
              : Future.succeededFuture(json);
        })));
  }

  /** The people muted in this session's Q&A. */
  public Future<JsonObject> mutes(Event event, long sessionId) {
    return settingsOf(event, sessionId).compose(s -> repository.mutes(sessionId)).map(list -> {
      JsonArray mutes = new JsonArray();
      list.forEach(m -> mutes.add(new JsonObject().put("personId", m.personId()).put("name", m.name())
          .put("mutedAt", m.mutedAt().toString())));
      return new JsonObject().put("sessionId", sessionId).put("mutes", mutes);
    });
  }

  private Future<String> eventPerson(SqlConnection tx, Event event, long personId) {
    return repository.eventPerson(tx, event.id(), personId).map(found -> found.orElseThrow(
        () -> ApiError.notFound("There is no person " + personId + " in this event.")));
  }

  private Future<QaRepository.Locked> locked(SqlConnection tx, long sessionId, long id) {
    return repository.lock(tx, sessionId, id).map(found -> found.orElseThrow(
        () -> ApiError.notFound("There is no question " + id + " in this session.")));
  }

  private static String text(JsonObject body) {
    if (!(body.getValue("text") instanceof String raw) || raw.strip().isEmpty()
        || raw.strip().codePointCount(0, raw.strip().length()) > MAX_TEXT) {
      throw ApiError.validation("text", "is required: 1 to " + MAX_TEXT + " characters");
    }
    return raw.strip();
  }

  /**
   * Publishes the question's state: to moderators always, to attendees when it is visible or was
   * ({@code before}; null for a new question), then with {@code question-hidden}.
   */
  private Future<Question> publish(SqlConnection tx, long sessionId, long id, String before) {
    return repository.question(tx, sessionId, id, 0).compose(found -> publish(tx, sessionId, found.orElseThrow(), before));
  }

  /** Like {@link #publish(SqlConnection, long, long, String)} for the question as it now is. */
  private Future<Question> publish(SqlConnection tx, long sessionId, Question q, String before) {
    // both appends are sent at once (one round trip; the connection runs them in this order, the
    // moderation topic first as everywhere); a failure of either fails the transaction
    Future<Long> moderators = live.publish(tx, moderationTopic(sessionId),
        new JsonObject().put("type", "question").put("question", q.toJson(true, 0)));
    Future<Long> attendees = null;
    if (q.status().equals("visible")) {
      attendees = live.publish(tx, topic(sessionId),
          new JsonObject().put("type", "question").put("question", q.toJson(false, 0)));
    } else if ("visible".equals(before)) {
      attendees = live.publish(tx, topic(sessionId), new JsonObject().put("type", "question-hidden").put("id", q.id()));
    }
    return (attendees == null ? moderators : Future.all(moderators, attendees)).map(q);
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
        .put("premoderated", s.premoderated()).put("fairOrder", s.fairOrder()).put("open", s.open());
  }
}
