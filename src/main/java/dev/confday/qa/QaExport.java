package dev.confday.qa;

import dev.confday.http.CsvCells;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A session's questions for the speaker, as CSV or JSON. The author is included only when the
 * viewer may see it: moderators always, speakers only for questions not asked anonymously.
 */
record QaExport(long sessionId, boolean moderator, List<Question> questions) {
  static final String[] HEADER = {"id", "asked_at", "origin", "status", "pinned", "answered", "votes", "anonymous",
      "author", "text"};

  boolean showsAuthor(Question q) {
    return moderator || !q.anonymous();
  }

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (Question q : questions) {
      JsonObject json = new JsonObject().put("id", q.id()).put("text", q.text()).put("votes", q.votes())
          .put("origin", q.origin()).put("status", q.status()).put("pinned", q.pinned()).put("answered", q.answered())
          .put("askedAt", q.askedAt().toString()).put("anonymous", q.anonymous());
      if (showsAuthor(q)) {
        json.put("author", new JsonObject().put("personId", q.personId()).put("name", q.author()));
      }
      list.add(json);
    }
    return new JsonObject().put("sessionId", sessionId).put("questions", list);
  }

  String toCsv() {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
      for (Question q : questions) {
        printer.printRecord(q.id(), q.askedAt().toString(), q.origin(), q.status(), q.pinned(), q.answered(),
            q.votes(), q.anonymous(), showsAuthor(q) ? CsvCells.safe(q.author()) : "", CsvCells.safe(q.text()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
