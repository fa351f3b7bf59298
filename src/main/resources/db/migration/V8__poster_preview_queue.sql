-- Poster previews are rendered after the upload is answered, on a bounded queue: a stored
-- file's preview is PENDING until a renderer finishes it. SERVER_ERROR is a failure of ours
-- (kept apart from FAILED, a fault of the file). A pending preview is claimed by the instance
-- rendering it (preview_claimed_at); a claim older than a render's time limit is taken over,
-- so previews pending at a crash or restart are rendered after start.
alter table poster_files drop constraint poster_files_preview_status_check;
alter table poster_files add constraint poster_files_preview_status_check
  check (preview_status in ('PENDING', 'OK', 'FAILED', 'TIMED_OUT', 'SERVER_ERROR'));
alter table poster_files add column preview_attempts integer not null default 0 check (preview_attempts >= 0);
alter table poster_files add column preview_claimed_at timestamptz;

-- Before this version every preview failed under the run command (a renderer class path
-- fault of ours, recorded as FAILED or TIMED_OUT): render those again.
update poster_files set preview_status = 'PENDING' where preview_status in ('FAILED', 'TIMED_OUT');

create index poster_files_preview_pending on poster_files (preview_claimed_at nulls first)
  where preview_status = 'PENDING';
