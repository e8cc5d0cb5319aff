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

-- What the user is billed and what the provider charged may now differ. The attempt of a restarted
-- step whose answer is not kept (its worker lost the lease) is recorded as an engine retry: the
-- user pays nothing for it (usage_cents 0, and it counts toward no budget or usage total), and
-- what it cost stays in provider_cents for operators.
alter table llm_usage add column provider_cents numeric check (provider_cents >= 0);
update llm_usage set provider_cents = usage_cents;
alter table llm_usage alter column provider_cents set not null;
alter table llm_usage drop constraint llm_usage_outcome_check;
alter table llm_usage add constraint llm_usage_outcome_check
    check (outcome in ('completed', 'failed', 'cancelled', 'engine_retry'));
alter table llm_usage add constraint llm_usage_engine_retry_unbilled
    check (outcome <> 'engine_retry' or usage_cents = 0);
