-- Posters, the venue areas they hang in (with a floor plan), the boards on each plan, and which
-- poster hangs on which board in each poster session. The accepted PDF of a poster is kept by
-- the upload work in its own table (poster_files), not here.

create table posters (
  id            bigserial primary key,
  event_id      bigint not null references events (id) on delete cascade,
  number        integer not null check (number > 0),
  title         text not null,
  abstract      text,
  track         text,
  authors       text[] not null default '{}',
  -- a person of the events feature; names are resolved through EventService
  presenter_id  bigint references people (id) on delete set null,
  remote        boolean not null default false,
  created_at    timestamptz not null default now(),
  unique (event_id, number),
  -- lets assignments check that poster and board belong to the same event
  unique (id, event_id)
);

create table venue_areas (
  id            bigserial primary key,
  event_id      bigint not null references events (id) on delete cascade,
  name          text not null,
  position      integer not null default 0,
  -- the floor plan's coordinate system (an SVG viewBox, or an image's pixels); boards use it
  view_x        double precision not null default 0,
  view_y        double precision not null default 0,
  width         double precision not null check (width > 0),
  height        double precision not null check (height > 0),
  -- the stored plan, relative to the upload directory; null until one is uploaded
  plan_path     text,
  plan_type     text check (plan_type in ('image/svg+xml', 'image/png', 'image/jpeg')),
  plan_bytes    bigint,
  updated_at    timestamptz not null default now(),
  unique (event_id, name),
  unique (id, event_id),
  check ((plan_path is null) = (plan_type is null))
);

create table boards (
  id          bigserial primary key,
  event_id    bigint not null,
  area_id     bigint not null,
  -- what is painted on the board, e.g. "A12"; attendees search by it, so unique per event
  label       text not null check (length(label) between 1 and 16),
  x           double precision not null,
  y           double precision not null,
  width       double precision not null check (width > 0),
  height      double precision not null check (height > 0),
  -- the order in which a visitor walks past the boards of the area
  walk_order  integer not null,
  foreign key (area_id, event_id) references venue_areas (id, event_id) on delete cascade,
  unique (event_id, label),
  unique (id, event_id),
  -- deferred so that a bulk update may renumber the walking order
  constraint boards_walk_order_key unique (area_id, walk_order) deferrable initially deferred
);

create table poster_assignments (
  event_id     bigint not null,
  -- the poster session: a schedule session key (e.g. "posters-1") or id; no foreign key until
  -- the schedule feature is merged (see PosterService)
  session_ref  text not null check (length(session_ref) between 1 and 64),
  poster_id    bigint not null,
  board_id     bigint not null,
  assigned_at  timestamptz not null default now(),
  primary key (event_id, session_ref, poster_id),
  -- checked at the end of each statement, so one UPDATE can swap two posters' boards
  constraint poster_assignments_board_key unique (event_id, session_ref, board_id) deferrable initially immediate,
  foreign key (poster_id, event_id) references posters (id, event_id) on delete cascade,
  foreign key (board_id, event_id) references boards (id, event_id) on delete cascade
);
create index poster_assignments_board on poster_assignments (board_id);
