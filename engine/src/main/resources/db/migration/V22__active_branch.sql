-- A conversation's step graph branches (issue 22): an answer can be regenerated as a new version
-- (another llm step under the same user_input step) and a message edited (another user_input step
-- under the same parent). The conversation remembers which branch the user looks at: the step it
-- last moved to (a new turn's answer, a new version, or the step a switch chose). New turns go
-- after the newest step under it that is
-- neither a tool call nor a summary. No foreign key: the task's steps are deleted
-- with it (a cycle of cascades buys nothing), and a step is never deleted on its own.
alter table tasks add column active_step_id uuid;

-- Conversations so far are linear: their active step is their newest step that is neither a tool
-- call nor a summary (V20).
update tasks t set active_step_id = (
    select s.id from steps s where s.task_id = t.id and s.type not in ('tool', 'summary')
    order by s.created_at desc, s.id desc limit 1);
