package dev.confday.posters.files;

import dev.confday.live.LiveService;
import dev.confday.posters.PosterService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the previews of stored posters after their upload was answered: a bounded queue
 * (at most {@code concurrency} child renderers at once, at most {@code capacity} waiting) on
 * its own threads, so previews never hold the worker pool the checks run on. The state lives
 * in the database: a stored file is {@code PENDING}; the outcome is recorded and published on
 * the event's posters topic in one transaction, so open pages show the preview when it is
 * ready. A failure that may be ours (a timeout, a renderer that could not run) is tried again
 * later, at most {@link #MAX_ATTEMPTS} times. Nothing is lost when the queue is full or the
 * process dies: the row stays pending, and a sweep (at start and every {@link #SWEEP_PERIOD})
 * claims pending previews that nobody claimed or whose claim went stale.
 */
final class PosterPreviewQueue {
  private static final Logger LOG = LoggerFactory.getLogger(PosterPreviewQueue.class);
  /** Attempts at one preview before a failure of ours is final (and logged as an error). */
  static final int MAX_ATTEMPTS = 3;
  static final Duration SWEEP_PERIOD = Duration.ofSeconds(30);

  /** One preview to render: a stored version and the attempts made before. */
  record Job(long eventId, String eventSlug, long posterId, int version, int attempts) {
  }

  private final Vertx vertx;
  private final PosterFileRepository repository;
  private final LiveService live;
  private final Path postersDir;
  private final Duration timeout;
  private final int capacity;
  private final ThreadPoolExecutor renderers;
  /** A claim older than this is taken over: its render cannot still be running. */
  private final Duration staleClaim;
  private long sweepTimer = -1;

  PosterPreviewQueue(Vertx vertx, PosterFileRepository repository, LiveService live, Path postersDir,
      int concurrency, int capacity, Duration timeout) {
    this.vertx = vertx;
    this.repository = repository;
    this.live = live;
    this.postersDir = postersDir;
    this.timeout = timeout;
    this.capacity = capacity;
    // a claim is renewed when its render starts, so it is stale after one render and a margin
    this.staleClaim = timeout.multipliedBy(2).plus(Duration.ofSeconds(30));
    AtomicInteger threads = new AtomicInteger();
    this.renderers = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(capacity), r -> {
          Thread t = new Thread(r, "confday-preview-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.renderers.allowCoreThreadTimeOut(true);
  }

  /** Claims pending previews now and every {@link #SWEEP_PERIOD} (previews left by a restart). */
  void start() {
    sweep();
    sweepTimer = vertx.setPeriodic(SWEEP_PERIOD.toMillis(), id -> sweep());
  }

  /** Stops sweeping and kills renders in progress (their rows stay pending for the next start). */
  void stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    renderers.shutdownNow();
  }

  /** Queues a job already claimed; a full queue leaves it pending for a later sweep. */
  void submit(Job job) {
    try {
      renderers.execute(() -> run(job));
    } catch (RejectedExecutionException e) {
      LOG.info("Preview queue full ({} waiting); poster {} version {} is rendered later", capacity,
          job.posterId(), job.version());
    }
  }

  /** Claims as many pending previews as the queue has room for. */
  Future<Integer> sweep() {
    int room = capacity - renderers.getQueue().size();
    if (room <= 0 || renderers.isShutdown()) {
      return Future.succeededFuture(0);
    }
    return repository.claimPendingPreviews(staleClaim.toSeconds(), room).map(jobs -> {
      jobs.forEach(this::submit);
      if (!jobs.isEmpty()) {
        LOG.info("Rendering {} pending poster previews", jobs.size());
      }
      return jobs.size();
    }).onFailure(t -> LOG.warn("Could not claim pending poster previews", t));
  }

  private void run(Job job) {
    Path dir = postersDir.resolve(Long.toString(job.eventId())).resolve(Long.toString(job.posterId()));
    try {
      repository.renewPreviewClaim(job.posterId(), job.version()).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      // the claim may go stale and be rendered twice; the outcome is recorded once
    }
    PosterPreview.Result result = PosterPreview.render(dir.resolve(job.version() + ".pdf"),
        dir.resolve(job.version() + ".png"), PosterPreview.DEFAULT_MAX_PIXELS, timeout);
    if (Thread.currentThread().isInterrupted()) {
      return; // shutting down: the row stays pending for the next start
    }
    if (result.ok()) {
      forceDirectory(dir);
    }
    finish(job, result);
  }

  private Future<Boolean> finish(Job job, PosterPreview.Result result) {
    int attempts = job.attempts() + 1;
    PosterPreview.Status outcome = result.status();
    boolean retry = outcome.retryable() && attempts < MAX_ATTEMPTS;
    PosterPreview.Status next = retry ? PosterPreview.Status.PENDING : outcome;
    log(job, result, attempts, retry);
    return repository.inTransaction(tx -> repository.finishPreview(tx, job.posterId(), job.version(), next, attempts)
        .compose(updated -> updated && !retry
            ? live.publish(tx, PosterService.topic(job.eventSlug()), new JsonObject().put("type", "poster-preview")
                .put("posterId", job.posterId()).put("version", job.version()).put("preview", next.name())
                .put("previewUrl", result.ok() ? PosterFileRoutes.previewUrl(job.eventSlug(), job.posterId()) : null))
                .map(true)
            : Future.succeededFuture(updated)))
        .onFailure(t -> LOG.warn("Could not record the preview of poster {} version {}", job.posterId(),
            job.version(), t));
  }

  private static void log(Job job, PosterPreview.Result result, int attempts, boolean retry) {
    String what = "poster " + job.posterId() + " version " + job.version() + " of " + job.eventSlug();
    switch (result.status()) {
      case OK -> LOG.debug("Preview of {} ready", what);
      case FAILED -> LOG.warn("The preview of {} cannot be drawn (a fault of the file): {}", what, result.detail());
      default -> {
        if (retry) {
          LOG.warn("Preview of {} failed ({} {}); attempt {} of {}, trying again later", what, result.status(),
              result.detail(), attempts, MAX_ATTEMPTS);
        } else {
          // ours to fix: an operator reads the error log; the presenter is told it is not their file
          LOG.error("Preview of {} failed after {} attempts: {} {}", what, attempts, result.status(),
              result.detail());
        }
      }
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UncheckedIOException e) {
      // not every file system can sync a directory; the rename itself is still atomic
    }
  }
}
