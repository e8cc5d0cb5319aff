-- Deleting a conversation or a step sets the memories it proposed to no origin: an index on each
-- key, so that is not a scan of every memory.
create index memories_conversation on memories (conversation_id) where conversation_id is not null;
create index memories_step on memories (step_id) where step_id is not null;
