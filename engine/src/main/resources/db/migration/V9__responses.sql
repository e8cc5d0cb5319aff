-- Responses stored by the OpenAI-compatible /v1/responses API (store, the default there), so that a
-- later request naming one in previous_response_id continues it, and GET /v1/responses/{id} reads
-- it back. context holds every input item the response answered, earlier responses' included (an
-- item_reference resolved to the item it named), so a continuation reads one row however long the
-- chain; response is the response object as it was returned, its output items with it.
-- user_id cascades: a user deleted outright (an idle anonymous user) takes their responses along;
-- an erasure, which keeps the users row, deletes them itself (compliance.ComplianceService).
create table responses (
    id         uuid primary key,
    user_id    uuid not null references users (id) on delete cascade,
    model      text not null,
    created_at timestamptz not null,
    context    jsonb not null,
    response   jsonb not null
);

-- A user's responses, newest first (export, erasure); retention by age uses the same order.
create index responses_user_created on responses (user_id, created_at desc);
create index responses_created on responses (created_at);
