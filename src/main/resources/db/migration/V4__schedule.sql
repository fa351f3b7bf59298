-- The live schedule: sessions in rooms, their speakers, a per-event version with a changelog,
-- and each person's starred sessions.

-- btree_gist lets one exclusion constraint combine "same room" (=) with "times overlap" (&&).
create extension if not exists btree_gist;

-- One row per event: the schedule version, bumped by every change. Updating this row first in
-- each change's transaction also serializes the changes of one event.
create table schedule_versions (
  event_id  bigint primary key references events (id) on delete cascade,
  version   bigint not null
);

create table sessions (
  id          bigserial primary key,
  event_id    bigint not null references events (id) on delete cascade,
  -- assigned once at creation and never changed: exports and calendar UIDs rely on it
  guid        uuid not null unique,
  -- an optional stable name for imports (the demo's session keys)
  key         text,
  title       text not null,
  type        text not null check (type in ('opening', 'invited-talk', 'contributed-talk', 'panel',
                                            'poster-session', 'break', 'social')),
  track       text,
  abstract    text,
  room_id     bigint not null references rooms (id),
  starts_at   timestamptz not null,
  ends_at     timestamptz not null,
  cancelled   boolean not null default false,
  -- the schedule version of the last change to this session, and how many changes it had
  version     bigint not null,
  sequence    integer not null default 0,
  updated_at  timestamptz not null default now(),
  check (ends_at > starts_at),
  unique (event_id, key),
  -- the final guard: two sessions of one room never overlap unless one is cancelled
  constraint sessions_no_overlap exclude using gist (room_id with =, tstzrange(starts_at, ends_at) with &&)
    where (not cancelled)
);
create index sessions_event_start on sessions (event_id, starts_at);

create table session_speakers (
  session_id  bigint not null references sessions (id) on delete cascade,
  person_id   bigint not null references people (id),
  -- the display name when the speaker was set, so exports need not look people up
  name        text not null,
  remote      boolean not null default false,
  position    integer not null,
  primary key (session_id, person_id)
);

-- Every change, one row per session it touched; a change touching several sessions (a delay)
-- has several rows with the same version.
create table schedule_changes (
  event_id    bigint not null references events (id) on delete cascade,
  version     bigint not null,
  session_id  bigint not null references sessions (id) on delete cascade,
  at          timestamptz not null default now(),
  actor_id    bigint references people (id) on delete set null,
  kind        text not null,
  -- the session moved (time or room) or was cancelled or restored: starred copies get flagged
  notable     boolean not null,
  old_value   jsonb,
  new_value   jsonb not null,
  primary key (event_id, version, session_id)
);
create index schedule_changes_session on schedule_changes (session_id, version);

create table agenda_stars (
  event_id      bigint not null references events (id) on delete cascade,
  person_id     bigint not null references people (id) on delete cascade,
  session_id    bigint not null references sessions (id) on delete cascade,
  starred_at    timestamptz not null default now(),
  -- the schedule version at which the person starred or last acknowledged the session
  seen_version  bigint not null,
  primary key (person_id, session_id)
);
create index agenda_stars_event on agenda_stars (event_id, person_id);
