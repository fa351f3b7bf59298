package dev.confday.http;

import static dev.confday.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.TestDatabase;
import dev.confday.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What anyone may call without a session is rate limited per address: 429 problem+json with Retry-After. */
class RateLimitTest {
  static TestServer server;
  static String slug;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.migratedDatabase(), Map.of("CONFDAY_LOGIN_RATE_PER_MINUTE", "5",
        "CONFDAY_ANONYMOUS_RATE_PER_SECOND", "1"));
    slug = server.seedDemo();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theLoginExchangeAnswers429WithRetryAfterOnceTheBurstIsSpent() {
    int refused = 0;
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 20; i++) {
      last = await(server.client.post("/api/auth/session").sendJsonObject(new JsonObject().put("token", "bad" + i)));
      if (last.statusCode() == 429) {
        refused++;
        assertThat(i).as("the burst of 5 passes").isGreaterThanOrEqualTo(5);
        assertThat(last.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(last.bodyAsJsonObject().getString("type")).isEqualTo("/problems/too-many-requests");
        assertThat(Integer.parseInt(last.getHeader("Retry-After"))).isBetween(1, 60);
      } else {
        assertThat(last.statusCode()).isEqualTo(401);
      }
    }
    assertThat(refused).isGreaterThanOrEqualTo(14);
  }

  @Test
  void anonymousLiveTicketsAreLimitedButASessionsAreNot() {
    String attendee = server.sessionFor(slug, "ines.moreau@example.org");
    int refused = 0;
    for (int i = 0; i < 30; i++) {
      int status = await(server.client.post("/api/live/ticket").send()).statusCode();
      refused += status == 429 ? 1 : 0;
    }
    assertThat(refused).isGreaterThanOrEqualTo(15);
    for (int i = 0; i < 30; i++) {
      assertThat(await(server.client.post("/api/live/ticket").bearerTokenAuthentication(attendee).send()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void memoryIsBoundedWhateverTheNumberOfAddresses() {
    RateLimit limit = new RateLimit("tries", 1, 5, false);
    long now = System.nanoTime();
    for (int i = 0; i < RateLimit.MAX_CLIENTS * 2; i++) {
      limit.take("10.0." + (i >> 8) + "." + (i & 255), now);
    }
    assertThat(limit.tracked()).isEqualTo(RateLimit.MAX_CLIENTS);
  }

  @Test
  void aBucketRefillsAtItsRate() {
    RateLimit limit = new RateLimit("tries", 2, 2, false);
    long now = 0;
    assertThat(limit.take("a", now)).isZero();
    assertThat(limit.take("a", now)).isZero();
    assertThat(limit.take("a", now)).isEqualTo(1);
    assertThat(limit.take("a", now + 500_000_000L)).isZero();
    assertThat(limit.take("b", now)).as("another address has its own bucket").isZero();
  }
}
