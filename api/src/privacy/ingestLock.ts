/**
 * Orders privacy operations against in-flight ingest transactions, so that no batch a worker claimed before a
 * tombstone (or a project's deletion mark) was committed can write rows after the erasure has deleted them.
 *
 * Every ingest transaction takes this advisory lock SHARED before it claims (ingest transactions never wait for
 * each other); writing a tombstone or a deletion mark takes it EXCLUSIVE, which waits for the ingest transactions in
 * flight to commit (their rows are then visible to the deletes that follow) and makes the ones after it see the
 * mark (each statement of a READ COMMITTED transaction takes a fresh snapshot). Transaction-scoped: released at
 * commit or rollback, never leaked by a dying worker.
 */
import type { SqlRunner } from '@loupe/prisma/sql';

/** Arbitrary, distinct from the migrator's key (72707369). */
export const PRIVACY_LOCK_KEY = 72707370;

/** Inside an ingest transaction, before claiming. */
export async function shareLockWithPrivacy(tx: SqlRunner): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [PRIVACY_LOCK_KEY]);
}

/** Inside the transaction that writes a tombstone or a deletion mark. */
export async function lockOutIngest(tx: SqlRunner): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [PRIVACY_LOCK_KEY]);
}
