-- Accounts, API keys and the nonces of signed requests.

alter table users add column password_hash text;
alter table users add column suspended_at timestamptz;
-- Emails compare case-insensitively: one account per address however it is typed.
alter table users drop constraint users_email_key;
create unique index users_email_lower on users (lower(email));

-- Server-to-server keys. Only the SHA-256 of the secret is kept (see security.ApiKeys).
create table api_keys (
    id                  uuid primary key,
    user_id             uuid not null references users (id) on delete cascade,
    name                text not null,
    secret_hash         text not null check (secret_hash ~ '^[0-9a-f]{64}$'),
    messages_per_minute integer check (messages_per_minute > 0),
    created_at          timestamptz not null,
    last_used_at        timestamptz,
    revoked_at          timestamptz
);
create index api_keys_user on api_keys (user_id);

-- Nonces of signed requests while Redis is down (Redis keeps them otherwise).
create table request_nonces (
    key_id     uuid not null,
    nonce      text not null,
    expires_at timestamptz not null,
    primary key (key_id, nonce)
);
create index request_nonces_expiry on request_nonces (expires_at);
