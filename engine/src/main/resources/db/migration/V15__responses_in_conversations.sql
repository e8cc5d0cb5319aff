-- Responses API chains move into the conversation graph. A chain (a response and every response
-- that continued it by previous_response_id) is a conversation of origin 'responses': each
-- response is a user_input step holding the items it was sent (one message row per item) and an
-- llm step holding the items it answered, whose parent is the user_input step, whose parent is the
-- previous response's llm step. A continuation reads its context by walking up the steps, so a
-- chain stores each item once (the old table kept each response's whole context: quadratic).
-- The llm step's id is the response's id; its metadata keeps the response object without its
-- output (the output is its message rows). Each message row keeps its item in metadata.item and
-- its place among the step's items in metadata.seq.
alter table tasks add column origin text not null default 'chat'
    check (origin in ('chat', 'responses'));

-- Responses stored before this migration each become a chain of one response whose input is the
-- whole context it kept (its own and its predecessors' items): it answers, lists its input items
-- and is continued exactly as before.
insert into tasks (id, user_id, status, title, created_at, updated_at, origin)
select r.id, r.user_id, 'active', 'Responses API', r.created_at, r.created_at, 'responses'
from responses r;

insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at, metadata)
select md5(r.id::text || ':input')::uuid, r.id, null, 'user_input', 'completed', r.created_at,
       r.created_at, '{}'::jsonb
from responses r;

insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at, metadata)
select r.id, r.id, md5(r.id::text || ':input')::uuid, 'llm',
       case r.response ->> 'status' when 'failed' then 'failed' when 'cancelled' then 'cancelled'
            else 'completed' end,
       r.created_at, r.created_at,
       jsonb_build_object('model', r.model, 'response', r.response - 'output')
from responses r;

create function pg_temp.item_role(item jsonb) returns text language sql immutable as $$
  select case
    when coalesce(item ->> 'type', 'message') = 'message' then
      case item ->> 'role' when 'assistant' then 'assistant' when 'system' then 'system'
                           when 'developer' then 'system' else 'user' end
    when item ->> 'type' = 'function_call_output' then 'tool'
    else 'assistant' end
$$;

create function pg_temp.item_text(item jsonb) returns text language sql immutable as $$
  select coalesce(case
    when jsonb_typeof(item -> 'content') = 'string' then item ->> 'content'
    when jsonb_typeof(item -> 'content') = 'array' then
      (select string_agg(coalesce(p ->> 'text', p ->> 'refusal', ''), '')
       from jsonb_array_elements(item -> 'content') p)
    when item ->> 'type' = 'function_call' then item ->> 'arguments'
    when item ->> 'type' = 'function_call_output' then item ->> 'output'
    else '' end, '')
$$;

insert into messages (id, step_id, role, content, created_at, metadata)
select md5(r.id::text || ':in:' || e.seq)::uuid, md5(r.id::text || ':input')::uuid,
       pg_temp.item_role(e.item), pg_temp.item_text(e.item), r.created_at,
       jsonb_build_object('item', e.item, 'seq', e.seq)
from responses r, jsonb_array_elements(r.context) with ordinality e(item, seq);

insert into messages (id, step_id, role, content, created_at, metadata)
select md5(r.id::text || ':out:' || e.seq)::uuid, r.id,
       pg_temp.item_role(e.item), pg_temp.item_text(e.item), r.created_at,
       jsonb_build_object('item', e.item, 'seq', e.seq)
from responses r, jsonb_array_elements(r.response -> 'output') with ordinality e(item, seq);

drop table responses;
