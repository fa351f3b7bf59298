-- Offline-data deltas (V12) answer the rows whose change number is above the client's version,
-- and the event's highest number as the next version. Two transactions could commit their
-- numbers out of order (6 before 5): a scanner that synced in between saw 6 and was never told
-- about 5 (a badge reissued, i.e. revoked, missed offline). Every change number is now drawn
-- under one transaction-level advisory lock, held until the transaction ends, so numbers commit
-- in the order they were drawn and whatever a reader sees is a prefix of them.
--
-- The lock is taken by statement-level BEFORE triggers, before the statement locks any row: a
-- row trigger alone would run after an UPDATE had locked its row, and an import (holding the
-- lock) reaching a row that a reissue had locked (waiting for the lock) would deadlock. Such
-- changes are rare (badge reissues, attendance or name changes, imports, lists); they now
-- take turns, which costs nothing that matters. Scans and redeems never take the lock.
create function checkin_change_lock() returns trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('confday.checkin_change', 0));
  return null;
end $$;
create trigger registrations_checkin_change_lock before insert or update or delete on registrations
  for each statement execute function checkin_change_lock();
create trigger checkin_lists_change_lock before insert or update on checkin_lists
  for each statement execute function checkin_change_lock();
create trigger checkin_removed_change_lock before insert or update on checkin_removed
  for each statement execute function checkin_change_lock();

-- the number itself, drawn under the lock (taken again: a no-op when the statement took it)
create function checkin_change_next() returns bigint language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('confday.checkin_change', 0));
  return nextval('checkin_change_seq');
end $$;

create or replace function checkin_change_bump() returns trigger language plpgsql as $$
begin
  if new.badge_version is distinct from old.badge_version or new.attendance is distinct from old.attendance
     or new.name is distinct from old.name then
    new.checkin_change := checkin_change_next();
  end if;
  return new;
end $$;

create or replace function checkin_list_change_bump() returns trigger language plpgsql as $$
begin
  new.checkin_change := checkin_change_next();
  return new;
end $$;

-- inserts: the column default (drawn before any row trigger) is replaced by a number drawn under the lock
create function checkin_change_on_insert() returns trigger language plpgsql as $$
begin
  new.checkin_change := checkin_change_next();
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
      on conflict (event_id, person_id) do update set checkin_change = checkin_change_next();
  else
    delete from checkin_removed where event_id = old.event_id;
  end if;
  return old;
end $$;
