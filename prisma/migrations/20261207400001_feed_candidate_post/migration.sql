-- A new feed candidate posted to a review channel of its feed (src/feeds/candidate-kind.ts): one row per candidate
-- and channel, inserted with ON CONFLICT DO NOTHING at a scheduler tick, so that however many instances plan it,
-- each candidate is posted once to each channel. Its id is the subject of its outbox message.
CREATE TABLE "feed_candidate_post" (
    "id" SERIAL NOT NULL,
    "candidate_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "ts" TEXT,
    "detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feed_candidate_post_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "feed_candidate_post_candidate_id_channel_key" ON "feed_candidate_post"("candidate_id", "channel");

ALTER TABLE "feed_candidate_post" ADD CONSTRAINT "feed_candidate_post_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "feed_candidate"("id") ON DELETE CASCADE ON UPDATE CASCADE;
