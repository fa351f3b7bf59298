package dev.confday.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.List;

/**
 * A message frame put on the wire once for all the sockets of a hub that follow its topic: the
 * text is encoded to UTF-8 and framed (RFC 6455 5.2, a final unmasked text frame) once, by
 * Netty's own frame encoder, into one direct buffer, and every socket is handed a duplicate
 * of it (no copy; the kernel reads the same memory for each). Through Vert.x's public API each
 * socket encodes and frames the text again, with a write queue entry and a promise per socket.
 *
 * <p>Uses a Vert.x internal on purpose, as {@code http/ConnectionGuard} does:
 * {@code io.vertx.core.net.impl.ConnectionBase}, the only way to reach a connection's Netty
 * channel (Vert.x 5.0 exposes none). After the upgrade the channel's handler named
 * {@code "handler"} is Vert.x's WebSocket handler; a buffer written from its context passes
 * every outbound handler Vert.x put before it (the frame encoder lets a buffer through as it
 * is; TLS, when there is TLS, encrypts it). When a connection's pipeline is not the one
 * expected, {@link #writer} answers null and that socket takes the public API. With
 * permessage-deflate negotiated, such a frame goes out uncompressed (RSV1 clear), which RFC
 * 7692 6 allows for any message. Recheck on Vert.x upgrades.
 */
final class SharedFrames {
  /** Netty's encoder of server frames (unmasked) on a channel of its own; used on one hub's thread only. */
  private final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));

  /** The whole frame for {@code text} in one direct buffer; the caller releases it once every socket has its duplicate. */
  ByteBuf encode(String text) {
    encoder.writeOutbound(new TextWebSocketFrame(text));
    List<ByteBuf> parts = new ArrayList<>(2);
    int size = 0;
    for (Object part; (part = encoder.readOutbound()) != null;) {
      ByteBuf b = (ByteBuf) part;
      size += b.readableBytes();
      parts.add(b);
    }
    ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(size);
    for (ByteBuf b : parts) {
      frame.writeBytes(b);
      b.release();
    }
    return frame;
  }

  /**
   * The context that a WebSocket's shared frames are written from, looked up after the
   * upgrade; null when the connection is not a Vert.x WebSocket pipeline this class knows.
   */
  static ChannelHandlerContext writer(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return null;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get(WebSocketFrameEncoder.class) == null) {
      return null;
    }
    return pipeline.context("handler");
  }

  /**
   * Writes a duplicate of {@code frame} to the socket, when it can go straight to the channel:
   * from the channel's own thread, with room in its buffer (otherwise Vert.x's write queue may
   * hold frames written before, which must go first). Answers false when it did not write.
   */
  static boolean write(ChannelHandlerContext writer, ByteBuf frame) {
    if (writer == null || frame == null || !writer.executor().inEventLoop() || !writer.channel().isWritable()) {
      return false;
    }
    writer.writeAndFlush(frame.retainedDuplicate(), writer.voidPromise());
    return true;
  }
}
