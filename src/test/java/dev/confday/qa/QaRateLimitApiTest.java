package dev.confday.qa;

import static dev.confday.qa.QaApiTest.ask;
import static dev.confday.qa.QaApiTest.call;
import static dev.confday.qa.QaApiTest.fixture;
import static dev.confday.qa.QaApiTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

class QaRateLimitApiTest extends ServerTestBase {

  @Test
  void theSixthQuestionOfAPersonInAMinuteIsRefusedWith429AndOthersStillAsk() {
    QaApiTest.Fixture f = fixture();
    QaApiTest.Fixture other = fixture();
    open(f, false);
    open(other, false);
    for (int i = 0; i < QaRoutes.ASKS_PER_MINUTE; i++) {
      ask(f, f.inPerson(), "Question " + i, false);
    }
    HttpResponse<Buffer> sixth = call(HttpMethod.POST, f.base() + "/questions", f.inPerson(),
        new JsonObject().put("text", "One more"));
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(sixth.bodyAsJsonObject().getString("type")).endsWith("too-many-questions");
    assertThat(Long.parseLong(sixth.getHeader("Retry-After"))).isPositive();
    // the refused question was not stored
    assertThat(QaApiTest.questions(f, f.moderator(), "time")).hasSize(QaRoutes.ASKS_PER_MINUTE)
        .noneMatch(q -> q.getString("text").equals("One more"));
    // another person in the same session, and a person in another session, are not limited
    assertThat(ask(f, f.remote(), "My first", false).getString("text")).isEqualTo("My first");
    assertThat(ask(other, other.inPerson(), "Elsewhere", false).getString("text")).isEqualTo("Elsewhere");
  }
}
