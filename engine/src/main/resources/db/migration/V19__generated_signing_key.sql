-- The token signing key an engine makes for itself when none is configured (GRIZZ_SIGNING_KEYS and
-- GRIZZ_SIGNING_KEYS_FILE unset): kept here, so that a restart does not sign users out and every
-- pod on this database signs and verifies with the same key (the first pod makes it; the others
-- read it). One row. Whoever can read this table can sign tokens: production sets its own keys.
create table generated_signing_key (
    id         smallint primary key default 1 check (id = 1),
    kid        text not null,
    secret     bytea not null,
    created_at timestamptz not null default now()
);
