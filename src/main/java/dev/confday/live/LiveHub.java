package dev.confday.live;

import dev.confday.auth.Access;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out on one event loop. For each topic its sockets subscribe to, a feed remembers the
 * last sequence number sent; a wake-up reads what is newer once, as frames serialized once
 * (a message committed on this instance comes with the flush and is not read back, when it is
 * the feed's next), and writes the same frame to every subscribed socket (encoded once: {@link SharedFrames}). A
 * subscription that is behind the feed (a resume, or a socket whose write queue was full) catches up from the database on its
 * own and rejoins the feed, so order holds and nothing is sent twice. Everything here runs on
 * the hub's event loop; other threads go through {@link #run}.
 *
 * <p>About 400 lines because feeds, catch-up and the per-socket write queue share the one
 * ordering invariant (read once, send once, in order) and are kept in one place to keep it visible.
 */
final class LiveHub {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
  static final int BATCH = 500;
  /** First delay before reading again after a failed read; doubles up to {@link #MAX_RETRY_MS}. */
  static final long RETRY_MS = 50;
  static final long MAX_RETRY_MS = 1000;
  /** Empty catch-up reads in a row, while the feed is ahead, before concluding the messages are gone. */
  static final int MAX_EMPTY_READS = 5;

  private static final class Feed {
    final String topic;
    /**
     * The subscriptions, in an array: every message walks all of them, and an array walk is the
     * cheapest there is (a hash set's entries are scattered on the heap); order does not matter.
     */
    Subscription[] subs = new Subscription[8];
    int size;
    long lastSeq;
    boolean reading;
    boolean again;
    int failures;
    boolean retryPending;

    Feed(String topic, long lastSeq) {
      this.topic = topic;
      this.lastSeq = lastSeq;
    }

    void add(Subscription sub) {
      if (sub.slot >= 0) {
        return;
      }
      if (size == subs.length) {
        subs = Arrays.copyOf(subs, size * 2);
      }
      sub.slot = size;
      subs[size++] = sub;
    }

    /** Removes in O(1): the last subscription takes the place of the removed one. */
    boolean remove(Subscription sub) {
      int i = sub.slot;
      if (i < 0 || i >= size || subs[i] != sub) {
        return false;
      }
      Subscription last = subs[--size];
      subs[i] = last;
      last.slot = i;
      subs[size] = null;
      sub.slot = -1;
      return true;
    }

    void forEach(java.util.function.Consumer<Subscription> action) {
      for (int i = 0; i < size; i++) {
        action.accept(subs[i]);
      }
    }
  }

  final Context context;
  private final LiveRepository repository;
  private final LiveService.Counters counters;
  // written on the hub's loop only; concurrent so the safety poll can read the topic names
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  private final Set<LiveSocket> sockets = new LinkedHashSet<>();
  private final SharedFrames shared = new SharedFrames();

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
    Feed feed = feeds.get(sub.topic);
    boolean created = feed == null;
    if (created) {
      feed = new Feed(sub.topic, state.lastSeq());
      feeds.put(sub.topic, feed);
    }
    feed.add(sub);
    // a new feed reads at once: a wake-up for its topic that came while it did not exist yet was
    // dropped, and the state it starts from may predate the commit that wake-up announced
    if (created || state.lastSeq() > feed.lastSeq) {
      wake(sub.topic);
    }
    if (sub.delivered < Math.max(feed.lastSeq, state.lastSeq())) {
      catchUp(sub);
    }
  }

  void unsubscribe(Subscription sub) {
    sub.active = false;
    Feed feed = feeds.get(sub.topic);
    if (feed != null && feed.remove(sub) && feed.size == 0) {
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
        retryRead(feed, ar.cause());
        return;
      }
      feed.failures = 0;
      List<LiveRepository.Frame> frames = ar.result();
      for (LiveRepository.Frame frame : frames) {
        if (frame.seq() > feed.lastSeq) {
          send(feed, frame.seq(), frame.text());
        }
      }
      if ((feed.again || frames.size() == BATCH) && feeds.get(topic) == feed) {
        wake(topic);
      }
    });
  }

  /** The feed's next message, to every subscription in step. */
  private void send(Feed feed, long seq, String text) {
    feed.lastSeq = seq;
    counters.framesBuilt.incrementAndGet();
    ByteBuf encoded = shared.encode(text); // null: each socket encodes it (public API)
    try {
      // from the end: should a write close a socket and so remove its subscription here, the
      // one moved into its place was already visited (a removal elsewhere moves a visited one
      // to a place visited again, and deliver skips what a subscription already has)
      for (int i = feed.size - 1; i >= 0; i--) {
        if (i < feed.size) {
          deliver(feed.subs[i], seq, text, encoded);
        }
      }
    } finally {
      if (encoded != null) {
        encoded.release();
      }
    }
  }

  /** A message committed on this instance, with the JSON it was stored from (see LiveService#committed). */
  record HandOff(String topic, long seq, String payload) {
  }

  /**
   * After a flush: sends the messages committed here to the feeds they are next for, without
   * reading them back (in order per topic: {@code handed} is sorted by topic, then sequence); a
   * feed that is behind one of them reads from the database, as do the feeds of {@code read}
   * (topics with a change that was not handed off).
   */
  void handOff(List<HandOff> handed, Set<String> read) {
    Set<String> behind = null;
    for (HandOff h : handed) {
      Feed feed = feeds.get(h.topic());
      if (feed == null || h.seq() <= feed.lastSeq) {
        continue; // no subscriber here, or read meanwhile
      }
      if (h.seq() == feed.lastSeq + 1 && (behind == null || !behind.contains(h.topic()))) {
        counters.framesHandedOff.incrementAndGet();
        send(feed, h.seq(), LiveRepository.frameText(h.topic(), h.seq(), h.payload()));
      } else {
        // a message committed elsewhere comes before it: read them in order
        if (behind == null) {
          behind = new HashSet<>();
        }
        behind.add(h.topic());
      }
    }
    read.forEach(this::wake);
    if (behind != null) {
      behind.forEach(this::wake);
    }
  }

  /** A failed read loses nothing (the feed's position did not move): read again after a short, growing delay. */
  private void retryRead(Feed feed, Throwable cause) {
    counters.readFailures.incrementAndGet();
    if (feed.retryPending) {
      return; // one retry chain per feed, however many wakes fail meanwhile
    }
    feed.retryPending = true;
    long delay = Math.min(MAX_RETRY_MS, RETRY_MS << Math.min(feed.failures, 10));
    feed.failures++;
    LOG.warn("Reading topic {} failed; reading again in {} ms", feed.topic, delay, cause);
    later(delay, () -> {
      feed.retryPending = false;
      if (feeds.get(feed.topic) == feed) {
        wake(feed.topic);
      }
    });
  }

  private void later(long delayMs, Runnable action) {
    context.owner().setTimer(delayMs, id -> run(action));
  }

  private void deliver(Subscription sub, long seq, String frame, ByteBuf encoded) {
    if (sub.catchingUp || seq <= sub.delivered) {
      return;
    }
    if (seq != sub.delivered + 1 || sub.socket.writeQueueFull()) {
      // behind (or its socket is full): it reads from the database at its own pace instead
      catchUp(sub);
      return;
    }
    sub.delivered = seq;
    sub.socket.sendFrame(frame, encoded);
  }

  /**
   * Brings one subscription up to the feed from the database, batch by batch. It writes only
   * while the socket's write queue has room and goes on when it drains, so a slow reader holds
   * back no one else and its queue stays full until it reads or is dropped as a slow consumer.
   */
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
        catchUpFailed(sub, ar.cause());
        return;
      }
      List<LiveRepository.Frame> frames = ar.result();
      if (frames.isEmpty()) {
        if (sub.delivered < lastSeq(sub.topic)) {
          resyncIfGone(sub);
        } else {
          sub.catchingUp = false;
          sub.emptyReads = 0;
        }
        return;
      }
      sub.emptyReads = 0;
      for (LiveRepository.Frame frame : frames) {
        if (frame.seq() <= sub.delivered) {
          continue;
        }
        if (frame.seq() != sub.delivered + 1) {
          // sequence numbers have no holes (a rolled-back publish gives its number back), so a
          // hole is what pruning took: the socket cannot get a contiguous stream any more
          resync(sub, Math.max(frames.get(frames.size() - 1).seq(), lastSeq(sub.topic)));
          break;
        }
        if (sub.socket.writeQueueFull()) {
          sub.socket.whenDrained(() -> catchUp(sub));
          return;
        }
        sub.delivered = frame.seq();
        counters.catchUpFrames.incrementAndGet();
        sub.socket.sendFrame(frame.text(), null);
      }
      continueOrRejoin(sub, frames.size() == BATCH);
    });
  }

  private void continueOrRejoin(Subscription sub, boolean fullBatch) {
    if (fullBatch || sub.delivered < lastSeq(sub.topic)) {
      catchUp(sub);
    } else {
      sub.catchingUp = false;
      sub.emptyReads = 0;
    }
  }

  /**
   * Nothing after {@code delivered} was found although the feed has read further. Either the
   * messages were pruned (resync), or this read, on another pool connection than the feed's,
   * did not see a commit the feed saw yet: then they are still kept, and it reads again.
   */
  private void resyncIfGone(Subscription sub) {
    repository.state(sub.topic).onComplete(ar -> {
      if (!sub.active) {
        return;
      }
      if (ar.failed()) {
        catchUpFailed(sub, ar.cause());
        return;
      }
      LiveRepository.TopicState state = ar.result();
      boolean gone = state.firstSeq() == 0 || state.firstSeq() > sub.delivered + 1;
      if (gone || ++sub.emptyReads > MAX_EMPTY_READS) {
        sub.emptyReads = 0;
        resync(sub, Math.max(state.lastSeq(), lastSeq(sub.topic)));
        continueOrRejoin(sub, false);
      } else {
        later(RETRY_MS * sub.emptyReads, () -> catchUp(sub));
      }
    });
  }

  private void resync(Subscription sub, long current) {
    sub.delivered = current;
    sub.socket.sendResync(sub.topic, current);
  }

  private void catchUpFailed(Subscription sub, Throwable cause) {
    LOG.warn("Catching up on {} failed", sub.topic, cause);
    sub.socket.closeWith(LiveSocket.INTERNAL_ERROR, "server error");
  }

  private long lastSeq(String topic) {
    Feed feed = feeds.get(topic);
    return feed == null ? 0 : feed.lastSeq;
  }

  /** Heartbeats, slow consumers: called a few times a second. */
  void tick(long now) {
    // the heartbeat's ping, framed once for the sockets whose ping is due (as message frames are)
    ByteBuf ping = sockets.isEmpty() ? null : shared.ping();
    try {
      for (LiveSocket socket : List.copyOf(sockets)) {
        socket.tick(now, ping);
      }
    } finally {
      if (ping != null) {
        ping.release();
      }
    }
  }

  /** The distinct signed-in people subscribed to each topic that {@code which} accepts, taken on this hub's loop. */
  Future<Map<String, Set<Long>>> people(java.util.function.Predicate<String> which) {
    Promise<Map<String, Set<Long>>> promise = Promise.promise();
    run(() -> {
      Map<String, Set<Long>> people = new HashMap<>();
      feeds.forEach((topic, feed) -> {
        if (which.test(topic)) {
          Set<Long> ids = new HashSet<>();
          feed.forEach(s -> {
            if (s.socket.personId() != 0) {
              ids.add(s.socket.personId());
            }
          });
          people.put(topic, ids);
        }
      });
      promise.complete(people);
    });
    return promise.future();
  }

  /** This hub's subscriber counts per topic, taken on its own loop. */
  Future<Map<String, int[]>> counts() {
    Promise<Map<String, int[]>> promise = Promise.promise();
    run(() -> {
      Map<String, int[]> counts = new HashMap<>();
      feeds.forEach((topic, feed) -> {
        int[] c = new int[Topics.PresenceKind.values().length];
        feed.forEach(s -> c[s.kind.ordinal()]++);
        counts.put(topic, c);
      });
      promise.complete(counts);
    });
    return promise.future();
  }

  /** The sessions of this hub's signed-in sockets, taken on its own loop. */
  Future<Set<Access.LiveSession>> sessions() {
    Promise<Set<Access.LiveSession>> promise = Promise.promise();
    run(() -> {
      Set<Access.LiveSession> all = new HashSet<>();
      sockets.forEach(s -> {
        if (s.session() != null) {
          all.add(s.session());
        }
      });
      promise.complete(all);
    });
    return promise.future();
  }

  /** Closes, on this hub's loop, the sockets opened from one of the {@code ended} sessions; completes when done. */
  Future<Void> closeEnded(Set<Access.LiveSession> ended) {
    Promise<Void> promise = Promise.promise();
    run(() -> {
      new ArrayList<>(sockets).forEach(s -> {
        if (s.session() != null && ended.contains(s.session())) {
          s.closeWith(LiveSocket.SESSION_ENDED, "session ended");
        }
      });
      promise.complete();
    });
    return promise.future();
  }

  /** The grants of this hub's topic-ticket sockets. */
  Future<Set<String>> grants() {
    Promise<Set<String>> promise = Promise.promise();
    run(() -> {
      Set<String> all = new HashSet<>();
      sockets.forEach(s -> {
        if (s.grant() != null) {
          all.add(s.grant());
        }
      });
      promise.complete(all);
    });
    return promise.future();
  }

  /** Closes, on this hub's loop, the topic-ticket sockets of a {@code revoked} grant; completes when done. */
  Future<Void> closeGrants(Set<String> revoked) {
    Promise<Void> promise = Promise.promise();
    run(() -> {
      new ArrayList<>(sockets).forEach(s -> {
        if (s.grant() != null && revoked.contains(s.grant())) {
          s.closeWith(LiveSocket.SESSION_ENDED, "access revoked");
        }
      });
      promise.complete();
    });
    return promise.future();
  }

  void closeAll(short code, String reason) {
    run(() -> new ArrayList<>(sockets).forEach(s -> s.closeWith(code, reason)));
  }
}
