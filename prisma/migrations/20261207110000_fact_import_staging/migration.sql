-- An import in progress (korus facts import, the seed) is staged here and checked in short statements, then applied
-- in one short transaction (INSERT ... SELECT from fact_import_line), so that a big file never holds the database for
-- long: the embedded database runs on the bot's own thread, and one 50-second statement froze the bot. Rows are
-- deleted when their import ends; an import killed half-way leaves rows that the next import deletes.

-- CreateTable
CREATE TABLE "fact_import_line" (
    "import_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "fact_id" INTEGER NOT NULL,
    "change" TEXT NOT NULL,
    "updated_at_before" TIMESTAMPTZ(3),
    "kind" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "known" DATE,
    "visible_from" DATE NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "source_title" TEXT,
    "source_url" TEXT,
    "source_key" TEXT NOT NULL,
    "sources" JSONB NOT NULL,
    "disputed" JSONB NOT NULL,
    "event" TEXT,
    "confidence" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "figure_value" DOUBLE PRECISION,
    "figure_unit" TEXT,
    "figure_period" TEXT,
    "figure_series" TEXT,
    "after_days" INTEGER,
    "after_fact_id" INTEGER,
    "retracted_at" TIMESTAMPTZ(3),
    "retracted_by" TEXT,
    "retract_reason" TEXT,
    "words" TEXT[] NOT NULL,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "staged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fact_import_line_pkey" PRIMARY KEY ("import_id", "line")
);

-- CreateTable
CREATE TABLE "fact_import_word" (
    "import_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "fact_id" INTEGER NOT NULL,
    "line" INTEGER,
    "words" INTEGER NOT NULL,
    "event" TEXT,
    "live" BOOLEAN NOT NULL,

    CONSTRAINT "fact_import_word_pkey" PRIMARY KEY ("import_id", "kind", "topic", "word", "date", "fact_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "fact_import_line_import_id_fact_id_key" ON "fact_import_line"("import_id", "fact_id");

-- Deletes what an import staged. When no other import has rows staged, empties both tables outright instead: the
-- embedded database runs no VACUUM, and deleted rows (and their index entries) would otherwise grow the tables by each
-- import's size for good. NOWAIT: an import writing meanwhile (PostgreSQL) keeps its rows, and this one deletes its own.
CREATE FUNCTION "fact_import_clear"("p_import_id" TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    LOCK TABLE "fact_import_line", "fact_import_word" IN ACCESS EXCLUSIVE MODE NOWAIT;
    IF NOT EXISTS (SELECT 1 FROM "fact_import_line" WHERE "import_id" <> "p_import_id")
       AND NOT EXISTS (SELECT 1 FROM "fact_import_word" WHERE "import_id" <> "p_import_id") THEN
      TRUNCATE "fact_import_line", "fact_import_word";
      RETURN;
    END IF;
  EXCEPTION WHEN lock_not_available THEN
    NULL;
  END;
  DELETE FROM "fact_import_word" WHERE "import_id" = "p_import_id";
  DELETE FROM "fact_import_line" WHERE "import_id" = "p_import_id";
END;
$$;
