package dev.confday.streaming;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import dev.confday.auth.Role;
import dev.confday.events.Event;
import dev.confday.events.NewEvent;
import dev.confday.events.NewRoom;
import dev.confday.live.LiveClient;
import dev.confday.live.LiveMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streams per room, signed playback against a real nginx secure_link origin with a live ffmpeg stream, status, viewers. */
class StreamApiTest {
  static final ZoneId ZONE = ZoneId.of("Pacific/Honolulu");
  static final AtomicInteger EVENTS = new AtomicInteger();
  static StreamOrigin origin;
  static TestServer server;

  @BeforeAll
  static void start() {
    origin = StreamOrigin.start("http://localhost");
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_STREAM_SECRET", StreamOrigin.SECRET,
        "CONFDAY_STREAM_ORIGINS", origin.origin(), "CONFDAY_STREAM_STATUS_MS", "60000",
        // presence rounds only when a test asks (refreshPresence): a round also closes ended sessions' sockets
        "CONFDAY_LIVE_PRESENCE_MS", "60000"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  /** An event running today (in Honolulu) with rooms A and B, staff, a remote and an in-person registration. */
  record Fixture(String slug, long eventId, long roomA, long roomB, String organizer, String moderator, String remote,
      String inPerson, String unregistered, long remoteId, long inPersonId) {
    String room(long id) {
      return "/api/events/" + slug + "/rooms/" + id + "/stream";
    }
  }

  static Fixture fixture() {
    return fixture(server);
  }

  /** The fixture on any test server (the browser test has its own). */
  static Fixture fixture(TestServer server) {
    String slug = "stream-test-" + EVENTS.incrementAndGet();
    LocalDate today = LocalDate.now(ZONE);
    Event event = await(server.server.events().createEvent(new NewEvent(slug, "Streaming workshop " + slug,
        ZONE.getId(), today.minusDays(1), today.plusDays(1), null, null)));
    long a = await(server.server.events().addRoom(event.id(), new NewRoom("Room A", 100, null))).id();
    long b = await(server.server.events().addRoom(event.id(), new NewRoom("Room B", 50, null))).id();
    await(server.server.events().addPerson(event.id(), "org-" + slug + "@example.org", "Olga Organizer", null,
        Role.ORGANIZER));
    await(server.server.events().addPerson(event.id(), "mod-" + slug + "@example.org", "Mona Moderator", null,
        Role.MODERATOR));
    await(server.server.events().addPerson(event.id(), "att-" + slug + "@example.org", "Una Unregistered", null,
        Role.ATTENDEE));
    await(server.server.events().importRegistrations(event.id(), "name,email,ticket\n"
        + "Rita Remote,remote-" + slug + "@example.org,Remote ticket\n"
        + "Ian Inperson,room-" + slug + "@example.org,In-person ticket\n"));
    var people = await(server.server.events().people(event.id()));
    long remoteId = people.stream().filter(p -> p.email().startsWith("remote-")).findFirst().orElseThrow().id();
    long roomId = people.stream().filter(p -> p.email().startsWith("room-")).findFirst().orElseThrow().id();
    return new Fixture(slug, event.id(), a, b, server.sessionFor(slug, "org-" + slug + "@example.org"),
        server.sessionFor(slug, "mod-" + slug + "@example.org"), server.sessionFor(slug, "remote-" + slug + "@example.org"),
        server.sessionFor(slug, "room-" + slug + "@example.org"), server.sessionFor(slug, "att-" + slug + "@example.org"),
        remoteId, roomId);
  }

  static HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> req = server.client.request(method, path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    return ok(r, 200);
  }

  static JsonObject ok(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    return r.bodyAsJsonObject();
  }

  static void setStream(Fixture f, long room, boolean isPublic) {
    ok(call(HttpMethod.PUT, f.room(room), f.organizer(), new JsonObject().put("playbackUrl", origin.playbackUrl())
        .put("meetingUrl", "https://meet.example.org/room-a").put("public", isPublic)));
  }

  static JsonObject access(Fixture f, long room, String token) {
    return ok(call(HttpMethod.POST, f.room(room) + "/access", token, null));
  }

  static String problemType(HttpResponse<Buffer> r) {
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    return r.bodyAsJsonObject().getString("type");
  }

  /** A session of room {@code room} from {@code fromNow} to {@code toNow} minutes from now. */
  static JsonObject session(Fixture f, long room, String title, int fromNow, int toNow) {
    return session(server, f, room, title, fromNow, toNow);
  }

  static JsonObject session(TestServer server, Fixture f, long room, String title, int fromNow, int toNow) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    HttpResponse<Buffer> r = await(server.client.post("/api/events/" + f.slug() + "/schedule/sessions")
        .bearerTokenAuthentication(f.organizer()).sendJsonObject(new JsonObject().put("title", title).put("type", "invited-talk").put("roomId", room)
            .put("startsAt", now.plus(fromNow, ChronoUnit.MINUTES).atZone(ZONE).toOffsetDateTime().toString())
            .put("endsAt", now.plus(toNow, ChronoUnit.MINUTES).atZone(ZONE).toOffsetDateTime().toString())));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  @Test
  void signedPrefixGetsThePlaylistAndItsSegmentsFromNginx() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    JsonObject grant = access(f, f.roomA(), f.remote());
    assertThat(grant.getString("url")).startsWith(grant.getString("prefix")).endsWith("/index.m3u8");
    assertThat(grant.getString("prefix")).startsWith(origin.origin() + "/hls/").endsWith("/" + StreamOrigin.STREAM + "/");
    assertThat(Instant.parse(grant.getString("refreshAt"))).isBefore(Instant.parse(grant.getString("expiresAt")));

    var playlist = StreamOrigin.get(grant.getString("url"));
    assertThat(playlist.statusCode()).isEqualTo(200);
    String text = new String(playlist.body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("#EXTM3U").contains("#EXTINF");
    // the playlist names its segments relatively: they resolve under the same signed prefix
    String segment = text.lines().filter(l -> l.endsWith(".ts")).reduce((x, y) -> y).orElseThrow();
    assertThat(segment).doesNotContain("/");
    var media = StreamOrigin.get(grant.getString("prefix") + segment);
    assertThat(media.statusCode()).isEqualTo(200);
    assertThat(media.body().length).isGreaterThan(188);
    assertThat(media.body()[0]).as("MPEG-TS sync byte").isEqualTo((byte) 0x47);
    assertThat(media.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost");
  }

  /**
   * The watch page's renewal over its live connection (request stream.access): the same signed
   * prefix nginx lets in, and the same refusals as the HTTP call, answered to that socket only.
   */
  @Test
  void renewalOverTheLiveConnectionIsSignedLikeHttpAndRefusedLikeIt() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    JsonObject params = new JsonObject().put("event", f.slug()).put("room", f.roomA());
    try (LiveClient rita = LiveClient.connect(server.vertx, server, f.remote());
        LiveClient other = LiveClient.connect(server.vertx, server, f.remote())) {
      JsonObject reply = rita.request("r1", "stream.access", params);
      assertThat(reply.containsKey("error")).as(reply.encode()).isFalse();
      JsonObject grant = reply.getJsonObject("result");
      assertThat(grant.getString("prefix")).startsWith(origin.origin() + "/hls/").endsWith("/" + StreamOrigin.STREAM + "/");
      assertThat(Instant.parse(grant.getString("refreshAt"))).isBefore(Instant.parse(grant.getString("expiresAt")));
      assertThat(StreamOrigin.get(grant.getString("url")).statusCode()).isEqualTo(200);
      // a number as the id is echoed as a number; the reply went to the asking socket only
      assertThat(rita.request("7", "stream.access", params).getJsonObject("result")).isNotNull();
      JsonObject numbered = rita.sendAndAwait(new JsonObject().put("type", "request").put("id", 8)
          .put("name", "stream.access").put("params", params));
      assertThat(numbered.getValue("id")).isEqualTo(8);
      assertThat(other.received().stream().filter(m -> "reply".equals(m.getString("type")))).as("replies on the other socket")
          .isEmpty();

      // revoked by an organizer: the next renewal over the socket is refused, like the HTTP one
      HttpResponse<Buffer> revoke = call(HttpMethod.PUT, "/api/events/" + f.slug() + "/streams/revoked/"
          + f.remoteId(), f.organizer(), null);
      assertThat(revoke.statusCode()).as(revoke.bodyAsString()).isEqualTo(204);
      JsonObject refused = rita.request("r2", "stream.access", params).getJsonObject("error");
      assertThat(refused.getInteger("status")).isEqualTo(403);
      assertThat(refused.getString("type")).isEqualTo("/problems/stream-access-revoked");
      assertThat(refused.getString("detail")).contains("revoked");
      assertThat(rita.request("r3", "stream.access", params).getJsonObject("result")).isNull();
      call(HttpMethod.DELETE, "/api/events/" + f.slug() + "/streams/revoked/" + f.remoteId(), f.organizer(), null);
      assertThat(rita.request("r4", "stream.access", params).getJsonObject("result")).isNotNull();

      // bad requests: no such request, bad params, a room of nowhere, a malformed id
      assertThat(rita.request("r5", "stream.nothing", params).getJsonObject("error").getString("type"))
          .isEqualTo("/problems/unknown-request");
      JsonObject badRoom = rita.request("r6", "stream.access", params.copy().put("room", "one")).getJsonObject("error");
      assertThat(badRoom.getInteger("status")).isEqualTo(400);
      assertThat(badRoom.encode()).contains("room");
      assertThat(rita.request("r7", "stream.access", params.copy().put("room", 999_999_999)).getJsonObject("error")
          .getInteger("status")).isEqualTo(404);
      assertThat(rita.request("r8", "stream.access", new JsonObject().put("event", "no-such-event").put("room", 1))
          .getJsonObject("error").getInteger("status")).isEqualTo(404);
      JsonObject badId = rita.sendAndAwait(new JsonObject().put("type", "request").put("id", "x".repeat(65))
          .put("name", "stream.access").put("params", params));
      assertThat(badId.getString("type")).isEqualTo("error");
      assertThat(badId.getString("code")).isEqualTo("bad-message");
    }
    // not registered for the event: refused as over HTTP
    try (LiveClient unregistered = LiveClient.connect(server.vertx, server, f.unregistered())) {
      assertThat(unregistered.request("r1", "stream.access", params).getJsonObject("error").getString("type"))
          .isEqualTo("/problems/not-registered");
    }
    // anonymous sockets send no requests, even for a public room
    setStream(f, f.roomA(), true);
    try (LiveClient anonymous = LiveClient.connect(server.vertx, server, null)) {
      JsonObject error = anonymous.request("r1", "stream.access", params).getJsonObject("error");
      assertThat(error.getInteger("status")).isEqualTo(401);
    }
    setStream(f, f.roomA(), false);
    // a person of another event is nobody here: a private room's prefix is refused
    Fixture elsewhere = fixture();
    try (LiveClient stranger = LiveClient.connect(server.vertx, server, elsewhere.remote())) {
      assertThat(stranger.request("r1", "stream.access", params).getJsonObject("error").getInteger("status"))
          .isEqualTo(401);
    }
    // a topic ticket (a projector's socket) follows its one topic and asks nothing
    long talk = session(f, f.roomA(), "Projected talk", -5, 25).getLong("id");
    JsonObject link = ok(call(HttpMethod.POST, "/api/events/" + f.slug() + "/sessions/" + talk + "/qa/projector-links",
        f.moderator(), null), 201);
    String secret = link.getString("url").substring(link.getString("url").indexOf('#') + 1);
    HttpResponse<Buffer> issued = await(server.client.post("/api/events/" + f.slug() + "/qa/projector/ticket")
        .putHeader("X-Projector-Secret", secret).send());
    String ticket = ok(issued).getString("ticket");
    try (LiveClient projector = LiveClient.connect(server.vertx, server, ticket, server.baseUrl())) {
      assertThat(projector.request("r1", "stream.access", params).getJsonObject("error").getInteger("status"))
          .isEqualTo(401);
    }
    // a session logged out: its socket's next request is refused at once (not a presence round
    // later) and the socket is closed with 4003
    try (LiveClient rita = LiveClient.connect(server.vertx, server, f.remote())) {
      assertThat(call(HttpMethod.POST, "/api/auth/logout", f.remote(), null).statusCode()).isBetween(200, 204);
      JsonObject ended = rita.request("r1", "stream.access", params).getJsonObject("error");
      assertThat(ended.getInteger("status")).isEqualTo(401);
      assertThat(ended.getString("type")).isEqualTo("/problems/session-ended");
      assertThat(rita.awaitClose(java.time.Duration.ofSeconds(5))).isEqualTo((short) 4003);
    }
  }

  @Test
  void tamperedOrExpiredOrForeignSignaturesGet403() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    JsonObject grant = access(f, f.roomA(), f.remote());
    String url = grant.getString("url");
    String[] parts = url.split("/");
    // .../hls/<sig>/<expires>/<stream>/index.m3u8
    String sig = parts[parts.length - 4];
    String expires = parts[parts.length - 3];
    char flipped = sig.charAt(0) == 'A' ? 'B' : 'A';
    assertThat(StreamOrigin.get(url.replace("/" + sig + "/", "/" + flipped + sig.substring(1) + "/")).statusCode())
        .as("tampered signature").isEqualTo(403);
    long later = Long.parseLong(expires) + 3600;
    assertThat(StreamOrigin.get(url.replace("/" + expires + "/", "/" + later + "/")).statusCode())
        .as("expiry moved later").isEqualTo(403);
    assertThat(StreamOrigin.get(url.replace("/" + StreamOrigin.STREAM + "/", "/room-b/")).statusCode())
        .as("another stream's directory").isEqualTo(403);
    PlaybackSigner signer = new PlaybackSigner(StreamOrigin.SECRET);
    String expired = signer.sign(origin.playbackUrl(), Instant.now().minusSeconds(5)).url();
    assertThat(StreamOrigin.get(expired).statusCode()).as("expired").isEqualTo(403);
    String foreign = new PlaybackSigner("another-secret-0123456789").sign(origin.playbackUrl(),
        Instant.now().plusSeconds(60)).url();
    assertThat(StreamOrigin.get(foreign).statusCode()).as("signed with another secret").isEqualTo(403);
    // the same signer with the right secret and a future expiry is let in: the 403s above are the checks
    assertThat(StreamOrigin.get(signer.sign(origin.playbackUrl(), Instant.now().plusSeconds(60)).url()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void revokedPersonsRefreshIsRefusedUntilRestored() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    access(f, f.roomA(), f.remote());
    HttpResponse<Buffer> revoke = call(HttpMethod.PUT, "/api/events/" + f.slug() + "/streams/revoked/" + f.remoteId(),
        f.organizer(), null);
    assertThat(revoke.statusCode()).as(revoke.bodyAsString()).isEqualTo(204);
    HttpResponse<Buffer> refused = call(HttpMethod.POST, f.room(f.roomA()) + "/access", f.remote(), null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(problemType(refused)).endsWith("/stream-access-revoked");
    assertThat(ok(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams/settings", f.organizer(), null))
        .getJsonArray("revoked").stream().map(o -> ((Number) o).longValue()).toList()).containsExactly(f.remoteId());
    // others keep watching
    access(f, f.roomA(), f.inPerson());
    assertThat(call(HttpMethod.DELETE, "/api/events/" + f.slug() + "/streams/revoked/" + f.remoteId(), f.organizer(),
        null).statusCode()).isEqualTo(204);
    access(f, f.roomA(), f.remote());
  }

  @Test
  void onlyThisEventsOrganizersSetStreamsSwitchesAndRevocations() {
    Fixture f = fixture();
    Fixture other = fixture();
    JsonObject body = new JsonObject().put("playbackUrl", origin.playbackUrl());
    assertThat(call(HttpMethod.PUT, f.room(f.roomA()), other.organizer(), body).statusCode()).isEqualTo(403);
    for (String token : List.of(f.remote(), f.moderator(), f.inPerson())) {
      assertThat(call(HttpMethod.PUT, f.room(f.roomA()), token, body).statusCode()).isEqualTo(403);
    }
    assertThat(call(HttpMethod.PUT, f.room(f.roomA()), null, body).statusCode()).isEqualTo(401);
    // a room of another event is not this event's
    assertThat(call(HttpMethod.PUT, f.room(other.roomA()), f.organizer(), body).statusCode()).isEqualTo(404);
    setStream(f, f.roomA(), false);
    assertThat(call(HttpMethod.PUT, f.room(f.roomA()) + "/mode", f.remote(), new JsonObject().put("mode", "off-air"))
        .statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.PUT, "/api/events/" + f.slug() + "/streams/revoked/" + f.remoteId(), other.organizer(),
        null).statusCode()).isEqualTo(403);
    assertThat(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams/attendance", f.remote(), null).statusCode())
        .isEqualTo(403);
    // a bad URL is refused with the field named
    HttpResponse<Buffer> bad = call(HttpMethod.PUT, f.room(f.roomA()), f.organizer(),
        new JsonObject().put("playbackUrl", "ftp://x/hls/a/index.m3u8"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("playbackUrl");
    // the list shows URLs to organizers only
    assertThat(ok(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams", f.remote(), null)).getJsonArray("rooms")
        .getJsonObject(0).containsKey("playbackUrl")).isFalse();
    assertThat(ok(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams", f.organizer(), null)).getJsonArray("rooms")
        .getJsonObject(0).getString("playbackUrl")).isEqualTo(origin.playbackUrl());
  }

  @Test
  void anonymousViewersOnlyForPublicRoomsAndAudienceRules() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    HttpResponse<Buffer> anonymous = call(HttpMethod.POST, f.room(f.roomA()) + "/access", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(problemType(anonymous)).endsWith("/unauthorized");
    HttpResponse<Buffer> unregistered = call(HttpMethod.POST, f.room(f.roomA()) + "/access", f.unregistered(), null);
    assertThat(unregistered.statusCode()).isEqualTo(403);
    assertThat(problemType(unregistered)).endsWith("/not-registered");
    // a session of another event is anonymous here
    Fixture other = fixture();
    assertThat(call(HttpMethod.POST, f.room(f.roomA()) + "/access", other.remote(), null).statusCode()).isEqualTo(401);
    // by default in-person registrations may watch too (an overflow room, a clash)
    access(f, f.roomA(), f.inPerson());
    ok(call(HttpMethod.PUT, "/api/events/" + f.slug() + "/streams/settings", f.organizer(),
        new JsonObject().put("audience", "remote")));
    HttpResponse<Buffer> inPerson = call(HttpMethod.POST, f.room(f.roomA()) + "/access", f.inPerson(), null);
    assertThat(inPerson.statusCode()).isEqualTo(403);
    assertThat(problemType(inPerson)).endsWith("/remote-tickets-only");
    access(f, f.roomA(), f.remote());
    access(f, f.roomA(), f.moderator());
    // a public room: anyone, with a URL that really plays
    setStream(f, f.roomA(), true);
    JsonObject grant = access(f, f.roomA(), null);
    assertThat(StreamOrigin.get(grant.getString("url")).statusCode()).isEqualTo(200);
    // a room without a stream
    HttpResponse<Buffer> none = call(HttpMethod.POST, f.room(f.roomB()) + "/access", f.remote(), null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(problemType(none)).endsWith("/stream-not-set");
  }

  @Test
  void statusFollowsTheScheduleAndTheSwitchAndIsPushedLive() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    JsonObject status = ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null));
    assertThat(status.getString("state")).isEqualTo("idle");
    JsonObject later = session(f, f.roomA(), "Keynote", 120, 150);
    status = ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null));
    assertThat(status.getString("state")).isEqualTo("upcoming");
    String hhmm = later.getString("startsAt").substring(11, 16);
    assertThat(status.getString("label")).isEqualTo("Next at " + hhmm + ": Keynote");
    JsonObject now = session(f, f.roomA(), "Opening remarks", -10, 20);
    status = ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null));
    assertThat(status.getString("state")).isEqualTo("live");
    assertThat(status.getString("label")).isEqualTo("Live now: Opening remarks");
    assertThat(status.getJsonObject("session").getLong("id")).isEqualTo(now.getLong("id"));
    // the ticker (every CONFDAY_STREAM_STATUS_MS) notices that the schedule says the session runs, and pushes it
    await(server.server.streams().tick());
    assertThat(await(server.server.live().since(StreamService.topic(f.slug()), 0, 100))).last()
        .extracting(m -> m.payload().getJsonObject("status").getString("label")).isEqualTo("Live now: Opening remarks");

    JsonObject switched = ok(call(HttpMethod.PUT, f.room(f.roomA()) + "/mode", f.organizer(),
        new JsonObject().put("mode", "technical-difficulty")));
    assertThat(switched.getString("state")).isEqualTo("technical-difficulty");
    List<LiveMessage> pushed = await(server.server.live().since(StreamService.topic(f.slug()), 0, 100));
    assertThat(pushed).extracting(m -> m.payload().getJsonObject("status").getString("state"))
        .contains("live", "technical-difficulty");
    ok(call(HttpMethod.PUT, f.room(f.roomA()) + "/mode", f.organizer(), new JsonObject().put("mode", "auto")));
    // a round that changes nothing publishes nothing
    long seq = await(server.server.live().lastSeq(StreamService.topic(f.slug())));
    await(server.server.streams().tick());
    assertThat(await(server.server.live().lastSeq(StreamService.topic(f.slug())))).isEqualTo(seq);
  }

  @Test
  void viewersArePeopleNotTabsAndRemoteJoinsCountAsAttendance() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    JsonObject running = session(f, f.roomA(), "Contributed talk", -5, 25);
    String topic = "room:" + f.roomA() + ":stream";
    try (LiveClient tab1 = LiveClient.connect(server.vertx, server, f.remote());
        LiveClient tab2 = LiveClient.connect(server.vertx, server, f.remote())) {
      assertThat(tab1.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      assertThat(tab2.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      await(server.server.live().refreshPresence());
      await(server.server.streams().tick());
      assertThat(ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null)).getInteger("viewers")).isEqualTo(1);
      try (LiveClient second = LiveClient.connect(server.vertx, server, f.inPerson())) {
        assertThat(second.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
        await(server.server.live().refreshPresence());
        await(server.server.streams().tick());
        assertThat(ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null)).getInteger("viewers"))
            .isEqualTo(2);
        List<LiveMessage> pushed = await(server.server.live().since(StreamService.topic(f.slug()), 0, 100));
        assertThat(pushed).extracting(m -> m.payload().getJsonObject("status").getInteger("viewers")).contains(1, 2);
      }
    }
    // the in-person attendee is checked in to the room during the session (venue first, then the room)
    checkIn(f, f.inPersonId(), f.roomA());
    JsonObject attendance = ok(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams/attendance", f.organizer(),
        null));
    JsonObject row = attendance.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getLong("sessionId").equals(running.getLong("id"))).findFirst().orElseThrow();
    assertThat(row.getInteger("remote")).as("both watchers joined remotely").isEqualTo(2);
    assertThat(row.getInteger("inRoom")).isEqualTo(1);
    assertThat(row.getInteger("both")).isEqualTo(1);
    assertThat(row.getInteger("total")).isEqualTo(2);
    // anonymous viewers count for a public room only (per socket: they are nobody in particular)
    try (LiveClient anonymous = LiveClient.connect(server.vertx, server, null)) {
      assertThat(anonymous.subscribe("room:" + f.roomA() + ":watch", null).getString("type")).isEqualTo("subscribed");
      await(server.server.live().refreshPresence());
      await(server.server.streams().tick());
      assertThat(ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null)).getInteger("viewers")).isZero();
      setStream(f, f.roomA(), true);
      assertThat(ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null)).getInteger("viewers")).isEqualTo(1);
      setStream(f, f.roomA(), false);
    }
    // kept after the watchers left
    await(server.server.live().refreshPresence());
    await(server.server.streams().tick());
    assertThat(ok(call(HttpMethod.GET, f.room(f.roomA()) + "/status", null, null)).getInteger("viewers")).isZero();
    JsonObject again = ok(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams/attendance", f.organizer(), null))
        .getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getLong("sessionId").equals(running.getLong("id"))).findFirst().orElseThrow();
    assertThat(again.getInteger("remote")).isEqualTo(2);
  }

  @Test
  void attendanceChangesArePushedLiveToOrganizersOnly() {
    Fixture f = fixture();
    setStream(f, f.roomA(), false);
    JsonObject running = session(f, f.roomA(), "Live attendance talk", -5, 25);
    long sessionId = running.getLong("id");
    String topic = StreamService.attendanceTopic(f.slug());
    try (LiveClient attendee = LiveClient.connect(server.vertx, server, f.remote());
        LiveClient moderator = LiveClient.connect(server.vertx, server, f.moderator());
        LiveClient anonymous = LiveClient.connect(server.vertx, server, null)) {
      assertThat(attendee.subscribe(topic, null).getString("type")).isEqualTo("error");
      assertThat(moderator.subscribe(topic, null).getString("type")).isEqualTo("error");
      assertThat(anonymous.subscribe(topic, null).getString("type")).isEqualTo("error");
    }
    try (LiveClient organizer = LiveClient.connect(server.vertx, server, f.organizer())) {
      assertThat(organizer.subscribe(topic, null).getString("type")).isEqualTo("subscribed");
      // a first person, then a second one, joins the stream of the running session
      access(f, f.roomA(), f.remote());
      JsonObject one = organizer.awaitMessage(m -> remoteOf(m, topic, sessionId) >= 1, java.time.Duration.ofSeconds(20));
      assertThat(one.getJsonObject("data").getString("kind")).isEqualTo("attendance");
      access(f, f.roomA(), f.inPerson());
      JsonObject two = organizer.awaitMessage(m -> remoteOf(m, topic, sessionId) == 2, java.time.Duration.ofSeconds(20));
      assertThat(two).as("the second join arrives live").isNotNull();
      // the in-person attendee is checked in to the room: the "in the room" figure follows
      checkIn(f, f.inPersonId(), f.roomA());
      JsonObject inRoom = organizer.awaitMessage(m -> figureOf(m, topic, sessionId, "inRoom") == 1,
          java.time.Duration.ofSeconds(20));
      assertThat(inRoom).as("the room check-in arrives live").isNotNull();
      JsonObject row = rowOf(inRoom.getJsonObject("data"), sessionId);
      assertThat(inRoom.getJsonObject("data").getString("kind")).isEqualTo("attendance");
      assertThat(row.getInteger("remote")).isEqualTo(2);
      assertThat(row.getInteger("both")).isEqualTo(1);
      assertThat(row.getInteger("total")).isEqualTo(2);
      // the REST read (first load, resync) says the same
      JsonObject read = rowOf(ok(call(HttpMethod.GET, "/api/events/" + f.slug() + "/streams/attendance", f.organizer(),
          null)), sessionId);
      assertThat(read).isEqualTo(row);
    }
  }

  private static int remoteOf(JsonObject frame, String topic, long sessionId) {
    return figureOf(frame, topic, sessionId, "remote");
  }

  /** A figure of the session's row in an attendance message of {@code topic}; -1 for any other frame. */
  private static int figureOf(JsonObject frame, String topic, long sessionId, String figure) {
    if (!"message".equals(frame.getString("type")) || !topic.equals(frame.getString("topic"))
        || frame.getJsonObject("data") == null) {
      return -1;
    }
    JsonObject row = rowOf(frame.getJsonObject("data"), sessionId);
    return row == null ? -1 : row.getInteger(figure);
  }

  private static JsonObject rowOf(JsonObject attendance, long sessionId) {
    return attendance.getJsonArray("sessions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getLong("sessionId") == sessionId).findFirst().orElse(null);
  }

  private static void checkIn(Fixture f, long personId, long room) {
    Event event = await(server.server.events().event(f.slug()));
    String badge = await(server.server.checkin().badge(event, personId));
    HttpResponse<Buffer> listed = call(HttpMethod.GET, "/api/events/" + f.slug() + "/checkin/lists", f.organizer(), null);
    assertThat(listed.statusCode()).isEqualTo(200);
    long venue = -1;
    long roomList = -1;
    for (Object o : listed.bodyAsJsonArray()) {
      JsonObject l = (JsonObject) o;
      if (l.getValue("roomId") == null) {
        venue = l.getLong("id");
      } else if (l.getLong("roomId") == room) {
        roomList = l.getLong("id");
      }
    }
    for (long list : new long[] {venue, roomList}) {
      JsonObject r = ok(call(HttpMethod.POST, "/api/events/" + f.slug() + "/checkin/redeem", f.organizer(),
          new JsonObject().put("badge", badge).put("listId", list).put("direction", "entry")
              .put("scannedAt", Instant.now().toString()).put("nonce", UUID.randomUUID().toString())));
      assertThat(r.getString("status")).as(r.encode()).isEqualTo("ok");
    }
  }
}
