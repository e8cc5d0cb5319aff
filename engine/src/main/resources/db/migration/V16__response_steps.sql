-- A stored response's answer step has its own type, 'response': the worker hands it to the
-- Responses API's runner (a background response is queued and run like any step: claimed, leased,
-- taken over when its pod dies, cancelled on whichever pod runs it), and nothing that reads chat
-- answers (the latest answer of a conversation, the queue's depth) takes it for one.
alter table steps drop constraint steps_type_check;
alter table steps add constraint steps_type_check
    check (type in ('user_input', 'llm', 'tool', 'response'));

update steps s set type = 'response'
from tasks t
where t.id = s.task_id and t.origin = 'responses' and s.type = 'llm';
