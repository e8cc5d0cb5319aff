-- The blueprint's data model (tasks -> steps -> messages, policy_violations) plus the tables the
-- foundation needs. Ids are UUIDv7 made by the engine; times are timestamptz; money is NUMERIC.

create table users (
    id           uuid primary key,
    kind         text not null check (kind in ('anonymous', 'user', 'admin')),
    email        text unique,
    display_name text,
    created_at   timestamptz not null default now()
);

-- Until authentication lands every request acts as this user.
insert into users (id, kind, display_name)
values ('00000000-0000-7000-8000-000000000001', 'user', 'local');

create table tasks (
    id         uuid primary key,
    user_id    uuid not null references users (id) on delete cascade,
    status     text not null check (status in ('active', 'archived')),
    title      text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
-- The conversation list: a user's tasks, most recently active first (keyset pagination).
create index tasks_user_recent on tasks (user_id, updated_at desc, id desc);

create table prompts (
    hash       text primary key check (hash ~ '^[0-9a-f]{64}$'), -- SHA-256 of the template
    template   text not null,
    created_at timestamptz not null default now()
);

create table steps (
    id                uuid primary key,
    task_id           uuid not null references tasks (id) on delete cascade,
    parent_step_id    uuid references steps (id) on delete cascade,
    type              text not null check (type in ('user_input', 'llm')),
    status            text not null check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
    provider          text,
    prompt_tokens     integer check (prompt_tokens >= 0),
    completion_tokens integer check (completion_tokens >= 0),
    usage_cents       numeric check (usage_cents >= 0),
    prompt_hash       text references prompts (hash),
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    metadata          jsonb not null default '{}'::jsonb
);
create index steps_task on steps (task_id, created_at, id);
create index steps_parent on steps (parent_step_id);
create index steps_prompt on steps (prompt_hash);

create table messages (
    id          uuid primary key,
    step_id     uuid not null references steps (id) on delete cascade,
    role        text not null check (role in ('system', 'user', 'assistant', 'tool')),
    content     text not null,
    token_count integer check (token_count >= 0),
    created_at  timestamptz not null,
    metadata    jsonb not null default '{}'::jsonb
);
create index messages_step on messages (step_id, created_at, id);

create table policy_violations (
    id           uuid primary key,
    user_id      uuid references users (id) on delete set null,
    content      text,
    categories   jsonb not null,
    scores       jsonb not null,
    "timestamp"  timestamptz not null,
    reviewed     boolean not null default false,
    action_taken text
);
create index policy_violations_unreviewed on policy_violations ("timestamp" desc) where not reviewed;
create index policy_violations_user on policy_violations (user_id);

-- One row per completion attempt (fallbacks included). Rows outlive the conversation they billed:
-- deleting a step only clears step_id.
create table llm_usage (
    id                      uuid primary key,
    step_id                 uuid references steps (id) on delete set null,
    user_id                 uuid references users (id) on delete set null,
    provider                text not null,
    model                   text not null,
    prompt_tokens           integer check (prompt_tokens >= 0),
    completion_tokens       integer check (completion_tokens >= 0),
    usage_cents             numeric not null check (usage_cents >= 0),
    estimated               boolean not null,
    time_to_first_token_ms  integer,
    total_ms                integer not null,
    outcome                 text not null check (outcome in ('completed', 'failed', 'cancelled')),
    error_code              text,
    created_at              timestamptz not null
);
create index llm_usage_step on llm_usage (step_id);
create index llm_usage_user_time on llm_usage (user_id, created_at);

create table audit_log (
    id          uuid primary key,
    actor_id    uuid references users (id) on delete set null,
    action      text not null,
    target_type text,
    target_id   text,
    details     jsonb not null default '{}'::jsonb,
    created_at  timestamptz not null
);
create index audit_log_time on audit_log (created_at);
create index audit_log_actor on audit_log (actor_id);
