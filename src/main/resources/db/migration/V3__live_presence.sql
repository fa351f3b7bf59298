-- The realtime backbone's shared state besides the message log: WebSocket tickets already
-- redeemed (single use across every instance) and each instance's subscriber counts per topic.

create table live_tickets_used (
  jti         text primary key,
  expires_at  timestamptz not null
);
create index live_tickets_used_expiry on live_tickets_used (expires_at);

-- One row per (instance, topic) refreshed every few seconds; readers sum rows with a fresh
-- heartbeat, so an instance that dies stops counting by itself.
create table live_presence (
  instance_id  text not null,
  topic        text not null,
  in_person    integer not null,
  remote       integer not null,
  anonymous    integer not null,
  other        integer not null,
  seen_at      timestamptz not null,
  primary key (instance_id, topic)
);
create index live_presence_topic on live_presence (topic, seen_at);
