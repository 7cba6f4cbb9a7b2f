-- CreateTable
CREATE TABLE "memo" (
    "id" SERIAL NOT NULL,
    "template_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "channel" TEXT,
    "tracking_ts" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "state" TEXT NOT NULL DEFAULT 'open',
    "version" INTEGER NOT NULL DEFAULT 0,
    "locked_at" TIMESTAMPTZ(3),
    "assembled_at" TIMESTAMPTZ(3),
    "assembled_markdown" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "memo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memo_section" (
    "id" SERIAL NOT NULL,
    "memo_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "owner_id" TEXT,
    "state" TEXT NOT NULL DEFAULT 'waiting',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "text" TEXT NOT NULL DEFAULT '',
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "reminded_at" TIMESTAMPTZ(3),

    CONSTRAINT "memo_section_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memo_revision" (
    "id" SERIAL NOT NULL,
    "section_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memo_revision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memo_approval" (
    "id" SERIAL NOT NULL,
    "memo_id" INTEGER NOT NULL,
    "approver" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approved_at" TIMESTAMPTZ(3),
    "memo_version" INTEGER,

    CONSTRAINT "memo_approval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "memo_state_due_at_idx" ON "memo"("state", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "memo_section_memo_id_key_key" ON "memo_section"("memo_id", "key");

-- CreateIndex
CREATE INDEX "memo_section_owner_id_state_idx" ON "memo_section"("owner_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "memo_revision_section_id_revision_key" ON "memo_revision"("section_id", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "memo_approval_memo_id_approver_key" ON "memo_approval"("memo_id", "approver");

-- AddForeignKey
ALTER TABLE "memo_section" ADD CONSTRAINT "memo_section_memo_id_fkey" FOREIGN KEY ("memo_id") REFERENCES "memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memo_revision" ADD CONSTRAINT "memo_revision_section_id_fkey" FOREIGN KEY ("section_id") REFERENCES "memo_section"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memo_approval" ADD CONSTRAINT "memo_approval_memo_id_fkey" FOREIGN KEY ("memo_id") REFERENCES "memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;
