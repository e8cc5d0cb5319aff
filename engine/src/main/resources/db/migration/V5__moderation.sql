-- Content moderation: which way a checked text went, the admin review of a violation, and user
-- suspension. step_id has no foreign key on purpose: a violation outlives the conversation it came
-- from (retention deletes steps; the log keeps its own retention), and a check must never fail
-- because a step was deleted a moment earlier.

-- users.suspended_at came with V4 (authentication refuses suspended users).

alter table policy_violations
    add column direction     text check (direction in ('input', 'output')),
    add column step_id       uuid,
    add column review_action text check (review_action in ('dismiss', 'warn', 'suspend')),
    add column reviewed_by   uuid references users (id) on delete set null,
    add column reviewed_at   timestamptz,
    add column review_note   text,
    add constraint policy_violations_action_taken check (action_taken in ('log', 'flag', 'block'));

-- The admin list: newest first over everything (reviewed or not), keyset on ("timestamp", id);
-- the unreviewed queue keeps its partial index from V1. Category filters use containment.
create index policy_violations_recent on policy_violations ("timestamp" desc, id desc);
create index policy_violations_user_recent on policy_violations (user_id, "timestamp" desc, id desc);
drop index policy_violations_user;
create index policy_violations_categories on policy_violations using gin (categories jsonb_path_ops);
create index policy_violations_reviewer on policy_violations (reviewed_by);
create index policy_violations_step on policy_violations (step_id);
