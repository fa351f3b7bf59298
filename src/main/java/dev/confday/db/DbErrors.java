package dev.confday.db;

import dev.confday.http.ApiError;
import io.vertx.pgclient.PgException;

/** Maps PostgreSQL errors to domain errors once, so no feature looks at SQLSTATEs itself. */
public final class DbErrors {
  private DbErrors() {
  }

  /** Use in {@code recover}: a unique violation becomes 409, a foreign key or check violation 400. */
  public static <T> io.vertx.core.Future<T> map(Throwable t, String conflictDetail) {
    if (t instanceof PgException pg) {
      return switch (String.valueOf(pg.getSqlState())) {
        case "23505" -> io.vertx.core.Future.failedFuture(ApiError.conflict(conflictDetail));
        case "23503", "23514", "22P02", "22007", "22008" -> io.vertx.core.Future.failedFuture(
            ApiError.badRequest("The request refers to something that does not exist or is out of range."));
        default -> io.vertx.core.Future.failedFuture(t);
      };
    }
    return io.vertx.core.Future.failedFuture(t);
  }
}
