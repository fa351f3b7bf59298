package dev.confday.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationCsvTest {
  @Test
  void readsATicketingExportWithBomQuotesAndExtraColumns() {
    String csv = "\uFEFFOrder code,Ticket type,Attendee name,Attendee email,Company,Comment\r\n"
        + "AB12C,In-person ticket,\"Okafor, Ada\",ada@example.org,Caltech,\"likes \"\"quotes\"\"\"\r\n"
        + "AB13D,Remote (online),Ben Berg,ben@example.org,,\r\n";
    List<Registration> rows = RegistrationCsv.parse(csv);
    assertThat(rows).containsExactly(
        new Registration("Okafor, Ada", "ada@example.org", "Caltech", "in-person", "In-person ticket", "AB12C", 2),
        new Registration("Ben Berg", "ben@example.org", null, "remote", "Remote (online)", "AB13D", 3));
  }

  @Test
  void acceptsSemicolonSeparatedSpreadsheetExports() {
    List<Registration> rows = RegistrationCsv.parse("name;email;ticket type\nAda;ada@example.org;onsite\n");
    assertThat(rows).extracting(Registration::attendance).containsExactly("in-person");
  }

  @Test
  void reportsEveryBadRowByLineNumber() {
    String csv = "name,email,ticket type\n"
        + "Ada,ada@example.org,In person\n"
        + ",nobody,In person\n"
        + "Ben,ben@example.org,Student\n"
        + "Ada again,ADA@example.org,Remote\n";
    assertThatThrownBy(() -> RegistrationCsv.parse(csv)).isInstanceOfSatisfying(ApiError.class, e -> {
      assertThat(e.type()).isEqualTo("csv-invalid");
      JsonArray errors = e.extensions().getJsonArray("errors");
      assertThat(errors.stream().map(o -> ((JsonObject) o).getInteger("line"))).containsExactly(3, 4, 5);
      assertThat(errors.getJsonObject(0).getString("message")).contains("name is empty").contains("not an email");
      assertThat(errors.getJsonObject(1).getString("message")).contains("neither in-person nor remote");
      assertThat(errors.getJsonObject(2).getString("message")).contains("appears twice");
    });
  }

  @Test
  void namesAMissingColumn() {
    assertThatThrownBy(() -> RegistrationCsv.parse("name,email\nAda,ada@example.org\n"))
        .isInstanceOfSatisfying(ApiError.class, e ->
            assertThat(e.extensions().getJsonArray("errors").getJsonObject(0).getString("message"))
                .contains("missing column 'ticket'"));
  }

  @Test
  void namesTheLineWhereARowStartsAndRepeatedOrderCodes() {
    String csv = "name,email,ticket type,order code,comment\n"
        + "Ada,ada@example.org,In person,A1,\"two\nlines\"\n"
        + "\n"
        + "Ben,ben@example.org,Remote,A1,\n";
    assertThatThrownBy(() -> RegistrationCsv.parse(csv)).isInstanceOfSatisfying(ApiError.class, e -> {
      JsonArray errors = e.extensions().getJsonArray("errors");
      assertThat(errors).hasSize(1);
      assertThat(errors.getJsonObject(0).getInteger("line")).isEqualTo(5);
      assertThat(errors.getJsonObject(0).getString("message")).contains("order code A1 is already used on line 2");
    });
  }
}
