-- CreateIndex
CREATE INDEX "sessions_project_id_checkout_at_idx" ON "sessions"("project_id", "checkout_at");
