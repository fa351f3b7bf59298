package dev.confday.schedule;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.confday.DemoTestBase;
import dev.confday.events.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.DtStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The demo's exports against the formats' own schemas (copies of shared/specs/frab in
 * src/test/resources/specs/frab), and the iCalendar feeds through ical4j, a real parser.
 */
class ScheduleExportTest extends DemoTestBase {
  static final String LONG_TITLE = "Hands-on: Ünïcödé galaxies, commas, and semicolons; a title long enough that "
      + "every calendar line holding it must be folded — more than once — at 75 octets, never inside a character ✨";


  @BeforeAll
  static void start() {
    Event event = await(server.server.events().event(slug));
    long hall = await(server.server.events().rooms(event.id())).stream()
        .filter(r -> r.name().equals("Exhibit Hall 1")).findFirst().orElseThrow().id();
    await(server.server.schedule().create(event, null, new JsonObject().put("title", LONG_TITLE)
        .put("type", "contributed-talk").put("track", "Tutorials").put("roomId", hall)
        .put("startsAt", "2023-07-29T14:00").put("endsAt", "2023-07-29T15:00")
        .put("abstract", "Line one, with a comma;\nline two \\ with a backslash.")));
  }

  static HttpResponse<Buffer> get(String path) {
    return await(server.client.get(path).send());
  }

  @Test
  void demoScheduleXmlValidatesAgainstTheFrabSchema() throws Exception {
    HttpResponse<Buffer> r = get("/api/events/" + slug + "/schedule.xml");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/xml");
    String xml = r.bodyAsString();
    Validator validator = xsd().newValidator();
    validator.validate(new StreamSource(new StringReader(xml)));
    // 17 sessions of the ML4Astro day, the poster set-up beside the opening (#10), the long-titled one
    assertThat(xml.split("<event ", -1)).hasSize(19 + 1);
    assertThat(xml).contains("<time_zone_name>Pacific/Honolulu</time_zone_name>")
        .contains("<date>2023-07-29T08:45:00-10:00</date>");
    // the validator does refuse a broken document: an event without its guid
    String broken = xml.replaceFirst(" guid=\"[0-9a-f-]{36}\">\\s*<room>", "><room>");
    assertThat(broken).isNotEqualTo(xml);
    assertThatThrownBy(() -> xsd().newValidator().validate(new StreamSource(new StringReader(broken))))
        .isInstanceOf(SAXException.class).hasMessageContaining("guid");
  }

  @Test
  void demoScheduleJsonValidatesAgainstTheC3vocSchema() throws Exception {
    HttpResponse<Buffer> r = get("/api/events/" + slug + "/schedule.json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = new ObjectMapper().readTree(r.bodyAsString());
    Set<ValidationMessage> errors = jsonSchema().validate(doc);
    assertThat(errors).isEmpty();
    JsonNode ballroom = doc.at("/schedule/conference/days/0/rooms/Ballroom A");
    assertThat(ballroom.size()).isEqualTo(14);
    assertThat(ballroom.get(1).get("date").asText()).isEqualTo("2023-07-29T08:45:00-10:00");
    assertThat(ballroom.get(2).get("description").asText()).contains("(remote)");
    // the schema does refuse a broken document: an event without its guid
    ((ObjectNode) ballroom.get(0)).remove("guid");
    assertThat(jsonSchema().validate(doc)).isNotEmpty();
  }

  @Test
  void eventCalendarParsesInIcal4jWithTheEventsTimeZone() throws Exception {
    HttpResponse<Buffer> r = get("/api/events/" + slug + "/schedule.ics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/calendar");
    String ics = r.bodyAsString();
    for (String line : ics.split("\r\n")) {
      assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
    }
    assertThat(ics.replace("\r\n", "")).doesNotContain("\n");
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
    calendar.validate();
    List<VTimeZone> zones = calendar.getComponents(Component.VTIMEZONE);
    assertThat(zones).hasSize(1);
    assertThat(zones.get(0).getProperty(Property.TZID).orElseThrow().getValue()).isEqualTo("Pacific/Honolulu");
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    // the demo's 18 sessions (17 of the ML4Astro day plus the poster set-up running beside the
    // opening, #10) and the long-titled one added above
    assertThat(events).hasSize(19);
    VEvent invited = events.stream().filter(e -> summary(e).startsWith("Invited talk: What simulation")).findFirst()
        .orElseThrow();
    DtStart<Temporal> start = invited.<Temporal>getStartDate().orElseThrow();
    assertThat(start.getParameter(Parameter.TZID).orElseThrow().getValue()).isEqualTo("Pacific/Honolulu");
    assertThat(Instant.from(start.getDate())).isEqualTo(Instant.parse("2023-07-29T18:45:00Z"));
    VEvent hands = events.stream().filter(e -> summary(e).equals(LONG_TITLE)).findFirst().orElseThrow();
    assertThat(hands.getProperty(Property.DESCRIPTION).orElseThrow().getValue())
        .contains("Line one, with a comma;\nline two \\ with a backslash.");
  }

  @Test
  void calendarUidsStayAndACancelledSessionIsMarkedCancelled() throws Exception {
    Event event = await(server.server.events().event(slug));
    Session social = await(server.server.schedule().schedule(event)).sessions().stream()
        .filter(s -> "social".equals(s.key())).findFirst().orElseThrow();
    String xmlBefore = get("/api/events/" + slug + "/schedule.xml").bodyAsString();
    HttpResponse<Buffer> before = get("/api/events/" + slug + "/schedule.ics");
    String etag = before.getHeader("ETag");
    assertThat(await(server.client.get("/api/events/" + slug + "/schedule.ics").putHeader("If-None-Match", etag)
        .send()).statusCode()).isEqualTo(304);

    await(server.server.schedule().move(event, null, social.id(),
        new JsonObject().put("startsAt", "2023-07-29T18:30:00-10:00")));
    await(server.server.schedule().cancel(event, null, social.id()));

    HttpResponse<Buffer> after = await(server.client.get("/api/events/" + slug + "/schedule.ics")
        .putHeader("If-None-Match", etag).send());
    assertThat(after.statusCode()).isEqualTo(200);
    Calendar calendar = new CalendarBuilder().build(new StringReader(after.bodyAsString()));
    VEvent moved = calendar.<VEvent>getComponents(Component.VEVENT).stream()
        .filter(e -> e.getProperty(Property.UID).orElseThrow().getValue().equals(social.guid() + "@confday"))
        .findFirst().orElseThrow();
    assertThat(moved.getProperty(Property.STATUS).orElseThrow().getValue()).isEqualTo("CANCELLED");
    assertThat(Instant.from(moved.<Temporal>getStartDate().orElseThrow().getDate()))
        .isEqualTo(Instant.parse("2023-07-30T04:30:00Z"));
    assertThat(Integer.parseInt(moved.getProperty(Property.SEQUENCE).orElseThrow().getValue())).isEqualTo(2);
    String xmlAfter = get("/api/events/" + slug + "/schedule.xml").bodyAsString();
    String id = "id=\"" + social.id() + "\" guid=\"" + social.guid() + "\"";
    assertThat(xmlBefore).contains(id);
    assertThat(xmlAfter).contains(id);
    xsd().newValidator().validate(new StreamSource(new StringReader(xmlAfter)));
  }

  @Test
  void personalFeedHoldsTheStarredSessionsAndNeedsItsOwnToken() throws Exception {
    String attendee = server.sessionFor(slug, "ines.moreau@example.org");
    Event event = await(server.server.events().event(slug));
    List<Session> sessions = await(server.server.schedule().schedule(event)).sessions();
    for (String key : List.of("panel", "invited-2")) {
      long id = sessions.stream().filter(s -> key.equals(s.key())).findFirst().orElseThrow().id();
      assertThat(await(server.client.put("/api/events/" + slug + "/agenda/" + id).bearerTokenAuthentication(attendee)
          .send()).statusCode()).isEqualTo(204);
    }
    HttpResponse<Buffer> link = await(server.client.post("/api/events/" + slug + "/agenda/calendar-link")
        .bearerTokenAuthentication(attendee).send());
    assertThat(link.statusCode()).isEqualTo(200);
    String url = link.bodyAsJsonObject().getString("url");
    assertThat(url).contains("/api/events/" + slug + "/agenda.ics?token=");
    String path = url.substring(url.indexOf("/api/"));

    HttpResponse<Buffer> feed = get(path);
    assertThat(feed.statusCode()).isEqualTo(200);
    Calendar calendar = new CalendarBuilder().build(new StringReader(feed.bodyAsString()));
    calendar.validate();
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    assertThat(events).extracting(ScheduleExportTest::summary).hasSize(2)
        .anyMatch(s -> s.startsWith("Panel")).anyMatch(s -> s.startsWith("Invited talk"));
    assertThat(await(server.client.get(path).putHeader("If-None-Match", feed.getHeader("ETag")).send()).statusCode())
        .isEqualTo(304);

    assertThat(get("/api/events/" + slug + "/agenda.ics?token=" + attendee).statusCode()).isEqualTo(403);
    assertThat(get("/api/events/" + slug + "/agenda.ics?token=nonsense").statusCode()).isEqualTo(401);
    assertThat(get("/api/events/" + slug + "/agenda.ics").statusCode()).isEqualTo(401);
  }

  @Test
  void posterSessionsListTheirPostersWithBoardsInTheScheduleAndEveryExport() throws Exception {
    String base = "/api/events/" + slug;
    JsonObject schedule = get(base + "/schedule").bodyAsJsonObject();
    JsonObject session = posterSession(schedule, "posters-1");
    List<JsonObject> posters = objects(session.getJsonArray("posters"));
    assertThat(posters).isNotEmpty().allSatisfy(p -> assertThat(p.getString("board")).isNotBlank());
    assertThat(posters).extracting(p -> p.getInteger("number")).isSorted();
    JsonObject first = posters.get(0);
    assertThat(first.getInteger("number")).isEqualTo(1);
    assertThat(objects(posterSession(schedule, "posters-2").getJsonArray("posters"))).isNotEmpty()
        .extracting(p -> p.getInteger("number")).doesNotContain(1);
    assertThat(objects(schedule.getJsonArray("sessions")).stream()
        .filter(x -> !"poster-session".equals(x.getString("type")))).allSatisfy(x -> assertThat(x.containsKey("posters")).isFalse());
    String line = "#1 " + first.getString("title") + " — board " + first.getString("board");

    assertThat(get(base + "/schedule.xml").bodyAsString()).contains(line);
    assertThat(get(base + "/schedule.json").bodyAsString()).contains(line);
    VEvent inCalendar = posterSessionIn(get(base + "/schedule.ics").bodyAsString(), session.getString("title"));
    assertThat(inCalendar.getProperty(Property.DESCRIPTION).orElseThrow().getValue()).contains(line);
  }

  @Test
  void movingAPosterChangesTheBoardAndTheETagsOfTheScheduleAndTheExports() throws Exception {
    String base = "/api/events/" + slug;
    List<String> paths = List.of(base + "/schedule", base + "/schedule.xml", base + "/schedule.json",
        base + "/schedule.ics");
    Map<String, String> etags = new HashMap<>();
    for (String path : paths) {
      HttpResponse<Buffer> r = get(path);
      etags.put(path, r.getHeader("ETag"));
      assertThat(await(server.client.get(path).putHeader("If-None-Match", r.getHeader("ETag")).send()).statusCode())
          .as(path).isEqualTo(304);
    }
    JsonObject session = posterSession(get(base + "/schedule").bodyAsJsonObject(), "posters-2");
    List<JsonObject> before = objects(session.getJsonArray("posters"));
    JsonObject moved = before.get(0);
    JsonObject other = before.get(1);
    String target = other.getString("board");
    long boardId = objects(get(base + "/areas").bodyAsJsonArray()).stream()
        .flatMap(a -> objects(a.getJsonArray("boards")).stream()).filter(b -> b.getString("label").equals(target))
        .findFirst().orElseThrow().getLong("id");
    long posterId = get(base + "/posters?q=" + moved.getInteger("number")).bodyAsJsonArray().getJsonObject(0)
        .getLong("id");
    String organizer = server.sessionFor(slug, "ada.okafor@example.org");
    assertThat(await(server.client.put(base + "/poster-sessions/posters-2/assignments/" + posterId)
        .bearerTokenAuthentication(organizer).sendJsonObject(new JsonObject().put("board", boardId))).statusCode())
        .isEqualTo(200);

    Map<String, String> bodies = new HashMap<>();
    for (String path : paths) {
      HttpResponse<Buffer> r = await(server.client.get(path).putHeader("If-None-Match", etags.get(path)).send());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.getHeader("ETag")).as(path).isNotEqualTo(etags.get(path));
      bodies.put(path, r.bodyAsString());
    }
    List<JsonObject> after = objects(posterSession(new JsonObject(bodies.get(base + "/schedule")), "posters-2")
        .getJsonArray("posters"));
    // the two posters swapped boards
    assertThat(after.get(0).getString("board")).isEqualTo(target);
    assertThat(after.get(1).getString("board")).isEqualTo(moved.getString("board"));
    String line = "#" + moved.getInteger("number") + " " + moved.getString("title") + " — board " + target;
    String xml = bodies.get(base + "/schedule.xml");
    assertThat(xml).contains(line);
    xsd().newValidator().validate(new StreamSource(new StringReader(xml)));
    String json = bodies.get(base + "/schedule.json");
    assertThat(jsonSchema().validate(new ObjectMapper().readTree(json))).isEmpty();
    assertThat(json).contains(line).contains("/e/" + slug + "/posters?q=" + moved.getInteger("number")
        + "&session=posters-2");
    Calendar calendar = new CalendarBuilder().build(new StringReader(bodies.get(base + "/schedule.ics")));
    calendar.validate();
    assertThat(posterSessionIn(bodies.get(base + "/schedule.ics"), session.getString("title"))
        .getProperty(Property.DESCRIPTION).orElseThrow().getValue()).contains(line);

    // a starred poster session carries its boards in the personal feed too
    String attendee = server.sessionFor(slug, "grace.kim@example.org");
    assertThat(await(server.client.put(base + "/agenda/" + session.getLong("id")).bearerTokenAuthentication(attendee)
        .send()).statusCode()).isEqualTo(204);
    String url = await(server.client.post(base + "/agenda/calendar-link").bearerTokenAuthentication(attendee).send())
        .bodyAsJsonObject().getString("url");
    String feed = get(url.substring(url.indexOf("/api/"))).bodyAsString();
    assertThat(posterSessionIn(feed, session.getString("title")).getProperty(Property.DESCRIPTION).orElseThrow()
        .getValue()).contains(line);
  }

  @Test
  void bothFormatsCarryTheStreamOfEachSessionsRoom() throws Exception {
    String stream = "https://stream.example.org/ml4astro/ballroom-a";
    String xml = get("/api/events/" + slug + "/schedule.xml").bodyAsString();
    xsd().newValidator().validate(new StreamSource(new StringReader(xml)));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml)));
    XPath xpath = XPathFactory.newInstance().newXPath();
    String invited = "//room[@name='Ballroom A']/event[starts-with(title, 'Invited talk: What simulation')]";
    assertThat(xpath.evaluate(invited + "/links/link[@type='media']/@href", doc)).isEqualTo(stream);
    assertThat(xpath.evaluate(invited + "/links/link[@type='media']", doc)).isEqualTo("Live stream: Ballroom A");

    JsonNode json = new ObjectMapper().readTree(get("/api/events/" + slug + "/schedule.json").bodyAsString());
    assertThat(jsonSchema().validate(json)).isEmpty();
    JsonNode rooms = json.at("/schedule/conference/rooms");
    JsonNode ballroom = null;
    for (JsonNode r : rooms) {
      if (r.get("name").asText().equals("Ballroom A")) {
        ballroom = r;
      }
    }
    assertThat(ballroom).isNotNull();
    assertThat(ballroom.get("url").asText()).isEqualTo(stream);
    JsonNode first = json.at("/schedule/conference/days/0/rooms/Ballroom A/0");
    assertThat(first.get("links").get(0).get("type").asText()).isEqualTo("media");
    assertThat(first.get("links").get(0).get("url").asText()).isEqualTo(stream);
  }

  private static JsonObject posterSession(JsonObject schedule, String key) {
    return objects(schedule.getJsonArray("sessions")).stream().filter(s -> key.equals(s.getString("key")))
        .findFirst().orElseThrow();
  }

  private static VEvent posterSessionIn(String ics, String title) throws Exception {
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
    return calendar.<VEvent>getComponents(Component.VEVENT).stream().filter(e -> summary(e).equals(title))
        .findFirst().orElseThrow();
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void calendarTimesStayRightAcrossADaylightSavingChange() throws Exception {
    Event berlin = new Event(1, "dst-test", "DST workshop", "Europe/Berlin", LocalDate.parse("2023-10-28"),
        LocalDate.parse("2023-10-30"), null, null);
    List<Session> sessions = List.of(
        berlinSession(1, "Saturday", Instant.parse("2023-10-28T08:00:00Z")),
        berlinSession(2, "Monday", Instant.parse("2023-10-30T08:00:00Z")));
    String ics = ICalendar.write(berlin, "http://localhost", "DST", sessions, Map.of());
    assertThat(ics).contains("DTSTART;TZID=Europe/Berlin:20231028T100000", "DTSTART;TZID=Europe/Berlin:20231030T090000");
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
    calendar.validate();
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    assertThat(events.stream().map(e -> Instant.from(e.<Temporal>getStartDate().orElseThrow().getDate())))
        .containsExactly(Instant.parse("2023-10-28T08:00:00Z"), Instant.parse("2023-10-30T08:00:00Z"));
  }

  private static Session berlinSession(long id, String title, Instant start) {
    return new Session(id, UUID.randomUUID(), null, title, SessionType.INVITED_TALK, null, null, 1, "Hall", start,
        start.plusSeconds(3600), false, 1, 0, start, List.of());
  }

  private static String summary(VEvent e) {
    return e.getProperty(Property.SUMMARY).orElseThrow().getValue();
  }

  private static Schema xsd() throws SAXException {
    return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(ScheduleExportTest.class.getResource("/specs/frab/schedule.xml.xsd"));
  }

  private static JsonSchema jsonSchema() throws Exception {
    try (InputStream in = ScheduleExportTest.class.getResourceAsStream("/specs/frab/schedule.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V6)
          .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }
  }
}
