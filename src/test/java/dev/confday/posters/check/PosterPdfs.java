package dev.confday.posters.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;

/**
 * The PDFs the check's tests (and PosterCheckBenchmark) use: the committed corpus, and hostile or
 * odd files generated on the spot from a few objects, with correct cross-references or none.
 */
public final class PosterPdfs {

  static final PosterLimits SEED = PosterLimits.seedDefaults();

  /** The corpus's decompression bombs in page content: answered without decoding it. */
  public static final List<String> CONTENT_BOMBS = List.of("bomb-flate-1gb.pdf", "bomb-double-flate-4gb.pdf");
  /** The corpus's bombs in structure streams: refused before PDFBox inflates them. */
  public static final List<String> STRUCTURE_BOMBS = List.of("bomb-object-stream-256mb.pdf",
      "bomb-xref-stream-256mb.pdf", "bomb-encrypted-object-stream-256mb.pdf");

  public static Path corpus(String name) {
    try {
      return Path.of(PosterPdfs.class.getResource("/posters/corpus/expected.csv").toURI())
          .resolveSibling(name);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static PosterCheckResult check(String name) {
    return PosterCheck.check(corpus(name), SEED);
  }

  /**
   * Two one-page A1 posters preceded by 100,000 stream headers: loose ones outside any object,
   * and stray object streams. A check that rescans for each header takes quadratic time on them.
   */
  public static List<Path> streamHeaderFloods(Path dir) throws IOException {
    Path loose = dir.resolve("loose-headers.pdf");
    Files.write(loose, pdfAfter("<</W 1>>stream\n".repeat(100_000), A1_PAGE));
    StringBuilder objects = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      objects.append(100_000 + i).append(" 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter "
          + "/FlateDecode /Length 2 >>\nstream\nxx\nendstream\nendobj\n");
    }
    Path stray = dir.resolve("stray-object-streams.pdf");
    Files.write(stray, pdfAfter(objects.toString(), A1_PAGE));
    return List.of(loose, stray);
  }

  /** An A1 page stored, per its cross-reference stream, in a plain stream inflating to 64 MB. */
  public static Path objectStreamContainer(Path dir) throws IOException {
    // The page lives "in" object 4, a plain stream whose dictionary says nothing of object
    // streams; PDFBox inflates it whole when the page is looked up.
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[64 << 20]);
    deflater.finish();
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.finished()) {
      packed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    Path pdf = dir.resolve("container.pdf");
    Files.write(pdf, withCrossReferenceStream(packed.toByteArray()));
    return pdf;
  }

  /** A poster after 310,000 objects, more than any poster has. */
  public static Path manyObjects(Path dir) throws IOException {
    StringBuilder objects = new StringBuilder();
    for (int i = 0; i < 310_000; i++) {
      objects.append(100 + i).append(" 0 obj\nnull\nendobj\n");
    }
    Path pdf = dir.resolve("many-objects.pdf");
    Files.write(pdf, pdfAfter(objects.toString(), A1_PAGE));
    return pdf;
  }

  /** A poster with a cross-reference table of 400,000 rows appended. */
  public static Path longCrossReferenceTable(Path dir) throws IOException {
    String rows = "0000000000 65535 f \n".repeat(400_000);
    Path pdf = dir.resolve("long-xref.pdf");
    // appended as an incremental update to a good poster
    Files.writeString(pdf, new String(pdf(A1_PAGE), StandardCharsets.ISO_8859_1)
        + "xref\n0 400000\n" + rows + "trailer\n<< /Size 400000 >>\n%%EOF\n",
        StandardCharsets.ISO_8859_1);
    return pdf;
  }

  /** A poster after 50,000 object headers, each in a string of the one before. */
  public static Path selfNesting(Path dir) throws IOException {
    // Each header opens a string holding the next: read naively from every header, the file
    // would be read 50,000 times over.
    Path pdf = dir.resolve("nested.pdf");
    Files.write(pdf, pdfAfter("1 0 obj <</K (".repeat(50_000) + ")>>".repeat(50_000) + "\n",
        A1_PAGE));
    return pdf;
  }

  /** A page whose /OpenAction is an array that contains itself, then JavaScript. */
  public static Path actionArrayLoop(Path dir) throws IOException {
    // /OpenAction 4 0 R where 4 is [4 0 R 4 0 R]: a walk that revisits arrays never ends
    Path pdf = dir.resolve("action-array-loop.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "[4 0 R 4 0 R 5 0 R]",
        "<< /S /JavaScript /JS (app.alert(1)) >>"));
    return pdf;
  }

  /** Pages whose kids array (direct or indirect) or page dictionary has 60,000 entries. */
  public static List<Path> hugeLists(Path dir) throws IOException {
    // PDFBox's repair of such a page tree (no startxref) removes the bad kids one by one
    String kids = "3 0 R" + " 0".repeat(60_000);
    Path direct = dir.resolve("huge-kids.pdf");
    Files.write(direct, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + kids + "] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));
    Path indirect = dir.resolve("huge-indirect-kids.pdf");
    Files.write(indirect, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids 4 0 R /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "[" + kids + "]"));

    Path wide = dir.resolve("huge-dictionary.pdf");
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < 60_000; i++) {
      keys.append("/K").append(i).append(" 1 ");
    }
    Files.write(wide, withoutCrossReferences(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] " + keys + ">>"));
    return List.of(direct, indirect, wide);
  }

  /**
   * Entries the check may create in the temp directory (PDFBox scratch files included); other
   * confday tests may run at the same time, so only our own prefix counts.
   */
  static Set<String> ours(Path tmp) throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("confday-postercheck-") || n.startsWith("PDFBox"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The objects of a one-page ISO A1 poster with a little content, for {@link #pdfAfter}. */
  static final String[] A1_PAGE = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Contents 4 0 R >>",
      "<< /Length 23 >>\nstream\n0 0 1 rg 9 9 99 99 re f\nendstream"};

  /** One page with the given page entries (a MediaBox among them). */
  static byte[] onePage(String pageEntries) {
    return pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R " + pageEntries + " >>");
  }

  /** An ISO A1 page saved by PDFBox with object streams, encrypted with an owner password. */
  static void writeOwnerOnlyEncrypted(Path pdf, int keyBits, boolean aes)
      throws IOException {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(1684, 2384));
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.addRect(50, 50, 500, 500);
        content.fill();
      }
      AccessPermission permissions = new AccessPermission();
      permissions.setCanModify(false);
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "",
          permissions);
      policy.setEncryptionKeyLength(keyBits);
      policy.setPreferAES(aes);
      document.protect(policy);
      document.save(pdf.toFile(), CompressParameters.DEFAULT_COMPRESSION);
    }
  }

  /**
   * An A1 page whose page object is stored, per the cross-reference stream, in object 4: a
   * stream with the given Flate data and nothing in its dictionary but /Length and /Filter.
   */
  static byte[] withCrossReferenceStream(byte[] container) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
    int[] offsets = new int[5];
    offsets[1] = out.size();
    out.write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    offsets[2] = out.size();
    out.write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        .getBytes(StandardCharsets.US_ASCII));
    offsets[4] = out.size();
    out.write(("4 0 obj\n<< /Length " + container.length + " /Filter /FlateDecode >>\nstream\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(container);
    out.write("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    int xref = out.size();
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    for (int number = 0; number <= 5; number++) {
      int type = number == 0 ? 0 : number == 3 ? 2 : 1;
      int field = number == 3 ? 4 : number == 5 ? xref : offsets[Math.min(number, 4)];
      rows.write(type);
      rows.write(new byte[] {(byte) (field >> 24), (byte) (field >> 16), (byte) (field >> 8),
          (byte) field});
      rows.write(0);
    }
    out.write(("5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R /Length " + rows.size()
        + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
    out.write(rows.toByteArray());
    out.write(("\nendstream\nendobj\nstartxref\n" + xref + "\n%%EOF\n")
        .getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The objects numbered from 1 and an end-of-file marker, but no cross-references at all. */
  static byte[] withoutCrossReferences(String... objects) {
    StringBuilder out = new StringBuilder("%PDF-1.7\n");
    for (int i = 0; i < objects.length; i++) {
      out.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    return out.append("%%EOF\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A minimal PDF with a correct cross-reference table; objects are numbered from 1. */
  static byte[] pdf(String... objects) {
    return pdfAfter("", objects);
  }

  /** As {@link #pdf}, with {@code prefix} (outside any object) between header and objects. */
  static byte[] pdfAfter(String prefix, String... objects) {
    StringBuilder out = new StringBuilder("%PDF-1.7\n").append(prefix);
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.length; i++) {
      offsets.add(out.length());
      out.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    int xref = out.length();
    out.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      out.append(String.format("%010d 00000 n \n", offset));
    }
    out.append("trailer\n<< /Size ").append(objects.length + 1)
        .append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private PosterPdfs() {
  }
}
