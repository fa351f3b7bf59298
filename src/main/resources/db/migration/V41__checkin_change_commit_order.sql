-- Offline-data deltas (V12) answer the rows whose change number is above the client's version,
-- and the event's highest number as the next version. Two transactions of one event could commit
-- their numbers out of order (6 before 5): a scanner that synced in between saw 6 and was never
-- told about 5 (a badge reissued, i.e. revoked, missed offline). Every change number of an event
-- is now drawn under a transaction-level advisory lock of that event, held until the transaction
-- ends, so an event's numbers commit in the order they were drawn and whatever a reader sees is
-- a prefix of them. Such changes are rare (reissue, attendance or name changes, imports, lists);
-- serializing them per event costs nothing that matters.
create function checkin_change_next(event bigint) returns bigint language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('confday.checkin_change', event));
  return nextval('checkin_change_seq');
end $$;

create or replace function checkin_change_bump() returns trigger language plpgsql as $$
begin
  if new.badge_version is distinct from old.badge_version or new.attendance is distinct from old.attendance
     or new.name is distinct from old.name then
    new.checkin_change := checkin_change_next(new.event_id);
  end if;
  return new;
end $$;

create or replace function checkin_list_change_bump() returns trigger language plpgsql as $$
begin
  new.checkin_change := checkin_change_next(new.event_id);
  return new;
end $$;

-- inserts: the column default (drawn before any trigger, without the lock) is replaced
create function checkin_change_on_insert() returns trigger language plpgsql as $$
begin
  new.checkin_change := checkin_change_next(new.event_id);
  return new;
end $$;
create trigger registrations_checkin_change_insert before insert on registrations
  for each row execute function checkin_change_on_insert();
create trigger checkin_lists_change_insert before insert on checkin_lists
  for each row execute function checkin_change_on_insert();
create trigger checkin_removed_change_insert before insert on checkin_removed
  for each row execute function checkin_change_on_insert();

create or replace function checkin_registration_removed() returns trigger language plpgsql as $$
begin
  if exists (select 1 from events where id = old.event_id) then
    insert into checkin_removed (event_id, person_id) values (old.event_id, old.person_id)
      on conflict (event_id, person_id) do update set checkin_change = checkin_change_next(old.event_id);
  else
    delete from checkin_removed where event_id = old.event_id;
  end if;
  return old;
end $$;
