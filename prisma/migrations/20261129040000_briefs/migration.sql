-- CreateTable
CREATE TABLE "brief_schedule" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "time" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "template_id" TEXT NOT NULL DEFAULT 'weekly-brief',
    "holidays" TEXT NOT NULL DEFAULT 'none',
    "owner_id" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "next_due_at" TIMESTAMPTZ(3),
    "next_period" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "brief_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "brief_run" (
    "id" SERIAL NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "period_key" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "since" TIMESTAMPTZ(3),
    "built_at" TIMESTAMPTZ(3),
    "headline_ts" TEXT,
    "posted_at" TIMESTAMPTZ(3),
    "detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "brief_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "thread_ts" TEXT,
    "text" TEXT NOT NULL,
    "markdown" TEXT,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "check_first" BOOLEAN NOT NULL DEFAULT false,
    "joined" BOOLEAN NOT NULL DEFAULT false,
    "ts" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fact_audit_at_idx" ON "fact_audit"("at");

-- CreateIndex
CREATE INDEX "brief_schedule_paused_next_due_at_idx" ON "brief_schedule"("paused", "next_due_at");

-- CreateIndex
CREATE UNIQUE INDEX "brief_run_schedule_id_period_key_key" ON "brief_run"("schedule_id", "period_key");

-- CreateIndex
CREATE INDEX "brief_run_state_heartbeat_at_idx" ON "brief_run"("state", "heartbeat_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_run_id_seq_key" ON "outbox_message"("run_id", "seq");

-- CreateIndex
CREATE INDEX "outbox_message_state_next_attempt_at_idx" ON "outbox_message"("state", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "brief_run" ADD CONSTRAINT "brief_run_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "brief_schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_message" ADD CONSTRAINT "outbox_message_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "brief_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
