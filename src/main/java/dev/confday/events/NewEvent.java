package dev.confday.events;

import dev.confday.http.Validation;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** A request to create an event; validates itself and names every bad field. */
public record NewEvent(String slug, String name, String timeZone, LocalDate startsOn, LocalDate endsOn, String venue,
    String description) {

  public NewEvent {
    Validation v = new Validation()
        .check(slug != null && slug.matches("[a-z0-9][a-z0-9-]{1,62}"), "slug",
            "must be 2-63 lowercase letters, digits or dashes")
        .required(name, "name", 200)
        .check(validZone(timeZone), "timeZone", "must be an IANA time zone such as Pacific/Honolulu")
        .check(startsOn != null, "startsOn", "must be a date such as 2023-07-29")
        .check(endsOn != null, "endsOn", "must be a date such as 2023-07-29");
    v.check(startsOn == null || endsOn == null || !endsOn.isBefore(startsOn), "endsOn", "must not be before startsOn");
    v.throwIfInvalid();
  }

  public static NewEvent fromJson(JsonObject o) {
    return new NewEvent(o.getString("slug"), o.getString("name"), o.getString("timeZone"), date(o.getString("startsOn")),
        date(o.getString("endsOn")), o.getString("venue"), o.getString("description"));
  }

  private static LocalDate date(String s) {
    try {
      return s == null ? null : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean validZone(String zone) {
    try {
      return zone != null && ZoneId.of(zone) != null;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
