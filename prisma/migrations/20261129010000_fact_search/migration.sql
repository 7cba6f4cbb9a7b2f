-- Full-text search over facts: title weighs more than summary. Generated, so every write keeps it current.
ALTER TABLE "fact" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "summary"), 'B')
) STORED;

-- CreateIndex
CREATE INDEX "fact_search_idx" ON "fact" USING GIN ("search");

-- CreateIndex
CREATE INDEX "fact_date_idx" ON "fact"("date");

-- CreateIndex
CREATE INDEX "fact_after_fact_id_idx" ON "fact"("after_fact_id");
