-- Who may act as whom (issue 9).

-- Sessions ended by a log-out, until they would have expired anyway. Every authenticated
-- request checks this table in the query that resolves the caller, so a log-out holds at
-- once on every instance.
create table ended_sessions (
  jti         text primary key,
  expires_at  timestamptz not null
);
create index ended_sessions_expires on ended_sessions (expires_at);

-- An event's own view of a registered person: the name and affiliation its import gave. An
-- import into one event never renames the person another event knows, nor shows it the name
-- that event knows them by.
alter table registrations add column name text;
alter table registrations add column affiliation text;
update registrations g set name = p.name, affiliation = p.affiliation from people p where p.id = g.person_id;
alter table registrations alter column name set not null;
