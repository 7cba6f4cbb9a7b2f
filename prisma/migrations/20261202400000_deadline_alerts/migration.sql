-- Deadline alerts go through the brief outbox: a message belongs to a brief run or to an alert.
ALTER TABLE "outbox_message" ALTER COLUMN "run_id" DROP NOT NULL;
ALTER TABLE "outbox_message" ADD COLUMN "alert_id" INTEGER;

-- A schedule's brief covers one topic's facts.
ALTER TABLE "brief_schedule" ADD COLUMN "topic" TEXT NOT NULL DEFAULT 'korus';

-- CreateTable
CREATE TABLE "alert_subscription" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "topic" TEXT NOT NULL DEFAULT 'korus',
    "lead_days" INTEGER[] NOT NULL,
    "time" TEXT NOT NULL DEFAULT '09:00',
    "owner_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadline_alert" (
    "id" SERIAL NOT NULL,
    "fact_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "lead_days" INTEGER NOT NULL,
    "due_date" DATE NOT NULL,
    "state" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "owner_id" TEXT,
    "ts" TEXT,
    "posted_at" TIMESTAMPTZ(3),
    "detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deadline_alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_feed" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "token" TEXT NOT NULL,
    "rotated_by" TEXT NOT NULL,
    "rotated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_feed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "topic" (
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "in_force_since" TEXT,
    "in_force_fact_id" INTEGER,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "topic_pkey" PRIMARY KEY ("slug")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_alert_id_seq_key" ON "outbox_message"("alert_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "alert_subscription_channel_topic_key" ON "alert_subscription"("channel", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_alert_fact_id_channel_lead_days_due_date_key" ON "deadline_alert"("fact_id", "channel", "lead_days", "due_date");

-- CreateIndex
CREATE INDEX "deadline_alert_state_idx" ON "deadline_alert"("state");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feed_token_key" ON "calendar_feed"("token");

-- AddForeignKey
ALTER TABLE "outbox_message" ADD CONSTRAINT "outbox_message_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "deadline_alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deadline_alert" ADD CONSTRAINT "deadline_alert_fact_id_fkey" FOREIGN KEY ("fact_id") REFERENCES "fact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "topic" ADD CONSTRAINT "topic_in_force_fact_id_fkey" FOREIGN KEY ("in_force_fact_id") REFERENCES "fact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The agreement line of the status comes from here: KORUS, as the status has always named it.
INSERT INTO "topic" ("slug", "name", "in_force_since", "updated_by", "updated_at")
VALUES ('korus', 'U.S.-Korea Free Trade Agreement (KORUS FTA)', '2012', 'migration', CURRENT_TIMESTAMP)
ON CONFLICT ("slug") DO NOTHING;
