-- Secret, revocable links that open a session's projector view (current question large, the
-- next few below) without a login. Only a SHA-256 of the secret is kept; the secret itself is
-- shown once, when the link is made.
create table qa_projector_links (
  id           bigserial primary key,
  event_id     bigint not null references events (id) on delete cascade,
  session_id   bigint not null references sessions (id) on delete cascade,
  secret_hash  bytea not null unique,
  created_by   bigint references people (id) on delete set null,
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz
);
create index qa_projector_links_session on qa_projector_links (session_id);
