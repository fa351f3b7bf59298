package dev.confday.live;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out on one event loop. For each topic its sockets subscribe to, a feed remembers the
 * last sequence number read; a wake-up reads what is newer once, as frames serialized once,
 * and writes the same buffer to every subscribed socket. A subscription that is behind the
 * feed (a resume, or a socket whose write queue was full) catches up from the database on its
 * own and rejoins the feed, so order holds and nothing is sent twice. Everything here runs on
 * the hub's event loop; other threads go through {@link #run}.
 */
final class LiveHub {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
  static final int BATCH = 500;

  private static final class Feed {
    final String topic;
    final Set<Subscription> subs = new LinkedHashSet<>();
    long lastSeq;
    boolean reading;
    boolean again;

    Feed(String topic, long lastSeq) {
      this.topic = topic;
      this.lastSeq = lastSeq;
    }
  }

  final Context context;
  private final LiveRepository repository;
  private final LiveService.Counters counters;
  // written on the hub's loop only; concurrent so the safety poll can read the topic names
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final Set<LiveSocket> sockets = new LinkedHashSet<>();

  LiveHub(Context context, LiveRepository repository, LiveService.Counters counters) {
    this.context = context;
    this.repository = repository;
    this.counters = counters;
  }

  void run(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  Set<String> topics() {
    return feeds.keySet();
  }

  void add(LiveSocket socket) {
    sockets.add(socket);
    counters.sockets.incrementAndGet();
  }

  void remove(LiveSocket socket) {
    if (sockets.remove(socket)) {
      counters.sockets.decrementAndGet();
    }
  }

  int socketCount() {
    return sockets.size();
  }

  /** Adds a subscription whose socket has just been told where it starts ({@code sub.delivered}). */
  void subscribe(Subscription sub, LiveRepository.TopicState state) {
    Feed feed = feeds.computeIfAbsent(sub.topic, t -> new Feed(t, state.lastSeq()));
    feed.subs.add(sub);
    if (state.lastSeq() > feed.lastSeq) {
      wake(sub.topic);
    }
    if (sub.delivered < Math.max(feed.lastSeq, state.lastSeq())) {
      catchUp(sub);
    }
  }

  void unsubscribe(Subscription sub) {
    sub.active = false;
    Feed feed = feeds.get(sub.topic);
    if (feed != null && feed.subs.remove(sub) && feed.subs.isEmpty()) {
      feeds.remove(sub.topic);
    }
  }

  void wakeAll() {
    List.copyOf(feeds.keySet()).forEach(this::wake);
  }

  /** Wakes the feeds that are behind the given newest sequence numbers (from the safety poll). */
  void wakeIfBehind(Map<String, Long> lastSeqs) {
    lastSeqs.forEach((topic, seq) -> {
      Feed feed = feeds.get(topic);
      if (feed != null && seq > feed.lastSeq) {
        wake(topic);
      }
    });
  }

  /** Reads what is new in a topic once and sends it to every subscription that is in step. */
  void wake(String topic) {
    Feed feed = feeds.get(topic);
    if (feed == null) {
      return;
    }
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    feed.again = false;
    repository.frames(topic, feed.lastSeq, BATCH).onComplete(ar -> {
      feed.reading = false;
      if (ar.failed()) {
        LOG.warn("Reading topic {} failed; the safety poll will retry", topic, ar.cause());
        return;
      }
      List<LiveRepository.Frame> frames = ar.result();
      for (LiveRepository.Frame frame : frames) {
        if (frame.seq() <= feed.lastSeq) {
          continue;
        }
        feed.lastSeq = frame.seq();
        counters.framesBuilt.incrementAndGet();
        for (Subscription sub : feed.subs) {
          deliver(sub, frame.seq(), frame.buffer());
        }
      }
      if ((feed.again || frames.size() == BATCH) && feeds.get(topic) == feed) {
        wake(topic);
      }
    });
  }

  private void deliver(Subscription sub, long seq, Buffer frame) {
    if (sub.catchingUp || seq <= sub.delivered) {
      return;
    }
    if (seq != sub.delivered + 1 || sub.socket.writeQueueFull()) {
      // behind (or its socket is full): it reads from the database at its own pace instead
      catchUp(sub);
      return;
    }
    sub.delivered = seq;
    sub.socket.sendFrame(frame);
  }

  /** Brings one subscription up to the feed from the database, batch by batch, waiting for drains. */
  private void catchUp(Subscription sub) {
    sub.catchingUp = true;
    if (!sub.active) {
      return;
    }
    if (sub.socket.writeQueueFull()) {
      sub.socket.whenDrained(() -> catchUp(sub));
      return;
    }
    repository.frames(sub.topic, sub.delivered, BATCH).onComplete(ar -> {
      if (!sub.active) {
        return;
      }
      if (ar.failed()) {
        LOG.warn("Catching up on {} failed", sub.topic, ar.cause());
        sub.socket.closeWith(LiveSocket.INTERNAL_ERROR, "server error");
        return;
      }
      List<LiveRepository.Frame> frames = ar.result();
      if (frames.isEmpty() && sub.delivered < lastSeq(sub.topic)) {
        // everything it missed was pruned while it waited
        sub.delivered = lastSeq(sub.topic);
        sub.socket.sendResync(sub.topic, sub.delivered);
      }
      for (LiveRepository.Frame frame : frames) {
        if (frame.seq() <= sub.delivered) {
          continue;
        }
        if (frame.seq() != sub.delivered + 1) {
          // pruned in the meantime: the socket cannot get a contiguous stream any more
          long current = Math.max(frames.get(frames.size() - 1).seq(), lastSeq(sub.topic));
          sub.delivered = current;
          sub.socket.sendResync(sub.topic, current);
          break;
        }
        sub.delivered = frame.seq();
        counters.catchUpFrames.incrementAndGet();
        sub.socket.sendFrame(frame.buffer());
      }
      if (frames.size() == BATCH || sub.delivered < lastSeq(sub.topic)) {
        catchUp(sub);
      } else {
        sub.catchingUp = false;
      }
    });
  }

  private long lastSeq(String topic) {
    Feed feed = feeds.get(topic);
    return feed == null ? 0 : feed.lastSeq;
  }

  /** Heartbeats, slow consumers: called a few times a second. */
  void tick(long now) {
    for (LiveSocket socket : List.copyOf(sockets)) {
      socket.tick(now);
    }
  }

  /** This hub's subscriber counts per topic, taken on its own loop. */
  Future<Map<String, int[]>> counts() {
    Promise<Map<String, int[]>> promise = Promise.promise();
    run(() -> {
      Map<String, int[]> counts = new HashMap<>();
      feeds.forEach((topic, feed) -> {
        int[] c = new int[Topics.PresenceKind.values().length];
        feed.subs.forEach(s -> c[s.kind.ordinal()]++);
        counts.put(topic, c);
      });
      promise.complete(counts);
    });
    return promise.future();
  }

  void closeAll(short code, String reason) {
    run(() -> new ArrayList<>(sockets).forEach(s -> s.closeWith(code, reason)));
  }
}
