-- Virtual Q&A per schedule session: its state, the questions and one vote per person.

-- open/closed override the session's times; auto is open while the session runs
create table qa_settings (
  session_id    bigint primary key references sessions (id) on delete cascade,
  state         text not null default 'auto' check (state in ('auto', 'open', 'closed')),
  -- new questions wait in a queue only moderators see
  premoderated  boolean not null default false
);

create table qa_questions (
  id          bigserial primary key,
  event_id    bigint not null references events (id) on delete cascade,
  session_id  bigint not null references sessions (id) on delete cascade,
  person_id   bigint not null references people (id) on delete cascade,
  text        text not null check (char_length(text) between 1 and 500),
  anonymous   boolean not null default false,
  -- from the asker's registration, never from the client
  origin      text not null check (origin in ('room', 'remote')),
  status      text not null check (status in ('pending', 'visible', 'dismissed')),
  pinned      boolean not null default false,
  answered    boolean not null default false,
  asked_at    timestamptz not null default now()
);
create index qa_questions_session on qa_questions (session_id, asked_at);
-- at most one pinned question per session
create unique index qa_questions_one_pinned on qa_questions (session_id) where pinned;

create table qa_votes (
  question_id  bigint not null references qa_questions (id) on delete cascade,
  person_id    bigint not null references people (id) on delete cascade,
  voted_at     timestamptz not null default now(),
  primary key (question_id, person_id)
);
