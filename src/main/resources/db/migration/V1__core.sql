-- Core schema: signing keys, people, events, rooms, registrations and roles.

create table signing_keys (
  kid          text primary key,
  private_key  bytea not null,
  public_key   bytea not null,
  created_at   timestamptz not null default now()
);

create table people (
  id            bigserial primary key,
  email         text not null,
  name          text not null,
  affiliation   text,
  is_admin      boolean not null default false,
  -- bumped to revoke every login link issued so far
  token_version integer not null default 1,
  created_at    timestamptz not null default now()
);
create unique index people_email_key on people (lower(email));

create table events (
  id           bigserial primary key,
  slug         text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name         text not null,
  time_zone    text not null,
  starts_on    date not null,
  ends_on      date not null,
  venue        text,
  description  text,
  created_at   timestamptz not null default now(),
  check (ends_on >= starts_on)
);

create table rooms (
  id          bigserial primary key,
  event_id    bigint not null references events (id) on delete cascade,
  name        text not null,
  capacity    integer check (capacity is null or capacity > 0),
  stream_url  text,
  position    integer not null default 0,
  unique (event_id, name)
);

create table registrations (
  event_id     bigint not null references events (id) on delete cascade,
  person_id    bigint not null references people (id) on delete cascade,
  attendance   text not null check (attendance in ('in-person', 'remote')),
  ticket_type  text,
  order_code   text,
  created_at   timestamptz not null default now(),
  primary key (event_id, person_id)
);
create unique index registrations_order_code_key on registrations (event_id, order_code) where order_code is not null;

create table event_roles (
  event_id   bigint not null references events (id) on delete cascade,
  person_id  bigint not null references people (id) on delete cascade,
  role       text not null check (role in ('organizer', 'moderator', 'presenter', 'attendee', 'door-staff')),
  primary key (event_id, person_id, role)
);
create index event_roles_person on event_roles (person_id);
