-- A conversation's own settings (model, system prompt, temperature, output limit), stored with it
-- and applied to each answer; keys not set are absent (the engine's defaults apply), never 0.
alter table tasks add column settings jsonb not null default '{}'::jsonb;
-- A thinking model's reasoning, kept with the answer it led to.
alter table messages add column reasoning text;
