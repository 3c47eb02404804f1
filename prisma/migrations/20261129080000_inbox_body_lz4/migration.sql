-- Inbox bodies (~2.5 KB of JSON per batch) pass the toast threshold, so PostgreSQL compresses every one as the api
-- inserts it. lz4 costs ~30 % less insert CPU than the default pglz (bench/README.md, "inbox body compression").
-- Servers built without lz4 (PGlite among them) keep pglz: the setting only changes how new values are written.
DO $$
BEGIN
  ALTER TABLE "inbox_batches" ALTER COLUMN "body" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: inbox bodies stay pglz-compressed';
END
$$;
