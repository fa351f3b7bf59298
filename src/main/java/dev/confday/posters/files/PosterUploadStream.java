package dev.confday.posters.files;

import dev.confday.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Streams one request body into a temp file with backpressure, never holding it in memory:
 * counts bytes as they arrive and stops at the event's limit (413), gives up when the client
 * sends nothing for {@link #IDLE_TIMEOUT} (408), and fails when the client goes away. Answers
 * the number of bytes written and their SHA-256 once the body ended and the file is closed (its
 * writes flushed). As writes complete, tells {@code written} how many bytes from the start are
 * in the file (writes may complete out of order; only the unbroken prefix counts), so that the
 * structure scan can read them while the rest arrives.
 * The caller removes the temp file when this fails.
 */
final class PosterUploadStream {
  /** Longest pause between two pieces of a body before the upload is given up. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** Thrown when the client closed the connection or reset the stream mid-upload. */
  static final class ClientGone extends RuntimeException {
    ClientGone(Throwable cause) {
      super("the client went away during the upload", cause, false, false);
    }
  }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final AsyncFile file;
  private final long limit;
  private final Future<Void> closed;
  private final LongConsumer written;
  private final Promise<Received> done = Promise.promise();
  private final MessageDigest digest = sha256();
  /** Writes not yet known to be in the file with all before them: each its end offset, and done. */
  private final Deque<long[]> writes = new ArrayDeque<>();
  private long received;
  private long idleTimer;

  private PosterUploadStream(Vertx vertx, HttpServerRequest request, AsyncFile file, long limit,
      Future<Void> closed, LongConsumer written) {
    this.vertx = vertx;
    this.closed = closed;
    this.written = written;
    this.request = request;
    this.file = file;
    this.limit = limit;
  }

  /**
   * Reads the (paused) request's body into {@code file}, at most {@code limit} bytes;
   * {@code closed} completes when the connection closes before the answer was sent;
   * {@code written} hears, on the event loop, how many bytes from the start are in the file.
   */
  static Future<Received> receive(Vertx vertx, HttpServerRequest request, AsyncFile file, long limit,
      Future<Void> closed, LongConsumer written) {
    return new PosterUploadStream(vertx, request, file, limit, closed, written).start();
  }

  /** A body received whole: its length and SHA-256, computed as the bytes arrived. */
  record Received(long bytes, String sha256) {
  }

  private Future<Received> start() {
    file.exceptionHandler(this::fail);
    // Not response().closeHandler: a response has one, and Vert.x Web's is what tells the
    // request log (and {@code closed}) that the client went away.
    request.exceptionHandler(t -> fail(new ClientGone(t)));
    closed.onComplete(v -> fail(new ClientGone(null)));
    if (request.response().closed()) {
      // gone while the access check and the temp file were being set up: no close event follows
      fail(new ClientGone(null));
      return done.future();
    }
    request.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      received += chunk.length();
      if (received > limit) {
        fail(tooLarge(limit));
        return;
      }
      restartIdleTimer();
      // hashed as it arrives (about 0.1 ms per 64 KB chunk), so the check never rereads the file for it
      digest.update(chunk.getBytes());
      long[] write = {received, 0};
      writes.add(write);
      file.write(chunk).onComplete(ar -> {
        if (ar.failed()) {
          fail(ar.cause());
        } else {
          write[1] = 1;
          wrote();
        }
      });
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    });
    request.endHandler(v -> {
      vertx.cancelTimer(idleTimer);
      if (!done.future().isComplete()) {
        file.close().onComplete(closed -> {
          if (closed.succeeded()) {
            done.tryComplete(new Received(received, HexFormat.of().formatHex(digest.digest())));
          } else {
            done.tryFail(closed.cause());
          }
        });
      }
    });
    restartIdleTimer();
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue();
    }
    request.resume();
    return done.future();
  }

  /** Reports the bytes now in the file without a gap before them. */
  private void wrote() {
    long prefix = -1;
    while (!writes.isEmpty() && writes.peekFirst()[1] == 1) {
      prefix = writes.pollFirst()[0];
    }
    if (prefix >= 0 && !done.future().failed()) {
      written.accept(prefix);
    }
  }

  private void restartIdleTimer() {
    vertx.cancelTimer(idleTimer);
    idleTimer = vertx.setTimer(IDLE_TIMEOUT.toMillis(), id -> {
      fail(new ApiError(408, "upload-stalled", "Upload stalled", "Nothing arrived for "
          + IDLE_TIMEOUT.toSeconds() + " seconds, so the upload was stopped. Nothing was stored; please try again."));
      request.connection().close();
    });
  }

  private void fail(Throwable t) {
    vertx.cancelTimer(idleTimer);
    if (done.tryFail(t)) {
      file.close();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  static ApiError tooLarge(long limit) {
    return new ApiError(413, "poster-file-too-large", "Poster file too large",
        "The file is larger than the " + megabytes(limit) + " this event accepts. Export it again with images "
            + "compressed (for example at 300 dpi).").with("maxUploadBytes", limit);
  }

  private static String megabytes(long bytes) {
    return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MB" : (bytes / 1024) + " KB";
  }
}
