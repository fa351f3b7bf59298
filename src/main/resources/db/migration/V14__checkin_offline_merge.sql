-- Offline scans and their merge. A scan says whether it was decided on the device while offline
-- and who scanned (a scanner device or a door-staff session). On a list without re-entry, among
-- the admitted entry scans of one person exactly one is first (earliest scanned_at, ties by nonce
-- in byte order): a partial unique index holds it; every other admitted entry names the first in
-- duplicate_of (an offline duplicate, shown on the conflicts list until marked seen).
alter table checkin_scans add column offline boolean not null default false;
alter table checkin_scans add column scanner_id bigint references checkin_scanners (id) on delete set null;
alter table checkin_scans add column staff_id bigint references people (id) on delete set null;
alter table checkin_scans add column is_first boolean not null default false;
alter table checkin_scans add column duplicate_of bigint references checkin_scans (id) on delete set null;
alter table checkin_scans add column conflict_seen_at timestamptz;
create unique index checkin_scans_first on checkin_scans (list_id, person_id) where is_first;
create index checkin_scans_duplicates on checkin_scans (event_id, id desc) where duplicate_of is not null;
create index checkin_scans_duplicate_of on checkin_scans (duplicate_of) where duplicate_of is not null;

-- when each badge version stopped being valid, so an offline scan made before a reissue still counts
create table checkin_badge_revocations (
  event_id    bigint not null,
  person_id   bigint not null,
  version     integer not null,
  revoked_at  timestamptz not null default now(),
  primary key (event_id, person_id, version)
);
create function checkin_badge_revoked() returns trigger language plpgsql as $$
begin
  if new.badge_version > old.badge_version then
    insert into checkin_badge_revocations (event_id, person_id, version)
      select new.event_id, new.person_id, v from generate_series(old.badge_version, new.badge_version - 1) v
      on conflict do nothing;
  end if;
  return new;
end $$;
create trigger registrations_badge_revoked after update of badge_version on registrations
  for each row execute function checkin_badge_revoked();

-- offline-data deltas report deleted registrations: a tombstone with a change number
create table checkin_removed (
  -- no foreign key: deleting an event deletes its registrations (and fires this) in the same statement
  event_id        bigint not null,
  person_id       bigint not null,
  checkin_change  bigint not null default nextval('checkin_change_seq'),
  primary key (event_id, person_id)
);
create index checkin_removed_change on checkin_removed (event_id, checkin_change);
create function checkin_registration_removed() returns trigger language plpgsql as $$
begin
  if exists (select 1 from events where id = old.event_id) then
    insert into checkin_removed (event_id, person_id) values (old.event_id, old.person_id)
      on conflict (event_id, person_id) do update set checkin_change = nextval('checkin_change_seq');
  else
    delete from checkin_removed where event_id = old.event_id;
  end if;
  return old;
end $$;
create trigger registrations_checkin_removed after delete on registrations
  for each row execute function checkin_registration_removed();
