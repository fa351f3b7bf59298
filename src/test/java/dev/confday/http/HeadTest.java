package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.DemoTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every GET route answers HEAD (RFC 9110 9.3.2): the GET's status and headers, no body on the wire. */
class HeadTest extends DemoTestBase {
  static String organizer;

  @BeforeAll
  static void start() {
    organizer = server.sessionFor(slug, "ada.okafor@example.org");
  }

  @Test
  void scheduleExportsAnswerHeadWithTheHeadersOfGetAndNoBody() throws Exception {
    for (String path : new String[] {"/api/events/" + slug + "/schedule.xml", "/api/events/" + slug + "/schedule.json",
        "/api/events/" + slug + "/schedule.ics", "/api/events/" + slug + "/schedule"}) {
      assertHeadLikeGet(path, null, true);
    }
  }

  @Test
  void apiStaticAndOperationalGetsAnswerHead() throws Exception {
    assertHeadLikeGet("/api/events", null, false);
    assertHeadLikeGet("/api/events/" + slug + "/people", organizer, false);
    assertHeadLikeGet("/api/events/" + slug + "/schedule/now?at=2023-07-29T09:00:00-10:00", null, false);
    assertHeadLikeGet("/", null, false);
    assertHeadLikeGet("/e/" + slug + "/schedule", null, false);
    assertHeadLikeGet("/index.html", null, false);
    assertHeadLikeGet("/style.css", null, false);
    assertHeadLikeGet("/openapi.json", null, false);
    assertHeadLikeGet("/health/live", null, false);
  }

  @Test
  void headKeepsTheRefusalsAndConditionalAnswersOfGet() throws Exception {
    // the roles of the GET apply
    Raw anonymous = head("/api/events/" + slug + "/people", null, null);
    assertThat(anonymous.status).isEqualTo(401);
    assertThat(anonymous.body).isEmpty();
    // an unknown path is a 404, a POST-only path a 405 naming what is allowed
    assertThat(head("/api/nothing-here", null, null).status).isEqualTo(404);
    Raw postOnly = head("/api/auth/session", null, null);
    assertThat(postOnly.status).isEqualTo(405);
    assertThat(postOnly.headers.get("allow")).contains("POST");
    // a matching ETag: 304 as for GET
    String etag = get("/api/events/" + slug + "/schedule.ics", null).getHeader("ETag");
    Raw notModified = head("/api/events/" + slug + "/schedule.ics", null, etag);
    assertThat(notModified.status).isEqualTo(304);
    assertThat(notModified.body).isEmpty();
  }

  private static void assertHeadLikeGet(String path, String token, boolean etag) throws IOException {
    HttpResponse<Buffer> get = get(path, token);
    Raw head = head(path, token, null);
    assertThat(head.status).as(path).isEqualTo(get.statusCode()).isEqualTo(200);
    assertThat(head.headers.get("content-type")).as(path).isEqualTo(get.getHeader("Content-Type"));
    assertThat(head.headers.get("etag")).as(path).isEqualTo(get.getHeader("ETag"));
    if (etag) {
      assertThat(head.headers.get("etag")).as(path).isNotBlank();
    }
    assertThat(head.body).as(path + ": no body after the headers").isEmpty();
    assertThat(get.body().length()).as(path).isPositive();
  }

  private static HttpResponse<Buffer> get(String path, String token) {
    HttpRequest<Buffer> r = server.client.request(HttpMethod.GET, path);
    if (token != null) {
      r.putHeader("Authorization", "Bearer " + token);
    }
    return await(r.send());
  }

  record Raw(int status, Map<String, String> headers, byte[] body) {
  }

  /** HEAD over a raw socket with Connection: close, so any byte of a body would be seen. */
  private static Raw head(String path, String token, String ifNoneMatch) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + (ifNoneMatch == null ? "" : "If-None-Match: " + ifNoneMatch + "\r\n") + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] all = in.readNBytes(1 << 20);
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as(path + " answered: " + text).isPositive();
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, Arrays.copyOfRange(all, end + 4, all.length));
    }
  }
}
