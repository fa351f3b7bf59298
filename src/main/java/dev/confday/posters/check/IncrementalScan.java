package dev.confday.posters.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The structure scan of an uploaded file ({@link StructureStreams}: the one linear pass over
 * its bytes), run while the bytes arrive, so that after the last byte only the tail of the pass
 * and what follows it remain, however large the file.
 *
 * <p>The receiver reports progress ({@link #arrived}, {@link #ended}, {@link #abort}) and never
 * waits. One thread calls {@link #run}: it scans each part once it is in the file and waits,
 * without spinning, for the next. {@link PosterCheck#check(Path, PosterLimits, IncrementalScan)}
 * then takes the answer, waiting for the scan to finish, or scans the complete file itself when
 * no thread has started yet (one code path; a late start just finds more bytes there). The scan
 * must end within {@link PosterCheck#TIME_LIMIT} of the last byte; before that its work is
 * bounded by its budget (four times the file size), not by a clock, since a slow upload is no
 * fault of the file.
 */
public final class IncrementalScan {
  private final Path file;
  private final Arrival arrival = new Arrival();
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CompletableFuture<StructureStreams.Scan> answer = new CompletableFuture<>();

  /** A scan of {@code file}, which is being written from its start. */
  public IncrementalScan(Path file) {
    this.file = file;
  }

  /** The first {@code bytes} of the file are written and readable. Never waits. */
  public void arrived(long bytes) {
    arrival.arrived(bytes);
  }

  /** The file is complete at {@code size} bytes; the time limit starts now. Never waits. */
  public void ended(long size) {
    arrival.end(size, System.nanoTime() + PosterCheck.TIME_LIMIT.toNanos());
  }

  /** The upload failed or the answer is no longer needed: the scan stops. Never waits. */
  public void abort() {
    arrival.abort();
  }

  /**
   * Scans on the calling thread, waiting for bytes as they arrive, unless the scan was already
   * started (or taken over by the check); returns once it is done or aborted. Blocking: call it
   * on a thread that may wait as long as the upload lasts, never on an event loop.
   */
  public void run() {
    if (claimed.compareAndSet(false, true)) {
      try {
        answer.complete(StructureStreams.scan(file, arrival));
      } catch (Throwable t) {
        answer.completeExceptionally(t);
      }
    }
  }

  /** The scan's answer once the file is complete: scanned here if no thread started, else awaited. */
  StructureStreams.Scan await(long deadlineNanos) throws IOException {
    if (!arrival.ended()) {
      throw new IllegalStateException("the check needs the whole file: call ended() first");
    }
    run();
    try {
      return answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abort();
      throw new PosterCheck.TimeLimitExceeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw new PosterCheck.TimeLimitExceeded();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new UncheckedIOException(new IOException(cause));
    }
  }
}
