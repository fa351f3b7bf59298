-- Q&A moderation: edits keep the original text, duplicates merge into another question,
-- people can be muted per session, a fair ordering option, and coalesced vote-count updates.

alter table qa_questions
  -- the text as asked, kept on the first edit (null: never edited)
  add column original_text  text,
  add column edited_at      timestamptz,
  add column edited_by      bigint references people (id) on delete set null,
  -- a merged duplicate: hidden, its votes counted for the question it was merged into
  add column merged_into    bigint references qa_questions (id) on delete set null,
  -- its status before the merge, restored by unmerge
  add column merged_status  text check (merged_status in ('pending', 'visible', 'dismissed'));

alter table qa_questions drop constraint qa_questions_status_check;
alter table qa_questions add constraint qa_questions_status_check
  check (status in ('pending', 'visible', 'dismissed', 'merged'));
alter table qa_questions add constraint qa_questions_merge_consistent
  check ((status = 'merged') = (merged_into is not null and merged_status is not null));
create index qa_questions_merged_into on qa_questions (merged_into) where merged_into is not null;

-- room and remote questions interleaved in every order
alter table qa_settings add column fair_order boolean not null default false;

-- muted people cannot ask in that session
create table qa_mutes (
  session_id  bigint not null references sessions (id) on delete cascade,
  person_id   bigint not null references people (id) on delete cascade,
  muted_by    bigint references people (id) on delete set null,
  muted_at    timestamptz not null default now(),
  primary key (session_id, person_id)
);

-- questions whose vote count changed since the last coalesced live update; plain inserts (no key)
-- so concurrent votes never wait for each other; any instance's flush deletes what it publishes
create table qa_vote_changes (
  session_id   bigint not null references sessions (id) on delete cascade,
  question_id  bigint not null references qa_questions (id) on delete cascade,
  changed_at   timestamptz not null default now()
);
create index qa_vote_changes_session on qa_vote_changes (session_id);
