-- DropIndex
DROP INDEX "inbox_batches_processed_at_received_at_idx";

-- AlterTable
ALTER TABLE "inbox_batches" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "inbox_batches_processed_at_attempts_id_idx" ON "inbox_batches"("processed_at", "attempts", "id");
