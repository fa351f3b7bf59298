package dev.confday.live;

import io.vertx.core.json.JsonObject;

/** One stored message of a topic, with its per-topic sequence number. */
public record LiveMessage(String topic, long seq, JsonObject payload) {
}
