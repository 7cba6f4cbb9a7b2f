-- Each audit row carries its fact's topic, kept equal to fact.topic by two triggers, so that a brief counts and pages
-- one topic's changes in fact_audit alone: with 100,000 changes in a week, the join to fact for the topic was most of
-- the brief's time (bench `brief-window`).
ALTER TABLE "fact_audit" ADD COLUMN "topic" TEXT NOT NULL DEFAULT 'korus';
UPDATE "fact_audit" a SET "topic" = f."topic" FROM "fact" f WHERE f."id" = a."fact_id" AND a."topic" <> f."topic";
CREATE INDEX "fact_audit_topic_at_id_idx" ON "fact_audit"("topic", "at", "id");

-- A new audit row takes its fact's topic, whatever the insert said.
CREATE FUNCTION "fact_audit_take_topic"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT f."topic" INTO NEW."topic" FROM "fact" f WHERE f."id" = NEW."fact_id";
  RETURN NEW;
END;
$$;
CREATE TRIGGER "fact_audit_take_topic" BEFORE INSERT ON "fact_audit" FOR EACH ROW EXECUTE FUNCTION "fact_audit_take_topic"();

-- A fact moved to another topic takes its audit rows along (a brief of a topic lists the facts it has now).
CREATE FUNCTION "fact_topic_to_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "fact_audit" SET "topic" = NEW."topic" WHERE "fact_id" = NEW."id";
  RETURN NULL;
END;
$$;
CREATE TRIGGER "fact_topic_to_audit" AFTER UPDATE OF "topic" ON "fact"
    FOR EACH ROW WHEN (OLD."topic" IS DISTINCT FROM NEW."topic") EXECUTE FUNCTION "fact_topic_to_audit"();
