-- Scanner devices: a SCANNER token names its device (sub); revoking the device ends the token.
create table checkin_scanners (
  id          bigserial primary key,
  event_id    bigint not null references events (id) on delete cascade,
  name        text not null,
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);
