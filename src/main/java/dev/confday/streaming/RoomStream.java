package dev.confday.streaming;

import io.vertx.core.json.JsonObject;

/** A room's stream as stored: the unsigned playlist URL on the origin, an optional meeting link, public or not, the switch. */
record RoomStream(long roomId, long eventId, String roomName, String playbackUrl, String meetingUrl, boolean isPublic,
    String mode) {

  /** What everyone sees; organizers also the playback URL, and speakers' staff the meeting link. */
  JsonObject toJson(boolean organizer, boolean staff) {
    JsonObject o = new JsonObject().put("roomId", roomId).put("room", roomName).put("public", isPublic).put("mode", mode)
        .put("hasMeeting", meetingUrl != null);
    if (organizer) {
      o.put("playbackUrl", playbackUrl);
    }
    if (staff) {
      o.put("meetingUrl", meetingUrl);
    }
    return o;
  }
}
