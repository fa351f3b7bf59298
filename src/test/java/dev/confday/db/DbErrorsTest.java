package dev.confday.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.http.ApiError;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which database failures mean "unavailable, retry" (503) and which are about the request. */
class DbErrorsTest {
  private static PgException pg(String state) {
    return new PgException("message", "FATAL", state, null);
  }

  @Test
  void shutdownStartUpConnectionFailuresFullPoolsAndTimeoutsAreUnavailable() {
    for (String state : new String[] {"57P01", "57P02", "57P03", "08006", "08001", "53300", "57014"}) {
      assertThat(DbErrors.unavailable(pg(state))).as(state).isTrue();
    }
    assertThat(DbErrors.unavailable(new ConnectException("Connection refused"))).isTrue();
    assertThat(DbErrors.unavailable(new VertxException("wrapped", new java.io.IOException("Connection reset by peer"))))
        .isTrue();
    assertThat(DbErrors.unavailable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DbErrors.unavailable(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size")))
        .isTrue();
    assertThat(DbErrors.unavailable(new VertxException("Timeout waiting for connection", true))).isTrue();
    assertThat(DbErrors.unavailable(new NoStackTraceTimeoutException("timeout"))).isTrue();
  }

  @Test
  void errorsAboutTheRequestAreNot() {
    for (String state : new String[] {"23505", "23503", "22P02", "42P01", "40001"}) {
      assertThat(DbErrors.unavailable(pg(state))).as(state).isFalse();
    }
    assertThat(DbErrors.unavailable(ApiError.notFound("no such poster"))).isFalse();
    assertThat(DbErrors.unavailable(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void aUniqueViolationIsTheGenericConflictAndAnExclusionViolationTheFeaturesOwn() {
    ApiError unique = (ApiError) DbErrors.map(pg(DbErrors.UNIQUE_VIOLATION), "the key exists").cause();
    assertThat(unique.status()).isEqualTo(409);
    assertThat(unique.type()).isEqualTo("conflict");
    assertThat(unique.getMessage()).contains("the key exists");

    ApiError clash = new ApiError(409, "schedule-clash", "Sessions overlap", "two sessions at once");
    assertThat(DbErrors.<Void>mapExclusion(pg(DbErrors.EXCLUSION_VIOLATION), clash).cause()).isSameAs(clash);
    // anything else passes through untouched, a unique violation included
    PgException other = pg(DbErrors.UNIQUE_VIOLATION);
    assertThat(DbErrors.<Void>mapExclusion(other, clash).cause()).isSameAs(other);
    IllegalStateException bug = new IllegalStateException("a bug");
    assertThat(DbErrors.<Void>mapExclusion(bug, clash).cause()).isSameAs(bug);
    assertThat(DbErrors.unavailable(pg(DbErrors.EXCLUSION_VIOLATION))).isFalse();
  }

  @Test
  void theAnswerIsA503ProblemThatSaysWhenToRetry() {
    ApiError e = DbErrors.unavailableError();
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.type()).isEqualTo("unavailable");
    assertThat(e.extensions().getInteger("retryAfter")).isEqualTo(DbErrors.RETRY_AFTER_SECONDS);
    assertThat(DbErrors.unavailable(e)).isTrue();
  }
}
