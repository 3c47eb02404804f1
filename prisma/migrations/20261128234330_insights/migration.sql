-- CreateEnum
CREATE TYPE "insight_kind" AS ENUM ('rage_click', 'dead_click', 'error_click', 'excessive_scroll', 'quick_back');

-- AlterTable
ALTER TABLE "page_views" ADD COLUMN     "active_ms" INTEGER,
ADD COLUMN     "dead_clicks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dwell_ms" INTEGER,
ADD COLUMN     "error_clicks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "excessive_scroll" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "quick_back" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rage_clicks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "scroll_distance" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "scroll_reversals" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "active_ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "analyzed_at" TIMESTAMPTZ(3),
ADD COLUMN     "dead_clicks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "error_clicks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "excessive_scrolls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "quick_backs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rage_clicks" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "scrolls" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "idx" INTEGER NOT NULL,
    "session_id" TEXT NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    "depth" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "scrolls_pkey" PRIMARY KEY ("project_id","ts","batch_id","idx")
);

-- CreateTable
CREATE TABLE "insights" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "session_id" TEXT NOT NULL,
    "kind" "insight_kind" NOT NULL,
    "seq" INTEGER NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "offset_ms" INTEGER NOT NULL,
    "selector" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "insights_pkey" PRIMARY KEY ("project_id","ts","session_id","kind","seq")
);

-- CreateTable
CREATE TABLE "insight_baselines" (
    "project_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "samples" INTEGER NOT NULL,
    "reversals_median" DOUBLE PRECISION NOT NULL,
    "reversals_mad" DOUBLE PRECISION NOT NULL,
    "speed_median" DOUBLE PRECISION NOT NULL,
    "speed_mad" DOUBLE PRECISION NOT NULL,
    "dwell_median_ms" DOUBLE PRECISION NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "insight_baselines_pkey" PRIMARY KEY ("project_id","url")
);

-- CreateIndex
CREATE INDEX "scrolls_project_id_session_id_idx" ON "scrolls"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "insights_project_id_session_id_idx" ON "insights"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "insights_project_id_kind_ts_idx" ON "insights"("project_id", "kind", "ts");

-- CreateIndex
CREATE INDEX "sessions_project_id_analyzed_at_ended_at_idx" ON "sessions"("project_id", "analyzed_at", "ended_at");
