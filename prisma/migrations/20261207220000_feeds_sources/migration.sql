-- Watched feeds (RSS, Atom, JSON Feed, the Federal Register search), the candidates their items become, the pages
-- facts cite kept as readable text, and the per-host pacing every fetch shares.

-- CreateTable
CREATE TABLE "feed" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "topic" TEXT NOT NULL DEFAULT 'korus',
    "keywords" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "channels" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "actor" TEXT,
    "kind" TEXT,
    "title" TEXT,
    "host" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL DEFAULT 1800,
    "etag" TEXT,
    "last_modified" TEXT,
    "last_polled_at" TIMESTAMPTZ(3),
    "last_status" TEXT,
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "next_poll_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),
    "removed_by" TEXT,

    CONSTRAINT "feed_pkey" PRIMARY KEY ("id")
);

-- One live feed per URL and topic; a removed one may be added again.
CREATE UNIQUE INDEX "feed_url_topic_live_key" ON "feed"("url", "topic") WHERE "removed_at" IS NULL;
CREATE INDEX "feed_next_poll_at_idx" ON "feed"("next_poll_at") WHERE "removed_at" IS NULL;

-- CreateTable
CREATE TABLE "feed_candidate" (
    "id" SERIAL NOT NULL,
    "feed_id" INTEGER NOT NULL,
    "item_key" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "published_on" DATE,
    "published_at" TIMESTAMPTZ(3),
    "source_title" TEXT NOT NULL,
    "matched" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "state" TEXT NOT NULL DEFAULT 'pending',
    "fact_id" INTEGER,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feed_candidate_pkey" PRIMARY KEY ("id")
);

-- Each item becomes one candidate per feed, however many instances poll it (insert ... ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX "feed_candidate_feed_id_item_key_key" ON "feed_candidate"("feed_id", "item_key");
CREATE INDEX "feed_candidate_state_idx" ON "feed_candidate"("state");
CREATE INDEX "feed_candidate_url_idx" ON "feed_candidate"("url");

ALTER TABLE "feed_candidate" ADD CONSTRAINT "feed_candidate_feed_id_fkey" FOREIGN KEY ("feed_id") REFERENCES "feed"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "feed_candidate" ADD CONSTRAINT "feed_candidate_fact_id_fkey" FOREIGN KEY ("fact_id") REFERENCES "fact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "fetch_host" (
    "host" TEXT NOT NULL,
    "next_allowed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fetch_host_pkey" PRIMARY KEY ("host")
);

-- CreateTable
CREATE TABLE "source_page" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "fetched_at" TIMESTAMPTZ(3),
    "http_status" INTEGER,
    "final_url" TEXT,
    "content_type" TEXT,
    "title" TEXT,
    "byline" TEXT,
    "site_name" TEXT,
    "text" TEXT,
    "content_hash" TEXT,
    "bytes" INTEGER,
    "last_error" TEXT,
    "checked_at" TIMESTAMPTZ(3),
    "dead_since" TIMESTAMPTZ(3),
    "dead_reason" TEXT,
    "check_detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_page_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "source_page_url_key" ON "source_page"("url");
CREATE INDEX "source_page_state_next_attempt_at_idx" ON "source_page"("state", "next_attempt_at");
CREATE INDEX "source_page_dead_since_idx" ON "source_page"("dead_since") WHERE "dead_since" IS NOT NULL;

-- Every http(s) URL a live fact cites (its sources, its other readings' sources) is queued to be archived once, by
-- whichever path stored the fact: the Slack form, the shortcut, a candidate, an import, an edit.
CREATE FUNCTION "queue_source_pages"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "source_page" ("url")
    SELECT DISTINCT u FROM (
        SELECT s ->> 'url' AS u
          FROM "new_facts" n
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(n."sources") = 'array' THEN n."sources" ELSE '[]'::jsonb END) s
         WHERE n."retracted_at" IS NULL
        UNION
        SELECT d -> 'source' ->> 'url'
          FROM "new_facts" n
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(n."disputed") = 'array' THEN n."disputed" ELSE '[]'::jsonb END) d
         WHERE n."retracted_at" IS NULL
        UNION
        SELECT n."source_url" FROM "new_facts" n WHERE n."retracted_at" IS NULL
    ) cited
    WHERE u ~* '^https?://' AND length(u) <= 2000
    ON CONFLICT ("url") DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "fact_queue_source_pages_insert"
    AFTER INSERT ON "fact" REFERENCING NEW TABLE AS "new_facts"
    FOR EACH STATEMENT EXECUTE FUNCTION "queue_source_pages"();

CREATE TRIGGER "fact_queue_source_pages_update"
    AFTER UPDATE ON "fact" REFERENCING NEW TABLE AS "new_facts"
    FOR EACH STATEMENT EXECUTE FUNCTION "queue_source_pages"();

-- The facts stored before this migration cite pages too.
INSERT INTO "source_page" ("url")
SELECT DISTINCT s ->> 'url'
  FROM "fact" f
 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(f."sources") = 'array' THEN f."sources" ELSE '[]'::jsonb END) s
 WHERE f."retracted_at" IS NULL AND (s ->> 'url') ~* '^https?://' AND length(s ->> 'url') <= 2000
ON CONFLICT ("url") DO NOTHING;

-- A link found dead (or alive again) changes what status and memos print beside it: cached status reports follow the
-- fact store's version, so the change moves it.
CREATE FUNCTION "bump_fact_store_version_on_dead_link"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."dead_since" IS DISTINCT FROM OLD."dead_since" OR (NEW."dead_since" IS NOT NULL AND NEW."fetched_at" IS DISTINCT FROM OLD."fetched_at") THEN
        UPDATE "fact_store_version" SET "version" = "version" + 1 WHERE "id" = 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "source_page_dead_link_bump"
    AFTER UPDATE ON "source_page"
    FOR EACH ROW EXECUTE FUNCTION "bump_fact_store_version_on_dead_link"();
