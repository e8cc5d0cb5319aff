-- Erasure ends a user's sessions. The row stays (its id may still be named by audit entries and
-- by unlinked history), but a user with erased_at set is refused like one that does not exist:
-- access and refresh tokens, stream tickets and open sockets alike (security.Accounts).
alter table users add column erased_at timestamptz;

-- Signed requests' nonces are kept here whether Redis is up or not (security.Nonces); V4's
-- comment on the table no longer holds.
comment on table request_nonces is
    'Nonces of signed requests until they expire; the only store, so a replay is refused whatever Redis does.';
