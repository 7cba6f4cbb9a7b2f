-- The outbox becomes generic over kinds of post (src/delivery/): a message names its kind ('brief', 'deadline_alert',
-- ...) and its subject (the id of the kind's row: a brief run, a deadline alert) instead of one nullable key per kind.
-- Existing rows are carried over; (kind, subject, seq) keeps each part of each post once, as (run_id, seq) and
-- (alert_id, seq) did. The kinds' own rows no longer cascade to the outbox: a message whose subject is gone is
-- cancelled by the sender when its turn comes, and deleting a schedule deletes its runs' messages (src/briefs/schedules.ts).
ALTER TABLE "outbox_message" ADD COLUMN "kind" TEXT;
ALTER TABLE "outbox_message" ADD COLUMN "subject" INTEGER;

UPDATE "outbox_message" SET "kind" = 'brief', "subject" = "run_id" WHERE "run_id" IS NOT NULL;
UPDATE "outbox_message" SET "kind" = 'deadline_alert', "subject" = "alert_id" WHERE "alert_id" IS NOT NULL AND "run_id" IS NULL;
-- A row with neither key belonged to nothing (it could not be sent: nobody to record it against).
DELETE FROM "outbox_message" WHERE "kind" IS NULL;

ALTER TABLE "outbox_message" ALTER COLUMN "kind" SET NOT NULL;
ALTER TABLE "outbox_message" ALTER COLUMN "subject" SET NOT NULL;

ALTER TABLE "outbox_message" DROP CONSTRAINT "outbox_message_run_id_fkey";
ALTER TABLE "outbox_message" DROP CONSTRAINT "outbox_message_alert_id_fkey";
DROP INDEX "outbox_message_run_id_seq_key";
DROP INDEX "outbox_message_alert_id_seq_key";
ALTER TABLE "outbox_message" DROP COLUMN "run_id";
ALTER TABLE "outbox_message" DROP COLUMN "alert_id";

CREATE UNIQUE INDEX "outbox_message_kind_subject_seq_key" ON "outbox_message"("kind", "subject", "seq");

-- The text of a post's own messages is now plain words, which the chat adapter escapes when it posts
-- (src/slack/post-transport.ts); it was stored escaped for Slack (&, < and > as entities). Messages still to go are
-- unescaped so that they are not escaped twice (&amp; last, so that an escaped "&lt;" typed by someone stays as typed).
UPDATE "outbox_message"
   SET "text" = replace(replace(replace("text", '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
 WHERE "state" IN ('waiting', 'pending', 'sending') AND "notice" IS NULL;
