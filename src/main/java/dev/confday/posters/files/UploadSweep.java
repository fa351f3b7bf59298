package dev.confday.posters.files;

import dev.confday.posters.FloorPlanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a killed process leaves in the uploads folder and the scratch space, at start and
 * every {@link #INTERVAL}, on a worker thread: upload temp files ({@code tmp/upload-*.part}),
 * poster versions moved into place but never recorded ({@code posters/<event>/<poster>/<v>.pdf}
 * and {@code .png} without a {@code poster_files} row, or older than the previous accepted
 * version), hidden preview partials ({@code .<v>.png*.part}), floor plans no area points to
 * ({@code floorplans/<event>/area-*}, and their {@code .upload-*} temps), and scratch folders of
 * renderers and checks that are gone ({@code confday-preview-*}, {@code confday-postercheck-*}).
 *
 * <p>Several instances may share the folder, so only what is older than {@link #GRACE} is
 * touched: every file a live instance writes is far younger (an upload's temp file is written
 * at least every 30 s, and a version's row is written within a minute of its file: the check,
 * the preview and the transaction are each bounded well under that), so a file that old with no
 * row is one nobody will record. Each sweep visits at most {@link #MAX_ENTRIES} entries.
 */
public final class UploadSweep {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSweep.class);
  /** Age from which an unrecorded file counts as left over. */
  public static final Duration GRACE = Duration.ofMinutes(10);
  public static final Duration INTERVAL = Duration.ofMinutes(10);
  static final int MAX_ENTRIES = 100_000;
  static final List<String> SCRATCH_PREFIXES = List.of("confday-preview-", "confday-postercheck-");

  /** The stored versions of the given posters, with each poster's current version. */
  static final String VERSIONS = """
      select f.poster_id, f.version, h.current_version
        from poster_files f join poster_file_heads h on h.poster_id = f.poster_id
       where f.poster_id = any($1)""";
  static final String PLANS = "select plan_path from venue_areas where plan_path = any($1)";

  private static final Pattern VERSION_FILE = Pattern.compile("(\\d{1,9})\\.(pdf|png)");

  private final Vertx vertx;
  private final Pool pool;
  private final WorkerExecutor workers;
  private final Path uploadDir;
  private final Path scratchDir;

  public UploadSweep(Vertx vertx, Pool pool, WorkerExecutor workers, Path uploadDir, Path scratchDir) {
    this.vertx = vertx;
    this.pool = pool;
    this.workers = workers;
    this.uploadDir = uploadDir.toAbsolutePath().normalize();
    this.scratchDir = scratchDir.toAbsolutePath().normalize();
  }

  /** Sweeps now and every {@link #INTERVAL}; a failed sweep is logged and tried again next time. */
  public void start() {
    sweepLogged();
    vertx.setPeriodic(INTERVAL.toMillis(), id -> sweepLogged());
  }

  private void sweepLogged() {
    sweep().onSuccess(removed -> {
      if (removed > 0) {
        LOG.info("Removed {} files and folders left by interrupted uploads and previews under {} and {}", removed,
            uploadDir, scratchDir);
      }
    }).onFailure(t -> LOG.warn("Sweeping leftovers of interrupted uploads failed (tried again in {} min): {}",
        INTERVAL.toMinutes(), t.getMessage()));
  }

  /** One poster version file found on disk. */
  record VersionFile(long posterId, int version, Path path) {
  }

  /** What a walk found: version files and plans that need the database's word. */
  record Candidates(List<VersionFile> versions, Map<String, Path> plans, int removed) {
  }

  /** One sweep; answers how many files and folders it removed. */
  public Future<Integer> sweep() {
    long cutoff = System.currentTimeMillis() - GRACE.toMillis();
    return workers.executeBlocking(() -> collect(cutoff), false)
        .compose(found -> recorded(found).compose(keep -> workers.executeBlocking(() ->
            found.removed() + removeUnrecorded(found, keep), false)));
  }

  /** Removes what needs no database (temps, partials, scratch); lists version files and plans. Blocking. */
  private Candidates collect(long cutoff) throws IOException {
    int[] budget = {MAX_ENTRIES};
    int removed = 0;
    removed += removeOld(uploadDir.resolve("tmp"), "upload-*.part", cutoff, budget);
    List<VersionFile> versions = new ArrayList<>();
    for (Path event : dirs(uploadDir.resolve("posters"), budget)) {
      for (Path poster : dirs(event, budget)) {
        if (!poster.getFileName().toString().matches("\\d{1,18}")) {
          continue;
        }
        long posterId = Long.parseLong(poster.getFileName().toString());
        removed += removeOld(poster, ".*.part", cutoff, budget);
        for (Path file : files(poster, "*.{pdf,png}", budget)) {
          Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
          if (m.matches() && old(file, cutoff)) {
            versions.add(new VersionFile(posterId, Integer.parseInt(m.group(1)), file));
          }
        }
      }
    }
    Map<String, Path> plans = new HashMap<>();
    for (Path event : dirs(uploadDir.resolve("floorplans"), budget)) {
      removed += removeOld(event, FloorPlanStore.TEMP_PREFIX + "*", cutoff, budget);
      for (Path file : files(event, "area-*", budget)) {
        if (old(file, cutoff)) {
          plans.put(uploadDir.relativize(file).toString().replace('\\', '/'), file);
        }
      }
    }
    for (String prefix : SCRATCH_PREFIXES) {
      for (Path dir : files(scratchDir, prefix + "*", budget)) {
        if (Files.isDirectory(dir) && old(dir, cutoff)) {
          removed += deleteTree(dir);
        }
      }
    }
    return new Candidates(versions, plans, removed);
  }

  /** The version files and plan paths the database still refers to. */
  private Future<Set<Path>> recorded(Candidates found) {
    Set<Path> keep = Collections.synchronizedSet(new HashSet<>());
    Future<Void> versions = found.versions().isEmpty() ? Future.succeededFuture() : pool.preparedQuery(VERSIONS)
        .execute(Tuple.of(found.versions().stream().map(VersionFile::posterId).distinct().toArray(Long[]::new)))
        .map(rows -> {
          keep.addAll(keptVersions(found.versions(), rows));
          return null;
        });
    Future<Void> plans = found.plans().isEmpty() ? Future.succeededFuture() : pool.preparedQuery(PLANS)
        .execute(Tuple.of((Object) found.plans().keySet().toArray(String[]::new)))
        .map(rows -> {
          rows.forEach(r -> keep.add(found.plans().get(r.getString(0))));
          return null;
        });
    return Future.all(versions, plans).map(keep);
  }

  /**
   * Per poster, the current version and the one before it (kept for downloads that began just
   * before a replacement), as {@link PosterFileService} keeps them; every other file goes.
   */
  private static Set<Path> keptVersions(List<VersionFile> files, Iterable<Row> rows) {
    Map<Long, Set<Integer>> stored = new HashMap<>();
    Map<Long, Integer> current = new HashMap<>();
    for (Row r : rows) {
      stored.computeIfAbsent(r.getLong(0), k -> new HashSet<>()).add(r.getInteger(1));
      if (r.getInteger(2) != null) {
        current.put(r.getLong(0), r.getInteger(2));
      }
    }
    Set<Path> keep = new HashSet<>();
    for (VersionFile f : files) {
      Set<Integer> versions = stored.getOrDefault(f.posterId(), Set.of());
      Integer now = current.get(f.posterId());
      int previous = now == null ? 0 : versions.stream().filter(v -> v < now).max(Integer::compare).orElse(now);
      if (versions.contains(f.version()) && (now == null || f.version() == (int) now || f.version() == previous)) {
        keep.add(f.path());
      }
    }
    return keep;
  }

  private static int removeUnrecorded(Candidates found, Set<Path> keep) throws IOException {
    int removed = 0;
    for (VersionFile f : found.versions()) {
      if (!keep.contains(f.path()) && Files.deleteIfExists(f.path())) {
        removed++;
      }
    }
    for (Path plan : found.plans().values()) {
      if (!keep.contains(plan) && Files.deleteIfExists(plan)) {
        removed++;
      }
    }
    return removed;
  }

  private static boolean old(Path p, long cutoff) throws IOException {
    try {
      return Files.getLastModifiedTime(p).toMillis() < cutoff;
    } catch (java.nio.file.NoSuchFileException e) {
      return false; // removed meanwhile (moved into place, or swept by another instance)
    }
  }

  private static int removeOld(Path dir, String glob, long cutoff, int[] budget) throws IOException {
    int removed = 0;
    for (Path f : files(dir, glob, budget)) {
      if (Files.isRegularFile(f) && old(f, cutoff) && Files.deleteIfExists(f)) {
        removed++;
      }
    }
    return removed;
  }

  private static List<Path> dirs(Path dir, int[] budget) throws IOException {
    return files(dir, "*", budget).stream().filter(Files::isDirectory).toList();
  }

  /** The entries of {@code dir} matching {@code glob}, each counted against the sweep's budget. */
  private static List<Path> files(Path dir, String glob, int[] budget) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> list = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
      for (Path p : entries) {
        if (budget[0]-- <= 0) {
          break;
        }
        list.add(p);
      }
    }
    return list;
  }

  private static int deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Collections.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
    return 1;
  }
}
