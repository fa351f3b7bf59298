package dev.confday.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an HTTP/1.x connection must get right before a request reaches the router. Ambiguous
 * framing (RFC 9112 6.1 and 6.3: both Content-Length and Transfer-Encoding, a Transfer-Encoding
 * other than exactly {@code chunked}, a bad chunk size), obs-folded header lines and a missing or
 * doubled Host are answered 400 problem+json and the connection is closed, so nothing read after
 * them can be taken for another request. A request head must arrive within the request timeout
 * of its first byte, and a body must bring at least {@link #MIN_BODY_BYTES} per such period:
 * a slow client is answered 408 and cut. (Idle connections are cut by Vert.x's idle timeout.)
 *
 * <p>Works on the Netty pipeline Vert.x builds: Vert.x has no option for these checks, and its
 * decoder drops Content-Length when Transfer-Encoding is present, hiding the conflict.
 *
 * <p>Uses Vert.x internals on purpose: {@code io.vertx.core.net.impl.ConnectionBase} (the only way
 * to reach a connection's Netty channel) and {@code io.vertx.core.http.impl.VertxHttpRequestDecoder}
 * (to find where Vert.x put its decoder). Vert.x 5.0 has no public API for either: no connection
 * exposes its channel or pipeline, and HttpServerOptions has no framing checks. Recheck on upgrades.
 */
public final class ConnectionGuard {
  /** The least a request body must bring per request timeout period (a trickling upload is cut). */
  static final int MIN_BODY_BYTES = 1024;

  private final HttpServerOptions options;
  private final long timeoutMs;

  public ConnectionGuard(HttpServerOptions options, Duration requestTimeout) {
    this.options = options;
    this.timeoutMs = requestTimeout.toMillis();
  }

  /** A Vert.x connection handler: installs the checks on each new HTTP/1.x connection. */
  public void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get("httpDecoder") == null || pipeline.get("handler") == null || pipeline.get("confdayBytes") != null) {
      return; // HTTP/2, a pipeline this guard does not know, or installed already
    }
    Watch watch = new Watch();
    pipeline.replace("httpDecoder", "httpDecoder", new KeepingDecoder(options));
    pipeline.addBefore("httpDecoder", "confdayBytes", watch.bytes);
    pipeline.addBefore("handler", "confdayFraming", watch.messages);
  }

  /** Vert.x's decoder, except that it keeps Content-Length next to Transfer-Encoding so the conflict can be refused. */
  private static final class KeepingDecoder extends VertxHttpRequestDecoder {
    KeepingDecoder(HttpServerOptions options) {
      super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      // keep both headers: the guard answers 400 and closes
    }
  }

  /** Why a request head cannot be framed safely; null when it can. */
  static String framingProblem(HttpRequest request) {
    HttpHeaders headers = request.headers();
    List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!encodings.isEmpty()) {
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return "The request has both Content-Length and Transfer-Encoding.";
      }
      if (encodings.size() != 1 || !encodings.get(0).trim().equalsIgnoreCase("chunked")
          || request.protocolVersion() != HttpVersion.HTTP_1_1) {
        return "The only Transfer-Encoding accepted is a single 'chunked' (HTTP/1.1).";
      }
    }
    int hosts = headers.getAll(HttpHeaderNames.HOST).size();
    if (hosts > 1 || (hosts == 0 && request.protocolVersion() == HttpVersion.HTTP_1_1)) {
      return "An HTTP/1.1 request has exactly one Host header.";
    }
    return null;
  }

  private enum Phase { IDLE, HEAD, BODY, PROCESSING }

  /** The state of one connection, shared by its two handlers (both run on the connection's event loop). */
  private final class Watch {
    final Bytes bytes = new Bytes();
    final Messages messages = new Messages();
    Phase phase = Phase.IDLE;
    boolean closed;
    // head scanning: bytes on the current line, lines seen (the request line is line 0)
    int lineLength;
    int lines;
    long bodyBytes;
    long bodyBytesAtCheck;
    ScheduledFuture<?> timer;

    void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }

    void startHead(ChannelHandlerContext ctx) {
      phase = Phase.HEAD;
      lineLength = 0;
      lines = 0;
      cancel();
      timer = ctx.executor().schedule(() -> {
        if (phase == Phase.HEAD) {
          reject(ctx, 408, "request-timeout", "Request timeout",
              "The request head did not arrive within " + timeoutMs / 1000 + " s.");
        }
      }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    void startBody(ChannelHandlerContext ctx) {
      phase = Phase.BODY;
      bodyBytes = 0;
      bodyBytesAtCheck = 0;
      cancel();
      timer = ctx.executor().scheduleAtFixedRate(() -> {
        if (phase == Phase.BODY && bodyBytes - bodyBytesAtCheck < MIN_BODY_BYTES) {
          reject(ctx, 408, "request-timeout", "Request timeout",
              "The request body arrived slower than " + MIN_BODY_BYTES + " bytes per " + timeoutMs / 1000 + " s.");
        }
        bodyBytesAtCheck = bodyBytes;
      }, timeoutMs, timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Scans the bytes of a request head for obs-fold (a header line starting with space or tab). */
    boolean scanHead(ByteBuf buf) {
      for (int i = buf.readerIndex(); i < buf.writerIndex() && phase == Phase.HEAD; i++) {
        byte b = buf.getByte(i);
        if (b == '\n') {
          if (lineLength == 0 && lines > 0) {
            phase = Phase.BODY; // end of the head; the decoder confirms with the request
          } else if (lineLength > 0) {
            lines++;
          }
          lineLength = 0;
        } else if (b != '\r') {
          if (lineLength == 0 && lines > 0 && (b == ' ' || b == '\t')) {
            return false;
          }
          lineLength++;
        }
      }
      return true;
    }

    /** Answers a problem (written raw, ahead of the encoder) and closes; reads nothing more. */
    void reject(ChannelHandlerContext ctx, int status, String type, String title, String detail) {
      if (closed) {
        return;
      }
      closed = true;
      cancel();
      byte[] body = new JsonObject().put("type", Problems.TYPE_BASE + type).put("title", title).put("status", status)
          .put("detail", detail).encode().getBytes(StandardCharsets.UTF_8);
      String head = "HTTP/1.1 " + status + " " + title + "\r\nContent-Type: " + Problems.CONTENT_TYPE
          + "\r\nContent-Length: " + body.length + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
      ChannelHandlerContext out = ctx.pipeline().context(bytes);
      (out == null ? ctx : out).writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
          .addListener(ChannelFutureListener.CLOSE);
    }

    void remove(ChannelHandlerContext ctx) {
      cancel();
      ChannelPipeline p = ctx.pipeline();
      if (p.context(bytes) != null) {
        p.remove(bytes);
      }
      if (p.context(messages) != null) {
        p.remove(messages);
      }
    }

    /** Before the decoder: sees the bytes, starts the head deadline, finds obs-fold, counts body bytes. */
    final class Bytes extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
          if (phase == Phase.IDLE) {
            startHead(ctx);
          }
          if (phase == Phase.HEAD && !scanHead(buf)) {
            ReferenceCountUtil.release(msg);
            reject(ctx, 400, "bad-request", "Bad request",
                "A header line is folded (obs-fold, RFC 9112 5.2); send each field on one line.");
            return;
          }
          if (phase == Phase.BODY) {
            bodyBytes += buf.readableBytes();
          }
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
      }
    }

    /** Between the decoder and Vert.x: checks each request head and chunk, follows request and response ends. */
    final class Messages extends ChannelDuplexHandler {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
          String problem = framingProblem(request);
          if (problem != null) {
            ReferenceCountUtil.release(msg);
            reject(ctx, 400, "bad-request", "Bad request", problem);
            return;
          }
          if (phase == Phase.HEAD || phase == Phase.BODY) {
            startBody(ctx);
          }
        } else if (msg instanceof HttpContent content && !(msg instanceof HttpRequest)
            && content.decoderResult().isFailure()) {
          ReferenceCountUtil.release(msg);
          reject(ctx, 400, "bad-request", "Bad request", "The chunked body cannot be read (a bad chunk size or line).");
          return;
        }
        if (msg instanceof LastHttpContent) {
          cancel();
          phase = Phase.PROCESSING;
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean upgrade = msg instanceof HttpResponse response && response.status().code() == 101;
        if (msg instanceof LastHttpContent && phase == Phase.PROCESSING) {
          phase = Phase.IDLE;
        }
        ctx.write(msg, promise);
        if (upgrade) {
          remove(ctx); // a WebSocket now: its own ping and idle rules apply
        }
      }
    }
  }
}
