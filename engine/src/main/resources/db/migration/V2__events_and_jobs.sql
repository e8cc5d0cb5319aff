-- The PostgreSQL event log (embedded default, and the fallback while Redis is down) and job queue.

-- One row per event; (ms, seq) is the event's cursor "ms-seq", ordered within a conversation like
-- a Redis stream id so a cursor stays valid when the log moves between Redis and PostgreSQL.
create table events (
    conversation_id uuid   not null,
    ms              bigint not null,
    seq             bigint not null,
    payload         text   not null,
    expires_at      timestamptz,
    primary key (conversation_id, ms, seq)
);
create index events_expiry on events (expires_at) where expires_at is not null;

create table jobs (
    id              uuid primary key,
    step_id         uuid not null,
    conversation_id uuid not null,
    payload         text not null,
    owner           text,
    lease_until     timestamptz,
    attempts        integer not null default 0,
    created_at      timestamptz not null
);
-- Claiming takes the oldest job that is unowned or whose lease ran out.
create index jobs_claim on jobs (lease_until nulls first, created_at);
create index jobs_step on jobs (step_id);

-- A client's retry of the same message (same client_msg_id) finds the turn it already made.
create unique index steps_client_msg on steps (task_id, (metadata ->> 'client_msg_id'))
    where metadata ? 'client_msg_id';
-- Finding steps whose worker went silent.
create index steps_unfinished on steps (updated_at) where status in ('queued', 'running');
