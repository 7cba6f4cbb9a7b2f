-- The import's staging tables (fact_import_line, fact_import_word) hold rows only while an import runs: they are
-- written once, read by the check and the apply, and emptied when the import ends. Unlogged, they write no WAL (a third
-- of a big import's WAL was theirs). After a crash PostgreSQL empties them, which is what the next import would have
-- done with an abandoned import's rows anyway.
ALTER TABLE "fact_import_line" SET UNLOGGED;
ALTER TABLE "fact_import_word" SET UNLOGGED;
