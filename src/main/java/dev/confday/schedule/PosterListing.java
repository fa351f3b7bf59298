package dev.confday.schedule;

import dev.confday.events.Event;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How the schedule learns which posters hang in a poster session, supplied by the posters
 * feature in the wiring (posters depend on the schedule, so the schedule cannot call them).
 * {@code posters} answers the posters of an event's session reference (the session's key, or
 * its id as text), on their boards; {@code revision} answers a number that grows whenever any
 * board assignment of the event changes, so that the schedule's ETags change with them.
 */
public record PosterListing(BiFunction<Long, String, Future<List<SessionPoster>>> posters,
    Function<Event, Future<Long>> revision) {

  /** No posters feature: poster sessions list no posters. */
  public static final PosterListing NONE = new PosterListing((eventId, ref) -> Future.succeededFuture(List.of()),
      event -> Future.succeededFuture(0L));

  public PosterListing {
    Objects.requireNonNull(posters, "posters");
    Objects.requireNonNull(revision, "revision");
  }
}
