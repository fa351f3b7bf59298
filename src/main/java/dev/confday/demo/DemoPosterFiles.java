package dev.confday.demo;

import dev.confday.Server;
import dev.confday.events.Event;
import dev.confday.posters.PosterEntry;
import dev.confday.posters.files.PosterFile;
import dev.confday.posters.files.PosterFileService;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the first demo posters a PDF, so a newcomer's poster hall shows previews: each poster
 * is drawn with PDFBox (title, authors, a few panels and a chart) at A1 portrait, one at A0
 * landscape, and goes through the same check, storage and preview path as a presenter's upload.
 * Runs after the login links are printed; posters that already have a file are skipped.
 */
public final class DemoPosterFiles {
  private static final Logger LOG = LoggerFactory.getLogger(DemoPosterFiles.class);
  private static final float MM = 72f / 25.4f;

  private DemoPosterFiles() {
  }

  /** Uploads a drawn PDF for each of the first {@code count} demo posters that has none; answers how many. */
  public static Future<Integer> upload(Server server, String slug, int count) {
    PosterFileService files = server.posterFiles();
    return server.events().event(slug).compose(event -> files.currentFiles(event.id())
        .compose(existing -> server.posters().findPosters(event.id(), null).compose(posters -> {
          Set<Long> done = existing.stream().map(PosterFile::posterId).collect(Collectors.toSet());
          List<PosterEntry> todo = posters.stream().filter(p -> !done.contains(p.poster().id()))
              .filter(p -> p.poster().number() <= count).toList();
          Future<Integer> chain = Future.succeededFuture(0);
          for (PosterEntry p : todo) {
            chain = chain.compose(n -> uploadOne(server, event, p).map(n + 1));
          }
          return chain;
        })))
        .onSuccess(n -> LOG.info("Demo poster PDFs uploaded: {}", n))
        .onFailure(t -> LOG.warn("Demo poster PDFs could not be uploaded", t));
  }

  private static Future<Void> uploadOne(Server server, Event event, PosterEntry entry) {
    PosterFileService files = server.posterFiles();
    return files.limits(event.id()).compose(rules -> files.openTemp().compose(temp -> temp.file().close()
        .compose(v -> server.workers().executeBlocking(() -> {
          draw(entry, temp.path());
          return null;
        }, false))
        .compose(v -> files.store(new PosterFileService.Target(event.id(), event.slug(), entry.poster().id(),
            entry.poster().number(), rules), entry.poster().presenterId() == null ? 0 : entry.poster().presenterId(),
            temp.path()))
        .eventually(() -> files.discard(temp.path()))
        .mapEmpty()));
  }

  /** Draws a plausible scientific poster for one demo entry. Blocking: call on a worker. */
  public static void draw(PosterEntry entry, Path out) {
    boolean landscape = entry.poster().number() % 4 == 0;
    PDRectangle size = landscape ? new PDRectangle(1189 * MM, 841 * MM) : new PDRectangle(594 * MM, 841 * MM);
    PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(size);
      doc.addPage(page);
      float w = size.getWidth();
      float h = size.getHeight();
      float margin = 40 * MM;
      try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
        s.setNonStrokingColor(0.06f, 0.11f, 0.2f);
        s.addRect(0, h - 150 * MM, w, 150 * MM);
        s.fill();
        s.setNonStrokingColor(1f, 1f, 1f);
        float y = h - 55 * MM;
        for (String line : wrap(entry.poster().title(), bold, 64, w - 2 * margin)) {
          text(s, bold, 64, margin, y, line);
          y -= 26 * MM;
        }
        text(s, regular, 36, margin, h - 135 * MM, ascii(String.join(", ", entry.poster().authors())
            + "  |  " + entry.poster().track()));
        int columns = landscape ? 3 : 2;
        float colWidth = (w - margin * (columns + 1)) / columns;
        String[] headings = {"Motivation", "Method", "Results", "Conclusions"};
        for (int i = 0; i < headings.length; i++) {
          int col = i % columns;
          int row = i / columns;
          float x = margin + col * (colWidth + margin);
          float top = h - 190 * MM - row * (h - 230 * MM) / 2;
          float boxHeight = (h - 250 * MM) / 2 - 20 * MM;
          s.setNonStrokingColor(0.93f, 0.95f, 0.98f);
          s.addRect(x, top - boxHeight, colWidth, boxHeight);
          s.fill();
          s.setNonStrokingColor(0.14f, 0.34f, 0.78f);
          text(s, bold, 44, x + 15 * MM, top - 25 * MM, headings[i]);
          s.setNonStrokingColor(0.1f, 0.1f, 0.1f);
          float ty = top - 45 * MM;
          for (String line : wrap(filler(entry, i), regular, 26, colWidth - 30 * MM)) {
            if (ty < top - boxHeight * 0.55f) {
              break;
            }
            text(s, regular, 26, x + 15 * MM, ty, line);
            ty -= 11 * MM;
          }
          if (i == 2) {
            for (int b = 0; b < 6; b++) {
              float barHeight = (b + 2) * (b % 2 == 0 ? 9 : 13) * MM;
              s.setNonStrokingColor(0.14f + b * 0.1f, 0.34f, 0.78f - b * 0.08f);
              s.addRect(x + 20 * MM + b * 30 * MM, top - boxHeight + 20 * MM, 22 * MM, barHeight);
              s.fill();
            }
          }
        }
      }
      doc.save(out.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void text(PDPageContentStream s, PDFont font, float size, float x, float y, String text)
      throws IOException {
    s.beginText();
    s.setFont(font, size);
    s.newLineAtOffset(x, y);
    s.showText(text);
    s.endText();
  }

  private static List<String> wrap(String text, PDFont font, float size, float width) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : ascii(text).split("\\s+")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (font.getStringWidth(candidate) / 1000 * size > width && line.length() > 0) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String filler(PosterEntry entry, int section) {
    String topic = entry.poster().track().toLowerCase();
    return switch (section) {
      case 0 -> "Surveys in " + topic + " now produce more data than people can inspect. We ask how far "
          + "learned models can go, and where their uncertainties must be trusted before science follows.";
      case 1 -> "We train on simulations and calibrate on held-out observations, with posterior checks "
          + "and coverage tests at every stage of the pipeline.";
      case 2 -> "Calibrated coverage on held-out data and a tenfold speed-up over the classical baseline.";
      default -> "Learned inference is ready for " + topic + " when its calibration is tested as carefully as "
          + "its accuracy. Code and data are public.";
    };
  }

  private static String ascii(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("[^\\x20-\\x7E]", "");
  }
}
