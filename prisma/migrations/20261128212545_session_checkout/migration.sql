-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "checkout_at" TIMESTAMPTZ(3),
ADD COLUMN     "checkout_confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "checkout_mask" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "checkout_payment_at" TIMESTAMPTZ(3),
ADD COLUMN     "checkout_shipping_at" TIMESTAMPTZ(3);

-- Hand-written: sessions processed before this migration get their checkout state from their events.
UPDATE "sessions" s SET
  "checkout_mask" = e.mask,
  "checkout_at" = e.t1,
  "checkout_shipping_at" = e.t2,
  "checkout_payment_at" = e.t3,
  "checkout_confirmed_at" = e.t5
FROM (
  SELECT project_id, session_id,
         bit_or(CASE step WHEN 'started' THEN 1 WHEN 'contact' THEN 1 WHEN 'shipping' THEN 2 WHEN 'payment' THEN 4
                          WHEN 'other' THEN 8 WHEN 'confirmed' THEN 16 ELSE 0 END) AS mask,
         min(ts) AS t1,
         min(ts) FILTER (WHERE step IN ('shipping', 'payment', 'confirmed')) AS t2,
         min(ts) FILTER (WHERE step IN ('payment', 'confirmed')) AS t3,
         min(ts) FILTER (WHERE step = 'confirmed') AS t5
    FROM "checkout_events" GROUP BY project_id, session_id
) e
WHERE s."project_id" = e.project_id AND s."id" = e.session_id;
