package dev.confday.posters.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.confday.posters.check.PosterPdfs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosterPreviewTest {

  @Test
  void rendersA1PortraitPosterAsPngOfTheSameShape(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("preview.png");

    PosterPreview.Result result =
        PosterPreview.render(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"), png);

    assertThat(result.ok()).as(result.detail()).isTrue();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getHeight()).isEqualTo(PosterPreview.DEFAULT_MAX_PIXELS);
    assertThat((double) image.getWidth() / image.getHeight()).isCloseTo(594.0 / 841, within());
    assertThat(listing(dir)).containsExactly("preview.png");
  }

  @Test
  void rendersRotatedPageInTheOrientationItHangs(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("preview.png");

    PosterPreview.Result result = PosterPreview.render(
        PosterPdfs.corpus("rotated-90-a0-portrait-mediabox.pdf"), png, 600,
        PosterPreview.DEFAULT_TIMEOUT);

    assertThat(result.ok()).as(result.detail()).isTrue();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(600);
    assertThat((double) image.getWidth() / image.getHeight()).isCloseTo(1189.0 / 841, within());
  }

  @Test
  void stopsDecompressionBombAndLeavesNoOutput(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("preview.png");

    PosterPreview.Result result = PosterPreview.render(
        PosterPdfs.corpus("bomb-flate-1gb.pdf"), png, 1200, Duration.ofSeconds(10));

    assertThat(result.status()).isIn(PosterPreview.Status.FAILED, PosterPreview.Status.TIMED_OUT);
    assertThat(listing(dir)).isEmpty();
  }

  @Test
  void keepsTheOldPreviewWhenRenderingFails(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("preview.png");
    Files.write(png, new byte[] {1, 2, 3});

    PosterPreview.Result result =
        PosterPreview.render(PosterPdfs.corpus("renamed-text.pdf"), png);

    assertThat(result.status()).isEqualTo(PosterPreview.Status.FAILED);
    assertThat(Files.readAllBytes(png)).containsExactly(1, 2, 3);
    assertThat(listing(dir)).containsExactly("preview.png");
  }

  @Test
  void rendersWhateverTheServersOwnClassPathPropertySays(@TempDir Path dir) throws IOException {
    // under mvn exec:java, java.class.path is Maven's launcher, not the application
    String saved = System.getProperty("java.class.path");
    System.setProperty("java.class.path", dir.resolve("maven-launcher.jar").toString());
    PosterPreview.Result result;
    try {
      result = PosterPreview.render(PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"),
          dir.resolve("preview.png"));
    } finally {
      System.setProperty("java.class.path", saved);
    }

    assertThat(result.ok()).as(result.detail()).isTrue();
    assertThat(ImageIO.read(dir.resolve("preview.png").toFile()).getHeight())
        .isEqualTo(PosterPreview.DEFAULT_MAX_PIXELS);
  }

  @Test
  void childClassPathNamesWhereTheRendererAndPdfBoxWereLoadedFrom() throws Exception {
    String path = PosterPreview.childClassPath();

    assertThat(path.split(java.io.File.pathSeparator)).contains(
        Path.of(PosterPreview.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
        Path.of(org.apache.pdfbox.pdmodel.PDDocument.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI()).toString());
  }

  @Test
  void aRendererThatCannotStartIsAServerErrorNotAFaultOfTheFile(@TempDir Path dir) throws IOException {
    PosterPreview.Result result = PosterPreview.render(
        PosterPdfs.corpus("latex-tikzposter-a1-portrait.pdf"), dir.resolve("preview.png"), 600,
        PosterPreview.DEFAULT_TIMEOUT, dir.resolve("empty").toString());

    assertThat(result.status()).isEqualTo(PosterPreview.Status.SERVER_ERROR);
    assertThat(result.status().retryable()).isTrue();
    assertThat(result.detail()).contains("PosterPreview");
    assertThat(listing(dir)).isEmpty();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }

  private static java.util.List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
