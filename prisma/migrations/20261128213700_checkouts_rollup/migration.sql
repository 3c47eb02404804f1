-- CreateTable
CREATE TABLE "checkouts" (
    "project_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,
    "mask" INTEGER NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "confirmed_session_id" TEXT,
    "value_minor" BIGINT,
    "currency" TEXT,

    CONSTRAINT "checkouts_pkey" PRIMARY KEY ("project_id","key")
);

-- CreateIndex
CREATE INDEX "checkouts_project_id_first_at_idx" ON "checkouts"("project_id", "first_at");

-- CreateIndex
CREATE INDEX "checkouts_project_id_session_id_idx" ON "checkouts"("project_id", "session_id");

-- CreateIndex
CREATE INDEX "checkouts_project_id_confirmed_session_id_idx" ON "checkouts"("project_id", "confirmed_session_id");

-- Hand-written: checkouts processed before this migration, from their events.
INSERT INTO "checkouts" ("project_id", "key", "session_id", "visitor_id", "first_at", "last_at", "mask", "confirmed_at",
                         "confirmed_session_id", "value_minor", "currency")
SELECT project_id, key,
       (array_agg(session_id ORDER BY ts))[1], (array_agg(visitor_id ORDER BY ts))[1], min(ts), max(ts), bit_or(bit),
       min(ts) FILTER (WHERE step = 'confirmed'),
       (array_agg(session_id ORDER BY ts) FILTER (WHERE step = 'confirmed'))[1],
       max(value_minor) FILTER (WHERE step = 'confirmed'),
       max(currency) FILTER (WHERE step = 'confirmed')
  FROM (SELECT *, coalesce(token, 'session:' || session_id) AS key,
               CASE step WHEN 'started' THEN 1 WHEN 'contact' THEN 1 WHEN 'shipping' THEN 2 WHEN 'payment' THEN 4
                         WHEN 'other' THEN 8 WHEN 'confirmed' THEN 16 ELSE 0 END AS bit
          FROM "checkout_events") e
 GROUP BY project_id, key;
