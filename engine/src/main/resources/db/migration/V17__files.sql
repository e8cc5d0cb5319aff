-- Files of a conversation: the user's uploads (read by the code sandbox under /mnt/data) and the
-- files code in the sandbox wrote there (a chart, a CSV), kept in PostgreSQL so any pod serves them
-- and a reload shows them. They go with their conversation, and with their user.
create table files (
    id              uuid primary key,
    user_id         uuid not null references users (id) on delete cascade,
    conversation_id uuid not null references tasks (id) on delete cascade,
    name            text not null check (length(name) between 1 and 255),
    media_type      text not null,
    size_bytes      bigint not null check (size_bytes >= 0),
    origin          text not null check (origin in ('upload', 'sandbox')),
    content         bytea not null,
    created_at      timestamptz not null
);

create index files_conversation on files (conversation_id, created_at, id);
create index files_user on files (user_id);
