-- Hybrid streaming: each room's stream on an origin or CDN, who may watch per event, people
-- whose playback access an organizer revoked, remote attendance (stream joins per session),
-- and, for the realtime backbone, the distinct people subscribed per topic (presence counts
-- people, not sockets, for the families that ask for it).

create table stream_rooms (
  room_id       bigint primary key references rooms (id) on delete cascade,
  event_id      bigint not null references events (id) on delete cascade,
  -- the unsigned HLS playlist URL on the origin: <origin>/hls/<stream>/<playlist>.m3u8
  playback_url  text not null,
  meeting_url   text,
  public        boolean not null default false,
  -- the organizer's switch over what the schedule says
  mode          text not null default 'auto' check (mode in ('auto', 'on-air', 'off-air', 'technical-difficulty')),
  -- what was last published on event:<slug>:streams for this room: published again only when it changes
  last_status   jsonb,
  updated_at    timestamptz not null default now()
);
create index stream_rooms_event on stream_rooms (event_id);

create table stream_settings (
  event_id  bigint primary key references events (id) on delete cascade,
  audience  text not null default 'registered' check (audience in ('registered', 'remote'))
);

create table stream_revocations (
  event_id    bigint not null references events (id) on delete cascade,
  person_id   bigint not null references people (id) on delete cascade,
  revoked_at  timestamptz not null default now(),
  primary key (event_id, person_id)
);

-- a remote join is a virtual check-in of the session: kept after the session, once per person
create table stream_joins (
  session_id  bigint not null references sessions (id) on delete cascade,
  person_id   bigint not null references people (id) on delete cascade,
  room_id     bigint not null references rooms (id) on delete cascade,
  first_at    timestamptz not null default now(),
  last_at     timestamptz not null default now(),
  primary key (session_id, person_id)
);

create table live_presence_people (
  instance_id  text not null,
  topic        text not null,
  person_id    bigint not null,
  seen_at      timestamptz not null,
  primary key (instance_id, topic, person_id)
);
create index live_presence_people_topic on live_presence_people (topic, seen_at);
