-- The demo event is marked so that only it is ever moved in time (its day is placed at the
-- server's start so that it is under way); real events are never moved.
alter table events add column demo boolean not null default false;
