-- AlterTable
ALTER TABLE "clicks" ADD COLUMN     "reaction" TEXT;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "identify_salt" TEXT NOT NULL DEFAULT replace((gen_random_uuid())::text, '-'::text, ''::text);

-- CreateTable
CREATE TABLE "recording_chunks" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "session_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "payload" BYTEA NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recording_chunks_pkey" PRIMARY KEY ("project_id","ts","session_id","seq")
);

-- CreateIndex
CREATE INDEX "recording_chunks_project_id_session_id_seq_idx" ON "recording_chunks"("project_id", "session_id", "seq");

-- CreateIndex
CREATE INDEX "recording_chunks_project_id_visitor_id_idx" ON "recording_chunks"("project_id", "visitor_id");
