package dev.confday.checkin;

import io.vertx.core.json.JsonObject;

/** A check-in list: the venue entry of an event (no room) or the entry to one room. */
public record CheckinList(long id, long eventId, Long roomId, String name, boolean allowReentry, boolean admitRemote) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("roomId", roomId).put("name", name)
        .put("allowReentry", allowReentry).put("admitRemote", admitRemote);
  }
}
