package dev.confday.posters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Floor plan files under the upload directory ({@code floorplans/<event>/area-<id>-<random>.<ext>}).
 * A plan is written to a temp file in the same directory, forced to disk, then renamed into
 * place atomically, so a reader never sees half a file and a crash leaves no plan behind that
 * the database points to. Blocking: call on a worker.
 */
public final class FloorPlanStore {
  public static final String TEMP_PREFIX = ".upload-";
  private final Path root;

  FloorPlanStore(Path uploadDir) {
    this.root = uploadDir.toAbsolutePath().normalize();
  }

  /** Writes the plan durably; answers its path relative to the upload directory. */
  String store(long eventId, long areaId, byte[] content, String contentType) {
    String extension = switch (contentType) {
      case FloorPlan.SVG -> "svg";
      case FloorPlan.PNG -> "png";
      default -> "jpg";
    };
    String relative = "floorplans/" + eventId + "/area-" + areaId + "-" + UUID.randomUUID() + "." + extension;
    Path target = resolve(relative);
    Path dir = target.getParent();
    Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target);
      }
      syncDirectory(dir);
      return relative;
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new UncheckedIOException("Could not store the floor plan", e);
    }
  }

  /** The absolute path of a stored plan; refuses paths that would leave the upload directory. */
  Path resolve(String relative) {
    Path path = root.resolve(relative).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("Stored path escapes the upload directory: " + relative);
    }
    return path;
  }

  void delete(String relative) {
    if (relative != null) {
      deleteQuietly(resolve(relative));
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a stray file costs some disk, never correctness: the database no longer points to it
    }
  }

  /** Makes the rename itself durable (Linux allows fsync on a directory opened for reading). */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported on every platform; the file itself is already on disk
    }
  }
}
