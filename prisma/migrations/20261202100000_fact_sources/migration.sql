-- Several sources per fact, other readings ("sources differ"), an event key shared by facts reporting one event, and
-- the first day a fact is visible in an as-of view, stored so that every as-of query is one indexed comparison.

-- AlterTable
ALTER TABLE "fact" ADD COLUMN "sources" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "fact" ADD COLUMN "disputed" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "fact" ADD COLUMN "event" TEXT;
ALTER TABLE "fact" ADD COLUMN "visible_from" DATE;

-- The one source a fact had so far becomes the first of its list.
UPDATE "fact" SET "sources" = jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('title', "source_title", 'url', "source_url")))
 WHERE "source_title" IS NOT NULL OR "source_url" IS NOT NULL;

-- Known from `known`; else a fact from its date; a deadline from the fact it counts from, else from the day it was
-- stored (no longer "from the start": a historical view must not show what nobody knew then).
UPDATE "fact" SET "visible_from" = COALESCE("known", CASE WHEN "kind" = 'deadline' THEN NULL ELSE "date" END);
UPDATE "fact" d SET "visible_from" = b."visible_from"
  FROM "fact" b WHERE d."visible_from" IS NULL AND d."after_fact_id" = b."id" AND b."visible_from" IS NOT NULL;
UPDATE "fact" SET "visible_from" = ("created_at" AT TIME ZONE 'UTC')::date WHERE "visible_from" IS NULL;
ALTER TABLE "fact" ALTER COLUMN "visible_from" SET NOT NULL;

-- CreateIndex
CREATE INDEX "fact_visible_from_idx" ON "fact"("visible_from");
CREATE INDEX "fact_event_idx" ON "fact"("event");

-- The brief reads the latest changes of its window newest first: (at, id) lets it stop after the few it lists.
DROP INDEX IF EXISTS "fact_audit_at_idx";
CREATE INDEX "fact_audit_at_id_idx" ON "fact_audit"("at", "id");
