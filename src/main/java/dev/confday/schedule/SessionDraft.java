package dev.confday.schedule;

import dev.confday.http.ApiError;
import dev.confday.http.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A session as an organizer asks for it (create, or the result of an edit); validates itself
 * and names every bad field. Whether the times fall within the event's days and the room is
 * the event's is checked by {@link ScheduleService}, which knows the event.
 */
public record SessionDraft(String key, String title, SessionType type, String track, String abstractText, Long roomId,
    Instant startsAt, Instant endsAt, List<SpeakerRef> speakers) {

  /** A speaker by person id, with the per-session remote flag. */
  public record SpeakerRef(long personId, boolean remote) {
  }

  static final String TIME_EXAMPLE = "a date-time such as 2023-07-29T08:30:00-10:00 (or local to the event: 2023-07-29T08:30)";

  public SessionDraft {
    speakers = speakers == null ? List.of() : List.copyOf(speakers);
    Set<Long> seen = new HashSet<>();
    Validation v = new Validation()
        .required(title, "title", 300)
        .check(type != null, "type", "must be one of " + SessionType.wireNames())
        .check(track == null || track.length() <= 100, "track", "is longer than 100 characters")
        .check(abstractText == null || abstractText.length() <= 20_000, "abstract", "is longer than 20000 characters")
        .check(key == null || key.matches("[a-z0-9][a-z0-9-]{0,62}"), "key", "must be 1-63 lowercase letters, digits or dashes")
        .check(roomId != null, "roomId", "is required")
        .check(startsAt != null, "startsAt", "is required: " + TIME_EXAMPLE)
        .check(endsAt != null, "endsAt", "is required: " + TIME_EXAMPLE)
        .check(speakers.stream().allMatch(s -> seen.add(s.personId())), "speakers", "names a person twice");
    v.check(startsAt == null || endsAt == null || endsAt.isAfter(startsAt), "endsAt", "must be after startsAt");
    v.throwIfInvalid();
  }

  /** Reads a request body; fields it leaves out keep the values of {@code base} (null for a new session). */
  public static SessionDraft fromJson(JsonObject o, ZoneId zone, SessionDraft base) {
    List<ApiError.FieldError> unreadable = new ArrayList<>();
    String typeWire = o.containsKey("type") ? string(o, "type", unreadable) : base == null ? null : base.type().wire();
    SessionType type = typeWire == null ? null : SessionType.fromWire(typeWire).orElse(null);
    Long roomId = o.containsKey("roomId") ? number(o, "roomId", unreadable) : base == null ? null : base.roomId();
    Instant startsAt = o.containsKey("startsAt") ? time(o, "startsAt", zone, unreadable)
        : base == null ? null : base.startsAt();
    Instant endsAt = o.containsKey("endsAt") ? time(o, "endsAt", zone, unreadable) : base == null ? null : base.endsAt();
    List<SpeakerRef> speakers = o.containsKey("speakers") ? speakers(o, unreadable)
        : base == null ? List.of() : base.speakers();
    String key = o.containsKey("key") ? string(o, "key", unreadable) : base == null ? null : base.key();
    String title = o.containsKey("title") ? string(o, "title", unreadable) : base == null ? null : base.title();
    String track = o.containsKey("track") ? blankToNull(string(o, "track", unreadable))
        : base == null ? null : base.track();
    String abstractText = o.containsKey("abstract") ? blankToNull(string(o, "abstract", unreadable))
        : base == null ? null : base.abstractText();
    try {
      SessionDraft draft = new SessionDraft(key, title, type, track, abstractText, roomId, startsAt, endsAt, speakers);
      if (!unreadable.isEmpty()) {
        throw ApiError.validation(unreadable);
      }
      return draft;
    } catch (ApiError e) {
      if (unreadable.isEmpty() || e.status() != 400) {
        throw e;
      }
      // report unreadable values and the record's own rules together, one error per field
      List<ApiError.FieldError> all = new ArrayList<>(unreadable);
      Set<String> reported = new HashSet<>();
      unreadable.forEach(f -> reported.add(f.field()));
      for (Object item : e.extensions().getJsonArray("errors", new JsonArray())) {
        JsonObject error = (JsonObject) item;
        if (reported.add(error.getString("field"))) {
          all.add(new ApiError.FieldError(error.getString("field"), error.getString("message")));
        }
      }
      throw ApiError.validation(all);
    }
  }

  static SessionDraft of(Session s) {
    return new SessionDraft(s.key(), s.title(), s.type(), s.track(), s.abstractText(), s.roomId(), s.startsAt(),
        s.endsAt(), s.speakers().stream().map(sp -> new SpeakerRef(sp.personId(), sp.remote())).toList());
  }

  SessionDraft at(long room, Instant start, Instant end) {
    return new SessionDraft(key, title, type, track, abstractText, room, start, end, speakers);
  }

  /**
   * An ISO date-time with an offset, or a local date-time read in the event's zone. Answers
   * null (and records the field error) when it is neither.
   */
  static Instant parseTime(String text, ZoneId zone) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).atZone(zone).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static Instant time(JsonObject o, String field, ZoneId zone, List<ApiError.FieldError> errors) {
    Object raw = o.getValue(field);
    Instant t = raw instanceof String s ? parseTime(s, zone) : null;
    if (t == null) {
      errors.add(new ApiError.FieldError(field, "must be " + TIME_EXAMPLE));
    }
    return t;
  }

  private static String string(JsonObject o, String field, List<ApiError.FieldError> errors) {
    Object raw = o.getValue(field);
    if (raw != null && !(raw instanceof String)) {
      errors.add(new ApiError.FieldError(field, "must be a string"));
    }
    return raw instanceof String s ? s : null;
  }

  private static Long number(JsonObject o, String field, List<ApiError.FieldError> errors) {
    Object raw = o.getValue(field);
    if (!isWholeNumber(raw)) {
      errors.add(new ApiError.FieldError(field, "must be a number"));
      return null;
    }
    return ((Number) raw).longValue();
  }

  /** A JSON number without a fraction: 7, not 7.5 or "7". */
  static boolean isWholeNumber(Object raw) {
    return raw instanceof Number n && n.doubleValue() == n.longValue();
  }

  private static List<SpeakerRef> speakers(JsonObject o, List<ApiError.FieldError> errors) {
    Object raw = o.getValue("speakers");
    List<SpeakerRef> list = new ArrayList<>();
    if (!(raw instanceof JsonArray array)) {
      if (raw != null) {
        errors.add(new ApiError.FieldError("speakers", "must be a list of {personId, remote}"));
      }
      return list;
    }
    for (Object item : array) {
      // remote may be left out (in the room) but, when given, must be true or false
      if (item instanceof JsonObject s && isWholeNumber(s.getValue("personId"))
          && (s.getValue("remote") == null || s.getValue("remote") instanceof Boolean)) {
        long personId = ((Number) s.getValue("personId")).longValue();
        list.add(new SpeakerRef(personId, Boolean.TRUE.equals(s.getValue("remote"))));
      } else {
        errors.add(new ApiError.FieldError("speakers", "must be a list of {personId: number, remote: true|false}"));
        break;
      }
    }
    return list;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
