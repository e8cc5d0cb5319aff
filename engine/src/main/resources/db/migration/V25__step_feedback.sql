-- A user's rating of an answer (issue 22): {"rating": "up"|"down"|null, "comment"?, "updated_at"}
-- kept in the answer step's metadata under "feedback", so the conversation's detail view carries
-- it with the step and it goes wherever the step goes (deleted with its conversation, erased with
-- its user, in the data export). Admins list the newest first; this index keeps that listing off a
-- scan of every step.
create index steps_feedback on steps (((metadata -> 'feedback' ->> 'updated_at')) desc, id)
    where metadata -> 'feedback' is not null;
