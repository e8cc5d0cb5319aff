-- Budgets per API key, and which key each usage row was spent through.
create table key_budgets (
    api_key_id        uuid primary key references api_keys (id) on delete cascade,
    daily_cents       numeric check (daily_cents >= 0),
    monthly_cents     numeric check (monthly_cents >= 0),
    tokens_per_minute integer check (tokens_per_minute >= 0),
    updated_at        timestamptz not null
);

-- No foreign key: a usage row outlives the key it was billed through, as it outlives its step.
alter table llm_usage add column api_key_id uuid;
create index llm_usage_key_time on llm_usage (api_key_id, created_at) where api_key_id is not null;
