package dev.confday.checkin;

import com.google.zxing.qrcode.encoder.ByteMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A printable sheet of badges: A4 pages with 6 badges each (2 columns, 3 rows) and cut marks at
 * the cells' corners; each badge shows name, affiliation, kind and the badge QR code (vector).
 * Blocking: build it on a worker thread.
 */
public final class BadgeSheet {
  /** One badge to print. */
  public record Badge(String name, String affiliation, String kind, String token) {
  }

  public static final int PER_PAGE = 6;
  private static final float MARGIN = 28;
  private static final float MARK = 10;

  private BadgeSheet() {
  }

  public static byte[] pdf(List<Badge> badges) {
    PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    try (PDDocument doc = new PDDocument()) {
      PDRectangle a4 = PDRectangle.A4;
      float cellW = (a4.getWidth() - 2 * MARGIN) / 2;
      float cellH = (a4.getHeight() - 2 * MARGIN) / 3;
      for (int start = 0; start < badges.size() || start == 0; start += PER_PAGE) {
        PDPage page = new PDPage(a4);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cutMarks(cs, cellW, cellH);
          for (int i = 0; i < PER_PAGE && start + i < badges.size(); i++) {
            float x = MARGIN + (i % 2) * cellW;
            float top = a4.getHeight() - MARGIN - (i / 2) * cellH;
            badge(cs, badges.get(start + i), x, top, cellW, cellH, bold, regular);
          }
        }
        if (badges.isEmpty()) {
          break;
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void cutMarks(PDPageContentStream cs, float cellW, float cellH) throws IOException {
    cs.setLineWidth(0.5f);
    cs.setStrokingColor(0.3f);
    for (int col = 0; col <= 2; col++) {
      for (int row = 0; row <= 3; row++) {
        float x = MARGIN + col * cellW;
        float y = MARGIN + row * cellH;
        cs.moveTo(x - MARK, y);
        cs.lineTo(x + MARK, y);
        cs.moveTo(x, y - MARK);
        cs.lineTo(x, y + MARK);
      }
    }
    cs.stroke();
  }

  private static void badge(PDPageContentStream cs, Badge b, float x, float top, float w, float h,
      PDType1Font bold, PDType1Font regular) throws IOException {
    float pad = 18;
    text(cs, bold, 16, x + pad, top - pad - 14, fit(bold, 16, b.name(), w - 2 * pad));
    if (b.affiliation() != null && !b.affiliation().isBlank()) {
      text(cs, regular, 10, x + pad, top - pad - 30, fit(regular, 10, b.affiliation(), w - 2 * pad));
    }
    text(cs, bold, 9, x + pad, top - pad - 44, fit(bold, 9, b.kind().toUpperCase(java.util.Locale.ROOT), w - 2 * pad));
    ByteMatrix m = BadgeImage.encode(b.token()).getMatrix();
    float qr = Math.min(w - 2 * pad, h - 2 * pad - 56);
    float module = qr / (m.getWidth() + 8);
    float qx = x + (w - qr) / 2 + 4 * module;
    float qy = top - h + pad + 4 * module;
    cs.setNonStrokingColor(0f);
    for (int my = 0; my < m.getHeight(); my++) {
      for (int mx = 0; mx < m.getWidth(); mx++) {
        if (m.get(mx, my) == 1) {
          cs.addRect(qx + mx * module, qy + (m.getHeight() - 1 - my) * module, module, module);
        }
      }
    }
    cs.fill();
  }

  private static void text(PDPageContentStream cs, PDType1Font font, float size, float x, float y, String s)
      throws IOException {
    cs.beginText();
    cs.setFont(font, size);
    cs.setNonStrokingColor(0f);
    cs.newLineAtOffset(x, y);
    cs.showText(s);
    cs.endText();
  }

  /** The text in what the font can encode ('?' for anything else), cut with an ellipsis to fit. */
  static String fit(PDType1Font font, float size, String s, float width) throws IOException {
    StringBuilder ok = new StringBuilder();
    s.codePoints().forEach(c -> {
      String one = new String(Character.toChars(c));
      try {
        font.encode(one);
        ok.append(one);
      } catch (IOException | IllegalArgumentException e) {
        ok.append('?');
      }
    });
    String t = ok.toString();
    if (font.getStringWidth(t) / 1000 * size <= width) {
      return t;
    }
    while (!t.isEmpty() && font.getStringWidth(t + "...") / 1000 * size > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "...";
  }
}
