-- Long-term memory: facts a user keeps for later conversations. 'user' ones the user wrote (the
-- API, the UI); 'model' ones the model proposed with the remember tool. A proposal waits as
-- 'proposed' until its owner confirms it, when their mode says so. The words are searched with
-- PostgreSQL's full-text search ('simple': no language's stemming, so any language works) to
-- recall the ones a message is about.
create table memories (
    id              uuid primary key,
    user_id         uuid not null references users (id) on delete cascade,
    content         text not null check (length(content) between 1 and 10000),
    source          text not null check (source in ('user', 'model')),
    status          text not null check (status in ('active', 'proposed')),
    conversation_id uuid references tasks (id) on delete set null,
    step_id         uuid references steps (id) on delete set null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    words           tsvector generated always as (to_tsvector('simple', content)) stored
);
create index memories_user on memories (user_id, updated_at desc, id);
create index memories_words on memories using gin (words);
create index memories_updated on memories (updated_at);

-- A user's choice: auto (the model's proposals are kept), confirm (they wait), off (nothing is
-- proposed or recalled). No row: the operator's default.
create table memory_settings (
    user_id    uuid primary key references users (id) on delete cascade,
    mode       text not null check (mode in ('auto', 'confirm', 'off')),
    updated_at timestamptz not null
);
