-- An ask may carry the client's own key for it (REST: the Idempotency-Key header; the live
-- socket: "key"), so that an ask sent again (a reply lost with a dropped connection, a page that
-- retried over HTTP after its socket went quiet) answers the question already stored instead of
-- storing it twice. Keys are the asker's own: one per person and session.
alter table qa_questions add column client_key text check (char_length(client_key) between 1 and 64);
create unique index qa_questions_client_key on qa_questions (session_id, person_id, client_key)
  where client_key is not null;
