-- The agent loop as steps of the conversation's graph (no new tables): an llm step's tool calls
-- become child steps of type 'tool', and a tool call that needs the user's approval waits in the
-- new 'waiting' status until it is approved, denied or expires. An assistant message's tool calls
-- and a tool message's call id live in messages.metadata.
alter table steps drop constraint steps_type_check;
alter table steps add constraint steps_type_check
    check (type in ('user_input', 'llm', 'tool'));
alter table steps drop constraint steps_status_check;
alter table steps add constraint steps_status_check
    check (status in ('queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'));
-- Waiting steps are few; the sweeper reads them all to expire the overdue ones.
create index steps_waiting on steps (updated_at) where status = 'waiting';
