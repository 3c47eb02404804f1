-- CreateEnum
CREATE TYPE "device_class" AS ENUM ('pc', 'tablet', 'mobile');

-- CreateTable
CREATE TABLE "projects" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ingest_key" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox_batches" (
    "id" BIGSERIAL NOT NULL,
    "project_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" TEXT NOT NULL,
    "user_agent" TEXT,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbox_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "visitors" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "identify_hash" TEXT,

    CONSTRAINT "visitors_pkey" PRIMARY KEY ("project_id","id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "project_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "client_session_id" TEXT NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL DEFAULT 0,
    "device_class" "device_class" NOT NULL,
    "browser" TEXT,
    "browser_version" TEXT,
    "os" TEXT,
    "os_version" TEXT,
    "viewport_width" INTEGER,
    "viewport_height" INTEGER,
    "entry_url" TEXT,
    "exit_url" TEXT,
    "referrer" TEXT,
    "page_count" INTEGER NOT NULL DEFAULT 0,
    "click_count" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "max_scroll_depth" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "tags" JSONB NOT NULL DEFAULT '{}',
    "identify_hash" TEXT,
    "consent_granted" BOOLEAN,
    "recording_chunks" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("project_id","id")
);

-- CreateTable
CREATE TABLE "page_views" (
    "project_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "referrer" TEXT,
    "title" TEXT,
    "navigation" TEXT NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "max_scroll_depth" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "click_count" INTEGER NOT NULL DEFAULT 0,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "page_views_pkey" PRIMARY KEY ("project_id","started_at","id")
);

-- CreateTable
CREATE TABLE "clicks" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "idx" INTEGER NOT NULL,
    "session_id" TEXT NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    "page_x" DOUBLE PRECISION NOT NULL,
    "page_y" DOUBLE PRECISION NOT NULL,
    "selector" TEXT NOT NULL,
    "rel_x" DOUBLE PRECISION NOT NULL,
    "rel_y" DOUBLE PRECISION NOT NULL,
    "interactive" BOOLEAN NOT NULL,
    "href" TEXT,
    "viewport_width" INTEGER NOT NULL,

    CONSTRAINT "clicks_pkey" PRIMARY KEY ("project_id","ts","batch_id","idx")
);

-- CreateTable
CREATE TABLE "js_errors" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "idx" INTEGER NOT NULL,
    "session_id" TEXT NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "source" TEXT,
    "line" INTEGER,
    "column" INTEGER,
    "stack" TEXT,

    CONSTRAINT "js_errors_pkey" PRIMARY KEY ("project_id","ts","batch_id","idx")
);

-- CreateTable
CREATE TABLE "custom_tags" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "idx" INTEGER NOT NULL,
    "session_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "custom_tags_pkey" PRIMARY KEY ("project_id","ts","batch_id","idx")
);

-- CreateTable
CREATE TABLE "custom_events" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "idx" INTEGER NOT NULL,
    "session_id" TEXT NOT NULL,
    "page_view_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "custom_events_pkey" PRIMARY KEY ("project_id","ts","batch_id","idx")
);

-- CreateTable
CREATE TABLE "checkout_events" (
    "project_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "idx" INTEGER NOT NULL,
    "session_id" TEXT NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "token" TEXT,
    "value_minor" BIGINT,
    "currency" TEXT,

    CONSTRAINT "checkout_events_pkey" PRIMARY KEY ("project_id","ts","batch_id","idx")
);

-- CreateIndex
CREATE UNIQUE INDEX "projects_ingest_key_key" ON "projects"("ingest_key");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_project_id_created_at_idx" ON "api_tokens"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "inbox_batches_processed_at_received_at_idx" ON "inbox_batches"("processed_at", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbox_batches_project_id_session_id_page_view_id_seq_key" ON "inbox_batches"("project_id", "session_id", "page_view_id", "seq");

-- CreateIndex
CREATE INDEX "visitors_project_id_identify_hash_idx" ON "visitors"("project_id", "identify_hash");

-- CreateIndex
CREATE INDEX "visitors_project_id_last_seen_at_idx" ON "visitors"("project_id", "last_seen_at");

-- CreateIndex
CREATE INDEX "sessions_project_id_started_at_idx" ON "sessions"("project_id", "started_at");

-- CreateIndex
CREATE INDEX "sessions_project_id_visitor_id_started_at_idx" ON "sessions"("project_id", "visitor_id", "started_at");

-- CreateIndex
CREATE INDEX "sessions_project_id_client_session_id_started_at_idx" ON "sessions"("project_id", "client_session_id", "started_at");

-- CreateIndex
CREATE INDEX "page_views_project_id_id_idx" ON "page_views"("project_id", "id");

-- CreateIndex
CREATE INDEX "page_views_project_id_session_id_idx" ON "page_views"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "page_views_project_id_url_started_at_idx" ON "page_views"("project_id", "url", "started_at");

-- CreateIndex
CREATE INDEX "clicks_project_id_session_id_idx" ON "clicks"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "clicks_project_id_url_ts_idx" ON "clicks"("project_id", "url", "ts");

-- CreateIndex
CREATE INDEX "js_errors_project_id_session_id_idx" ON "js_errors"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "custom_tags_project_id_session_id_idx" ON "custom_tags"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "custom_tags_project_id_key_value_idx" ON "custom_tags"("project_id", "key", "value");

-- CreateIndex
CREATE INDEX "custom_events_project_id_session_id_idx" ON "custom_events"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "custom_events_project_id_name_ts_idx" ON "custom_events"("project_id", "name", "ts");

-- CreateIndex
CREATE INDEX "checkout_events_project_id_session_id_idx" ON "checkout_events"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "checkout_events_project_id_token_idx" ON "checkout_events"("project_id", "token");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
