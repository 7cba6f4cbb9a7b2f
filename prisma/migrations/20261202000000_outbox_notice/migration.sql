-- A message to a schedule's owner is stored as a domain notice (what happened, to which brief); the chat adapter
-- writes it in its own markup when it posts. `text` keeps the plain-words fallback.
ALTER TABLE "outbox_message" ADD COLUMN "notice" JSONB;
