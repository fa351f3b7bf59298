package dev.confday.posters.files;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poster files on disk: uploads in progress as temp files under {@code <uploadDir>/tmp/},
 * accepted versions as {@code <uploadDir>/posters/<event id>/<poster id>/<version>.pdf} with the
 * preview next to it as {@code <version>.png}. A version is placed by an fsync and an atomic
 * rename (so {@code tmp/} and {@code posters/} must be on one file system); blocking work runs on
 * the worker pool.
 */
final class PosterFileStore {
  private static final Logger LOG = LoggerFactory.getLogger(PosterFileStore.class);

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Path tmpDir;
  private final Path postersDir;

  PosterFileStore(Vertx vertx, WorkerExecutor workers, Path uploadDir) {
    this.vertx = vertx;
    this.workers = workers;
    this.tmpDir = uploadDir.resolve("tmp");
    this.postersDir = uploadDir.resolve("posters");
  }

  Path postersDir() {
    return postersDir;
  }

  /** A new, empty temp file for one upload, opened for writing. */
  Future<PosterFileService.TempUpload> openTemp() {
    Path path = tmpDir.resolve("upload-" + UUID.randomUUID() + ".part");
    return vertx.fileSystem().mkdirs(tmpDir.toString())
        .compose(v -> vertx.fileSystem().open(path.toString(),
            new OpenOptions().setWrite(true).setCreateNew(true).setRead(false)))
        .map(file -> new PosterFileService.TempUpload(path, file));
  }

  /** Removes a temp file; missing is fine (it was moved into place or already removed). */
  Future<Void> discard(Path temp) {
    String path = temp.toString();
    return vertx.fileSystem().delete(path).recover(t -> vertx.fileSystem().exists(path)
        .compose(exists -> exists ? Future.failedFuture(t) : Future.succeededFuture()));
  }

  /** Makes the temp file durable under its final name, {@code <dir>/<version>.pdf}. */
  Future<Void> place(Path temp, Path dir, int version) {
    return workers.executeBlocking(() -> placeNow(temp, dir, version), false);
  }

  private Void placeNow(Path temp, Path dir, int version) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.createDirectories(dir);
    Path pdf = dir.resolve(version + ".pdf");
    try {
      Files.move(temp, pdf, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the upload directory's tmp/ and posters/ must be on one file system", e);
    }
    forceDirectory(dir);
    return null;
  }

  /** Removes one version's files (a store that failed before its row was committed). */
  Future<Void> removeVersion(Path dir, int version) {
    return workers.executeBlocking(() -> {
      Files.deleteIfExists(dir.resolve(version + ".pdf"));
      Files.deleteIfExists(dir.resolve(version + ".png"));
      return null;
    }, false).recover(t -> {
      LOG.warn("Could not remove the files of unstored version {} in {}", version, dir, t);
      return Future.succeededFuture();
    }).mapEmpty();
  }

  /** After a commit: removes the files of versions older than the one just replaced. */
  void removeOldVersions(Path dir, Optional<Integer> replaced) {
    if (replaced.isEmpty()) {
      return;
    }
    int keepFrom = replaced.get();
    workers.executeBlocking(() -> {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{pdf,png}")) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          String number = name.substring(0, name.lastIndexOf('.'));
          if (number.matches("\\d{1,9}") && Integer.parseInt(number) < keepFrom) {
            Files.deleteIfExists(f);
          }
        }
      }
      return null;
    }, false).onFailure(t -> LOG.warn("Could not remove old poster versions in {}", dir, t));
  }

  Path pdfPath(PosterFile file) {
    return posterDir(file.eventId(), file.posterId()).resolve(file.version() + ".pdf");
  }

  Path previewPath(PosterFile file) {
    return posterDir(file.eventId(), file.posterId()).resolve(file.version() + ".png");
  }

  Path posterDir(long eventId, long posterId) {
    return postersDir.resolve(Long.toString(eventId)).resolve(Long.toString(posterId));
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UncheckedIOException e) {
      // not every file system can sync a directory; the rename itself is still atomic
    }
  }
}
