package dev.confday.events;

import dev.confday.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads registrations as ticketing systems export them (pretix, Eventbrite, a spreadsheet):
 * a header row naming the columns in any order and case, a byte order mark, quoted fields and
 * extra columns are fine. Every bad row is reported by its line number, and a file with any
 * bad row yields nothing.
 */
public final class RegistrationCsv {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Map<String, List<String>> ALIASES = Map.of(
      "name", List.of("name", "full name", "attendee name", "invoice address name"),
      "email", List.of("email", "e-mail", "email address", "attendee email", "e-mail address"),
      "affiliation", List.of("affiliation", "company", "organization", "organisation", "institution"),
      "ticket", List.of("ticket type", "ticket", "product", "attendance", "type"),
      "order", List.of("order code", "order", "order id", "order number", "code"));
  public static final int MAX_ROWS = 20_000;

  private RegistrationCsv() {
  }

  public static List<Registration> parse(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
        .setTrim(true).setAllowMissingColumnNames(true).setDelimiter(guessDelimiter(text)).get();
    List<Registration> rows = new ArrayList<>();
    JsonArray errors = new JsonArray();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
      Map<String, String> columns = columns(parser.getHeaderNames());
      for (String needed : List.of("name", "email", "ticket")) {
        if (!columns.containsKey(needed)) {
          throw csvError(new JsonArray().add(new JsonObject().put("line", 1).put("message",
              "missing column '" + needed + "' (accepted headers: " + String.join(", ", ALIASES.get(needed)) + ")")));
        }
      }
      Set<String> seenEmails = new HashSet<>();
      Map<String, Long> seenOrders = new HashMap<>();
      String[] lines = text.split("\r\n|\n|\r", -1);
      long previousEnd = 1;
      for (CSVRecord record : parser) {
        // the line the record starts on (a quoted field may span lines); empty lines are skipped
        long line = firstLineOf(lines, previousEnd);
        previousEnd = parser.getCurrentLineNumber();
        if (rows.size() + errors.size() >= MAX_ROWS) {
          errors.add(error(line, "the file has more than " + MAX_ROWS + " rows; split it"));
          break;
        }
        List<String> problems = new ArrayList<>();
        String name = value(record, columns, "name");
        String email = value(record, columns, "email");
        String ticket = value(record, columns, "ticket");
        String attendance = attendance(ticket);
        if (name == null) {
          problems.add("name is empty");
        }
        if (email == null || !EMAIL.matcher(email).matches()) {
          problems.add("email '" + (email == null ? "" : email) + "' is not an email address");
        } else if (!seenEmails.add(email.toLowerCase(Locale.ROOT))) {
          problems.add("email " + email + " appears twice in the file");
        }
        if (attendance == null) {
          problems.add("ticket type '" + (ticket == null ? "" : ticket)
              + "' says neither in-person nor remote");
        }
        String order = value(record, columns, "order");
        Long orderLine = order == null ? null : seenOrders.putIfAbsent(order, line);
        if (orderLine != null) {
          problems.add("order code " + order + " is already used on line " + orderLine);
        }
        if (problems.isEmpty()) {
          rows.add(new Registration(name, email, value(record, columns, "affiliation"), attendance, ticket,
              order, line));
        } else {
          errors.add(error(line, String.join("; ", problems)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw csvError(new JsonArray().add(new JsonObject().put("line", 1).put("message",
          "the file cannot be read as CSV: " + e.getMessage())));
    }
    if (!errors.isEmpty()) {
      throw csvError(errors);
    }
    return rows;
  }

  /** in-person / remote from the ticket type wording; null when it says neither. */
  static String attendance(String ticket) {
    if (ticket == null) {
      return null;
    }
    String t = ticket.toLowerCase(Locale.ROOT);
    boolean remote = t.contains("remote") || t.contains("online") || t.contains("virtual");
    boolean inPerson = t.contains("in-person") || t.contains("in person") || t.contains("onsite")
        || t.contains("on-site") || t.contains("on site");
    if (remote == inPerson) {
      return null;
    }
    return remote ? "remote" : "in-person";
  }

  /** The first non-empty line after line {@code after} (1-based). */
  private static long firstLineOf(String[] lines, long after) {
    long line = after + 1;
    while (line <= lines.length && lines[(int) line - 1].isBlank()) {
      line++;
    }
    return line;
  }

  /** A csv-invalid problem naming one line, for checks made after parsing (e.g. by the database). */
  public static ApiError lineError(long line, String message) {
    return csvError(new JsonArray().add(error(line, message)));
  }

  private static ApiError csvError(JsonArray errors) {
    return new ApiError(400, "csv-invalid", "The CSV file has errors",
        errors.size() + " row(s) have errors; nothing was imported. Fix them and upload the whole file again.",
        new JsonObject().put("errors", errors));
  }

  private static JsonObject error(long line, String message) {
    return new JsonObject().put("line", line).put("message", message);
  }

  private static Map<String, String> columns(List<String> headers) {
    Map<String, String> found = new HashMap<>();
    for (String header : headers) {
      String h = header.trim().toLowerCase(Locale.ROOT);
      ALIASES.forEach((key, names) -> {
        if (names.contains(h)) {
          found.putIfAbsent(key, header);
        }
      });
    }
    return found;
  }

  private static String value(CSVRecord record, Map<String, String> columns, String key) {
    String column = columns.get(key);
    if (column == null || !record.isMapped(column) || !record.isSet(column)) {
      return null;
    }
    String v = record.get(column).trim();
    return v.isEmpty() ? null : v;
  }

  private static char guessDelimiter(String text) {
    int end = text.indexOf('\n');
    String header = end < 0 ? text : text.substring(0, end);
    return header.chars().filter(c -> c == ';').count() > header.chars().filter(c -> c == ',').count() ? ';' : ',';
  }
}
