-- AlterTable
ALTER TABLE "memo" ADD COLUMN "as_of" TEXT,
ADD COLUMN "canvas_id" TEXT;

-- CreateTable
CREATE TABLE "memo_assembly" (
    "id" SERIAL NOT NULL,
    "memo_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "as_of" TEXT NOT NULL,
    "markdown" TEXT NOT NULL,
    "assembled_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memo_assembly_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "memo_assembly_memo_id_number_key" ON "memo_assembly"("memo_id", "number");

-- AddForeignKey
ALTER TABLE "memo_assembly" ADD CONSTRAINT "memo_assembly_memo_id_fkey" FOREIGN KEY ("memo_id") REFERENCES "memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;
