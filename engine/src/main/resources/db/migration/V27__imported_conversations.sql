-- Conversations imported from another chat service (issue 22: a ChatGPT export's
-- conversations.json). They are chat conversations like any other: listed, searched, continued,
-- exported, erased and expired the same way. This column only says where one came from; its steps
-- name the node they were made from (metadata.imported_node). Null: written here.
alter table tasks add column imported_from text check (imported_from in ('chatgpt'));
