package dev.confday.posters.check;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file's bytes through one 64 KB window, for the structure scan; positions outside the file
 * read as -1. The file may still be arriving ({@link Arrival}): a read past what has arrived
 * waits for it, so the scan can run while the upload is received and reads each byte once.
 * Only bytes that have arrived are ever in the window.
 */
final class FileBytes implements Closeable {
  private final FileChannel channel;
  private final Arrival arrival;
  private final byte[] window = new byte[1 << 16];
  private long start = -1;
  private int length;
  /** Bytes known to be in the file (all of it once the arrival ended). */
  private long known;

  FileBytes(Path file, Arrival arrival) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.arrival = arrival;
  }

  /** The file's final size: waits for the file to be complete. */
  long size() {
    while (!arrival.ended()) {
      known = arrival.await(known);
    }
    return arrival.size();
  }

  /** Where the file's bytes come from: how far they have arrived, the deadline, an abort. */
  Arrival arrival() {
    return arrival;
  }

  /** How many bytes are in the file now, waiting for more than {@code than} unless it is complete. */
  long awaitMoreThan(long than) {
    known = Math.max(known, arrival.await(than));
    return known;
  }

  int at(long position) throws IOException {
    if (position >= start && position < start + length) {
      return window[(int) (position - start)] & 0xff;
    }
    if (position < 0 || !has(position)) {
      return -1;
    }
    fill(position);
    return position < start + length ? window[(int) (position - start)] & 0xff : -1;
  }

  /** Whether {@code position} is in the file, waiting for it to arrive if need be. */
  private boolean has(long position) {
    while (position >= known) {
      long before = known;
      known = arrival.await(known);
      if (known == before) {
        return false; // complete, and shorter
      }
    }
    return true;
  }

  /**
   * Reads into {@code a[off, off + len)} the bytes at {@code position} that are in the file,
   * waiting for at least one to arrive; -1 when the file is complete and ends before it.
   */
  int readSome(long position, byte[] a, int off, int len) throws IOException {
    if (!has(position)) {
      return -1;
    }
    int n = (int) Math.min(len, known - position);
    ByteBuffer buffer = ByteBuffer.wrap(a, off, n);
    while (buffer.hasRemaining() && channel.read(buffer, position + (buffer.position() - off)) > 0) {
      // until the bytes known to be there are read
    }
    return buffer.position() - off;
  }

  /** Whether the file is complete and ends at {@code position}. */
  boolean endsAt(long position) {
    return arrival.ended() && arrival.size() <= position;
  }

  /** The bytes from {@code from} to the end of the file, read through the window. */
  InputStream stream(long from) {
    return new InputStream() {
      private long position = from;

      @Override
      public int read() throws IOException {
        int c = at(position);
        if (c >= 0) {
          position++;
        }
        return c;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (at(position) < 0) {
          return -1;
        }
        int n = (int) Math.min(len, start + length - position);
        System.arraycopy(window, (int) (position - start), b, off, n);
        position += n;
        return n;
      }
    };
  }

  /** Reads the window around {@code position} (which has arrived), a little before it for look-behinds. */
  private void fill(long position) throws IOException {
    long from = Math.max(0, position - 1024);
    int want = (int) Math.min(window.length, known - from);
    ByteBuffer buffer = ByteBuffer.wrap(window, 0, want);
    while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
      // until the window is full or the arrived bytes end
    }
    start = from;
    length = buffer.position();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
