-- A rolling summary of a conversation's older turns is a step of its own type, 'summary': a child
-- of the last step it covers, so it belongs to that branch (a message edited before it starts a
-- branch that does not contain that step, and so does not use the summary). It is queued and run as
-- a job like an answer (claimed, leased, taken over when its pod dies) and billed on its own usage
-- row. Nothing that reads chat answers or the next turn's place takes it for one.
alter table steps drop constraint steps_type_check;
alter table steps add constraint steps_type_check
    check (type in ('user_input', 'llm', 'tool', 'response', 'summary'));
