-- Images a user sent with a message, in order: a JSON array of URLs (https: links, or data: URLs
-- holding the image itself). Null for a message without images.
alter table messages add column images jsonb;
