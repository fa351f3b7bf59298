package dev.confday.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.MessageWrite;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message frame put on the wire once for all the sockets of a hub that follow its topic: the
 * text is encoded to UTF-8 and framed (RFC 6455 5.2, a final unmasked text frame) once, by
 * Netty's own frame encoder, into one direct buffer, and every socket is handed a duplicate
 * of it (no copy; the kernel reads the same memory for each). Through Vert.x's public API each
 * socket encodes and frames the text again and allocates a promise for it.
 *
 * <p>A duplicate goes through the connection's own write queue ({@code VertxConnection
 * .writeToChannel(MessageWrite)}), so it is ordered with everything Vert.x writes on that socket
 * (replies, pings, a close), from any thread, exactly as a frame written through the public API;
 * a write the queue drops (the socket closed meanwhile) releases its duplicate.
 *
 * <p>Uses Vert.x internals on purpose, as {@code http/ConnectionGuard} does:
 * {@code io.vertx.core.net.impl.ConnectionBase} (the only way to reach a connection's Netty
 * channel; Vert.x 5.0 exposes none), {@code VertxHandler} (after the upgrade the handler named
 * {@code "handler"}, holding the WebSocket's connection), {@code VertxConnection} and
 * {@code MessageWrite} (its write queue). A buffer written from that handler's context passes
 * every outbound handler before it (the frame encoder lets a buffer through as it is; TLS
 * encrypts it). When a connection is not the pipeline expected (e.g. an old Hixie-76 client,
 * whose encoder is not RFC 6455's), {@link #writer} answers null and that socket takes the public
 * API. With permessage-deflate negotiated, such a frame goes out uncompressed (RSV1 clear),
 * which RFC 7692 6 allows for any message. Recheck on Vert.x upgrades.
 */
final class SharedFrames {
  private static final Logger LOG = LoggerFactory.getLogger(SharedFrames.class);
  private static final byte[] PING = "hb".getBytes(StandardCharsets.US_ASCII);
  /** Netty's encoder of server frames (unmasked) on a channel of its own; used on one hub's thread only. */
  private final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));

  /**
   * The whole frame for {@code text} in one direct buffer, which the caller releases once every
   * socket has its duplicate; null when it cannot be encoded (the sockets then take the public API).
   */
  ByteBuf encode(String text) {
    return encode(new TextWebSocketFrame(text));
  }

  /** A ping frame ("hb") for every socket of a hub's heartbeat round, as {@link #encode(String)}. */
  ByteBuf ping() {
    return encode(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING)));
  }

  private ByteBuf encode(WebSocketFrame webSocketFrame) {
    List<ByteBuf> parts = new ArrayList<>(2);
    try {
      encoder.writeOutbound(webSocketFrame);
      int size = 0;
      for (Object part; (part = encoder.readOutbound()) != null;) {
        ByteBuf b = (ByteBuf) part;
        parts.add(b);
        size += b.readableBytes();
      }
      ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(size);
      for (ByteBuf b : parts) {
        frame.writeBytes(b);
      }
      return frame;
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.warn("Encoding a shared frame failed; sending it socket by socket", e);
      return null;
    } finally {
      parts.forEach(ByteBuf::release);
    }
  }

  /** A socket's way to its channel: its Vert.x connection (for the queue) and the context to write from. */
  record Writer(VertxConnection connection, ChannelHandlerContext context, VoidChannelPromise voidPromise) {
  }

  /**
   * How a WebSocket's shared frames are written, looked up after the upgrade; null when the
   * connection is not a Vert.x RFC 6455 WebSocket pipeline this class knows.
   */
  static Writer writer(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return null;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    ChannelHandlerContext context = pipeline.context("handler");
    if (pipeline.get(WebSocket08FrameEncoder.class) == null || context == null
        || !(context.handler() instanceof VertxHandler<?> handler)) {
      return null;
    }
    VertxConnection ws = handler.getConnection();
    if (ws == null) {
      return null;
    }
    // no exceptionCaught for a failed write (as Vert.x's own void promise): a reset peer is seen by its close
    return new Writer(ws, context, new VoidChannelPromise(context.channel(), false));
  }

  /**
   * Queues a duplicate of {@code frame} on the socket's connection, behind whatever Vert.x
   * queued before. Answers false when it did not (no writer or no frame): use the public API.
   */
  static boolean write(Writer writer, ByteBuf frame) {
    if (writer == null || frame == null) {
      return false;
    }
    ByteBuf duplicate = frame.retainedDuplicate();
    writer.connection().writeToChannel(new MessageWrite() {
      @Override
      public void write() {
        writer.context().writeAndFlush(duplicate, writer.voidPromise());
      }

      @Override
      public void cancel(Throwable cause) {
        duplicate.release();
      }
    });
    return true;
  }
}
