package dev.confday.posters.check;

/**
 * How much of a file being written is in it yet, handed from the writer (the upload, on the
 * event loop) to the one thread that scans it. The writer only publishes numbers and never
 * waits; the scanner waits here, without spinning, until the bytes it needs have arrived, the
 * file is complete, or the upload failed. A complete file is an arrival that ended at once.
 */
final class Arrival {

  /** The upload failed or the check no longer needs the scan: the scan stops where it is. */
  static final class Aborted extends RuntimeException {
    Aborted() {
      super("the upload ended without a file to scan", null, false, false);
    }
  }

  private long available;
  private long size = -1;
  private volatile boolean aborted;
  private volatile long deadlineNanos;
  private volatile boolean ended;

  /** A file already complete, of {@code size} bytes, to be scanned before {@code deadlineNanos}. */
  static Arrival complete(long size, long deadlineNanos) {
    Arrival arrival = new Arrival();
    arrival.end(size, deadlineNanos);
    return arrival;
  }

  /** The first {@code bytes} of the file are written (reading them sees them). */
  synchronized void arrived(long bytes) {
    if (bytes > available && size < 0) {
      available = bytes;
      notifyAll();
    }
  }

  /** The file is complete at {@code bytes}; from now on the scan must end by the deadline. */
  synchronized void end(long bytes, long deadlineNanos) {
    if (size >= 0) {
      return;
    }
    this.deadlineNanos = deadlineNanos;
    size = bytes;
    available = bytes;
    ended = true;
    notifyAll();
  }

  synchronized void abort() {
    aborted = true;
    notifyAll();
  }

  boolean aborted() {
    return aborted;
  }

  boolean ended() {
    return ended;
  }

  /** The file's final size; only once {@link #ended()}. */
  synchronized long size() {
    return size;
  }

  /**
   * Waits until more than {@code known} bytes are in the file or the file is complete, and
   * answers how many bytes are in it (the final size once complete, which may be {@code known}).
   */
  synchronized long await(long known) {
    while (!aborted && size < 0 && available <= known) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        aborted = true;
      }
    }
    if (aborted) {
      throw new Aborted();
    }
    return available;
  }

  /** Throws when the scan must stop: aborted, or past the deadline that starts at the end. */
  void clock() {
    if (aborted) {
      throw new Aborted();
    }
    if (ended && System.nanoTime() - deadlineNanos > 0) {
      throw new PosterCheck.TimeLimitExceeded();
    }
  }
}
