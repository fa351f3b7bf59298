package dev.confday.schedule;

import dev.confday.events.Event;
import dev.confday.events.Room;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The frab {@code schedule.xml} and c3voc {@code schedule.json} formats that schedule apps
 * (Giggity, EventFahrplan) and the c3voc tooling read, generated from a {@link Schedule}.
 * Session ids and guids are the stored ones, so they never change once published; a cancelled
 * session stays in, its title prefixed "Cancelled: " (the formats have no cancelled flag). A
 * room's stream is the room's {@code url} in schedule.json and a "media" link of each session
 * held there in both formats.
 */
final class FrabExport {
  static final String GENERATOR = "confday";
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private FrabExport() {
  }

  static String xml(Schedule schedule, String publicUrl) {
    Event event = schedule.event();
    ZoneId zone = event.zone();
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("schedule");
      x.writeEmptyElement("generator");
      x.writeAttribute("name", GENERATOR);
      element(x, "url", publicUrl + "/api/events/" + event.slug() + "/schedule.xml");
      element(x, "version", Long.toString(schedule.version()));
      x.writeStartElement("conference");
      element(x, "acronym", acronym(event));
      element(x, "title", event.name());
      element(x, "start", event.startsOn().toString());
      element(x, "end", event.endsOn().toString());
      element(x, "days", Integer.toString(schedule.days().size()));
      element(x, "timeslot_duration", "00:05");
      element(x, "base_url", publicUrl + "/e/" + event.slug() + "/");
      element(x, "time_zone_name", event.timeZone());
      for (String track : tracks(schedule)) {
        x.writeEmptyElement("track");
        x.writeAttribute("name", track);
      }
      x.writeEndElement();
      int index = 1;
      for (LocalDate day : schedule.days()) {
        x.writeStartElement("day");
        x.writeAttribute("index", Integer.toString(index++));
        x.writeAttribute("date", day.toString());
        x.writeAttribute("start", Session.iso(day.atStartOfDay(zone).toInstant(), zone));
        x.writeAttribute("end", Session.iso(day.plusDays(1).atStartOfDay(zone).toInstant(), zone));
        for (Room room : schedule.rooms()) {
          x.writeStartElement("room");
          x.writeAttribute("name", room.name());
          x.writeAttribute("guid", roomGuid(event, room).toString());
          for (Session s : sessionsOf(schedule, day, room)) {
            xmlEvent(x, event, room, s, schedule.postersOf(s), publicUrl);
          }
          x.writeEndElement();
        }
        x.writeEndElement();
      }
      x.writeEndElement();
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("could not write schedule.xml", e);
    }
    return out.toString() + "\n";
  }

  private static void xmlEvent(XMLStreamWriter x, Event event, Room room, Session s, List<SessionPoster> posters,
      String publicUrl) throws XMLStreamException {
    ZoneId zone = event.zone();
    x.writeCharacters("\n");
    x.writeStartElement("event");
    x.writeAttribute("id", Long.toString(s.id()));
    x.writeAttribute("guid", s.guid().toString());
    element(x, "room", s.roomName());
    element(x, "title", title(s));
    element(x, "subtitle", "");
    element(x, "type", s.type().wire());
    element(x, "date", Session.iso(s.startsAt(), zone));
    element(x, "start", HH_MM.format(s.startsAt().atZone(zone)));
    element(x, "duration", duration(s));
    element(x, "abstract", Objects.requireNonNullElse(s.abstractText(), ""));
    element(x, "slug", slug(event, s));
    element(x, "track", Objects.requireNonNullElse(s.track(), ""));
    element(x, "language", "en");
    element(x, "description", description(s, posters));
    element(x, "url", url(event, s, publicUrl));
    String stream = streamOf(room, s);
    if (!posters.isEmpty() || stream != null) {
      x.writeCharacters("\n");
      x.writeStartElement("links");
      if (stream != null) {
        x.writeCharacters("\n");
        x.writeStartElement("link");
        x.writeAttribute("href", stream);
        x.writeAttribute("type", "media");
        x.writeCharacters(streamTitle(room));
        x.writeEndElement();
      }
      for (SessionPoster p : posters) {
        x.writeCharacters("\n");
        x.writeStartElement("link");
        x.writeAttribute("href", posterUrl(event, s, p, publicUrl));
        x.writeAttribute("type", "related");
        x.writeCharacters(p.line());
        x.writeEndElement();
      }
      x.writeEndElement();
    }
    x.writeStartElement("persons");
    for (Speaker sp : s.speakers()) {
      x.writeStartElement("person");
      x.writeAttribute("id", Long.toString(sp.personId()));
      x.writeAttribute("guid", personGuid(sp).toString());
      x.writeCharacters(sp.name());
      x.writeEndElement();
    }
    x.writeEndElement();
    x.writeEndElement();
  }

  static JsonObject json(Schedule schedule, String publicUrl) {
    Event event = schedule.event();
    ZoneId zone = event.zone();
    JsonArray days = new JsonArray();
    int index = 1;
    for (LocalDate day : schedule.days()) {
      JsonObject rooms = new JsonObject();
      for (Room room : schedule.rooms()) {
        rooms.put(room.name(), new JsonArray(sessionsOf(schedule, day, room).stream()
            .map(s -> jsonEvent(event, room, s, schedule.postersOf(s), publicUrl)).toList()));
      }
      days.add(new JsonObject().put("index", index++).put("date", day.toString())
          .put("day_start", Session.iso(day.atStartOfDay(zone).toInstant(), zone))
          .put("day_end", Session.iso(day.plusDays(1).atStartOfDay(zone).toInstant(), zone))
          .put("rooms", rooms));
    }
    JsonObject conference = new JsonObject()
        .put("acronym", acronym(event))
        .put("title", event.name())
        .put("start", event.startsOn().toString())
        .put("end", event.endsOn().toString())
        .put("daysCount", schedule.days().size())
        .put("timeslot_duration", "00:05")
        .put("time_zone_name", event.timeZone())
        .put("url", publicUrl + "/e/" + event.slug() + "/schedule")
        .put("tracks", new JsonArray(tracks(schedule).stream().map(t -> new JsonObject().put("name", t)).toList()))
        .put("rooms", new JsonArray(schedule.rooms().stream().map(r -> jsonRoom(event, r)).toList()))
        .put("days", days);
    if (event.description() != null) {
      conference.put("description", event.description());
    }
    return new JsonObject()
        .put("$schema", "https://c3voc.de/schedule/schema.json")
        .put("generator", new JsonObject().put("name", GENERATOR))
        .put("schedule", new JsonObject()
            .put("version", Long.toString(schedule.version()))
            .put("base_url", publicUrl + "/e/" + event.slug() + "/")
            .put("conference", conference));
  }

  /** A room; its {@code url} is the room's stream, where one watches what happens in it. */
  private static JsonObject jsonRoom(Event event, Room r) {
    JsonObject room = new JsonObject().put("name", r.name()).put("guid", roomGuid(event, r).toString())
        .put("capacity", r.capacity());
    if (r.streamUrl() != null) {
      room.put("url", r.streamUrl());
    }
    return room;
  }

  private static JsonObject jsonEvent(Event event, Room room, Session s, List<SessionPoster> posters,
      String publicUrl) {
    ZoneId zone = event.zone();
    JsonArray links = new JsonArray();
    String stream = streamOf(room, s);
    if (stream != null) {
      links.add(new JsonObject().put("type", "media").put("url", stream).put("title", streamTitle(room)));
    }
    posters.forEach(p -> links.add(new JsonObject().put("type", "related").put("url", posterUrl(event, s, p, publicUrl))
        .put("title", p.line())));
    return new JsonObject()
        .put("id", s.id())
        .put("guid", s.guid().toString())
        .put("date", Session.iso(s.startsAt(), zone))
        .put("start", HH_MM.format(s.startsAt().atZone(zone)))
        .put("end", Session.iso(s.endsAt(), zone))
        .put("duration", duration(s))
        .put("room", s.roomName())
        .put("slug", slug(event, s))
        .put("url", url(event, s, publicUrl))
        .put("title", title(s))
        .put("subtitle", "")
        .put("track", s.track())
        .put("type", s.type().wire())
        .put("language", "en")
        .put("abstract", s.abstractText())
        .put("description", description(s, posters))
        .put("persons", new JsonArray(s.speakers().stream().map(sp -> new JsonObject()
            .put("id", sp.personId()).put("guid", personGuid(sp).toString()).put("name", sp.name())).toList()))
        .put("links", links);
  }

  /**
   * The stream of the session's room, as a link of the session: frab's room element has no
   * place for it. A cancelled session is not streamed.
   */
  private static String streamOf(Room room, Session s) {
    return s.cancelled() ? null : room.streamUrl();
  }

  private static String streamTitle(Room room) {
    return "Live stream: " + room.name();
  }

  private static List<Session> sessionsOf(Schedule schedule, LocalDate day, Room room) {
    return schedule.sessions().stream().filter(s -> s.roomId() == room.id() && schedule.dayOf(s).equals(day))
        .toList();
  }

  private static List<String> tracks(Schedule schedule) {
    return schedule.sessions().stream().map(Session::track).filter(Objects::nonNull).distinct().sorted()
        .collect(Collectors.toList());
  }

  /** The acronym both formats accept: lowercase, underscores for dashes, at least four characters. */
  static String acronym(Event event) {
    StringBuilder a = new StringBuilder(event.slug().replace('-', '_'));
    while (a.length() < 4) {
      a.append('_');
    }
    return a.toString();
  }

  static String slug(Event event, Session s) {
    String title = Normalizer.normalize(s.title(), Normalizer.Form.NFKD).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (title.length() > 48) {
      title = title.substring(0, 48).replaceAll("-+$", "");
    }
    return acronym(event) + "-" + s.id() + "-" + (title.length() < 4 ? "session" : title);
  }

  private static String title(Session s) {
    return s.cancelled() ? "Cancelled: " + s.title() : s.title();
  }

  /**
   * The speakers with where they speak from (the formats have no remote flag), then the
   * abstract, then for a poster session its posters with their boards (the formats have no
   * field for them; the links carry them too, where the format has links).
   */
  static String description(Session s, List<SessionPoster> posters) {
    StringBuilder d = new StringBuilder();
    if (s.cancelled()) {
      d.append("This session has been cancelled.\n");
    }
    if (!s.speakers().isEmpty()) {
      d.append("Speakers: ").append(s.speakers().stream()
          .map(sp -> sp.name() + (sp.remote() ? " (remote)" : " (in the room)")).collect(Collectors.joining(", ")))
          .append('\n');
    }
    if (s.abstractText() != null) {
      d.append('\n').append(s.abstractText()).append('\n');
    }
    if (!posters.isEmpty()) {
      d.append("\nPosters:\n");
      posters.forEach(p -> d.append(p.line()).append('\n'));
    }
    return d.toString().strip();
  }

  static String url(Event event, Session s, String publicUrl) {
    return publicUrl + "/e/" + event.slug() + "/schedule#session-" + s.id();
  }

  /** The poster on the map of the poster hall, in this poster session. */
  static String posterUrl(Event event, Session s, SessionPoster p, String publicUrl) {
    String ref = s.key() != null ? s.key() : Long.toString(s.id());
    return publicUrl + "/e/" + event.slug() + "/posters?q=" + p.number() + "&session="
        + URLEncoder.encode(ref, StandardCharsets.UTF_8);
  }

  private static String duration(Session s) {
    long minutes = Duration.between(s.startsAt(), s.endsAt()).toMinutes();
    return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
  }

  /** Name-based and so stable: the same room always gets the same guid. */
  static UUID roomGuid(Event event, Room room) {
    return UUID.nameUUIDFromBytes(("confday:room:" + event.slug() + ":" + room.id()).getBytes(StandardCharsets.UTF_8));
  }

  static UUID personGuid(Speaker sp) {
    return UUID.nameUUIDFromBytes(("confday:person:" + sp.personId()).getBytes(StandardCharsets.UTF_8));
  }

  private static void element(XMLStreamWriter x, String name, String text) throws XMLStreamException {
    x.writeCharacters("\n");
    x.writeStartElement(name);
    x.writeCharacters(text == null ? "" : text);
    x.writeEndElement();
  }
}
