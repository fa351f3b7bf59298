package dev.confday.live;

/**
 * One socket's subscription to one topic: the last sequence number it was sent, and whether it
 * is catching up from the database (after a resume, or while its socket was full) instead of
 * taking messages from the shared feed. Lives on its hub's event loop only.
 */
final class Subscription {
  final LiveSocket socket;
  final String topic;
  final Topics.PresenceKind kind;
  long delivered;
  boolean catchingUp;
  /** Catch-up reads in a row that found nothing while the feed was ahead (see LiveHub#resyncIfGone). */
  int emptyReads;
  boolean active = true;
  /** Its place in its feed's array of subscriptions (LiveHub), -1 when in none. */
  int slot = -1;

  Subscription(LiveSocket socket, String topic, Topics.PresenceKind kind, long delivered) {
    this.socket = socket;
    this.topic = topic;
    this.kind = kind;
    this.delivered = delivered;
  }
}
