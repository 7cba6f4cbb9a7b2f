-- A counter that moves on every change to the fact table, from any instance: caches of derived answers (the status)
-- compare it with one cheap read instead of re-reading facts.
CREATE TABLE "fact_store_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "fact_store_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "fact_store_version_single_row" CHECK ("id" = 1)
);

INSERT INTO "fact_store_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_fact_store_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "fact_store_version" SET "version" = "version" + 1 WHERE "id" = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "fact_store_version_bump"
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "fact"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_fact_store_version"();
