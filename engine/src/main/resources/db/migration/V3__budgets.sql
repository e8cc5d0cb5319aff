-- Spend and token limits per user; a null column means "the configured default".
create table budgets (
    user_id           uuid primary key references users (id) on delete cascade,
    daily_cents       numeric check (daily_cents >= 0),
    monthly_cents     numeric check (monthly_cents >= 0),
    tokens_per_minute integer check (tokens_per_minute >= 0),
    updated_at        timestamptz not null
);
