-- The realtime backbone's log: every published message, numbered per topic, written in the
-- same transaction as the change it describes.

create table live_topics (
  topic     text primary key,
  last_seq  bigint not null
);

create table live_messages (
  topic       text not null,
  seq         bigint not null,
  payload     jsonb not null,
  created_at  timestamptz not null default now(),
  primary key (topic, seq)
);
create index live_messages_created on live_messages (created_at);
