package dev.confday.posters.files;

import dev.confday.auth.Principal;
import dev.confday.auth.Role;
import dev.confday.config.Config;
import dev.confday.http.ApiError;
import dev.confday.live.LiveService;
import dev.confday.posters.Poster;
import dev.confday.posters.PosterEntry;
import dev.confday.posters.PosterService;
import dev.confday.posters.check.IncrementalScan;
import dev.confday.posters.check.PosterCheck;
import dev.confday.posters.check.PosterCheckResult;
import dev.confday.posters.check.PosterLimits;
import dev.confday.posters.check.PosterVerdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Poster PDF uploads: per-event limits, the upload workflow ({@link #upload}: received,
 * hashed and scanned as the bytes arrive, then checked on the bounded worker pool), storing an
 * accepted file (fsync, atomic rename, then the database row and a live message in one
 * transaction), its preview afterwards on a bounded queue ({@link PosterPreviewQueue}), and
 * answering which version is current.
 *
 * <p>Files live where {@link PosterFileStore} keeps them. A refused upload never touches the
 * current version. After a new version is committed, the files of versions older than the one it replaced are removed: the
 * current and the previous accepted version stay on disk (a download that began just before a
 * replacement still finds its file), and every version's row stays as history. What a killed
 * process leaves behind (temp files, unrecorded versions, preview partials) is removed by
 * {@link UploadSweep}.
 */
public final class PosterFileService {
  /**
   * Longest a check may take, queueing on the worker pool included. The check itself stops
   * after {@link PosterCheck#TIME_LIMIT}, so a thread is never held longer than that.
   */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);
  /** Longest a preview may take to render (a child JVM; a failure never refuses the poster). */
  public static final Duration PREVIEW_TIMEOUT = Duration.ofSeconds(15);
  /** Child renderers at once: each is a JVM of up to 256 MB heap and one busy core. */
  static final int PREVIEW_CONCURRENCY = 1;
  /** Previews waiting in memory; beyond that they wait in the database for the sweep. */
  static final int PREVIEW_QUEUE = 32;
  /**
   * Threads that scan uploads while they arrive. A scan waits (parked, no CPU) whenever it has
   * caught up with the bytes, so it holds its thread as long as the upload lasts: that is why
   * it has its own small pool, not the check's worker pool, and why the pool may be small. An
   * upload whose scan finds no free thread before its last byte is scanned whole by its check
   * after the last byte, as before; so a few slow uploads holding every scan thread only cost
   * the others the head start, never their answer.
   */
  static final int SCAN_THREADS = 4;

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final WorkerExecutor scanners;
  private final LiveService live;
  private final PosterService posters;
  private final PosterFileRepository repository;
  private final long defaultMaxUploadBytes;
  private final PosterFileStore store;
  private final PosterPreviewQueue previews;

  public PosterFileService(Vertx vertx, Pool pool, WorkerExecutor workers, LiveService live, PosterService posters,
      Config config) {
    this.vertx = vertx;
    this.workers = workers;
    // shared by name, so every server of one Vert.x instance uses the same pool, closed with it;
    // a scan lasts as long as its upload, so the blocked-thread warning is for an hour, not 60 s
    this.scanners = vertx.createSharedWorkerExecutor("confday-poster-scan", SCAN_THREADS, 1, TimeUnit.HOURS);
    this.live = live;
    this.posters = posters;
    this.repository = new PosterFileRepository(pool);
    this.defaultMaxUploadBytes = config.maxUploadBytes();
    this.store = new PosterFileStore(vertx, workers, config.uploadDir());
    this.previews = new PosterPreviewQueue(vertx, repository, live, store.postersDir(), PREVIEW_CONCURRENCY, PREVIEW_QUEUE,
        PREVIEW_TIMEOUT);
  }

  /**
   * Starts rendering previews left pending (by a restart, a crash or a full queue), now and
   * every half minute; {@link #stopPreviews} ends it.
   */
  public void resumePreviews() {
    previews.start();
  }

  /** Claims pending previews once, now (what the periodic sweep does); answers how many. */
  public Future<Integer> sweepPendingPreviews() {
    return previews.sweep();
  }

  /** Kills renders in progress; their previews stay pending for the next start. */
  public void stopPreviews() {
    previews.stop();
  }

  // ---- limits

  /** The event's poster rules; the seed workshop's defaults when the organizers set none. */
  public Future<EventPosterLimits> limits(long eventId) {
    return repository.limits(eventId).map(o -> o.orElseGet(() -> EventPosterLimits.defaults(defaultMaxUploadBytes)));
  }

  public Future<EventPosterLimits> setLimits(long eventId, EventPosterLimits rules) {
    return repository.saveLimits(eventId, rules).map(rules);
  }

  // ---- upload

  /** What an upload goes to: the poster, its number (for file names) and the event's rules. */
  public record Target(long eventId, String eventSlug, long posterId, int number, EventPosterLimits rules) {
  }

  /** An accepted upload: the stored version and the check's answer. */
  public record Stored(PosterFile file, PosterCheckResult check) {
  }

  /**
   * The poster {@code caller} may upload to: 404 when there is no such poster in the event,
   * 403 unless the caller presents it or organizes the event.
   */
  public Future<Target> uploadTarget(Principal caller, long posterId) {
    return posters.poster(caller.eventId(), posterId).compose(entry -> {
      Poster poster = entry.poster();
      boolean presents = poster.presenterId() != null && poster.presenterId() == caller.personId();
      if (!presents && !caller.has(Role.ORGANIZER)) {
        return Future.failedFuture(ApiError.forbidden("Only the presenter of poster " + poster.number()
            + " or an organizer may upload its PDF."));
      }
      return limits(caller.eventId()).map(rules -> new Target(caller.eventId(), caller.eventSlug(), poster.id(),
          poster.number(), rules));
    });
  }

  /** A poster the caller presents, with its current file (null when none was accepted yet). */
  public record MyPoster(PosterEntry entry, PosterFile file) {
  }

  /** The posters {@code caller} presents in the event, each with its current file, if any. */
  public Future<List<MyPoster>> myPosters(Principal caller) {
    return posters.findPosters(caller.eventId(), "").compose(entries -> repository.currentFiles(caller.eventId())
        .map(files -> entries.stream()
            .filter(e -> e.poster().presenterId() != null && e.poster().presenterId() == caller.personId())
            .map(e -> new MyPoster(e, files.stream().filter(f -> f.posterId() == e.poster().id())
                .findFirst().orElse(null)))
            .toList()));
  }

  /**
   * One upload as it arrives: the request, paused, whose body is the PDF; the length it
   * declared (-1 when none); and what completes when the client goes away before the answer.
   */
  public record IncomingUpload(HttpServerRequest request, long declaredLength, Future<Void> clientGone) {
  }

  /**
   * The whole upload workflow: checks that {@code caller} may upload to the poster
   * ({@link #uploadTarget}), refuses a declared length over the event's limit (413), streams the
   * body into a temp file (hashing it and scanning its structure while the bytes arrive), checks
   * it, and stores it when accepted ({@link #store}); fails with the problem that says why
   * otherwise (413, 408, 422 with the check, 503), or with {@link PosterUploadStream.ClientGone}
   * when there is nobody left to answer. The temp file is removed in every case, and nothing of a
   * failed upload stays on disk.
   */
  public Future<Stored> upload(Principal caller, long posterId, IncomingUpload upload) {
    return uploadTarget(caller, posterId).compose(target -> {
      long limit = target.rules().maxUploadBytes();
      if (upload.declaredLength() > limit) {
        return Future.failedFuture(PosterUploadStream.tooLarge(limit));
      }
      return openTemp().compose(temp -> receiveAndStore(target, caller.personId(), temp, upload)
          .eventually(() -> discard(temp.path())));
    });
  }

  private Future<Stored> receiveAndStore(Target target, long personId, TempUpload temp, IncomingUpload upload) {
    IncrementalScan scan = new IncrementalScan(temp.path());
    // The scan runs on a thread of its own pool, reading the temp file as far as the writes have
    // landed; the event loop only publishes that offset (never waits, never parses). Not on the
    // event loop, bounded per chunk: at an object header the scan reads its dictionary, and at a
    // structure stream inflates it, however far ahead they reach, with a lexer that cannot stop
    // in the middle of an object; a thread that waits for the bytes keeps that code as it is. Its
    // result is taken by the check (below), which scans itself if no thread started.
    scanners.executeBlocking(() -> {
      scan.run();
      return null;
    }, false);
    return PosterUploadStream.receive(vertx, upload.request(), temp.file(), target.rules().maxUploadBytes(),
            upload.clientGone(), scan::arrived)
        .compose(received -> {
          scan.ended(received.bytes());
          return inspect(temp.path(), target.rules().limits(), received.sha256(), scan);
        })
        .compose(i -> i.check().accepted() ? keep(target, personId, temp.path(), i) : refuse(target, personId, i))
        // stops a scan the answer did not need (or that waits for bytes that will never come)
        .eventually(() -> {
          scan.abort();
          return Future.succeededFuture();
        });
  }

  /** A new, empty temp file for one upload, opened for writing. */
  public Future<TempUpload> openTemp() {
    return store.openTemp();
  }

  /** Removes a temp file; missing is fine (it was moved into place or already removed). */
  public Future<Void> discard(Path temp) {
    return store.discard(temp);
  }

  /** An upload being received: its temp file on disk and the open handle to write it. */
  public record TempUpload(Path path, AsyncFile file) {
  }

  /**
   * Checks a fully received temp file and, when accepted, stores it as the poster's new
   * version; when refused, records the attempt and fails with a 422 problem whose type names
   * the reason ({@code poster-too-tall}...) and whose {@code check} extension has the measured
   * sizes. The caller removes the temp file afterwards in every case ({@link #discard}).
   */
  public Future<Stored> store(Target target, long personId, Path temp) {
    return inspect(temp, target.rules().limits(), null, null)
        .compose(i -> i.check().accepted() ? keep(target, personId, temp, i) : refuse(target, personId, i));
  }

  /** A received file's check, its SHA-256 and its size. */
  record Inspected(PosterCheckResult check, String sha256, long size) {
  }

  /**
   * What runs between the last byte received and the verdict (blocking; the benchmark measures
   * exactly this): the check, using the structure scan made while the bytes arrived when there
   * is one ({@code scan}, ended; null: scan the file here), and the hash when it was not
   * computed while the bytes arrived (null: read the file once more for it).
   */
  static Inspected inspectReceived(Path temp, PosterLimits limits, String sha256, IncrementalScan scan)
      throws IOException {
    long size = Files.size(temp);
    String sha = sha256 != null ? sha256 : sha256(temp);
    PosterCheckResult check = scan == null ? PosterCheck.check(temp, limits) : PosterCheck.check(temp, limits, scan);
    return new Inspected(check, sha, size);
  }

  private Future<Inspected> inspect(Path temp, PosterLimits limits, String sha256, IncrementalScan scan) {
    return workers.executeBlocking(() -> inspectReceived(temp, limits, sha256, scan), false).timeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).recover(t -> Future.failedFuture(
        t instanceof TimeoutException || t instanceof PosterCheck.TimeLimitExceeded
            ? new ApiError(503, "poster-check-timeout", "Check took too long",
                "The server could not check your poster in time. Nothing was stored; please try again in a minute.")
            : t));
  }

  private Future<Stored> refuse(Target target, long personId, Inspected i) {
    PosterCheckResult check = i.check();
    JsonObject json = checkJson(check);
    return repository.insertAttempt(target.eventId(), target.posterId(), personId, check, json, i.size())
        .compose(v -> Future.failedFuture(new ApiError(422, "poster-" + check.reasonCode(),
            check.verdict() == PosterVerdict.TOO_LARGE ? "Poster too large" : "Poster not accepted",
            check.message(), new JsonObject().put("check", json))));
  }

  private Future<Stored> keep(Target target, long personId, Path temp, Inspected i) {
    Path dir = store.posterDir(target.eventId(), target.posterId());
    return repository.reserveVersion(target.eventId(), target.posterId())
        .compose(version -> store.place(temp, dir, version)
            .compose(placed -> record(target, personId, version, i))
            .recover(t -> store.removeVersion(dir, version).compose(v -> Future.failedFuture(t))))
        .onSuccess(stored -> {
          if (stored.superseded()) {
            store.removeVersion(dir, stored.file().version());
          } else {
            previews.submit(new PosterPreviewQueue.Job(target.eventId(), target.eventSlug(), target.posterId(),
                stored.file().version(), 0));
            store.removeOldVersions(dir, stored.replaced());
          }
        })
        .map(stored -> new Stored(stored.file(), i.check()));
  }

  /** A committed version, the version it replaced, or superseded when a newer one was current already. */
  private record Recorded(PosterFile file, Optional<Integer> replaced, boolean superseded) {
  }

  private Future<Recorded> record(Target target, long personId, int version, Inspected i) {
    PosterPreview.Status preview = PosterPreview.Status.PENDING;
    PosterCheckResult check = i.check();
    JsonObject json = checkJson(check);
    PosterFile draft = new PosterFile(target.posterId(), version, target.eventId(), i.sha256(), i.size(),
        check.verdict(), check.message(), json, preview, personId, null);
    return repository.inTransaction(tx -> repository.lockHead(tx, target.posterId())
        .compose(locked -> repository.insertFile(tx, draft))
        .compose(at -> repository.makeCurrent(tx, target.posterId(), version)
            .compose(replaced -> repository.insertAttempt(tx, target.eventId(), target.posterId(), personId, check,
                    json, i.size(), version)
                .compose(v -> live.publish(tx, PosterService.topic(target.eventSlug()), new JsonObject()
                    .put("type", "poster-file").put("posterId", target.posterId()).put("number", target.number())
                    .put("version", version).put("current", replaced != null).put("verdict", check.verdict().name())
                    .put("preview", preview.name()).put("sha256", i.sha256())))
                .map(seq -> new Recorded(new PosterFile(draft.posterId(), version, draft.eventId(), draft.sha256(),
                    draft.sizeBytes(), draft.verdict(), draft.message(), json, preview, personId, at),
                    replaced == null ? Optional.empty() : replaced, replaced == null)))));
  }

  // ---- reading

  /** The poster's current accepted file; 404 when none was accepted yet. */
  public Future<PosterFile> current(long eventId, long posterId) {
    return repository.currentFile(eventId, posterId).map(o -> o.orElseThrow(() ->
        new ApiError(404, "poster-file-missing", "No poster file", "Poster " + posterId
            + " has no accepted PDF yet.")));
  }

  /** A current file with the number of its poster, for the download's file name. */
  public record Download(PosterFile file, int number) {
  }

  public Future<Download> download(long eventId, long posterId) {
    return current(eventId, posterId).compose(file -> posters.poster(eventId, posterId)
        .map(entry -> new Download(file, entry.poster().number())));
  }

  /** The current accepted files of an event's posters. */
  public Future<List<PosterFile>> currentFiles(long eventId) {
    return repository.currentFiles(eventId);
  }

  /** Where a poster's upload stands: its current version and last attempt (each null when none), the limits. */
  public record UploadStatus(long posterId, int number, PosterFile current, PosterUploadAttempt lastAttempt,
      EventPosterLimits limits) {
  }

  /** The current version (or null) and the last attempt (or null) of a poster. */
  public Future<UploadStatus> status(long eventId, long posterId) {
    return posters.poster(eventId, posterId)
        .compose(entry -> repository.currentFile(eventId, posterId)
            .compose(file -> repository.lastAttempt(eventId, posterId).compose(attempt -> limits(eventId)
                .map(rules -> new UploadStatus(posterId, entry.poster().number(), file.orElse(null),
                    attempt.orElse(null), rules)))));
  }

  public Path pdfPath(PosterFile file) {
    return store.pdfPath(file);
  }

  public Path previewPath(PosterFile file) {
    return store.previewPath(file);
  }

  /** The check's answer as JSON: the {@code check} of a 201 answer and of a 422 problem. */
  public static JsonObject checkJson(PosterCheckResult c) {
    return new JsonObject().put("verdict", c.verdict().name()).put("verdictLabel", c.verdict().label())
        .put("accepted", c.accepted())
        .put("reasonCode", c.reasonCode()).put("message", c.message())
        .put("widthCm", c.widthCm()).put("heightCm", c.heightCm())
        .put("widthIn", c.widthIn()).put("heightIn", c.heightIn())
        .put("orientation", c.orientation()).put("paperName", c.paperName()).put("pages", c.pages())
        .put("warnings", new JsonArray(c.warnings()));
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
