-- Deadlines have outcomes, and an agreement's standing comes from dated facts (issue 21).
-- A deadline is an obligation (open until a later fact closes it) or an effective date (it happens by itself).
ALTER TABLE "fact" ADD COLUMN "due_kind" TEXT NOT NULL DEFAULT 'obligation';
-- A fact that closes a deadline names the deadline's event key and how it closed it: met, missed, extended (the
-- closing fact is then the new deadline) or withdrawn. The outcome counts from the closing fact's visible_from.
ALTER TABLE "fact" ADD COLUMN "closes" TEXT;
ALTER TABLE "fact" ADD COLUMN "outcome" TEXT;
-- An event that marks where the agreement stands: signed, approved, in-force, amended-in-force.
ALTER TABLE "fact" ADD COLUMN "milestone" TEXT;

-- Whether a deadline is open on a day is a lookup of its closers by event key: few facts close anything.
CREATE INDEX "fact_closes_idx" ON "fact"("closes") WHERE "closes" IS NOT NULL;
CREATE INDEX "fact_milestone_idx" ON "fact"("topic", "milestone") WHERE "milestone" IS NOT NULL;

-- An import stages its lines before applying them (migration 20261207110000): the same four columns there.
ALTER TABLE "fact_import_line" ADD COLUMN "due_kind" TEXT NOT NULL DEFAULT 'obligation';
ALTER TABLE "fact_import_line" ADD COLUMN "closes" TEXT;
ALTER TABLE "fact_import_line" ADD COLUMN "outcome" TEXT;
ALTER TABLE "fact_import_line" ADD COLUMN "milestone" TEXT;
