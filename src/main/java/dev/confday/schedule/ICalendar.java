package dev.confday.schedule;

import dev.confday.events.Event;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes RFC 5545 iCalendar: one VEVENT per session, times local to the event with a
 * VTIMEZONE built from the JDK's zone rules for the event's dates, TEXT values escaped, lines
 * folded at 75 octets and ended with CRLF. The UID is the session's guid, so calendar apps
 * update an event in place when it moves; a cancelled session has STATUS:CANCELLED.
 * Hand-written because it is small and tested by parsing it back with ical4j.
 */
final class ICalendar {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  private final StringBuilder out = new StringBuilder();

  private ICalendar() {
  }

  /** {@code posters}: the posters of poster sessions by session id, shown in their descriptions. */
  static String write(Event event, String publicUrl, String calendarName, List<Session> sessions,
      Map<Long, List<SessionPoster>> posters) {
    ICalendar c = new ICalendar();
    ZoneId zone = event.zone();
    c.line("BEGIN:VCALENDAR");
    c.line("VERSION:2.0");
    c.line("PRODID:-//confday//schedule//EN");
    c.line("CALSCALE:GREGORIAN");
    c.line("X-WR-CALNAME:" + text(calendarName));
    c.line("X-WR-TIMEZONE:" + event.timeZone());
    c.timezone(zone, event.startsOn().atStartOfDay(zone).toInstant(),
        event.endsOn().plusDays(1).atStartOfDay(zone).toInstant());
    for (Session s : sessions) {
      c.line("BEGIN:VEVENT");
      c.line("UID:" + s.guid() + "@confday");
      c.line("DTSTAMP:" + UTC.format(s.updatedAt().atOffset(ZoneOffset.UTC)));
      c.line("LAST-MODIFIED:" + UTC.format(s.updatedAt().atOffset(ZoneOffset.UTC)));
      c.line("SEQUENCE:" + s.sequence());
      c.line("DTSTART;TZID=" + zone.getId() + ":" + LOCAL.format(s.startsAt().atZone(zone)));
      c.line("DTEND;TZID=" + zone.getId() + ":" + LOCAL.format(s.endsAt().atZone(zone)));
      c.line("SUMMARY:" + text(s.cancelled() ? "Cancelled: " + s.title() : s.title()));
      c.line("LOCATION:" + text(s.roomName()));
      String description = FrabExport.description(s, posters.getOrDefault(s.id(), List.of()));
      if (!description.isEmpty()) {
        c.line("DESCRIPTION:" + text(description));
      }
      c.line("CATEGORIES:" + text(s.type().wire()));
      c.line("URL:" + FrabExport.url(event, s, publicUrl));
      c.line("STATUS:" + (s.cancelled() ? "CANCELLED" : "CONFIRMED"));
      c.line("END:VEVENT");
    }
    c.line("END:VCALENDAR");
    return c.out.toString();
  }

  /**
   * The zone's observances over the event: the one in force at its start, and every
   * transition until its end, each with an explicit DTSTART (no RRULE needed for a few days).
   */
  private void timezone(ZoneId zone, Instant from, Instant to) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffsetTransition> explicit = rules.getTransitions();
    if (!rules.getTransitionRules().isEmpty()
        && (explicit.isEmpty() || explicit.get(explicit.size() - 1).getInstant().isBefore(from))) {
      recurringTimezone(zone, rules, from, explicit);
      return;
    }
    List<ZoneOffsetTransition> transitions = new ArrayList<>();
    ZoneOffsetTransition before = rules.previousTransition(from.plusSeconds(1));
    if (before != null) {
      transitions.add(before);
    }
    for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
        t = rules.nextTransition(t.getInstant())) {
      transitions.add(t);
    }
    line("BEGIN:VTIMEZONE");
    line("TZID:" + zone.getId());
    // The observance in force when the event starts says "from" and "to" the same offset: parsers
    // that take the first observance's TZOFFSETFROM as the base offset (ical4j does) then agree.
    ZoneOffset initial = rules.getOffset(from);
    String initialKind = rules.isDaylightSavings(from) ? "DAYLIGHT" : "STANDARD";
    observance(initialKind, before == null ? LocalDateTime.of(1970, 1, 1, 0, 0) : before.getDateTimeAfter(), initial,
        initial);
    for (ZoneOffsetTransition t : transitions) {
      if (t != before) {
        observance(rules.isDaylightSavings(t.getInstant()) ? "DAYLIGHT" : "STANDARD", t.getDateTimeBefore(),
            t.getOffsetBefore(), t.getOffsetAfter());
      }
    }
    line("END:VTIMEZONE");
  }

  /**
   * A zone whose offsets now follow yearly rules (daylight saving time): one observance per
   * rule with its RRULE, the way most calendar software writes and best understands them.
   */
  private void recurringTimezone(ZoneId zone, ZoneRules rules, Instant from, List<ZoneOffsetTransition> explicit) {
    int year = from.atZone(zone).getYear() - 1;
    if (!explicit.isEmpty()) {
      year = Math.max(year, explicit.get(explicit.size() - 1).getDateTimeAfter().getYear() + 1);
    }
    line("BEGIN:VTIMEZONE");
    line("TZID:" + zone.getId());
    for (ZoneOffsetTransitionRule rule : rules.getTransitionRules()) {
      ZoneOffsetTransition first = rule.createTransition(year);
      line("BEGIN:" + (rules.isDaylightSavings(first.getInstant()) ? "DAYLIGHT" : "STANDARD"));
      line("DTSTART:" + LOCAL.format(first.getDateTimeBefore()));
      line("TZOFFSETFROM:" + offset(first.getOffsetBefore()));
      line("TZOFFSETTO:" + offset(first.getOffsetAfter()));
      line("RRULE:" + rrule(rule));
      line("END:" + (rules.isDaylightSavings(first.getInstant()) ? "DAYLIGHT" : "STANDARD"));
    }
    line("END:VTIMEZONE");
  }

  /** The yearly recurrence of a JDK transition rule: "the first Sunday on or after the 25th" and the like. */
  static String rrule(ZoneOffsetTransitionRule rule) {
    StringBuilder r = new StringBuilder("FREQ=YEARLY;BYMONTH=").append(rule.getMonth().getValue());
    int indicator = rule.getDayOfMonthIndicator();
    DayOfWeek dow = rule.getDayOfWeek();
    if (dow == null) {
      return r.append(";BYMONTHDAY=").append(indicator).toString();
    }
    r.append(";BYDAY=").append(dow.name(), 0, 2).append(";BYMONTHDAY=");
    int low = indicator > 0 ? indicator : indicator - 6;
    int high = indicator > 0 ? Math.min(indicator + 6, 31) : indicator;
    for (int d = low; d <= high; d++) {
      if (d != 0) {
        r.append(d).append(d < high ? "," : "");
      }
    }
    return r.toString();
  }

  private void observance(String kind, LocalDateTime start, ZoneOffset fromOffset, ZoneOffset toOffset) {
    line("BEGIN:" + kind);
    line("DTSTART:" + LOCAL.format(start));
    line("TZOFFSETFROM:" + offset(fromOffset));
    line("TZOFFSETTO:" + offset(toOffset));
    line("END:" + kind);
  }

  /** UTC offsets as RFC 5545 wants them: +HHMM, or +HHMMSS when there are seconds. */
  static String offset(ZoneOffset o) {
    int total = o.getTotalSeconds();
    int abs = Math.abs(total);
    String s = String.format(Locale.ROOT, "%s%02d%02d", total < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
    return abs % 60 == 0 ? s : s + String.format(Locale.ROOT, "%02d", abs % 60);
  }

  /** Escapes a TEXT value: backslash, semicolon, comma and newlines. */
  static String text(String value) {
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
        .replace("\n", "\\n").replace("\r", "\\n");
  }

  /** Adds a content line, folded so that no line is longer than 75 octets, never inside a UTF-8 sequence. */
  private void line(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    int limit = 75;
    while (bytes.length - start > limit) {
      int end = start + limit;
      while ((bytes[end] & 0xC0) == 0x80) {
        end--;
      }
      out.append(new String(bytes, start, end - start, StandardCharsets.UTF_8)).append("\r\n ");
      start = end;
      limit = 74;
    }
    out.append(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)).append("\r\n");
  }
}
