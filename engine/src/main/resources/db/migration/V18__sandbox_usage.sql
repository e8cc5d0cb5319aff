-- Sandbox seconds each user used per day (UTC), for grizz.sandbox.daily-seconds-per-user.
create table sandbox_usage (
    user_id uuid not null references users (id) on delete cascade,
    day     date not null,
    seconds double precision not null check (seconds >= 0),
    primary key (user_id, day)
);
