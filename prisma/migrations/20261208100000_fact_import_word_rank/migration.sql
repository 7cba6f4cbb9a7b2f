-- The likely-duplicate check's index orders a day's rows stored facts first, then the file's added lines in line order
-- (rank: 0 for a stored fact or one the import updates, the line for an added line; lines count from 1), then by id.
-- A line may be compared only with stored facts and earlier lines: on its own day these are exactly the rows ranked
-- below it, so the nearest few on that day are the ones it may be compared with, whatever the ids (a deadline gets a
-- later id than the plain lines of its file, wherever it stands in the file). By (date, fact_id) a day of a thousand
-- alike lines scanned later lines that were then thrown away.
ALTER TABLE "fact_import_word" ADD COLUMN "rank" INTEGER;
UPDATE "fact_import_word" SET "rank" = COALESCE("line", 0);
ALTER TABLE "fact_import_word" ALTER COLUMN "rank" SET NOT NULL;

-- The primary key is the check's index: (date, rank, fact_id) in place of (date, fact_id). A fact has one rank in an
-- import, so the key is as unique as before.
ALTER TABLE "fact_import_word" DROP CONSTRAINT "fact_import_word_pkey";
ALTER TABLE "fact_import_word" ADD CONSTRAINT "fact_import_word_pkey" PRIMARY KEY ("import_id", "kind", "topic", "word", "date", "rank", "fact_id");
