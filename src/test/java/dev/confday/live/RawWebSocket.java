package dev.confday.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare WebSocket client on a plain socket, for what a well-behaved client library will not
 * do: stop reading altogether (a slow consumer) with a tiny receive buffer, or never answer a
 * ping.
 */
final class RawWebSocket implements AutoCloseable {
  /** One frame from the server: opcode and payload. */
  record Frame(int opcode, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawWebSocket(int port, String path, int receiveBuffer) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4 && head.size() < 16_384) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text frame, as a client must. */
  void sendText(String text) throws IOException {
    sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame of any opcode and bytes, even a text frame that is not UTF-8. */
  void sendFrame(int opcode, boolean fin, byte[] data) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (data.length < 126) {
      frame.write(0x80 | data.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(data.length >> 8);
      frame.write(data.length & 0xff);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < data.length; i++) {
      frame.write(data[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads frames until the server closes the TCP connection (at most {@code maxFrames}). */
  List<Frame> readUntilEnd(int maxFrames) throws IOException {
    return readFrames(maxFrames, false);
  }

  /** Reads frames up to and including the server's close frame (or the end of the connection). */
  List<Frame> readUntilClose(int maxFrames) throws IOException {
    return readFrames(maxFrames, true);
  }

  private List<Frame> readFrames(int maxFrames, boolean stopAtClose) throws IOException {
    List<Frame> frames = new ArrayList<>();
    try {
      while (frames.size() < maxFrames) {
        int b0 = in.read();
        if (b0 < 0) {
          break;
        }
        int b1 = in.read();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = (in.read() << 8) | in.read();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | in.read();
          }
        }
        byte[] payload = in.readNBytes((int) len);
        frames.add(new Frame(b0 & 0x0f, payload));
        if (stopAtClose && (b0 & 0x0f) == 0x8) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // the end, one way or another
    }
    return frames;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
