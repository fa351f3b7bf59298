package dev.confday.posters.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system mounted on a folder for a test: a tmpfs of the given size, or when
 * the machine refuses that, an ext4 image on a loop device. {@link #refused()} says why neither
 * could be mounted (the test then skips with that reason); never a simulated full disk.
 */
final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;
  private final Path image;
  private final String refused;

  private SmallDisk(Path mountPoint, Path image, String refused) {
    this.mountPoint = mountPoint;
    this.image = image;
    this.refused = refused;
  }

  static SmallDisk mount(Path mountPoint, int megabytes) {
    try {
      Files.createDirectories(mountPoint);
      String tmpfs = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
      if (tmpfs == null) {
        return new SmallDisk(mountPoint, null, null);
      }
      Path image = Files.createTempFile("confday-small-disk", ".img");
      String mkfs = run("truncate", "-s", megabytes + "M", image.toString());
      mkfs = mkfs != null ? mkfs : run("mkfs.ext4", "-q", "-F", image.toString());
      String loop = mkfs != null ? mkfs : run("mount", "-o", "loop", image.toString(), mountPoint.toString());
      if (loop == null) {
        return new SmallDisk(mountPoint, image, null);
      }
      Files.deleteIfExists(image);
      return new SmallDisk(mountPoint, null, "mount -t tmpfs refused (" + tmpfs + "); a loop-mounted ext4 image "
          + "refused too (" + loop + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Why no small file system could be mounted, or null when it is mounted. */
  String refused() {
    return refused;
  }

  /** Runs a command; answers null on success, else its exit code and output. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + ": timed out";
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + output;
    } catch (IOException e) {
      return String.join(" ", command) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void close() {
    if (refused != null) {
      return;
    }
    String failed = run("umount", mountPoint.toString());
    if (failed != null) {
      failed = run("umount", "-l", mountPoint.toString());
    }
    try {
      if (image != null) {
        Files.deleteIfExists(image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (failed != null) {
      throw new IllegalStateException(failed);
    }
  }
}
