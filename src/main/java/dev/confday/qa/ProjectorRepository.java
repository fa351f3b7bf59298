package dev.confday.qa;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** SQL and row mapping for projector links and what a projector shows. */
final class ProjectorRepository {
  /** A link found by its secret. */
  record Link(long id, long sessionId, boolean revoked) {
  }

  private final Pool pool;

  ProjectorRepository(Pool pool) {
    this.pool = pool;
  }

  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work::apply);
  }

  /** The session with its title, times and room; empty when the event has no such session. */
  Future<Optional<JsonObject>> session(long eventId, long sessionId) {
    return pool.preparedQuery(ProjectorSql.SESSION).execute(Tuple.of(eventId, sessionId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new JsonObject().put("id", r.getLong("id")).put("title", r.getString("title"))
          .put("room", r.getString("room")).put("startsAt", r.getOffsetDateTime("starts_at").toInstant().toString())
          .put("endsAt", r.getOffsetDateTime("ends_at").toInstant().toString())
          .put("fairOrder", r.getBoolean("fair_order")));
    });
  }

  /** Stores a new link by the hash of its secret; answers its id and creation time. */
  Future<JsonObject> insert(long eventId, long sessionId, byte[] secretHash, long createdBy) {
    return pool.preparedQuery(ProjectorSql.INSERT)
        .execute(Tuple.of(eventId, sessionId, Buffer.buffer(secretHash), createdBy == 0 ? null : createdBy))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("id", r.getLong("id"))
              .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString());
        });
  }

  Future<JsonArray> active(long eventId, long sessionId) {
    return pool.preparedQuery(ProjectorSql.ACTIVE).execute(Tuple.of(eventId, sessionId)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject().put("id", r.getLong("id"))
            .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
            .put("createdBy", r.getString("created_by")));
      }
      return list;
    });
  }

  /** True when the link exists (it is revoked from now on, or was already). */
  Future<Boolean> revoke(SqlConnection tx, long eventId, long sessionId, long id) {
    return tx.preparedQuery(ProjectorSql.REVOKE).execute(Tuple.of(eventId, sessionId, id)).map(rows -> rows.size() > 0);
  }

  /** Of the link ids, those that still work. */
  Future<Set<Long>> activeAmong(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(ProjectorSql.ACTIVE_AMONG).execute(Tuple.of(ids.toArray(Long[]::new))).map(rows -> {
      Set<Long> active = new HashSet<>();
      rows.forEach(r -> active.add(r.getLong(0)));
      return active;
    });
  }

  Future<Optional<Link>> bySecret(long eventId, byte[] secretHash) {
    return pool.preparedQuery(ProjectorSql.BY_SECRET).execute(Tuple.of(eventId, Buffer.buffer(secretHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Link(r.getLong("id"), r.getLong("session_id"), r.getBoolean("revoked")));
        });
  }

  /** The visible questions as a projector shows them: never the author of an anonymous one. */
  Future<JsonArray> visibleQuestions(long sessionId) {
    return pool.preparedQuery(ProjectorSql.VISIBLE_QUESTIONS).execute(Tuple.of(sessionId)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        JsonObject q = new JsonObject().put("id", r.getLong("id")).put("text", r.getString("text"))
            .put("anonymous", r.getBoolean("anonymous")).put("origin", r.getString("origin"))
            .put("pinned", r.getBoolean("pinned")).put("answered", r.getBoolean("answered"))
            .put("askedAt", r.getOffsetDateTime("asked_at").toInstant().toString()).put("votes", r.getLong("votes"))
            .put("edited", r.getBoolean("edited"));
        if (!r.getBoolean("anonymous")) {
          q.put("author", new JsonObject().put("name", r.getString("author")));
        }
        list.add(q);
      }
      return list;
    });
  }
}
