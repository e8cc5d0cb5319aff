-- A conversation shared by link (issue 22): a read-only snapshot of the branch it showed when it
-- was shared (title, and each message's role, text and images), served to anyone holding the
-- unguessable token. Only the snapshot is served, never the live conversation, so what the owner
-- does next (another branch, a new message) stays private. Gone with the conversation (deleted, or
-- erased with its user) or when the owner revokes it.
create table shares (
    id         uuid primary key,
    task_id    uuid not null references tasks (id) on delete cascade,
    user_id    uuid not null references users (id) on delete cascade,
    token      text not null unique,
    snapshot   jsonb not null,
    created_at timestamptz not null
);
create index shares_task on shares (task_id, created_at);
create index shares_user on shares (user_id);
