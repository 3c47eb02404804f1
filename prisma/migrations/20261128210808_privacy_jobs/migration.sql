-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "privacy_jobs" (
    "id" TEXT NOT NULL,
    "project_id" TEXT,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress_done" INTEGER NOT NULL DEFAULT 0,
    "progress_total" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "privacy_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "visitor_erasures" (
    "project_id" TEXT NOT NULL,
    "visitor_hash" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "job_id" TEXT NOT NULL,

    CONSTRAINT "visitor_erasures_pkey" PRIMARY KEY ("project_id","visitor_hash")
);

-- CreateTable
CREATE TABLE "identify_erasures" (
    "project_id" TEXT NOT NULL,
    "identify_hash" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "job_id" TEXT NOT NULL,

    CONSTRAINT "identify_erasures_pkey" PRIMARY KEY ("project_id","identify_hash")
);

-- CreateTable
CREATE TABLE "privacy_exports" (
    "job_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "privacy_exports_pkey" PRIMARY KEY ("job_id")
);

-- CreateIndex
CREATE INDEX "privacy_jobs_project_id_created_at_idx" ON "privacy_jobs"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "privacy_jobs_status_updated_at_idx" ON "privacy_jobs"("status", "updated_at");

-- CreateIndex
CREATE INDEX "privacy_exports_project_id_created_at_idx" ON "privacy_exports"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "privacy_exports_expires_at_idx" ON "privacy_exports"("expires_at");
