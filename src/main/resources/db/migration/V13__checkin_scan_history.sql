-- Scan history survives deleting a room (and so its check-in list): the scan keeps its row with
-- the list's name copied in; only the reference to the list becomes null.
alter table checkin_scans add column list_name text;
update checkin_scans s set list_name = l.name from checkin_lists l where l.id = s.list_id;
alter table checkin_scans drop constraint checkin_scans_list_id_fkey;
alter table checkin_scans add constraint checkin_scans_list_id_fkey
  foreign key (list_id) references checkin_lists (id) on delete set null;
-- history, newest first, per event and per list
create index checkin_scans_history on checkin_scans (event_id, id desc);
