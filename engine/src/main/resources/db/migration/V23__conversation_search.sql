-- Full-text search over a user's conversations (issue 22): titles and message text, each with a
-- generated tsvector kept by PostgreSQL itself and a GIN index. The 'simple' configuration (no
-- stemming, no stop words) so that every language is found as it is written. A message's first
-- 100,000 characters are indexed (a tsvector has a size limit; a match is found in the first part).
alter table messages add column search tsvector
    generated always as (to_tsvector('simple', left(content, 100000))) stored;
create index messages_search on messages using gin (search);

alter table tasks add column search tsvector
    generated always as (to_tsvector('simple', title)) stored;
create index tasks_search on tasks using gin (search);
