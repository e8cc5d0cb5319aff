-- Attempt fencing (issue 17). A step's attempts are numbered by their claims; a restarted step's
-- new attempt raises the step's fence before it writes, and from then on an event of an earlier
-- attempt is refused (see event.EventLog#fence). Redis holds the same fence for its appends; this
-- row is the one that survives Redis. Only restarted steps have a row; it goes with the events'
-- retention.
create table step_fences (
    step_id    uuid primary key,
    attempt    integer not null check (attempt > 0),
    expires_at timestamptz not null
);
create index step_fences_expiry on step_fences (expires_at);
