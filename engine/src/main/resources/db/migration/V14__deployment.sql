-- This deployment's identity, made once. Engines that share a Redis but not this database (two
-- deployments, or tests side by side) must not take each other's jobs: the Redis job stream's key
-- carries this id (grizz:jobs:<id>).
create table deployment (
    id         uuid primary key,
    created_at timestamptz not null default now()
);
insert into deployment (id) values (gen_random_uuid());
