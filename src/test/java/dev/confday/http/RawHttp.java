package dev.confday.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw TCP client for HTTP probes: writes bytes as given, reads what comes back until the server closes or a deadline. */
final class RawHttp implements AutoCloseable {
  /** What came back and whether the server closed the connection before the deadline. */
  record Answer(String text, boolean closed, long millis) {
    int responses() {
      return (int) java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3} ").matcher(text).results().count();
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  RawHttp send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads until the server closes the connection or {@code deadlineMs} has passed. */
  Answer read(long deadlineMs) throws IOException {
    long start = System.nanoTime();
    long end = start + deadlineMs * 1_000_000;
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean closed = false;
    while (System.nanoTime() < end) {
      socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
      try {
        int n = in.read(buf);
        if (n < 0) {
          closed = true;
          break;
        }
        got.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        break;
      } catch (java.net.SocketException e) {
        closed = true; // reset by the server
        break;
      }
    }
    return new Answer(got.toString(StandardCharsets.ISO_8859_1), closed, (System.nanoTime() - start) / 1_000_000);
  }

  /** Sends raw and reads the answer. */
  static Answer exchange(int port, String raw, long deadlineMs) throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      return http.send(raw).read(deadlineMs);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
