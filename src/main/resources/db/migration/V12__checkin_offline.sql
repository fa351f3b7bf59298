-- Offline scanners: a change counter per registration and per check-in list, drawn from one
-- sequence. A registration takes a new value when it is created and whenever what a scanner
-- checks changes (badge version, attendance, name); GET .../checkin/offline-data?since=<n>
-- answers the rows whose value is above n, and the event's highest value as its version.
create sequence checkin_change_seq;

alter table registrations add column checkin_change bigint not null default nextval('checkin_change_seq');
alter table checkin_lists add column checkin_change bigint not null default nextval('checkin_change_seq');
create index registrations_checkin_change on registrations (event_id, checkin_change);

create function checkin_change_bump() returns trigger language plpgsql as $$
begin
  if new.badge_version is distinct from old.badge_version or new.attendance is distinct from old.attendance
     or new.name is distinct from old.name then
    new.checkin_change := nextval('checkin_change_seq');
  end if;
  return new;
end $$;
create trigger registrations_checkin_change before update on registrations
  for each row execute function checkin_change_bump();

create function checkin_list_change_bump() returns trigger language plpgsql as $$
begin
  new.checkin_change := nextval('checkin_change_seq');
  return new;
end $$;
create trigger checkin_lists_change before update on checkin_lists
  for each row execute function checkin_list_change_bump();
