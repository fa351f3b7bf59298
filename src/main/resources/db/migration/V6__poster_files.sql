-- Poster PDF uploads: per-event poster limits, the accepted versions of each poster's PDF,
-- which version is current, and every upload attempt (accepted or refused).

create table poster_limits (
  event_id               bigint primary key references events (id) on delete cascade,
  recommended_width_mm   double precision not null check (recommended_width_mm > 0),
  recommended_height_mm  double precision not null check (recommended_height_mm > 0),
  max_width_mm           double precision not null check (max_width_mm > 0),
  max_height_mm          double precision not null check (max_height_mm > 0),
  tolerance_mm           double precision not null check (tolerance_mm >= 0),
  recommended_label      text not null,
  max_label              text not null,
  max_upload_bytes       bigint not null check (max_upload_bytes >= 1024),
  updated_at             timestamptz not null default now(),
  check (recommended_width_mm <= max_width_mm and recommended_height_mm <= max_height_mm)
);

-- One row per poster that ever had an accepted upload: hands out version numbers (so two
-- uploads at once never share a file name) and says which version is current. A version is
-- reserved before its file is moved into place; a gap in the numbers is a failed store.
create table poster_file_heads (
  poster_id        bigint primary key,
  event_id         bigint not null,
  last_version     integer not null check (last_version >= 1),
  current_version  integer,
  foreign key (poster_id, event_id) references posters (id, event_id) on delete cascade
);

-- Accepted files only, written after the file (and its preview) are durable on disk.
create table poster_files (
  poster_id       bigint not null references poster_file_heads (poster_id) on delete cascade,
  version         integer not null check (version >= 1),
  event_id        bigint not null references events (id) on delete cascade,
  sha256          text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes      bigint not null check (size_bytes > 0),
  verdict         text not null check (verdict in ('RECOMMENDED_SIZE', 'FITS')),
  message         text not null,
  check_result    jsonb not null,
  preview_status  text not null check (preview_status in ('OK', 'TIMED_OUT', 'FAILED')),
  uploaded_by     bigint references people (id) on delete set null,
  uploaded_at     timestamptz not null default now(),
  primary key (poster_id, version)
);

alter table poster_file_heads add foreign key (poster_id, current_version)
  references poster_files (poster_id, version) deferrable initially deferred;

-- Every checked upload, so a presenter sees why their last try was refused.
create table poster_upload_attempts (
  id            bigserial primary key,
  event_id      bigint not null references events (id) on delete cascade,
  poster_id     bigint not null,
  person_id     bigint references people (id) on delete set null,
  verdict       text not null,
  reason_code   text,
  message       text not null,
  check_result  jsonb not null,
  size_bytes    bigint not null,
  version       integer,
  attempted_at  timestamptz not null default now(),
  foreign key (poster_id, event_id) references posters (id, event_id) on delete cascade
);
create index poster_upload_attempts_poster on poster_upload_attempts (poster_id, id desc);
