package dev.confday.schedule;

import java.time.Instant;

/** A session a person starred, and whether it moved or was cancelled since they last saw it. */
public record Star(long sessionId, Instant starredAt, long seenVersion, boolean changedSinceStarred) {
}
