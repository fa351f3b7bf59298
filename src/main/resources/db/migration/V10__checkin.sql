-- QR check-in: badge versions, check-in lists, scans (history and nonce store) and who is inside.

-- bumped to reissue one badge: revokes that badge only, not the person's login links or sessions
alter table registrations add column badge_version integer not null default 1;

create table checkin_lists (
  id             bigserial primary key,
  event_id       bigint not null references events (id) on delete cascade,
  -- null: the venue entry of the event; otherwise the room this list admits to
  room_id        bigint references rooms (id) on delete cascade,
  name           text not null,
  allow_reentry  boolean not null default true,
  admit_remote   boolean not null default false,
  created_at     timestamptz not null default now(),
  unique (event_id, name)
);
create unique index checkin_lists_venue on checkin_lists (event_id) where room_id is null;
create index checkin_lists_room on checkin_lists (room_id);

-- every event has its venue entry, every room its list
create function checkin_venue_list() returns trigger language plpgsql as $$
begin
  insert into checkin_lists (event_id, name) values (new.id, 'Venue entry') on conflict do nothing;
  return new;
end $$;
create trigger events_checkin_venue after insert on events for each row execute function checkin_venue_list();

create function checkin_room_list() returns trigger language plpgsql as $$
begin
  insert into checkin_lists (event_id, room_id, name) values (new.event_id, new.id, 'Room: ' || new.name)
    on conflict do nothing;
  return new;
end $$;
create trigger rooms_checkin_list after insert on rooms for each row execute function checkin_room_list();

insert into checkin_lists (event_id, name) select id, 'Venue entry' from events on conflict do nothing;
insert into checkin_lists (event_id, room_id, name) select event_id, id, 'Room: ' || name from rooms on conflict do nothing;

-- every scan, refused ones too; the nonce makes a retried scan answer what it answered first.
-- The raw badge is never stored.
create table checkin_scans (
  id           bigserial primary key,
  event_id     bigint not null references events (id) on delete cascade,
  nonce        text not null,
  list_id      bigint references checkin_lists (id) on delete cascade,
  person_id    bigint references people (id) on delete set null,
  direction    text not null check (direction in ('entry', 'exit')),
  scanned_at   timestamptz not null,
  received_at  timestamptz not null default now(),
  status       text not null check (status in ('pending', 'ok', 'error')),
  reason       text,
  answer       text,
  unique (event_id, nonce)
);
create index checkin_scans_ok on checkin_scans (list_id, person_id) where status = 'ok' and direction = 'entry';

-- who is inside: at most once in the venue and in at most one room of an event
create table checkin_inside (
  event_id   bigint not null references events (id) on delete cascade,
  person_id  bigint not null references people (id) on delete cascade,
  zone       text not null check (zone in ('venue', 'room')),
  list_id    bigint not null references checkin_lists (id) on delete cascade,
  since      timestamptz not null default now(),
  primary key (event_id, person_id, zone)
);
create index checkin_inside_list on checkin_inside (list_id);
