package dev.confday.posters.check;

import static dev.confday.posters.check.PosterPdfs.SEED;
import static dev.confday.posters.check.PosterPdfs.actionArrayLoop;
import static dev.confday.posters.check.PosterPdfs.check;
import static dev.confday.posters.check.PosterPdfs.pdf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active content: JavaScript, launch actions, attached and associated files, embedded media;
 * bookmarks and form fields walked within bounds.
 */
class ActiveContentTest {

  @Test
  void refusesJavaScriptLaunchActionsAndAttachedFiles() {
    assertThat(check("active-javascript-openaction.pdf").message()).contains("contains JavaScript");
    assertThat(check("active-launch-annotation.pdf").message())
        .contains("contains an action that launches programs");
    assertThat(check("active-embedded-file.pdf").message()).contains("contains an attached file.");
  }

  @Test
  void refusesJavaScriptOnTheFieldAboveAWidget(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("field-script.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Annots [4 0 R] >>",
        "<< /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /Parent 5 0 R >>",
        "<< /FT /Tx /T (total) /Kids [4 0 R] /Parent 6 0 R >>",
        "<< /T (form) /Kids [5 0 R] /AA << /C << /S /JavaScript /JS (event.value = 1;) >> >> >>"));

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo("active-content");
    assertThat(result.message()).contains("contains JavaScript");
  }

  @Test
  void refusesJavaScriptOfFormFieldsThatAreNotOnThePage(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("form-script.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "<< /T (group) /Kids [5 0 R] >>",
        "<< /FT /Btn /T (b) /Parent 4 0 R /A << /S /JavaScript /JS (app.alert(1);) >> >>"));

    assertThat(PosterCheck.check(pdf, SEED).message()).contains("contains JavaScript");
  }

  @Test
  void refusesEmbeddedVideoSoundAnd3d(@TempDir Path dir) throws IOException {
    for (String subtype : List.of("RichMedia", "Screen", "Movie", "Sound", "3D")) {
      Path pdf = dir.resolve("media.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] /Annots [4 0 R] >>",
          "<< /Type /Annot /Subtype /" + subtype + " /Rect [0 0 100 100] >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(subtype).isEqualTo("active-content");
      assertThat(result.message()).as(subtype)
          .contains("contains embedded media (video, sound or 3D)");
    }
  }

  @Test
  void refusesBookmarksThatRunJavaScriptOrLaunchPrograms(@TempDir Path dir) throws IOException {
    // The script sits on a nested bookmark behind a sibling; the launch is chained by /Next
    // behind a harmless action. The siblings link back to each other, as hostile files do.
    String script = "<< /S /JavaScript /JS (app.alert(1);) >>";
    String launch = "<< /S /URI /URI (https://example.org) /Next << /S /Launch /F (cmd.exe) >> >>";
    for (String[] hidden : new String[][] {{script, "contains JavaScript."},
        {launch, "contains an action that launches programs."}}) {
      Path pdf = dir.resolve("bookmarks.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
          "<< /Type /Outlines /First 5 0 R /Last 6 0 R >>",
          "<< /Title (Intro) /Parent 4 0 R /Next 6 0 R /Dest [3 0 R /Fit] >>",
          "<< /Title (Results) /Parent 4 0 R /Prev 5 0 R /Next 5 0 R /First 7 0 R >>",
          "<< /Title (Figure 1) /Parent 6 0 R /A " + hidden[0] + " >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(result.message()).isEqualTo("active-content");
      assertThat(result.message()).contains(hidden[1]);
    }
  }

  @Test
  void acceptsBookmarksThatOnlyGoToPlacesOrLinks(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("bookmarks.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "<< /Type /Outlines /First 5 0 R >>",
        "<< /Title (Paper) /Parent 4 0 R /First 5 0 R /Next 5 0 R "
            + "/A << /S /URI /URI (https://example.org/paper) >> >>"));

    assertThat(PosterCheck.check(pdf, SEED).verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void refusesFilesAssociatedTheWayOfPdfA3(@TempDir Path dir) throws IOException {
    String file = "<< /Type /Filespec /F (data.csv) /AFRelationship /Data /EF << /F 9 0 R >> >>";
    String[][] owners = {
        {"/AF [" + file + "]", "", ""},
        {"", "/AF [" + file + "]", ""},
        {"", "/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /AF " + file + " >>]", ""}};
    for (String[] owner : owners) {
      Path pdf = dir.resolve("associated.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R " + owner[0] + " >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] " + owner[1] + " >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.reasonCode()).as(String.join("", owner)).isEqualTo("active-content");
      assertThat(result.message()).isEqualTo("This PDF is not acceptable: it contains an "
          + "attached file. A poster does not need it: export the poster to PDF again without "
          + "it (for example with \"Print to PDF\").");
    }
  }

  @Test
  void acceptsAnAssociatedFileThatIsNotEmbedded(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("associated-outside.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AF [<< /Type /Filespec /F (data.csv) >>] >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));

    assertThat(PosterCheck.check(pdf, SEED).verdict()).isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
  }

  @Test
  void countsEachAttachedFileOnceAndSaysSoInThePlural(@TempDir Path dir) throws IOException {
    // One file both associated and in the name tree, and a second one in the tree only.
    Path pdf = dir.resolve("two-files.pdf");
    Files.write(pdf, pdf(
        "<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] "
            + "/Names << /EmbeddedFiles << /Names [(a.csv) 4 0 R (b.csv) 5 0 R] >> >> "
            + "/OpenAction << /S /JavaScript /JS (1;) >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>",
        "<< /Type /Filespec /F (a.csv) /EF << /F 9 0 R >> >>",
        "<< /Type /Filespec /F (b.csv) /EF << /F 9 0 R >> >>"));

    assertThat(PosterCheck.check(pdf, SEED).message()).isEqualTo("This PDF is not acceptable: "
        + "it contains 2 attached files and JavaScript. A poster needs none of these: export the "
        + "poster to PDF again without them (for example with \"Print to PDF\").");
  }

  @Test
  void acceptsEmptyNameTreesForAttachmentsAndScripts(@TempDir Path dir) throws IOException {
    for (String names : List.of("/EmbeddedFiles << /Names [] >>", "/JavaScript << /Kids [] >>",
        "/EmbeddedFiles << >> /JavaScript << /Names [] >>")) {
      Path pdf = dir.resolve("empty-trees.pdf");
      Files.write(pdf, pdf(
          "<< /Type /Catalog /Pages 2 0 R /Names << " + names + " >> >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1684 2384] >>"));

      PosterCheckResult result = PosterCheck.check(pdf, SEED);

      assertThat(result.verdict()).as(names + ": " + result.message())
          .isEqualTo(PosterVerdict.RECOMMENDED_SIZE);
    }
  }

  @Test
  void anActionArrayThatContainsItselfEndsTheWalkAtOnce(@TempDir Path dir) throws IOException {
    Path pdf = actionArrayLoop(dir);

    PosterCheckResult result = PosterCheck.check(pdf, SEED);

    assertThat(result.reasonCode()).isEqualTo(PosterCheck.ACTIVE_CONTENT);
  }
}
