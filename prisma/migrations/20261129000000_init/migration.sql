-- CreateTable
CREATE TABLE "fact" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "known" DATE,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "source_title" TEXT,
    "source_url" TEXT,
    "source_key" TEXT NOT NULL,
    "confidence" TEXT NOT NULL DEFAULT 'confirmed',
    "topic" TEXT NOT NULL DEFAULT 'korus',
    "after_days" INTEGER,
    "after_fact_id" INTEGER,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "retracted_at" TIMESTAMPTZ(3),
    "retracted_by" TEXT,
    "retract_reason" TEXT,

    CONSTRAINT "fact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fact_audit" (
    "id" SERIAL NOT NULL,
    "fact_id" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,

    CONSTRAINT "fact_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fact_kind_date_idx" ON "fact"("kind", "date");

-- CreateIndex
CREATE UNIQUE INDEX "fact_identity_key" ON "fact"("date", "title", "source_key");

-- CreateIndex
CREATE INDEX "fact_audit_fact_id_at_idx" ON "fact_audit"("fact_id", "at");

-- AddForeignKey
ALTER TABLE "fact" ADD CONSTRAINT "fact_after_fact_id_fkey" FOREIGN KEY ("after_fact_id") REFERENCES "fact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fact_audit" ADD CONSTRAINT "fact_audit_fact_id_fkey" FOREIGN KEY ("fact_id") REFERENCES "fact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
